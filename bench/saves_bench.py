"""Save, load and replay speed (imported by bench/run.py; `run()` returns (what, figure, target) rows).

The game is a small looping story loaded through the real loader, so saves carry
real digests; saves go through the real durable path (fsync of the file and folder).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from coldcase_game.session import Session, replay
from coldcase_game.session.saves import SaveStore
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story

MANIFEST = """\
format: 1
title: Loop
start: hub
characters:
  ana: {name: Ana, trust: 50}
  bo: {name: Bo, trust: 50}
flags:
  seen_a: Ana's room smells of cold coffee.
  seen_b: ""
"""

SCENES = """\
scenes:
  hub:
    title: The Hub
    text:
      - A corridor with two doors.
      - if: trust.ana >= 60 and seen_a
        text: Ana's door is ajar.
      - if: visits.hub > 3
        text: You know this corridor by now.
    choices:
      - id: go_a
        text: Knock on Ana's door.
        goto: room_a
        do: {trust: {ana: '%+10'}}
      - id: go_b
        text: Knock on Bo's door.
        goto: room_b
        if: trust.bo >= 0
        do: {trust: {bo: '%-10'}}
      - id: leave
        text: Leave.
        goto: out
        if: seen_a and seen_b and trust.ana > 200
        locked: Not yet.
  room_a:
    title: Ana
    text: Ana looks up.
    on_enter: {set: [seen_a]}
    choices:
      - id: back
        text: Go back.
        goto: hub
  room_b:
    title: Bo
    text: Bo does not.
    on_enter: {set: [seen_b]}
    choices:
      - id: back
        text: Go back.
        goto: hub
  out:
    title: Out
    text: Gone.
    ending: Gone
"""


def _story(root: Path) -> Story:
    root.mkdir(parents=True)
    (root / "story.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "scenes.yaml").write_text(SCENES, encoding="utf-8")
    return load_story(root)


def _game(story: Story, steps: int) -> Session:
    session = Session(story)
    for i in range(steps):
        session.choose(("go_a" if i % 4 == 0 else "go_b") if session.state.scene == "hub" else "back")
    return session


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _p99(samples: list[float]) -> float:
    return sorted(samples)[max(0, round(len(samples) * 0.99) - 1)]


def _bare_durable_write(folder: Path, data: bytes, n: int) -> list[float]:
    """The floor under any durable save on this disk: write + fsync a file, rename, fsync the folder."""
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        fd = os.open(folder / f"bare{i}.tmp", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
        os.replace(folder / f"bare{i}.tmp", folder / "bare.json")
        dir_fd = os.open(folder, os.O_RDONLY)
        os.fsync(dir_fd)
        os.close(dir_fd)
        times.append(time.perf_counter() - t0)
    return times


def run() -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        story = _story(Path(tmp) / "loop")
        store = SaveStore(Path(tmp) / "saves")
        game = _game(story, 60)
        store.save("warm", game)
        saves = []
        for _ in range(200):
            t0 = time.perf_counter()
            store.save("bench", game)
            saves.append(time.perf_counter() - t0)
        bare = _bare_durable_write(store.folder, (store.folder / "bench.json").read_bytes(), 200)
        loads = []
        for _ in range(100):
            t0 = time.perf_counter()
            store.load("bench", story)
            loads.append(time.perf_counter() - t0)
        long_game = _game(story, 10_000)
        log = long_game.log
        replays = []
        for _ in range(5):
            t0 = time.perf_counter()
            session, divergence = replay(story, log)
            replays.append(time.perf_counter() - t0)
            assert divergence is None
            assert session.steps == 10_000
        store.save("long", long_game)
        t0 = time.perf_counter()
        store.load("long", story)
        long_load = time.perf_counter() - t0
        size = (store.folder / "long.json").stat().st_size
    return [
        (
            "bare write+fsync+rename+fsync dir: median / p99",
            f"{_ms(statistics.median(bare))} / {_ms(_p99(bare))}",
            "baseline (the disk)",
        ),
        ("save, 60-step game, with fsync: median", _ms(statistics.median(saves)), "report"),
        ("save, 60-step game, with fsync: p99", _ms(_p99(saves)), "p99 < 20 ms"),
        ("load (read, check, replay), 60 steps: median", _ms(statistics.median(loads)), "report"),
        ("replay of a 10,000-step log (best of 5)", _ms(min(replays)), "< 100 ms"),
        (f"load of a 10,000-step save ({size / 1024:.0f} KiB)", _ms(long_load), "report"),
    ]


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
