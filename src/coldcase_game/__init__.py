"""Cold Case: interactive fiction about former spies, and the engine under it."""

__version__ = "0.1.0"
