"""`coldcase lsp` as an editor meets it: started as a subprocess, spoken to in JSON-RPC over stdio."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the lsp extra is part of the test extra")

from tests.lsp.client import LspClient

from coldcase_game.story.loader import read_story

MANIFEST = """\
format: 1
title: Test Case
start: first
characters:
  ana:
    name: Ana Petrova
    trust: 40
flags:
  clue: A chalk mark on the lamp post.
  quiet: ""
"""

SCENES = """\
scenes:
  first:
    title: The Bench
    text: Snow on the bench.
    choices:
      - text: Go on
        goto: last
        if: clue or trust.ana >= 30 or not quiet
        do:
          set: [clue, quiet]
          trust: {ana: +5}
  last:
    text: The courier never came.
    ending: The End
"""


def _story(tmp_path: Path) -> Path:
    root = tmp_path / "case"
    root.mkdir()
    (root / "story.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "scenes.yaml").write_text(SCENES, encoding="utf-8")
    return root


def _at(text: str, needle: str, nth: int = 0, offset: int = 0) -> dict[str, int]:
    """The LSP position of the nth `needle` in `text` (plus `offset` characters)."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    return {"line": line, "character": index - (text.rfind("\n", 0, index) + 1)}


def _range(text: str, needle: str, nth: int = 0) -> dict[str, Any]:
    start = _at(text, needle, nth)
    return {"start": start, "end": {"line": start["line"], "character": start["character"] + len(needle)}}


def _apply(text: str, edits: list[dict[str, Any]]) -> str:
    lines = text.split("\n")
    for edit in sorted(
        edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True
    ):
        r = edit["range"]
        assert r["start"]["line"] == r["end"]["line"]
        line = lines[r["start"]["line"]]
        lines[r["start"]["line"]] = (
            line[: r["start"]["character"]] + edit["newText"] + line[r["end"]["character"] :]
        )
    return "\n".join(lines)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[tuple[LspClient, Path, dict[str, Any]]]:
    root = _story(tmp_path)
    client = LspClient(tmp_path)
    reply = client.initialize(root)
    yield client, root, reply
    if client.proc.poll() is None:
        client.proc.kill()
        client.proc.wait()


def _open(client: LspClient, path: Path, version: int = 1) -> str:
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8")
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "yaml", "version": version, "text": text}},
    )
    return uri


def _change(client: LspClient, uri: str, text: str, version: int) -> None:
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
    )


def test_an_authors_session(session: tuple[LspClient, Path, dict[str, Any]]) -> None:
    client, root, reply = session
    caps = reply["result"]["capabilities"]
    for provider in (
        "definitionProvider",
        "referencesProvider",
        "hoverProvider",
        "renameProvider",
        "documentSymbolProvider",
    ):
        assert caps.get(provider), provider
    assert caps["completionProvider"]
    scenes_uri = _open(client, root / "scenes.yaml")
    manifest_uri = (root / "story.yaml").as_uri()
    assert client.diagnostics(scenes_uri, source="coldcase check") == []

    # a typo in a goto, as typed: an error underlining exactly the wrong name, with the fix in the message
    client.clear()
    typo = SCENES.replace("goto: last", "goto: lastt")
    _change(client, scenes_uri, typo, 2)
    diagnostics = client.diagnostics(scenes_uri, source="coldcase check", until=bool)
    assert len(diagnostics) == 1
    (d,) = diagnostics
    assert d["code"] == "E104"
    assert d["severity"] == 1
    assert "did you mean 'last'?" in d["message"]
    assert d["range"] == _range(typo, "lastt")
    # while the story has that error, the names still lead to their declarations
    reply = client.request(
        "textDocument/definition",
        {"textDocument": {"uri": scenes_uri}, "position": _at(typo, "trust.ana", offset=7)},
    )
    assert reply["result"] == [{"uri": manifest_uri, "range": _range(MANIFEST, "ana")}]
    # an unknown flag in a condition: the name itself
    client.clear()
    bad_if = SCENES.replace("if: clue or", "if: clues or")
    _change(client, scenes_uri, bad_if, 3)
    (d,) = client.diagnostics(scenes_uri, source="coldcase check", until=bool)
    assert d["code"] == "E303"
    assert d["range"] == _range(bad_if, "clues")
    # fixed again: the error goes away
    client.clear()
    _change(client, scenes_uri, SCENES, 4)
    assert client.diagnostics(scenes_uri, source="coldcase check", until=lambda d: not d) == []

    def ask(method: str, position: dict[str, int], **extra: Any) -> Any:
        reply = client.request(method, {"textDocument": {"uri": scenes_uri}, "position": position, **extra})
        assert "error" not in reply, reply
        return reply["result"]

    manifest = MANIFEST
    # go to definition: the goto's scene, the character in trust.ana, the flag in set:
    assert ask("textDocument/definition", _at(SCENES, "goto: last", offset=7)) == [
        {"uri": scenes_uri, "range": _range(SCENES, "last", 1)}
    ]
    assert ask("textDocument/definition", _at(SCENES, "trust.ana", offset=7)) == [
        {"uri": manifest_uri, "range": _range(manifest, "ana")}
    ]
    assert ask("textDocument/definition", _at(SCENES, "[clue", offset=2)) == [
        {"uri": manifest_uri, "range": _range(manifest, "clue")}
    ]
    # references of the flag: its declaration, the condition, the set
    refs = ask("textDocument/references", _at(SCENES, "clue or"), context={"includeDeclaration": True})
    assert sorted((r["uri"], r["range"]["start"]["line"]) for r in refs) == sorted(
        [(manifest_uri, 8), (scenes_uri, 7), (scenes_uri, 9)]
    )

    # hover: the scene's title and first line; the clue text; the character's name and trust
    hover = ask("textDocument/hover", _at(SCENES, "goto: last", offset=7))["contents"]["value"]
    assert "The courier never came." in hover
    assert "The End" in hover
    assert "The Bench" in ask("textDocument/hover", _at(SCENES, "first:"))["contents"]["value"]
    assert (
        "A chalk mark on the lamp post."
        in ask("textDocument/hover", _at(SCENES, "[clue", offset=1))["contents"]["value"]
    )
    character = ask("textDocument/hover", _at(SCENES, "{ana", offset=1))["contents"]["value"]
    assert "Ana Petrova" in character
    assert "40" in character

    # completion: scene ids after goto:, names in if:, characters after trust., keys of a choice
    def labels(text: str, position: dict[str, int], version: int) -> list[str]:
        _change(client, scenes_uri, text, version)
        return [i["label"] for i in ask("textDocument/completion", position)["items"]]

    typing = SCENES.replace("goto: last", "goto: ")
    assert labels(typing, _at(typing, "goto: ", offset=6), 5) == ["first", "last"]
    typing = SCENES.replace("if: clue or trust.ana >= 30", "if: clue or trust.")
    assert labels(typing, _at(typing, "trust.", offset=6), 6) == ["ana"]
    typing = SCENES.replace("if: clue or trust.ana >= 30", "if: clue and q")
    found = labels(typing, _at(typing, "and q", offset=5), 7)
    assert {"clue", "quiet", "trust.", "visits.", "not"} <= set(found)
    typing = SCENES.replace("        goto: last\n", "        goto: last\n        \n")
    found = labels(typing, {"line": _at(typing, "goto: last")["line"] + 1, "character": 8}, 8)
    assert {"once", "locked", "id"} <= set(found)
    assert "goto" not in found
    assert "text" not in found
    _change(client, scenes_uri, SCENES, 9)

    # document symbols: the file's scenes, with their titles
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": scenes_uri}})["result"]
    assert [(s["name"], s["detail"]) for s in symbols] == [
        ("first", "The Bench"),
        ("last", "ending: The End"),
    ]
    assert symbols[0]["selectionRange"] == _range(SCENES, "first")

    # rename the flag across the story: the edits make a story that still checks clean
    edit = ask("textDocument/rename", _at(SCENES, "[clue", offset=1), newName="chalk_mark")
    changes = edit["changes"]
    assert set(changes) == {scenes_uri, manifest_uri}
    new_manifest = _apply(manifest, changes[manifest_uri])
    new_scenes = _apply(SCENES, changes[scenes_uri])
    assert "chalk_mark: A chalk mark" in new_manifest
    assert "if: chalk_mark or trust.ana" in new_scenes
    assert "set: [chalk_mark, quiet]" in new_scenes
    (root / "story.yaml").write_text(new_manifest, encoding="utf-8")
    (root / "scenes.yaml").write_text(new_scenes, encoding="utf-8")
    result = read_story(root)
    assert result.story is not None
    assert result.errors == []
    assert "chalk_mark" in result.story.flags
    (root / "story.yaml").write_text(manifest, encoding="utf-8")
    (root / "scenes.yaml").write_text(SCENES, encoding="utf-8")
    # a scene renamed: its declaration, the goto and the manifest's start
    edit = ask("textDocument/rename", _at(SCENES, "first:"), newName="bench")
    assert _apply(MANIFEST, edit["changes"][manifest_uri]).count("start: bench") == 1
    # refused: a name already taken, a name that is not an id
    taken = client.request(
        "textDocument/rename",
        {"textDocument": {"uri": scenes_uri}, "position": _at(SCENES, "[clue", offset=1), "newName": "quiet"},
    )
    assert "already a flag 'quiet'" in taken["error"]["message"]
    bad = client.request(
        "textDocument/rename",
        {
            "textDocument": {"uri": scenes_uri},
            "position": _at(SCENES, "[clue", offset=1),
            "newName": "Chalk Mark",
        },
    )
    assert "not a valid id" in bad["error"]["message"]

    assert client.close() == 0


SOFT_LOCK = """\
scenes:
  first:
    title: The Bench
    text: Snow on the bench.
    choices:
      - text: Walk to the gate
        goto: gate
  gate:
    text: The gate is locked.
    choices:
      - text: Open it with the key
        goto: last
        if: clue
  last:
    text: Out.
    ending: The End
  never:
    text: Nobody gets here.
    ending: Unseen
"""


def test_explore_on_save_warns_at_the_scene_with_the_walkthrough(
    session: tuple[LspClient, Path, dict[str, Any]],
) -> None:
    client, root, _ = session
    uri = _open(client, root / "scenes.yaml")
    assert client.diagnostics(uri, source="coldcase check") == []
    (root / "scenes.yaml").write_text(SOFT_LOCK, encoding="utf-8")
    client.clear()
    _change(client, uri, SOFT_LOCK, 2)
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    found = client.diagnostics(uri, source="coldcase explore", until=bool)
    assert sorted(d["code"] for d in found) == ["soft-lock", "unreachable-ending", "unreachable-ending"]
    (lock,) = [d for d in found if d["code"] == "soft-lock"]
    assert lock["severity"] == 2  # a warning
    gate = _at(SOFT_LOCK, "  gate:", offset=2)
    assert lock["range"] == {"start": gate, "end": {"line": gate["line"], "character": 6}}
    assert "walkthrough 1 (1. [first] Walk to the gate)" in lock["message"]
    unreachable = {d["range"]["start"]["line"]: d for d in found if d["code"] == "unreachable-ending"}
    assert unreachable[_at(SOFT_LOCK, "never")["line"]]["range"] == _range(SOFT_LOCK, "never")
    assert "'Unseen' can never be reached" in unreachable[_at(SOFT_LOCK, "never")["line"]]["message"]
    assert "'The End' can never be reached" in unreachable[_at(SOFT_LOCK, "  last:")["line"]]["message"]
    # the check's own warnings are there too: the scene nothing leads to, the flag never set
    check = client.diagnostics(uri, source="coldcase check")
    assert sorted(d["code"] for d in check) == ["W101", "W103"]
    manifest = client.diagnostics((root / "story.yaml").as_uri(), source="coldcase check")
    assert [d["code"] for d in manifest] == ["W104"]  # quiet: declared, never used
    # fixed and saved: the explore warnings go
    (root / "scenes.yaml").write_text(SCENES, encoding="utf-8")
    client.clear()
    _change(client, uri, SCENES, 3)
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri, source="coldcase explore", until=lambda d: not d) == []
    assert client.close() == 0


def test_positions_in_utf8_when_the_editor_asks_for_them(tmp_path: Path) -> None:
    """Helix asks for UTF-8 positions: a name after non-ASCII text is found at its byte column."""
    root = _story(tmp_path)
    text = (
        "scenes:\n  first:\n    text: Snow.\n    choices:\n      - {text: Café 🙂 ☕, goto: lastt}\n"
        "  last:\n    text: Bye.\n    ending: The End\n"
    )
    (root / "story.yaml").write_text(
        MANIFEST.replace('  clue: A chalk mark on the lamp post.\n  quiet: ""\n', "  {}\n"), encoding="utf-8"
    )
    (root / "scenes.yaml").write_text(text, encoding="utf-8")
    client = LspClient(tmp_path)
    reply = client.initialize(root, encodings=["utf-8", "utf-16"])
    assert reply["result"]["capabilities"]["positionEncoding"] == "utf-8"
    uri = _open(client, root / "scenes.yaml")
    (d,) = client.diagnostics(uri, source="coldcase check", until=bool)
    line = text.split("\n")[d["range"]["start"]["line"]]
    start = line.index("lastt")
    assert d["range"]["start"]["character"] == len(line[:start].encode("utf-8"))
    assert d["range"]["end"]["character"] == len(line[:start].encode("utf-8")) + 5
    assert client.close() == 0


def test_a_file_outside_any_story_is_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "notes.yaml"
    other.write_text("just: notes\n", encoding="utf-8")
    client = LspClient(tmp_path)
    client.initialize(tmp_path)
    uri = _open(client, other)
    reply = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}
    )
    assert reply["result"] is None
    assert not [n for n in client.notifications if n["method"] == "textDocument/publishDiagnostics"]
    assert client.close() == 0


def test_files_changed_outside_the_editor_are_checked_again(tmp_path: Path) -> None:
    """The server asks to hear of changed story files; a file added by another program joins the story."""
    root = _story(tmp_path)
    client = LspClient(tmp_path)
    client.initialize(root, watch_files=True)
    uri = _open(client, root / "scenes.yaml")
    assert client.diagnostics(uri, source="coldcase check") == []
    (registration,) = [r for r in client.server_requests if r["method"] == "client/registerCapability"]
    (watch,) = registration["params"]["registrations"]
    assert watch["method"] == "workspace/didChangeWatchedFiles"
    assert watch["registerOptions"]["watchers"] == [{"globPattern": "**/*.yaml"}]
    extra = root / "zz_more" / "extra.yaml"  # after scenes.yaml in file order
    extra.parent.mkdir()
    extra.write_text("scenes:\n  last:\n    text: Again.\n    ending: Twice\n", encoding="utf-8")
    client.clear()
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": extra.as_uri(), "type": 1}]})
    (d,) = client.diagnostics(extra.as_uri(), source="coldcase check", until=bool)
    assert d["code"] == "E107"  # the scene id 'last' is already in scenes.yaml
    assert d["range"] == {"start": {"line": 1, "character": 2}, "end": {"line": 1, "character": 6}}
    assert client.close() == 0


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({"exploreMaxStates": 1}, "explore stopped after 1 state,"),
        ({"exploreSeconds": 0.001}, "took longer than"),
    ],
    ids=["states", "seconds"],
)
def test_explore_in_the_editor_is_bounded_and_says_so(
    tmp_path: Path, options: dict[str, Any], said: str
) -> None:
    root = _story(tmp_path)
    client = LspClient(tmp_path, options)
    client.initialize(root)
    uri = _open(client, root / "scenes.yaml")  # a story is explored when first opened
    (note,) = client.diagnostics(uri, source="coldcase explore", until=bool)
    assert note["code"] == "explore-limit"
    assert note["severity"] == 3  # information: nothing is known to be wrong
    assert said in note["message"]
    assert "run 'coldcase explore' for the full search" in note["message"]
    assert note["range"] == _range(SCENES, "first")  # at the start scene
    assert client.close() == 0
