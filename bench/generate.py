"""Generated stories for the benchmarks: large enough to measure, shaped like real ones."""

from __future__ import annotations

from pathlib import Path

CHARACTERS = ("ana", "bo", "cy")
FLAGS = tuple(f"f{i}" for i in range(10))

PROSE = (
    "Rain ticks on the window of the reading room. Somebody has left a folded newspaper "
    "on the radiator, and the ink has run into the shape of a coastline. You wait."
)


def manifest(scenes: int) -> str:
    chars = "\n".join(f"  {c}:\n    name: {c.title()}\n    trust: 50" for c in CHARACTERS)
    flags = "\n".join(f"  {f}: Clue number {f[1:]}." for f in FLAGS)
    return (
        f"format: 1\ntitle: Generated ({scenes} scenes)\nstart: s0\ncharacters:\n{chars}\nflags:\n{flags}\n"
    )


def scene(i: int, n: int) -> str:
    if i == n - 1:
        return f"  s{i}:\n    title: Scene {i}\n    text: {PROSE}\n    ending: The End\n"
    a, b, c = CHARACTERS
    f = FLAGS[i % len(FLAGS)]
    g = FLAGS[(i + 3) % len(FLAGS)]
    nxt = i + 1
    skip = min(i + 2, n - 1)
    return (
        f"  s{i}:\n"
        f"    title: Scene {i}\n"
        f"    text:\n"
        f"      - {PROSE}\n"
        f"      - if: trust.{a} >= 60\n"
        f"        text: Ana almost smiles.\n"
        f"    choices:\n"
        f"      - text: Help Ana with the files.\n"
        f"        goto: s{nxt}\n"
        f"        id: help\n"
        f"        do:\n"
        f"          trust: {{{a}: +10, {b}: -5}}\n"
        f"          set: [{f}]\n"
        f"      - text: Side with Bo.\n"
        f"        goto: s{nxt}\n"
        f"        id: side\n"
        f"        if: not {g} or trust.{b} >= 40\n"
        f"        locked: Bo is not listening.\n"
        f"        do:\n"
        f"          trust: {{{b}: '%+20', {c}: -10}}\n"
        f"          clear: [{g}]\n"
        f"      - text: Slip away with Cy.\n"
        f"        goto: s{skip}\n"
        f"        id: slip\n"
        f"        if: trust.{c} >= 40 and {f}\n"
        f"        do:\n"
        f"          trust: {{{c}: '%-10'}}\n"
    )


def write(root: Path, scenes: int, per_file: int = 50) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(manifest(scenes), encoding="utf-8")
    for start in range(0, scenes, per_file):
        body = "scenes:\n" + "".join(scene(i, scenes) for i in range(start, min(start + per_file, scenes)))
        (root / f"part_{start // per_file:03d}.yaml").write_text(body, encoding="utf-8")
    return root
