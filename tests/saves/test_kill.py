"""kill -9 while saving: the save always loads, and never goes back to an older game."""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest
from tests.saves.conftest import play

from coldcase_game.session.saves import SaveStore
from coldcase_game.story.model import Story

ROUNDS = 100  # the issue asks for at least 100 kills


def _child(folder: Path, story: Story, ack: int) -> None:
    """Continue the saved game forever: one more choice, save, acknowledge the step count."""
    store = SaveStore(folder)
    session = store.load("game", story).session
    os.write(ack, b"0\n")  # ready: the kill's random moment is counted from here
    while True:
        session.choose("wait")
        store.save("game", session)
        os.write(ack, b"%d\n" % session.steps)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() to kill a writer mid-save")
def test_kill_9_at_random_moments(store: SaveStore, vault: Story) -> None:
    session = play(vault, [])
    took = []
    for _ in range(5):  # how long one save takes on this machine sets the window for the kills
        session.choose("wait")
        started = time.perf_counter()
        store.save("game", session)
        took.append(time.perf_counter() - started)
    window = max(3 * sorted(took)[2], 0.01)  # the disk's speed varies a lot under load: keep a floor
    rng = random.Random(20240)
    loaded_before = session.steps
    killed_mid_write = 0
    for _ in range(ROUNDS):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns into pytest
            try:
                os.close(read_end)
                _child(store.folder, vault, write_end)
            finally:
                os._exit(1)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            assert pipe.readline() == b"0\n"
            time.sleep(rng.uniform(0.0, window))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            acked = [int(line) for line in pipe.read().split()]
        if any(name.endswith(".tmp") for name in os.listdir(store.folder)):
            killed_mid_write += 1
        result = SaveStore(store.folder).load("game", vault)  # also cleans the dead writer's temp file
        steps = result.session.steps
        assert result.clean
        assert steps >= loaded_before, "the save went backwards"
        assert steps >= max(acked, default=0), "an acknowledged save was lost"
        loaded_before = steps
        assert not [n for n in os.listdir(store.folder) if n.endswith(".tmp")]
    assert loaded_before > ROUNDS // 4, f"the game only reached step {loaded_before}; the test proved little"
    assert killed_mid_write > ROUNDS // 10, f"only {killed_mid_write} kills landed inside a write; too few"
    print(f"{killed_mid_write} of {ROUNDS} kills landed mid-write", file=sys.stderr)
