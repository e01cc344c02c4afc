"""Whole-story analysis built on the engine: exhaustive exploration of reachable states."""
