"""The TUI as a player meets it, in a real pseudo-terminal (pexpect + pyte, 100x30,
TERM=xterm-256color), side by side with the floor: bench/bare_app.py, a bare Textual app that
swaps a Static and an OptionList on each key press.

For both programs, started alternately in the same run:

- start to first frame: from spawning the program until the pyte screen shows the first
  scene's text (the bare app's `Bare scene 0.`; for `coldcase play STORY --no-animation`, the
  heading or an opening words of the story's first scene);
- key press to the next scene: send the choice's key, time until the new scene's text is on
  the pyte screen. Before each key the program is left to go quiet, so a key never waits
  behind the previous one's work. Cold Case plays the bundled STORY taking the first
  available choice each time (the path comes from a Session, the keys are the numbers
  the screen shows), stopping before the ending.

Reported beside them, not a target: the bare app's key press with scenes of varying length
(`bare_app.py --varied`: one to five paragraphs in a scrolling column, so each key press lays the
screen out anew, as a story's scenes do).

Times are when the bytes arrived from the program, not when pyte finished parsing them.

Run alone: `.venv/bin/python bench/tui_pty.py` (`--profile FILE` runs Cold Case under
cProfile instead, for one playthrough, and writes its stats to FILE).
"""

from __future__ import annotations

import inspect
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pexpect
import pyte

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bare_app  # noqa: E402

Row = tuple[str, str, str]

STORY = "clarke"  # a bundled case, with long scenes, a sidebar that fills and a journal
SIZE = (30, 100)  # rows, columns
KEY_ROUNDS = 3  # playthroughs (processes) of each program with key presses
START_RUNS = 7  # starts of each program measured for the first frame (the key rounds among them)
QUIET = 0.08  # seconds without output before a key is sent
TIMEOUT = 20.0
UNSAFE = frozenset("_{}[]*`")  # characters that may be rendered differently from the source text


class TolerantScreen(pyte.Screen):
    """pyte's screen, taking a control sequence with more parameters than pyte knows (some come
    from the apps here now and then) as the one it names: pyte would raise, drop the rest of the
    output read, and the marker looked for might be in it."""


def _tolerant(name: str) -> None:
    method = getattr(pyte.Screen, name)
    positional = [
        p
        for p in inspect.signature(method).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if any(p.kind is p.VAR_POSITIONAL for p in inspect.signature(method).parameters.values()):
        return
    keep = len(positional) - 1  # less self

    def call(self: pyte.Screen, *args: object, **kwargs: object) -> object:
        return method(self, *args[:keep], **kwargs)

    setattr(TolerantScreen, name, call)


for _name in {*pyte.Stream.csi.values(), *pyte.Stream.basic.values(), *pyte.Stream.escape.values()}:
    if hasattr(pyte.Screen, _name):
        _tolerant(_name)


class Terminal:
    """A program in a pseudo-terminal, its output fed to a pyte screen."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.command = command
        self.screen = TolerantScreen(SIZE[1], SIZE[0])
        self.stream = pyte.ByteStream(self.screen)
        self._text = ""
        self.markers: list[str] = []  # what _read looks for
        self.started = time.perf_counter()
        self.child: pexpect.spawn[bytes] = pexpect.spawn(command[0], command[1:], env=env, dimensions=SIZE)
        self.child.delaybeforesend = None  # pexpect sleeps 50 ms before each send unless told not to

    def _read(self, timeout: float) -> float | None:
        """Feed the output waiting (up to `timeout` for some) to the screen, a chunk at a time:
        the arrival time of the chunk that put `self.marker` on the screen, else of the last one;
        None when nothing came. Everything waiting is read before any of it is parsed, so the
        time pyte takes is never counted as the program's."""
        chunks: list[tuple[float, bytes]] = []
        wait = timeout
        while True:
            try:
                chunk = self.child.read_nonblocking(1 << 20, timeout=wait)
            except pexpect.TIMEOUT:
                break
            except pexpect.EOF:
                raise RuntimeError(f"{self.command} ended early; its screen:\n{self.text()}") from None
            chunks.append((time.perf_counter(), chunk))
            wait = 0
        for arrived, chunk in chunks:
            self.stream.feed(chunk)
            self._text = ""
            if self.markers and any(m in self.text() for m in self.markers):
                return arrived
        return chunks[-1][0] if chunks else None

    def text(self) -> str:
        if not self._text:
            self._text = "\n".join(self.screen.display)
        return self._text

    def wait_for(self, markers: list[str]) -> float:
        """The arrival time of the output that put one of `markers` on the screen."""
        self.markers = markers
        deadline = time.perf_counter() + TIMEOUT
        try:
            while time.perf_counter() < deadline:
                arrived = self._read(0.01)
                if arrived is not None and any(m in self.text() for m in markers):
                    return arrived
        finally:
            self.markers = []
        raise RuntimeError(f"none of {markers} appeared from {self.command}; the screen:\n{self.text()}")

    def settle(self) -> None:
        """Read until the program has written nothing for QUIET seconds."""
        deadline = time.perf_counter() + TIMEOUT
        while self._read(QUIET) is not None:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{self.command} never went quiet")

    def press(self, key: str, markers: list[str]) -> float:
        """Seconds from sending `key` until one of `markers`, none of them showing now, is on the screen."""
        self.settle()
        fresh = [m for m in markers if m not in self.text()]
        if not fresh:
            raise RuntimeError(f"all of {markers} already show before the key {key!r}")
        sent = time.perf_counter()
        self.child.send(key)
        return self.wait_for(fresh) - sent

    def close(self) -> None:
        self.child.terminate(force=True)


# --- what each program shows ------------------------------------------------------------------


def scene_markers(heading: str, paragraphs: tuple[str, ...]) -> list[str]:
    """Texts that show once a scene is drawn: its heading, and each paragraph's opening words
    (a line's start, so never split by wrapping), leaving out words that may be styled."""
    markers = [heading] if heading and not UNSAFE & set(heading) else []
    for paragraph in paragraphs:
        words: list[str] = []
        for word in paragraph.strip().split("\n")[0].split():
            if UNSAFE & set(word) or len(" ".join([*words, word])) > 28:
                break
            words.append(word)
        if len(" ".join(words)) >= 12:
            markers.append(" ".join(words))
    return markers


@dataclass(frozen=True)
class Route:
    """The first scene's markers, then (key, markers of the scene it leads to) for each press."""

    first: list[str]
    presses: list[tuple[str, list[str]]]


def story_route(story_id: str) -> Route:
    from coldcase_game.session import Session
    from coldcase_game.story.bundled import resolve_story
    from coldcase_game.story.loader import load_story

    session = Session(load_story(resolve_story(story_id)))

    def shown() -> list[str]:
        """The markers of what one screen shows: a `next` chain's scenes (format 2), then the scene."""
        markers: list[str] = []
        for passage in session.state.last.passed:
            markers += scene_markers(session.story.scenes[passage.scene].heading, passage.text)
        return markers + scene_markers(session.scene.heading, session.narration())

    first = shown()
    presses: list[tuple[str, list[str]]] = []
    while True:
        option = next(o for o in session.options() if o.available)
        assert option.number is not None
        session.choose(option.choice.id)
        if session.is_over:
            return Route(first, presses)
        presses.append((str(option.number), shown()))


def bare_route(presses: int) -> Route:
    return Route(
        [bare_app.scene_marker(0)], [("1", [bare_app.scene_marker(n)]) for n in range(1, presses + 1)]
    )


@dataclass
class Figures:
    """One program's figures over the run."""

    first: list[float] = field(default_factory=list)  # seconds to the first frame, a start each
    keys: list[float] = field(default_factory=list)  # seconds from a key to its scene on screen
    cpu: list[float] = field(default_factory=list)  # CPU seconds a key press, a playthrough each


def cpu_seconds(pid: int | None) -> float | None:
    """The process's CPU time so far (Linux /proc; None elsewhere)."""
    if pid is None:
        return None
    stat = Path(f"/proc/{pid}/stat")
    try:
        fields = stat.read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_once(command: list[str], env: dict[str, str], route: Route, keys: bool, into: Figures) -> None:
    """One start of a program: its first frame, and its key presses when `keys`."""
    term = Terminal(command, env)
    try:
        into.first.append(term.wait_for(route.first) - term.started)
        if keys:
            term.settle()
            before = cpu_seconds(term.child.pid)
            into.keys.extend(term.press(key, markers) for key, markers in route.presses)
            term.settle()  # the work a key leaves for later frames counts too
            after = cpu_seconds(term.child.pid)
            if before is not None and after is not None:
                into.cpu.append((after - before) / len(route.presses))
    finally:
        term.close()


def p90(times: list[float]) -> float:
    return statistics.quantiles(times, n=10, method="inclusive")[-1]


def commands(saves: Path, profile: Path | None = None) -> tuple[list[str], list[str]]:
    python = sys.executable
    game = ["-m", "coldcase_game", "--saves", str(saves), "play", STORY, "--no-animation"]
    if profile is not None:
        return [python, str(HERE / "bare_app.py")], [python, "-m", "cProfile", "-o", str(profile), *game]
    coldcase = str(Path(python).with_name("coldcase"))  # the console script, as a player runs it
    return [python, str(HERE / "bare_app.py")], [coldcase, *game[2:]]


def environment() -> dict[str, str]:
    return {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"}


def measure() -> tuple[Figures, Figures, Figures]:
    """The bare app's figures, Cold Case's, and (keys only) the bare app's with scenes of varying
    length (`bare_app.py --varied`), taken in turn."""
    route = story_route(STORY)
    bare = bare_route(len(route.presses))
    env = environment()
    bare_figures, ours_figures, varied_figures = Figures(), Figures(), Figures()
    with tempfile.TemporaryDirectory() as tmp:
        bare_cmd, ours_cmd = commands(Path(tmp) / "saves")
        run_once(bare_cmd, env, bare, False, Figures())  # warm the file cache for both
        run_once(ours_cmd, env, route, False, Figures())
        for n in range(START_RUNS):
            keys = n < KEY_ROUNDS
            run_once(bare_cmd, env, bare, keys, bare_figures)
            run_once(ours_cmd, env, route, keys, ours_figures)
            if keys:
                run_once([*bare_cmd, "--varied"], env, bare, True, varied_figures)
    return bare_figures, ours_figures, varied_figures


def run() -> list[Row]:
    bare, ours, varied = measure()
    bf, of = statistics.median(bare.first), statistics.median(ours.first)
    bm, om = statistics.median(bare.keys), statistics.median(ours.keys)
    bp, op = p90(bare.keys), p90(ours.keys)
    where = f"pty {SIZE[1]}x{SIZE[0]}"
    rows = [
        (f"{where}: bare Textual app, start to first frame", f"{bf * 1000:.0f} ms", "baseline"),
        (
            f"{where}: coldcase play {STORY}, start to first frame",
            f"{of * 1000:.0f} ms ({of / bf:.2f}x)",
            "<= 1.2x",
        ),
        (
            f"{where}: bare app, key press to next scene ({len(bare.keys)} keys)",
            f"median {bm * 1000:.0f} ms, p90 {bp * 1000:.0f} ms",
            "baseline",
        ),
        (
            f"{where}: bare app, scenes of varying length, key press ({len(varied.keys)} keys)",
            f"median {statistics.median(varied.keys) * 1000:.0f} ms, p90 {p90(varied.keys) * 1000:.0f} ms",
            "report",
        ),
        (
            f"{where}: coldcase play {STORY}, key press to next scene ({len(ours.keys)} keys)",
            f"median {om * 1000:.0f} ms ({om / bm:.2f}x), p90 {op * 1000:.0f} ms",
            "median <= 1.5x, p90 < 50 ms",
        ),
    ]
    if bare.cpu and ours.cpu:  # CPU time: steadier than wall time on a shared machine
        bc, oc = statistics.median(bare.cpu), statistics.median(ours.cpu)
        rows.append(
            (
                f"{where}: CPU a key press, all its frames (bare app / {STORY})",
                f"{bc * 1000:.1f} ms / {oc * 1000:.1f} ms ({oc / bc:.1f}x)",
                "report",
            )
        )
    return rows


def profile(out: Path) -> None:
    """One playthrough of Cold Case under cProfile (its stats written to `out`)."""
    route = story_route(STORY)
    with tempfile.TemporaryDirectory() as tmp:
        _, ours_cmd = commands(Path(tmp) / "saves", profile=out.resolve())
        term = Terminal(ours_cmd, environment())
        try:
            term.wait_for(route.first)
            times = [term.press(key, markers) for key, markers in route.presses]
            term.settle()
            term.child.sendcontrol("c")  # a clean exit writes the stats
            term.child.expect(pexpect.EOF, timeout=TIMEOUT)
        finally:
            term.close()
    median = statistics.median(times) * 1000
    print(f"{len(times)} keys under cProfile: median {median:.0f} ms; stats in {out}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--profile"]:
        profile(Path(sys.argv[2]))
    else:
        for what, figure, target in run():
            print(f"{what:72} {figure:36} {target}")
