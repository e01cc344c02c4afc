"""TUI figures for `make bench` (imported by bench/run.py): `run() -> list[(what, figure, target)]`.

1. As a player meets it, in a real pseudo-terminal (bench/tui_pty.py): start to first frame and
   key press to the next scene on screen, for `coldcase play STORY` and, side by side in the
   same run, the floor: a bare Textual app that swaps a Static and an OptionList
   (bench/bare_app.py). Plus the import time `coldcase play` adds before the TUI.
2. Key press to the next scene rendered, measured with Pilot (in process, no terminal): from
   sending the key to the last frame the app produced for it.
3. Resident memory after 1,000 choices against after 10, in a fresh process.

Run alone: `.venv/bin/python bench/tui_bench.py`.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.screen import Screen

Row = tuple[str, str, str]

RUNS = 7

# A story whose two scenes lead to each other: any number of choices, each a new scene.
LOOP_MANIFEST = """\
format: 1
title: Loop
start: north
characters:
  ana: {name: Ana Berg, trust: 50}
  bo: {name: Bo Lind, trust: 50}
flags:
  seen: A clue that is found once.
"""


def _loop_scenes() -> str:
    para = " ".join(["The rain keeps its own counsel on the station roof, and nobody looks up."] * 6)
    return textwrap.dedent(
        f"""\
        scenes:
          north:
            title: North Platform
            text:
              - "{para}"
              - "{para}"
              - "{para}"
            choices:
              - text: Cross to the south platform.
                goto: south
                do: {{trust: {{ana: "%+10"}}, set: [seen]}}
              - text: Wait for the next train.
                id: wait
                goto: south
                if: trust.bo > 90
                locked: Bo has not told you which train.
          south:
            title: South Platform
            text:
              - "{para}"
              - "{para}"
            choices:
              - text: Cross back to the north platform.
                goto: north
                do: {{trust: {{ana: "%-10", bo: "+1"}}}}
        """
    )


def write_loop_story(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(LOOP_MANIFEST, encoding="utf-8")
    (folder / "scenes.yaml").write_text(_loop_scenes(), encoding="utf-8")
    return folder


# --- 1. in a pseudo-terminal, against the bare app ----------------------------------------------


def pty_rows() -> list[Row]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import tui_pty

    rows = tui_pty.run()
    outside = _imports_outside_tui()
    what = "  of which: imports outside the TUI (cli, story loader, session)"
    rows.insert(2, (what, f"{outside * 1000:.0f} ms", "report"))
    return rows


def _imports_outside_tui(runs: int = RUNS) -> float:
    """Extra import time of the modules `coldcase play` needs before the TUI, over Textual's own."""
    base = [sys.executable, "-c", "import textual.app, textual.widgets"]
    more = [
        sys.executable,
        "-c",
        "import textual.app, textual.widgets, coldcase_game.cli, "
        "coldcase_game.cli.common, coldcase_game.session",
    ]

    def once(cmd: list[str]) -> float:
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True)
        return time.perf_counter() - t0

    pairs = [(once(base), once(more)) for _ in range(runs)]
    return statistics.median(m - b for b, m in pairs)


# --- 2. key press to next scene ---------------------------------------------------------------


async def _key_to_scene(story_dir: Path, saves: Path, presses: int) -> list[float]:
    from coldcase_game.session import Session
    from coldcase_game.story.loader import load_story
    from coldcase_game.tui.app import ColdCaseApp
    from coldcase_game.tui.services import Services

    story = load_story(story_dir)
    session = Session(story)  # the play screen's own session
    app = ColdCaseApp(Services(saves_dir=saves, catalog=list, animation=False), session=session)
    frames: list[float] = []
    display = app._display

    def recording_display(screen: Screen[object], renderable: RenderableType | None) -> None:  # a frame
        display(screen, renderable)
        if renderable is not None:
            frames.append(time.perf_counter())

    app._display = recording_display  # type: ignore[method-assign]  # a measurement hook, on purpose
    times: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(presses):
            steps = session.steps
            frames.clear()
            start = time.perf_counter()
            await pilot.press("1")
            await pilot.pause()
            assert session.steps == steps + 1
            times.append(max(frames) - start)
    return times


def key_rows() -> list[Row]:
    import asyncio

    with tempfile.TemporaryDirectory() as tmp:
        story = write_loop_story(Path(tmp) / "loop")
        times = asyncio.run(_key_to_scene(story, Path(tmp) / "saves", 40))
    times.sort()
    median = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    figure = f"median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    return [("key press to next scene rendered (Pilot, 100x30)", figure, "report (aim: under 100 ms)")]


# --- 3. memory after many choices ----------------------------------------------------------------

RSS_PROBE = r"""
import asyncio, json, sys
from pathlib import Path

def rss_kib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

async def main(story_dir, saves):
    import gc
    from coldcase_game.session import Session
    from coldcase_game.story.loader import load_story
    from coldcase_game.tui.app import ColdCaseApp
    from coldcase_game.tui.services import Services

    story = load_story(story_dir)
    services = Services(saves_dir=Path(saves), catalog=lambda: [], animation=False)
    app = ColdCaseApp(services, session=Session(story))
    out = {}
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        for n in range(1, 1001):
            screen.action_choose(1)  # what the key 1 does
            await pilot.pause()
            if n in (10, 1000):
                gc.collect()
                await pilot.pause()
                out[n] = rss_kib()
    print(json.dumps(out))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def memory_rows() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        story = write_loop_story(Path(tmp) / "loop")
        probe = Path(tmp) / "rss_probe.py"
        probe.write_text(RSS_PROBE, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, str(probe), str(story), str(Path(tmp) / "saves")],
            capture_output=True,
            text=True,
            check=True,
        )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    after10, after1000 = figures["10"], figures["1000"]
    return [
        ("RSS after 10 choices", f"{after10 / 1024:.1f} MiB", "baseline"),
        ("RSS after 1,000 choices", f"{after1000 / 1024:.1f} MiB ({after1000 / after10:.2f}x)", "<= 1.1x"),
    ]


def run() -> list[Row]:
    rows: list[Row] = []
    for section in (pty_rows, key_rows, memory_rows):
        try:
            rows.extend(section())
        except Exception as exc:  # one failing section must not hide the others
            rows.append((section.__name__, f"failed: {type(exc).__name__}: {exc}", ""))
    return rows


if __name__ == "__main__":
    for what, figure, target in run():
        print(f"{what:72} {figure:32} {target}")
