"""A game session as a state machine: choose, undo, restart, save, load and replay in any order.

After every step: the state is what replaying the log from the start gives, every trust value is in
0..100, and each save reloads to the game it was saved from. Run on the sample story and on a case.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from tests.conftest import SCENES
from tests.fuzz.harness import CASES

from coldcase_game import engine
from coldcase_game.engine import GameState, IllegalChoice
from coldcase_game.session import Session, replay
from coldcase_game.session.game import LogEntry
from coldcase_game.session.saves import SaveStore
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story

SLOTS = st.sampled_from(["one", "two", "Three"])
SETTINGS = settings(
    max_examples=max(10, CASES // 2),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class SessionMachine(RuleBasedStateMachine):
    story: Story

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="coldcase-machine-"))
        self.store = SaveStore(self.folder / "saves")
        self.session = Session(self.story)
        self.saved: dict[str, tuple[tuple[LogEntry, ...], GameState]] = {}

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def available(self) -> list[str]:
        return [o.choice.id for o in self.session.options() if o.available]

    # --- the player's actions ---------------------------------------------------------------
    @rule(pick=st.integers(0, 20))
    def choose(self, pick: int) -> None:
        ids = self.available()
        if not ids:
            assert self.session.is_over, f"a soft lock in {self.session.state.scene}"
            return
        log, scene = self.session.log, self.session.state.scene
        self.session.choose(ids[pick % len(ids)])
        assert self.session.log == (*log, (scene, ids[pick % len(ids)]))

    @rule(pick=st.integers(0, 20))
    def choose_what_is_not_offered(self, pick: int) -> None:
        """A locked, hidden, spent or made-up choice is refused and changes nothing."""
        offered = set(self.available())
        refused = [c.id for c in self.session.scene.choices if c.id not in offered] + ["no_such_choice"]
        before, log = self.session.state, self.session.log
        with pytest.raises(IllegalChoice):
            self.session.choose(refused[pick % len(refused)])
        assert self.session.state == before
        assert self.session.log == log

    @rule(steps=st.integers(1, 4))
    def undo(self, steps: int) -> None:
        log, states = self.session.log, self.session.states
        assert self.session.undo(steps) == bool(log)
        kept = max(0, len(log) - steps)
        assert self.session.log == log[:kept]
        assert self.session.state == states[kept]

    @rule()
    def restart(self) -> None:
        self.session.restart()
        assert self.session.log == ()
        assert self.session.state == engine.start(self.story)

    @rule(slot=SLOTS)
    def save(self, slot: str) -> None:
        self.store.save(slot, self.session)
        self.saved[slot.lower()] = (self.session.log, self.session.state)

    @rule()
    def autosave(self) -> None:
        self.store.autosave(self.session)
        self.saved["autosave"] = (self.session.log, self.session.state)

    @precondition(lambda self: bool(self.saved))
    @rule(data=st.data())
    def load(self, data: st.DataObject) -> None:
        slot = data.draw(st.sampled_from(sorted(self.saved)))
        result = self.store.load(slot, self.story)
        log, state = self.saved[slot]
        assert result.clean, result.report()
        assert result.session.log == log
        assert result.session.state == state
        self.session = result.session

    @rule()
    def replay(self) -> None:
        session, divergence = replay(self.story, self.session.log)
        assert divergence is None
        assert session.states == self.session.states
        self.session = session

    # --- what holds after every step ----------------------------------------------------------
    @invariant()
    def state_is_the_replay_of_the_log(self) -> None:
        replayed, divergence = replay(self.story, self.session.log)
        assert divergence is None, divergence
        assert replayed.states == self.session.states

    @invariant()
    def trust_stays_in_range(self) -> None:
        trust = self.session.state.trust
        assert [cid for cid, _ in trust] == list(self.story.characters)
        assert all(0 <= value <= 100 for _, value in trust), trust

    @invariant()
    def the_latest_save_reloads_to_its_game(self) -> None:
        for slot, (log, state) in list(self.saved.items())[-1:]:
            result = self.store.load(slot, self.story)
            assert result.clean, result.report()
            assert result.session.log == log
            assert result.session.state == state


class SampleMachine(SessionMachine):
    story = load_story(SCENES / "sample")


class ClarkeMachine(SessionMachine):
    story = load_story(SCENES / "clarke")


def test_session_of_the_sample_story() -> None:
    run_state_machine_as_test(SampleMachine, settings=SETTINGS)


def test_session_of_a_case() -> None:
    run_state_machine_as_test(ClarkeMachine, settings=SETTINGS)
