"""Damaged, tampered and hostile save files: one clear line each, and no other save is touched."""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.saves.conftest import TO_VAULT, VAULT_SCENES, play, write_vault

from coldcase_game.session.save_format import checksum
from coldcase_game.session.saves import SaveError, SaveStore
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story


@pytest.fixture
def saved(store: SaveStore, vault: Story) -> Iterator[Path]:
    """A finished game in slot 'game', and a bystander save in slot 'other' that must come through
    untouched."""
    store.save("other", play(vault, ["wait"]))
    bystander = (store.folder / "other.json").read_bytes()
    store.save("game", play(vault, TO_VAULT))
    yield store.folder / "game.json"
    assert (store.folder / "other.json").read_bytes() == bystander
    result = store.load("other", vault)
    assert result.clean
    assert result.session.log == (("foyer", "wait"),)


def refusal(store: SaveStore, name: str, story: Story) -> str:
    with pytest.raises(SaveError) as caught:
        store.load(name, story)
    message = caught.value.message
    assert message
    assert "\n" not in message
    assert "Traceback" not in message
    return message


Change = Callable[[dict[str, Any]], object]  # edits a save's content (parsed JSON) in place


def reseal(path: Path, change: Change) -> None:
    """Edit a save's content and give it a correct checksum, as a careful tamperer would."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc["content"])
    doc["checksum"] = checksum(doc["schema"], doc["content"])
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_truncation_at_every_offset(store: SaveStore, vault: Story, saved: Path) -> None:
    whole = saved.read_bytes()
    complete = len(whole.rstrip())  # cutting only the final newline leaves a whole save
    for offset in reversed(range(complete)):
        os.truncate(saved, offset)  # shrinking in place: fast, so every offset can be tried
        message = refusal(store, "game", vault)
        assert str(saved) in message
        assert "is empty" in message or "not valid JSON" in message
    saved.write_bytes(whole[:complete])
    assert store.load("game", vault).clean


def test_zero_bytes(store: SaveStore, vault: Story, saved: Path) -> None:
    whole = saved.read_bytes()
    saved.write_bytes(bytes(len(whole)))
    assert "contains a zero byte" in refusal(store, "game", vault)
    rng = random.Random(5)
    for _ in range(50):
        at = rng.randrange(len(whole))
        saved.write_bytes(whole[:at] + b"\x00" * rng.randint(1, 8) + whole[at:])
        assert "contains a zero byte (at offset" in refusal(store, "game", vault)


def test_every_sampled_bit_flip_is_caught(store: SaveStore, vault: Story, saved: Path) -> None:
    whole = saved.read_bytes()
    rng = random.Random(1987)
    for bit in rng.sample(range(len(whole) * 8), 800):
        at = bit // 8
        with open(saved, "r+b") as f:  # flip one bit in place, test, flip it back
            f.seek(at)
            f.write(bytes([whole[at] ^ (1 << (bit % 8))]))
        refusal(store, "game", vault)
        with open(saved, "r+b") as f:
            f.seek(at)
            f.write(whole[at : at + 1])
    assert store.load("game", vault).clean


def test_a_changed_choice_with_the_old_checksum(store: SaveStore, vault: Story, saved: Path) -> None:
    saved.write_text(saved.read_text(encoding="utf-8").replace('"wait"', '"hall"'), encoding="utf-8")
    text = saved.read_text(encoding="utf-8").replace('"ada": 65', '"ada": 100')
    saved.write_text(text, encoding="utf-8")
    assert refusal(store, "game", vault) == (
        f"{saved} has been altered or damaged: its checksum does not match its content"
    )


@pytest.mark.parametrize(
    ("needle", "replacement", "says"),
    [
        ('"ada": 65', '"ada": NaN', "holds NaN"),
        ('"ada": 65', '"ada": -Infinity', "holds -Infinity"),
        ('"ada": 65', '"ada": 65.5', "holds a fractional number (65.5)"),
        ('"ada": 65', '"ada": ' + "9" * 5000, "holds a number with 5000 digits (at most 15)"),
        ('"ada": 65', '"ada": 65, "ada": 70', "names the field 'ada' twice"),
        ('"label": ""', '"label": ' + "[" * 100_000 + "]" * 100_000, "is nested more than 8 levels deep"),
    ],
    ids=["nan", "infinity", "fraction", "5000-digits", "duplicate-key", "100000-deep"],
)
def test_hostile_json(
    store: SaveStore, vault: Story, saved: Path, needle: str, replacement: str, says: str
) -> None:
    text = saved.read_text(encoding="utf-8")
    assert needle in text
    saved.write_text(text.replace(needle, replacement, 1), encoding="utf-8")
    started = time.perf_counter()
    assert says in refusal(store, "game", vault)
    assert time.perf_counter() - started < 1.0


def test_a_whole_file_of_deep_arrays_is_refused_before_parsing(
    store: SaveStore, vault: Story, saved: Path
) -> None:
    saved.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert refusal(store, "game", vault) == f"{saved} is nested more than 8 levels deep"
    saved.write_text("{" + '"a":{' * 100_000, encoding="utf-8")
    assert refusal(store, "game", vault) == f"{saved} is nested more than 8 levels deep"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            lambda c: c["state"]["trust"].update(ada=500),
            "has a bad field 'state.trust.ada': expected a whole number from 0 to 100",
        ),
        (
            lambda c: c["log"].append(["../../etc", "x"]),
            "has a bad field 'log[4][0]': expected an identifier",
        ),
        (
            lambda c: c["log"].append(["hall"]),
            "has a bad field 'log[4]': expected a pair [scene id, choice id]",
        ),
        (lambda c: c["log"].append([0, 1]), "has a bad field 'log[4][0]': expected an identifier"),
        (
            lambda c: c.update(label="\x1b]0;pwned\x07"),
            "has a bad field 'label': expected text of at most 80 characters without control characters",
        ),
        (
            lambda c: c.update(label="\ud800"),
            "has a bad field 'label': expected valid text (it holds a lone surrogate)",
        ),
        (lambda c: c.update(label="x" * 81), "has a bad field 'label'"),
        (lambda c: c.update(created="yesterday"), "has a bad field 'created': expected a date and time"),
        (lambda c: c.update(extra=1), "has an unknown field 'content.extra'"),
        (lambda c: c.pop("log"), "is missing the field 'content.log'"),
        (lambda c: c["story"].update(id="Not An Id"), "has a bad field 'story.id'"),
        (
            lambda c: c.update(log={"a": "b"}),
            "has a bad field 'log': expected a list of at most 100000 items",
        ),
        (lambda c: c["state"].update(flags="key"), "has a bad field 'state.flags'"),
        (lambda c: c.update(state=[]), "has a bad field 'state': expected an object"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 60 else None,
)
def test_resealed_but_malformed_content(
    store: SaveStore, vault: Story, saved: Path, change: Change, says: str
) -> None:
    reseal(saved, change)
    assert says in refusal(store, "game", vault)


def test_not_a_save_at_all(store: SaveStore, vault: Story, saved: Path) -> None:
    for text in ("[1, 2]", '"hello"', "{}", '{"format": "something-else"}', "null"):
        saved.write_text(text, encoding="utf-8")
        assert "is not a Cold Case save" in refusal(store, "game", vault)
    saved.write_bytes(b"\xff\xfe{}")
    assert "is not UTF-8 text (bad byte at offset 0)" in refusal(store, "game", vault)


def test_a_newer_schema_is_refused(store: SaveStore, vault: Story, saved: Path) -> None:
    doc = json.loads(saved.read_text(encoding="utf-8"))
    doc["schema"] = 3
    doc["checksum"] = checksum(3, doc["content"])
    saved.write_text(json.dumps(doc), encoding="utf-8")
    assert refusal(store, "game", vault) == (
        f"{saved} was written by a newer Cold Case (save schema 3; this version reads up to 2):"
        " update the game to load it"
    )


def test_an_older_schema_is_migrated(store: SaveStore, vault: Story, saved: Path) -> None:
    """The migration chain runs: a schema-2 file read by a (pretend) schema-3 reader is converted first."""
    from coldcase_game.session import save_format

    def to_3(content: dict[str, object]) -> dict[str, object]:
        content = dict(content)
        content["label"] = "migrated from 2"
        return content

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(save_format, "SCHEMA", 3)
        patch.setitem(save_format.MIGRATIONS, 2, to_3)
        result = store.load("game", vault)
    assert result.info.label == "migrated from 2"
    assert result.clean


def as_schema_1(saved: Path) -> None:
    """Rewrite a save as the first schema wrote it: no variables in the state, no story folder."""
    doc = json.loads(saved.read_text(encoding="utf-8"))
    del doc["content"]["state"]["vars"]
    del doc["content"]["story"]["folder"]
    doc["schema"] = 1
    doc["checksum"] = checksum(1, doc["content"])
    saved.write_text(json.dumps(doc), encoding="utf-8")


def test_a_schema_1_save_is_migrated(store: SaveStore, vault: Story, saved: Path) -> None:
    """Schema 1 had no variables: such a save loads, replays cleanly, and is written back as schema 2."""
    as_schema_1(saved)
    result = store.load("game", vault)
    assert result.clean
    assert result.session.state.vars == ()
    store.save("game", result.session)
    assert json.loads(saved.read_text(encoding="utf-8"))["schema"] == 2


def test_a_schema_1_save_with_a_variables_field_is_refused(
    store: SaveStore, vault: Story, saved: Path
) -> None:
    doc = json.loads(saved.read_text(encoding="utf-8"))
    doc["schema"] = 1
    doc["content"]["state"]["vars"] = {"x": "many"}
    doc["checksum"] = checksum(1, doc["content"])
    saved.write_text(json.dumps(doc), encoding="utf-8")
    assert "has a bad field 'state.vars.x'" in refusal(store, "game", vault)


def test_a_schema_1_save_loads_without_a_folder_hint(store: SaveStore, vault: Story, saved: Path) -> None:
    """Schema 1 had no `story.folder`: it is migrated to "" and the game is the same."""
    steps = len(json.loads(saved.read_text(encoding="utf-8"))["content"]["log"])
    as_schema_1(saved)
    result = store.load("game", vault)
    assert result.clean
    assert result.info.story_folder == ""
    assert result.info.steps == steps


def test_an_older_schema_without_a_migration_is_refused(store: SaveStore, vault: Story, saved: Path) -> None:
    from coldcase_game.session import save_format

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(save_format, "SCHEMA", 3)
        assert refusal(store, "game", vault) == (
            f"{saved} uses save schema 2, which this version of Cold Case can no longer read"
        )


def test_the_wrong_story(store: SaveStore, vault: Story, saved: Path, tmp_path: Path) -> None:
    other = load_story(write_vault(tmp_path / "heist"))
    assert refusal(store, "game", other) == f"{saved} is a save of the story 'vault', not of 'heist'"


def test_a_deleted_scene(store: SaveStore, vault: Story, saved: Path, tmp_path: Path) -> None:
    renamed = VAULT_SCENES.replace("  hall:\n", "  corridor:\n").replace("goto: hall\n", "goto: corridor\n")
    story = load_story(write_vault(tmp_path / "v2" / "vault", renamed))
    result = store.load("game", story)
    assert result.divergence is not None
    assert not result.clean
    assert result.report() == [
        "The story has changed since this save: step 3: in scene 'hall', choice 'take_key':"
        " scene 'hall' no longer exists in the story.",
        "The save fits up to step 2 of 4; going on from there drops the last 2 steps.",
        "Scenes changed since the save: 'foyer', 'hall'.",
    ]
    assert result.session.log == (("foyer", "read_note"), ("foyer", "hall"))
    assert result.session.state.scene == "corridor"


def test_a_renamed_choice(store: SaveStore, vault: Story, saved: Path, tmp_path: Path) -> None:
    story = load_story(
        write_vault(tmp_path / "v2" / "vault", VAULT_SCENES.replace("id: take_key", "id: grab_key"))
    )
    result = store.load("game", story)
    assert result.report()[0] == (
        "The story has changed since this save: step 3: in scene 'hall', choice 'take_key': choice 'take_key'"
        " no longer exists (the scene's choices are 'grab_key', 'back', 'open_vault', 'leave')."
    )
    assert result.report()[2] == "Scenes changed since the save: 'hall'."
    assert result.session.steps == 2


def test_a_choice_no_longer_available(store: SaveStore, vault: Story, saved: Path, tmp_path: Path) -> None:
    story = load_story(
        write_vault(tmp_path / "v2" / "vault", VAULT_SCENES.replace("trust.ada >= 60", "trust.ada >= 90"))
    )
    result = store.load("game", story)
    assert result.divergence is not None
    assert result.divergence.step == 4
    assert "choice 'open_vault' is not available at this point" in result.report()[0]


def test_same_choices_but_a_different_outcome(
    store: SaveStore, vault: Story, saved: Path, tmp_path: Path
) -> None:
    story = load_story(
        write_vault(tmp_path / "v2" / "vault", VAULT_SCENES.replace("trust: {ada: +5}", "trust: {ada: +7}"))
    )
    result = store.load("game", story)
    assert result.divergence is None
    assert not result.clean
    assert result.report() == [
        "The choices still fit the story, but the game now ends differently:",
        "trust of Ada Brandt is now 67; the save had 65",
        "Scenes changed since the save: 'foyer'.",
    ]


def test_an_unchanged_scene_list_is_quiet(
    store: SaveStore, vault: Story, saved: Path, tmp_path: Path
) -> None:
    edited = VAULT_SCENES.replace("You walk out into the rain.", "You walk out into the snow.")
    result = store.load("game", load_story(write_vault(tmp_path / "v2" / "vault", edited)))
    assert result.clean
    assert result.changed == ()
    assert result.report() == []


def test_a_folder_where_the_save_should_be(store: SaveStore, vault: Story, saved: Path) -> None:
    (store.folder / "dir.json").mkdir()
    assert refusal(store, "dir", vault) == f"{store.folder / 'dir.json'} is a folder, not a save file"
    with pytest.raises(SaveError) as caught:
        store.save("dir", play(vault, ["hall"]))
    assert (
        caught.value.message
        == f"{store.folder / 'dir.json'} is a folder or another special file: the save 'dir' was not written"
    )
    assert (store.folder / "dir.json").is_dir()
    assert [i.problem for i in store.list() if i.slot == "dir"] == [
        f"{store.folder / 'dir.json'} is a folder, not a save file"
    ]


def test_a_symlink_is_neither_followed_nor_replaced(
    store: SaveStore, vault: Story, saved: Path, tmp_path: Path
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("do not touch", encoding="utf-8")
    link = store.folder / "link.json"
    link.symlink_to(target)
    assert "is a symbolic link" in refusal(store, "link", vault)
    with pytest.raises(SaveError) as caught:
        store.save("link", play(vault, ["hall"]))
    assert (
        caught.value.message
        == f"{link} is a symbolic link, which is left alone: the save 'link' was not written"
    )
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "do not touch"
    os.symlink(saved, store.folder / "alias.json")
    assert "is a symbolic link" in refusal(store, "alias", vault)


def test_a_fifo_does_not_hang(store: SaveStore, vault: Story, saved: Path) -> None:
    os.mkfifo(store.folder / "pipe.json")
    assert refusal(store, "pipe", vault) == f"{store.folder / 'pipe.json'} is a special file, not a save file"


def test_a_huge_file_is_not_read(store: SaveStore, vault: Story, saved: Path) -> None:
    with open(store.folder / "huge.json", "wb") as f:
        f.truncate(9 * 1024 * 1024)
    assert "is too large to be a save (9437184 bytes; the limit is 8388608)" in refusal(store, "huge", vault)


def test_a_missing_save(store: SaveStore, vault: Story, saved: Path, tmp_path: Path) -> None:
    assert refusal(store, "nothing", vault) == f"there is no save named 'nothing' in {store.folder}"
    assert refusal(store, str(tmp_path / "x.json"), vault) == f"there is no save file {tmp_path / 'x.json'}"


def test_a_damaged_save_points_to_its_backup(store: SaveStore, vault: Story, saved: Path) -> None:
    store.save("game", play(vault, TO_VAULT[:2]))  # the first version is now the backup
    saved.write_bytes(saved.read_bytes()[:100])
    message = refusal(store, "game", vault)
    assert message.endswith(f"; the previous version can still be loaded from {saved}.bak")
    assert store.load(f"{saved}.bak", vault).session.steps == 4


def test_damaged_saves_are_listed_with_the_reason(store: SaveStore, vault: Story, saved: Path) -> None:
    saved.write_bytes(b"{")
    listing = {i.slot: i for i in store.list()}
    assert listing["game"].problem is not None
    assert "is not valid JSON" in listing["game"].problem
    assert listing["other"].problem is None
    assert [i.slot for i in store.list()][-1] == "game"  # damaged last


def test_a_long_list_of_changed_scenes_is_cut_short(store: SaveStore, vault: Story, saved: Path) -> None:
    from dataclasses import replace

    result = replace(store.load("game", vault), changed=tuple(f"s{i}" for i in range(11)))
    assert result.report() == [
        "Scenes changed since the save: 's0', 's1', 's2', 's3', 's4', 's5', 's6', 's7' and 3 more."
    ]


@pytest.mark.parametrize(
    "when",
    [
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59-12:00",
        "1969-12-31T23:59:59Z",
    ],
)
def test_a_date_at_the_end_of_the_calendar_is_refused(
    store: SaveStore, vault: Story, saved: Path, when: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Such a date could not be shown in local time: listing the saves raised OverflowError
    (`coldcase saves`, `:saves`, the load screen), and so did saving over the slot."""
    monkeypatch.setenv("TZ", "EST5")  # west of UTC, without local mean time in year 1
    if hasattr(time, "tzset"):
        time.tzset()
    try:
        reseal(saved, lambda c: c.update(updated=when))
        assert "has a bad field 'updated': expected a date and time" in refusal(store, "game", vault)
        (listed,) = [info for info in store.list() if info.slot == "game"]
        assert listed.problem is not None
        assert "has a bad field 'updated'" in listed.problem
        store.save("game", play(vault, ["wait"]))  # saving over it works, and starts a new game
        assert store.load("game", vault).session.log == (("foyer", "wait"),)
    finally:
        monkeypatch.delenv("TZ")
        if hasattr(time, "tzset"):
            time.tzset()


def test_a_resealed_edit_against_the_same_story_is_not_blamed_on_the_story(
    store: SaveStore, vault: Story, saved: Path
) -> None:
    """The story has the digest the save records, so what changed is the file: the report used to say
    'The story has changed since this save' to a player whose story had not changed."""
    reseal(saved, lambda c: c["log"].insert(1, list(c["log"][1])))  # a step taken twice
    result = store.load("game", vault)
    assert result.report() == [
        "This save does not fit its story, which has not changed (was the file edited?): step 3: in scene"
        " 'foyer', choice 'hall': the game is in scene 'hall' at this point, not 'foyer'.",
        "The save fits up to step 2 of 5; going on from there drops the last 3 steps.",
    ]
    reseal(saved, lambda c: c["log"].pop(1))
    reseal(saved, lambda c: c["state"]["trust"].update(ada=99))
    assert store.load("game", vault).report() == [
        "The choices fit the story, but not the end state the save records (was the file edited?):",
        "trust of Ada Brandt is now 65; the save had 99",
    ]
