"""`coldcase graph`: the story map in Mermaid, DOT and HTML, as an author reads it."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from tests.authoring.conftest import Run, write_story

CLASSES = [
    "  classDef start fill:#dcefdc,stroke:#2e7d32,stroke-width:3px",
    "  classDef ending fill:#dbe8f7,stroke:#1f5fa8,stroke-width:2px",
    "  classDef unreachable fill:#f9dcdc,stroke:#c62828,stroke-width:2px,stroke-dasharray:5 4",
]


def test_mermaid_marks_start_endings_conditions_once_and_unreachable(coldcase: Run, map_story: Path) -> None:
    status, out, err = coldcase("graph", str(map_story))
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "---",
        'title: "Map Case"',
        "---",
        "flowchart TD",
        '  s_hall["The Hall<br/>START"]',
        '  s_study["The Study"]',
        '  s_vault(["The #lt;Vault#gt; #amp; #quot;Co#quot;<br/>ENDING: Rich"])',
        '  s_out(["Outside<br/>ENDING: Poor"])',
        '  s_island(["Island<br/>ENDING: Nowhere<br/>UNREACHABLE: no goto leads here"])',
        '  s_hall -->|"once"| s_study',
        "  s_hall --> s_out",
        '  s_hall -.->|"if key_found and trust.ana #gt;= 60"| s_vault',
        "  s_study --> s_hall",
        *CLASSES,
        "  class s_hall start",
        "  class s_vault,s_out,s_island ending",
        "  class s_island unreachable",
    ]


def test_explore_annotates_trust_and_the_endings_still_open(coldcase: Run, map_story: Path) -> None:
    status, out, _ = coldcase("graph", "--explore", str(map_story))
    assert status == 0
    nodes = [line for line in out.splitlines() if re.match(r"  s_\w+[(\[]", line)]
    assert nodes == [
        '  s_hall["The Hall<br/>START<br/>trust ana 50-60<br/>2 of 3 endings open: Rich, Poor"]',
        '  s_study["The Study<br/>trust ana 60<br/>2 of 3 endings open: Rich, Poor"]',
        '  s_vault(["The #lt;Vault#gt; #amp; #quot;Co#quot;<br/>ENDING: Rich<br/>trust ana 60"])',
        '  s_out(["Outside<br/>ENDING: Poor<br/>trust ana 50-60"])',
        '  s_island(["Island<br/>ENDING: Nowhere<br/>UNREACHABLE: no goto leads here"])',
    ]


def test_explore_says_when_every_ending_stays_open(coldcase: Run, tmp_path: Path) -> None:
    story = write_story(
        tmp_path / "fork",
        "format: 1\ntitle: Fork\nstart: a\n",
        **{
            "s.yaml": "scenes:\n  a:\n    text: A.\n    choices:\n      - {text: L., goto: b}\n"
            "      - {text: R., goto: c}\n      - {text: Wait., goto: w}\n"
            "      - {text: Run., goto: b, id: run}\n"
            "  w:\n    text: W.\n    choices:\n      - {text: L., goto: b}\n"
            "  b:\n    text: B.\n    ending: Left\n  c:\n    text: C.\n    ending: Right\n"
        },
    )
    _, out, _ = coldcase("graph", "--explore", str(story))
    assert '  s_a["A<br/>START<br/>all 2 endings still open"]' in out.splitlines()
    assert '  s_w["W<br/>1 of 2 endings open: Left"]' in out.splitlines()
    # an ending without a title is drawn by its ending's title; a choice with an id of its own says it
    assert '  s_b(["Left<br/>ENDING"])' in out.splitlines()
    assert '  s_a -->|"run"| s_b' in out.splitlines()


def test_dot(coldcase: Run, map_story: Path) -> None:
    status, out, _ = coldcase("graph", "--format", "dot", str(map_story))
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == 'digraph "map_case" {'
    assert lines[-1] == "}"
    assert (
        '  s_vault [label="The <Vault> & \\"Co\\"\\nENDING: Rich", tooltip="'
        + str(map_story / "part.yaml").replace("\\", "\\\\")  # DOT doubles a Windows backslash
        + ':15", peripheries=2, color="#1f5fa8", fillcolor="#dbe8f7"];'
    ) in lines
    unlock = '  s_hall -> s_vault [tooltip="Unlock the vault.", label="if key_found and trust.ana >= 60"'
    assert unlock + ", style=dashed];" in lines
    assert '  s_hall -> s_study [tooltip="Search the study.", label="once", arrowhead=onormal];' in lines
    island = next(line for line in lines if line.startswith("  s_island "))
    assert "UNREACHABLE: no goto leads here" in island
    assert 'style="rounded,filled,dashed"' in island


def test_output_file_and_format_from_its_suffix(coldcase: Run, map_story: Path, tmp_path: Path) -> None:
    target = tmp_path / "map.dot"
    status, out, _ = coldcase("graph", str(map_story), "-o", str(target))
    assert status == 0
    assert out == f"wrote {target} (dot: 5 scenes, 4 choices; unreachable: island)\n"
    assert target.read_text(encoding="utf-8").startswith('digraph "map_case" {')


def html_page(coldcase: Run, story: Path, tmp_path: Path, *extra: str) -> Path:
    target = tmp_path / "map.html"
    status, _, err = coldcase("graph", str(story), "--format", "html", "-o", str(target), *extra)
    assert (status, err) == (0, "")
    return target


def test_html_is_self_contained_and_escapes_story_text(
    coldcase: Run, map_story: Path, tmp_path: Path
) -> None:
    page = html_page(coldcase, map_story, tmp_path, "--explore").read_text(encoding="utf-8")
    assert "default-src 'none'" in page
    assert "<script" not in page
    for pattern in (r"\bsrc=", r"\bhref=", r"@import", r"url\((?!#arrow\))"):
        assert not re.search(pattern, page), pattern
    assert re.findall(r"https?://[^\s\"'<>]+", page) == [
        "http://www.w3.org/2000/svg"
    ]  # a namespace, not a fetch
    assert "The &lt;Vault&gt; &amp; &quot;Co&quot;" in page
    assert "<Vault>" not in page
    assert ">UNREACHABLE: no goto leads here</text>" in page
    assert ">if key_found and trust.ana &gt;= 60</text>" in page
    assert "5 scenes · 4 choices · 3 endings · 6 states explored · 1 unreachable" in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _pixels(png: bytes) -> tuple[int, int, set[tuple[int, int, int]]]:
    """The colours of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        chunk, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if chunk == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", data[:10])
            assert depth == 8
            assert colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif chunk == b"IDAT":
            idat += data
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours: set[tuple[int, int, int]] = set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        colours.update(tuple(line[i : i + 3]) for i in range(0, stride, channels))  # type: ignore[misc]
        previous = line
    return width, height, colours


@pytest.mark.skipif(
    CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium) to render the page"
)
def test_html_renders_in_headless_chromium(coldcase: Run, map_story: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    page = html_page(coldcase, map_story, tmp_path, "--explore")
    shot = tmp_path / "map.png"
    common = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    subprocess.run(
        [*common, f"--screenshot={shot}", "--window-size=1000,700", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    width, height, colours = _pixels(shot.read_bytes())
    assert (width, height) == (1000, 700)
    # the start, the endings and the unreachable scene are each drawn in their own fill
    for fill in ((0xDC, 0xEF, 0xDC), (0xDB, 0xE8, 0xF7), (0xF9, 0xDC, 0xDC)):
        assert fill in colours, fill
    dom = subprocess.run(
        [*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    texts = re.findall(r'<text[^>]*class="title"[^>]*>([^<]*)</text>', dom)
    assert texts == ["The Hall", "The Study", 'The &lt;Vault&gt; &amp; "Co"', "Outside", "Island"]


def test_graph_of_a_missing_folder(coldcase: Run, tmp_path: Path) -> None:
    status, out, err = coldcase("graph", str(tmp_path / "nope"))
    assert (status, out) == (2, "")
    assert err.startswith(f"coldcase graph: no story '{tmp_path / 'nope'}': ")
    assert err.count("\n") == 1


def test_graph_of_a_broken_story(coldcase: Run, map_story: Path) -> None:
    part = map_story / "part.yaml"
    part.write_text(part.read_text().replace("once: true", "once: maybe"))
    status, out, err = coldcase("graph", str(map_story))
    assert (status, out) == (2, "")
    first, last = err.splitlines()
    assert re.fullmatch(rf"{re.escape(str(part))}:6:\d+: error\[E103\]: .*'maybe'.*", first)
    assert last == f"coldcase graph: the story in {map_story} has 1 error; run 'coldcase check {map_story}'"


def test_graph_into_a_missing_folder_and_a_bad_format(coldcase: Run, map_story: Path, tmp_path: Path) -> None:
    status, _, err = coldcase("graph", str(map_story), "-o", str(tmp_path / "no" / "map.html"))
    assert status == 1
    target, folder = tmp_path / "no" / "map.html", tmp_path / "no"
    assert err == f"coldcase graph: cannot write {target}: there is no folder {folder}\n"
    status, _, err = coldcase("graph", str(map_story), "--format", "svg")
    assert status == 2
    assert "invalid choice: 'svg'" in err


def test_an_output_name_that_says_no_format(coldcase: Run, map_story: Path, tmp_path: Path) -> None:
    status, out, err = coldcase("graph", str(map_story), "-o", str(tmp_path / "map.svg"))
    assert (status, out) == (2, "")
    assert err == (
        f"coldcase graph: cannot tell the format from the name {tmp_path / 'map.svg'}: end it in .mmd, .dot "
        "or .html, or add --format mermaid|dot|html\n"
    )
    assert not (tmp_path / "map.svg").exists()
    status, _, _ = coldcase("graph", str(map_story), "-o", str(tmp_path / "map.svg"), "--format", "dot")
    assert status == 0
    assert (tmp_path / "map.svg").read_text().startswith("digraph")


def test_graph_explore_stops_at_max_states(coldcase: Run, map_story: Path) -> None:
    status, out, err = coldcase("graph", str(map_story), "--explore", "--max-states", "2")
    assert (status, out) == (3, "")
    assert err == (
        "coldcase graph: stopped after 2 states: the story has more than --max-states 2 reachable states; "
        "raise --max-states, or leave out --explore\n"
    )


DOT = shutil.which("dot")


@pytest.mark.skipif(DOT is None, reason="needs Graphviz's dot (apt-get install graphviz) to parse the output")
def test_graphviz_reads_the_dot_output(coldcase: Run, map_story: Path, tmp_path: Path) -> None:
    assert DOT is not None
    source = tmp_path / "map.dot"
    assert coldcase("graph", str(map_story), "--explore", "-o", str(source))[0] == 0
    done = subprocess.run(
        [DOT, "-Tsvg", str(source)], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "The &lt;Vault&gt; &amp; &quot;Co&quot;" in done.stdout  # the title, quotes and all, as one label
    assert done.stdout.count('class="node"') == 5
    assert done.stdout.count('class="edge"') == 4


def test_explore_marks_a_soft_lock_and_a_scene_no_game_reaches(coldcase: Run, tmp_path: Path) -> None:
    story = write_story(
        tmp_path / "lock",
        'format: 1\ntitle: Lock\nstart: a\nflags:\n  k: ""\n',
        **{
            "s.yaml": "scenes:\n  a:\n    text: Stuck.\n    choices:\n"
            "      - {text: Go., goto: b, if: k, locked: No.}\n"
            "  b:\n    text: B.\n    ending: B\n"
        },
    )
    status, out, _ = coldcase("graph", "--explore", str(story), "-o", str(tmp_path / "lock.mmd"))
    assert (status, out) == (
        0,
        f"wrote {tmp_path / 'lock.mmd'} (mermaid: 2 scenes, 1 choice; unreachable: b)\n",
    )
    lines = (tmp_path / "lock.mmd").read_text().splitlines()
    assert (
        '  s_a["A<br/>START<br/>SOFT LOCK: a game can get stuck here<br/>NO ending reachable from here"]'
        in lines
    )
    assert '  s_b(["B<br/>ENDING<br/>NEVER REACHED by any game"])' in lines
    assert '  s_a -.->|"if k · never available"| s_b' in lines


def test_the_map_shows_format_2_text_then_texts_and_every_variant(coldcase: Run, tmp_path: Path) -> None:
    story = write_story(
        tmp_path / "words",
        "format: 2\ntitle: Words\nstart: hall\n",
        **{
            "s.yaml": "scenes:\n  hall:\n    text:\n      - sequence: [A cold hall., The hall again., '']\n"
            "    choices:\n      - text: Knock\n        id: knock\n        goto: out\n"
            "        then: The door <opens> at once.\n"
            "  out:\n    text: Outside.\n    ending: Out\n"
        },
    )
    page = html_page(coldcase, story, tmp_path).read_text(encoding="utf-8")
    assert "<title>hall (" in page
    assert "s.yaml:2)\nA cold hall. / The hall again. / (nothing)</title>" in page
    assert "<title>Knock (hall → out)\nthen: The door &lt;opens&gt; at once.</title>" in page
    status, out, _ = coldcase("graph", str(story), "--format", "dot")
    assert status == 0
    assert '  s_hall -> s_out [tooltip="Knock\\nthen: The door <opens> at once.", label="knock"];' in out
