"""`coldcase saves` and `coldcase replay`, as a player or an author at a terminal sees them."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.saves.conftest import TO_VAULT, VAULT_SCENES, play, write_vault

from coldcase_game.cli import main
from coldcase_game.session.saves import SaveStore
from coldcase_game.story.bundled import story_dirs
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story


@pytest.fixture
def folder(tmp_path: Path, vault: Story, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "200")
    store = SaveStore(tmp_path / "saves")
    store.save("won", play(vault, TO_VAULT), label="first night")
    store.autosave(play(vault, ["hall"]))
    return store.folder


@pytest.fixture
def vault_path(vault: Story) -> str:
    return vault.root


def coldcase(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_saves_lists_slot_story_scene_steps_and_date(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    (folder / "broken.json").write_text("{", encoding="utf-8")
    status, out, _ = coldcase(capsys, "--saves", str(folder), "saves")
    assert status == 0
    rows = [line for line in out.splitlines() if "│" in line]
    cells = [[c.strip() for c in row.strip("│").split("│")] for row in rows]
    assert cells[0][:4] == ["autosave", "The Vault", "hall", "1"]
    assert cells[1][:4] == ["won (first night)", "The Vault", "ending: The Vault", "4"]
    assert cells[2][0] == "broken"
    assert cells[2][2].startswith("cannot be loaded:")
    assert all(len(c[4]) == 16 for c in cells[:2])  # 2025-01-31 18:00


def test_saves_in_an_empty_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert coldcase(capsys, "--saves", str(tmp_path / "none"), "saves") == (
        0,
        f"No saves in {tmp_path / 'none'} (given with --saves).\n",
        "",
    )


def test_saves_never_renders_markup_from_a_label(
    capsys: pytest.CaptureFixture[str], folder: Path, vault: Story
) -> None:
    SaveStore(folder).save("tricky", play(vault, ["wait"]), label="[red]not red[/red]")
    _, out, _ = coldcase(capsys, "--saves", str(folder), "saves")
    assert "tricky ([red]not red[/red])" in out


def test_replay_plain_prints_the_whole_transcript(
    capsys: pytest.CaptureFixture[str], folder: Path, vault_path: str
) -> None:
    status, out, err = coldcase(
        capsys, "--saves", str(folder), "replay", "won", "--story", vault_path, "--plain"
    )
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "The Vault: replay of 'won' (4 steps)"
    assert (
        lines.index("== 0. The Foyer ==")
        < lines.index("> Read the note.")
        < lines.index("== 1. The Foyer ==")
    )
    assert "Rain on the skylight. [bold]Nothing[/bold] <b>moves</b> & the clock says 11." in lines
    assert "[trust] Ada Brandt: 50 -> 60 (+10)" in lines
    assert "[journal] A note in Ada's hand: the vault opens at midnight." in lines
    assert "== 4. The Vault ==" in lines
    assert lines[-1] == "*** ENDING: The Vault ***"


def test_replay_check_passes_a_clean_save(
    capsys: pytest.CaptureFixture[str], folder: Path, vault_path: str
) -> None:
    status, out, _ = coldcase(
        capsys, "--saves", str(folder), "replay", "won", "--story", vault_path, "--check"
    )
    assert status == 0
    assert out == f"ok: {folder / 'won.json'} replays cleanly against 'vault' (4 steps, ending 'The Vault')\n"


def test_replay_check_fails_with_the_divergence_report(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    changed = write_vault(tmp_path / "v2" / "vault", VAULT_SCENES.replace("id: take_key", "id: grab_key"))
    status, out, err = coldcase(
        capsys, "--saves", str(folder), "replay", "won", "--story", str(changed), "--check"
    )
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        f"coldcase replay: {folder / 'won.json'} does not replay cleanly:",
        "The story has changed since this save: step 3: in scene 'hall', choice 'take_key': choice 'take_key'"
        " no longer exists (the scene's choices are 'grab_key', 'back', 'open_vault', 'leave').",
        "The save fits up to step 2 of 4; going on from there drops the last 2 steps.",
        "Scenes changed since the save: 'hall'.",
    ]


def test_replay_check_of_a_broken_file(
    capsys: pytest.CaptureFixture[str], folder: Path, vault_path: str
) -> None:
    (folder / "won.json").write_bytes(b"\x00" * 10)
    status, out, err = coldcase(
        capsys, "--saves", str(folder), "replay", "won", "--story", vault_path, "--check"
    )
    assert (status, out) == (1, "")
    assert err == f"coldcase replay: {folder / 'won.json'} contains a zero byte (at offset 0)\n"


def test_replay_by_file_path(capsys: pytest.CaptureFixture[str], folder: Path, vault_path: str) -> None:
    path = str(folder / "won.json")
    assert coldcase(capsys, "replay", path, "--story", vault_path, "--check")[0] == 0


def test_replay_of_a_bundled_story_needs_no_story_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sample = next(p for p in story_dirs() if p.name == "sample")
    session = play(load_story(sample), [])
    SaveStore(tmp_path / "s").save("begin", session)
    status, out, _ = coldcase(capsys, "--saves", str(tmp_path / "s"), "replay", "begin", "--check")
    assert status == 0
    assert out.startswith(f"ok: {tmp_path / 's' / 'begin.json'} replays cleanly against 'sample'")


def test_replay_finds_a_story_played_from_a_folder_without_story(
    capsys: pytest.CaptureFixture[str], folder: Path, vault: Story
) -> None:
    """The save remembers the folder its story was loaded from, so --story is not needed."""
    status, out, err = coldcase(capsys, "--saves", str(folder), "replay", "won", "--check")
    assert (status, err) == (0, "")
    assert out.startswith(f"ok: {folder / 'won.json'} replays cleanly against 'vault' (4 steps")


def test_replay_names_the_remembered_folder_when_the_story_has_gone(
    capsys: pytest.CaptureFixture[str], folder: Path, vault_path: str, tmp_path: Path
) -> None:
    played_from = Path(vault_path).resolve()
    played_from.rename(played_from.with_name("vault_moved"))
    try:
        status, _, err = coldcase(capsys, "--saves", str(folder), "replay", "won", "--check")
    finally:
        played_from.with_name("vault_moved").rename(played_from)
    assert status == 1
    assert err == (
        f"coldcase replay: {folder / 'won.json'} is a save of the story 'vault', played from {played_from}, "
        f"but {played_from} no longer holds the story 'vault'; give the story's folder with --story DIR\n"
    )


def test_replay_of_a_story_that_is_not_bundled_and_was_never_remembered(
    capsys: pytest.CaptureFixture[str], folder: Path, vault: Story
) -> None:
    """A save from before folders were remembered (schema 1) names --story."""
    data = (folder / "won.json").read_text(encoding="utf-8")
    (folder / "old.json").write_text(_as_schema_1(data), encoding="utf-8")
    status, _, err = coldcase(capsys, "--saves", str(folder), "replay", "old", "--check")
    assert status == 1
    assert err == (
        "coldcase replay: this save is for the story 'vault', which is not one of the bundled stories; "
        "give its folder with --story DIR\n"
    )


def _as_schema_1(text: str) -> str:
    """The same save as a schema-1 file: no `story.folder`, checksum recomputed."""
    import json

    from coldcase_game.session.save_format import checksum

    doc = json.loads(text)
    del doc["content"]["story"]["folder"]
    doc["schema"] = 1
    doc["checksum"] = checksum(1, doc["content"])
    return json.dumps(doc)


def test_replay_export_markdown_escapes_story_text(
    capsys: pytest.CaptureFixture[str], folder: Path, vault_path: str, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "won.md"
    target.parent.mkdir()
    status, out, _ = coldcase(
        capsys, "--saves", str(folder), "replay", "won", "--story", vault_path, "--export", str(target)
    )
    assert (status, out) == (0, f"wrote {target}\n")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# The Vault: replay of 'won' \\(4 steps\\)\n")
    assert (
        "Rain on the skylight. \\[bold\\]Nothing\\[/bold\\] \\<b\\>moves\\</b\\> \\& the clock says 11."
        in text
    )
    assert "<b>" not in text
    assert "[bold]Nothing" not in text
    assert "**Chose: Read the note.**" in text


def test_replay_export_html_escapes_story_text(
    capsys: pytest.CaptureFixture[str], folder: Path, vault_path: str, tmp_path: Path
) -> None:
    target = tmp_path / "won.html"
    assert (
        coldcase(
            capsys, "--saves", str(folder), "replay", "won", "--story", vault_path, "--export", str(target)
        )[0]
        == 0
    )
    page = target.read_text(encoding="utf-8")
    assert "<b>moves</b>" not in page
    assert (
        "\nRain on the skylight. [bold]Nothing[/bold] &lt;b&gt;moves&lt;/b&gt; &amp; the clock says 11.\n"
        in page
    )
    assert "&gt; Read the note.</span>" in page
    assert "*** ENDING: The Vault ***" in page


def test_replay_export_needs_md_or_html(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    status, _, err = coldcase(capsys, "--saves", str(folder), "replay", "won", "--export", "out.pdf")
    assert (status, err) == (2, "coldcase replay: --export needs a file name ending in .md or .html\n")


def test_replay_viewer_needs_a_terminal(
    capsys: pytest.CaptureFixture[str], folder: Path, vault_path: str
) -> None:
    status, _, err = coldcase(capsys, "--saves", str(folder), "replay", "won", "--story", vault_path)
    assert (status, err) == (
        2,
        "coldcase replay: the replay viewer needs a terminal; use --plain with pipes\n",
    )


def test_replay_of_a_bad_slot_name(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    status, _, err = coldcase(capsys, "--saves", str(folder), "replay", "bad name!")
    assert status == 1
    assert (
        err
        == "coldcase replay: save name 'bad name!' contains ' ': use only letters a-z, digits, '-' and '_'\n"
    )


def test_replay_transcript_announces_in_the_contract_s_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A clue set by a scene's on_enter comes after that scene's prose; a `do` change after the choice."""
    sample = next(p for p in story_dirs() if p.name == "sample")
    session = play(load_story(sample), ["lamps", "wave"])
    SaveStore(tmp_path / "s").save("walk", session)
    status, out, _ = coldcase(capsys, "--saves", str(tmp_path / "s"), "replay", "walk", "--plain")
    assert status == 0
    lines = out.splitlines()
    prose = next(i for i, line in enumerate(lines) if line.startswith("The third lamp post carries"))
    clue = lines.index("[journal] A chalk mark on the third lamp post, the old signal for a loaded drop.")
    wave = lines.index("> Wave to the keeper in his hut on your way back.")
    assert lines.index("== 1. The Lamp Posts ==") < prose < clue < wave
    assert lines[wave + 1] == "[trust] The park keeper: 45 -> 55 (+10)"
    assert lines.index("== 2. The Bench ==") > wave + 1
