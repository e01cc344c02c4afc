"""`Session`: the choice log of one game, every state along it, undo and replay.

Everything goes through `engine.step`; a session never changes state itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coldcase_game import engine
from coldcase_game.engine import GameState
from coldcase_game.story.model import Character, Scene, Story, Var

LogEntry = tuple[str, str]  # (scene id, choice id)


@dataclass(frozen=True)
class TranscriptStep:
    """One step of a game: the scene as it was shown, and the choice made there (if any)."""

    number: int  # 0 for the opening scene
    state: GameState  # the state in which the scene was shown
    title: str  # the scene's heading (its title; in format 1 else its id made readable; else "")
    paragraphs: tuple[str, ...]
    choice_text: str | None  # what the player chose here; None for the current/last scene
    then: tuple[str, ...] = ()  # format 2: the chosen choice's `then` text, as it was shown


@dataclass(frozen=True)
class Divergence:
    """Where a saved choice log stops fitting the story."""

    step: int  # 1-based step number in the log
    scene: str
    choice: str
    reason: str

    def __str__(self) -> str:
        return f"step {self.step}: in scene '{self.scene}', choice '{self.choice}': {self.reason}"


class Session:
    """One game: `choose`, `undo`, `restart`, and the full history of states."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self._states: list[GameState] = [engine.start(story)]
        self._log: list[LogEntry] = []

    # --- reading -------------------------------------------------------------------
    @property
    def state(self) -> GameState:
        return self._states[-1]

    @property
    def states(self) -> Sequence[GameState]:
        return tuple(self._states)

    @property
    def log(self) -> tuple[LogEntry, ...]:
        return tuple(self._log)

    @property
    def steps(self) -> int:
        return len(self._log)

    @property
    def can_undo(self) -> bool:
        return bool(self._log)

    @property
    def is_over(self) -> bool:
        return engine.is_over(self.story, self.state)

    @property
    def ending(self) -> str | None:
        return engine.ending_title(self.story, self.state)

    def options(self) -> tuple[engine.ChoiceOption, ...]:
        return engine.choice_options(self.story, self.state)

    def narration(self) -> tuple[str, ...]:
        """The current scene's text as shown in this state (conditions, sequences and cycles applied)."""
        return engine.narration(self.story, self.state)

    def characters(self) -> tuple[tuple[Character, int], ...]:
        """The characters the player has met (format 2: `introduced_by`), with their trust."""
        return engine.visible_characters(self.story, self.state)

    def stats(self) -> tuple[tuple[Var, int], ...]:
        """The variables shown to the player (those with a `name`), with their values."""
        return engine.shown_vars(self.story, self.state)

    @property
    def scene(self) -> Scene:
        return self.story.scenes[self.state.scene]

    @property
    def kept_heading(self) -> str | None:
        """The heading shown last before the current screen (scenes a `next` chain passed
        through included): the one a screen that starts with a format-2 scene without a title
        keeps at its top. None when no earlier screen had one."""
        for state in reversed(self._states[:-1]):
            for scene_id in (state.scene, *(p.scene for p in reversed(state.last.passed))):
                title = engine.heading(self.story, scene_id)
                if title is not None:
                    return title
        return None

    # --- acting --------------------------------------------------------------------
    def choose(self, choice_id: str) -> GameState:
        """Take an available choice of the current scene. Raises engine.IllegalChoice."""
        scene_id = self.state.scene
        new = engine.step(self.story, self.state, choice_id)
        self._states.append(new)
        self._log.append((scene_id, choice_id))
        return new

    def choose_number(self, number: int) -> GameState:
        """Take the available choice shown with this number (1-based)."""
        for option in self.options():
            if option.number == number:
                return self.choose(option.choice.id)
        raise engine.IllegalChoice(f"no available choice numbered {number}")

    def undo(self, steps: int = 1) -> bool:
        """Go back `steps` choices (not past the start). Returns False if nothing was undone."""
        if not self._log:
            return False
        for _ in range(min(steps, len(self._log))):
            self._states.pop()
            self._log.pop()
        return True

    def restart(self) -> None:
        del self._states[1:]
        self._log.clear()

    # --- history -------------------------------------------------------------------
    def transcript(self) -> list[TranscriptStep]:
        """Every scene shown in this game, with the choice made in it."""
        out: list[TranscriptStep] = []
        for i, state in enumerate(self._states):
            scene = self.story.scenes[state.scene]
            choice_text = None
            then: tuple[str, ...] = ()
            if i < len(self._log):
                # the choice's text as it was shown then (inline pieces rendered in that state)
                chosen = self._log[i][1]
                shown = [o.text for o in engine.choice_options(self.story, state) if o.choice.id == chosen]
                choice = scene.choice(chosen)
                choice_text = shown[0] if shown else choice.text if choice else chosen
                then = self._states[i + 1].last.then
            out.append(
                TranscriptStep(
                    number=i,
                    state=state,
                    title=engine.heading(self.story, state.scene) or "",
                    paragraphs=engine.narration(self.story, state),
                    choice_text=choice_text,
                    then=then,
                )
            )
        return out


def replay(story: Story, log: Iterable[LogEntry]) -> tuple[Session, Divergence | None]:
    """Replay a choice log against `story`.

    Returns the session as far as the log fits, and where it stopped fitting
    (None when every step replayed).
    """
    session = Session(story)
    for index, (scene_id, choice_id) in enumerate(log, start=1):
        if session.state.scene == scene_id:
            try:
                session.choose(choice_id)
                continue
            except engine.IllegalChoice:
                pass
        reason = _misfit(story, session, scene_id, choice_id) or "the choice cannot be made at this point"
        return session, Divergence(index, scene_id or session.state.scene, choice_id, reason)
    return session, None


def _misfit(story: Story, session: Session, scene_id: str, choice_id: str) -> str | None:
    state = session.state
    if scene_id not in story.scenes:
        return f"scene '{scene_id}' no longer exists in the story"
    if state.scene != scene_id:
        return f"the game is in scene '{state.scene}' at this point, not '{scene_id}'"
    scene = story.scenes[scene_id]
    if scene.is_ending:
        return f"scene '{scene_id}' is now an ending ('{scene.ending}')"
    choice = scene.choice(choice_id)
    if choice is None:
        ids = ", ".join(f"'{c.id}'" for c in scene.choices) or "none"
        return f"choice '{choice_id}' no longer exists (the scene's choices are {ids})"
    if not any(o.choice.id == choice_id and o.available for o in session.options()):
        return f"choice '{choice_id}' is not available at this point (its condition does not hold)"
    return None
