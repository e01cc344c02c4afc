"""A game in progress: the choice log over the engine, with undo and replay."""

from coldcase_game.session.game import Divergence, Session, TranscriptStep, replay

__all__ = ["Divergence", "Session", "TranscriptStep", "replay"]
