"""The compile cache (story/disk_cache.py) and its codec (story/codec.py).

Every story the project has goes through the codec and comes back equal; a warm load gives what
a cold one gives, without PyYAML; an entry that does not match, in any way, is rebuilt from the
files with the same result; two writers leave a valid entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from tests.conftest import REPO, SCENES, StoryDir, write_story

from coldcase_game.cli import main
from coldcase_game.story import disk_cache, yamlsafe
from coldcase_game.story.codec import REGISTRY, CodecError, Decoder, Encoder
from coldcase_game.story.diagnostics import Diagnostic
from coldcase_game.story.loader import LoadResult, read_story
from coldcase_game.story.model import Story
from coldcase_game.story.starter import starter_files

sys.path.insert(0, str(REPO / "bench"))
import generate

FIXTURES = REPO / "tests" / "tui" / "fixtures"
ALL_STORIES = sorted(p.parent for p in [*SCENES.glob("*/story.yaml"), *FIXTURES.glob("*/story.yaml")])

# a format-2 story using every construct of the model that the shipped stories might not
FORMAT_2 = {
    "manifest": """\
        format: 2
        title: Every construct
        summary: |
          A story with vars, terms, sequences,
          cycles and then.
        author: The tests
        start: hall
        characters:
          ana:
            name: Ana Brandt
            trust: 40
            about: An archivist.
          bo:
            name: Dr Bo Linde
            introduced_by: met_bo
        flags:
          met_bo: You met Bo.
          key: ""
        vars:
          coins: {min: 0, max: 5, start: 2, name: Coins}
          heat: {min: -3, max: 3}
        terms:
          the ledger: [key]
        """,
    "scenes.yaml": """\
        scenes:
          hall:
            title: The hall
            text:
              - 'The hall is _cold_. {if key: The key is in your pocket.|You have no key.} {{braces}}'
              - "{seq: First time.|Second time.|Every time after.} {cycle: Tick.|Tock.}"
              - if: coins >= 2 and not key
                text: You could pay the porter.
              - sequence: ["First visit.", "", "Again."]
              - cycle: [Tick., Tock.]
            on_enter:
              vars: {heat: +1}
            choices:
              - text: 'Pay the porter{if coins > 1: , again|}'
                id: pay_the_porter
                if: coins > 0
                locked: "{cycle: You have no coins.|Your pockets are empty.}"
                once: true
                do:
                  vars: {coins: -1, heat: =0}
                  trust: {ana: '%+20', bo: -5}
                  set: [met_bo, key]
                then:
                  - 'The porter {if trust.ana > 50: smiles|nods}.'
                goto: study
              - text: Leave
                id: out
                goto: porch
          porch:
            text: The porch.
            on_enter:
              - set: [key]
              - if: key and trust.ana < 60
                vars: {coins: +1}
            next: study
          study:
            text: |
              Bo waits in the study with the ledger.

              A second paragraph.
            choices:
              - text: Back
                if: visits.hall > 1 or -heat < 2
                goto: hall
              - text: Go
                if: chosen.hall.out or chosen.hall.pay_the_porter
                do:
                  - clear: [key]
                  - if: coins > 1
                    trust: {ana: +5}
                goto: gone
          gone:
            text: You go.
            ending: Gone
        """,
}


def _story_folders(tmp_path: Path) -> list[Path]:
    """Every story the project holds: the bundled ones (the cases and the sample), the TUI test
    fixtures, a generated one and FORMAT_2 above."""
    out = list(ALL_STORIES)
    out.append(generate.write(tmp_path / "generated", 120))
    out.append(
        write_story(tmp_path / "every", FORMAT_2["manifest"], **{"scenes.yaml": FORMAT_2["scenes.yaml"]})
    )
    return out


def _round_trip(result: LoadResult) -> tuple[Story | None, list[Diagnostic]]:
    """Through the codec and JSON text, as the cache stores it."""
    encoder = Encoder()
    story = encoder.encode(result.story, Story | None)
    diagnostics = encoder.encode(result.diagnostics, tuple[Diagnostic, ...])
    text = json.dumps({"table": encoder.table, "shared": encoder.shared, "s": story, "d": diagnostics})
    payload = json.loads(text)
    decoder = Decoder(payload["table"], payload["shared"])
    return decoder.decode(payload["s"], Story | None), list(
        decoder.decode(payload["d"], tuple[Diagnostic, ...])
    )


def test_the_codec_round_trips_every_story(tmp_path: Path) -> None:
    folders = _story_folders(tmp_path)
    assert len(folders) >= 9
    for folder in folders:
        fresh = read_story(folder, use_disk_cache=False)
        assert fresh.story is not None, folder
        story, diagnostics = _round_trip(fresh)
        assert story == fresh.story, folder
        assert diagnostics == fresh.diagnostics, folder
        assert isinstance(story, Story)
        assert [type(s) for s in story.scenes.values()] == [type(s) for s in fresh.story.scenes.values()]


def test_the_codec_round_trips_the_starter_templates(tmp_path: Path) -> None:
    files = starter_files("starter")
    root = tmp_path / "starter"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    fresh = read_story(root, use_disk_cache=False)
    assert fresh.story is not None
    assert _round_trip(fresh) == (fresh.story, fresh.diagnostics)


def test_the_codec_round_trips_diagnostics_of_a_broken_story(story_dir: StoryDir) -> None:
    root = story_dir(
        **{
            "a.yaml": """\
                scenes:
                  first:
                    text: Hello # a comment cuts this
                    choices:
                      - text: On
                        goto: nowhere
                """
        }
    )
    fresh = read_story(root, use_disk_cache=False)
    assert fresh.story is None
    assert {d.code for d in fresh.diagnostics} >= {"E104", "W305"}
    assert _round_trip(fresh) == (None, fresh.diagnostics)


def test_the_registry_holds_the_model(tmp_path: Path) -> None:
    """The codec knows every class a loaded story is made of (a class it did not know would not
    be stored): walk every story and look."""
    import dataclasses

    seen: set[type] = set()

    def walk(value: object) -> None:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            seen.add(type(value))
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, tuple | list):
            if type(value).__name__ == "Pos":
                seen.add(type(value))
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for folder in _story_folders(tmp_path):
        walk(read_story(folder, use_disk_cache=False).story)
    assert seen <= set(REGISTRY.values())
    assert {
        "Story",
        "Scene",
        "Choice",
        "Pos",
        "Condition",
        "BinOp",
        "Variant",
        "Var",
        "Term",
        "EffectBlock",
        "ChosenRef",
    } <= {c.__name__ for c in seen}


@pytest.mark.parametrize(
    "entry",
    [
        ["Lit", 1, 2],  # too many fields
        ["Lit", "1"],  # a string where int | bool belongs
        ["Nope", 1],  # no such class
        ["TrustChange", "ana", "add", 1, 0],  # holds a position: never shared
        "Lit",  # not a list
    ],
)
def test_the_decoder_refuses_a_wrong_shape(entry: object) -> None:
    with pytest.raises(CodecError):
        Decoder([], [entry])


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ([0, "add", 1, 0], "TrustChange"),  # an int for a str
        (["ana", "times", 1, 0], "TrustChange"),  # a literal outside its set
        (["ana", "add", True, 0], "TrustChange"),  # a bool for an int
        (["ana", "add", 1], "TrustChange"),  # a field short
        (["ana", "add", 1, 5 << 44], "TrustChange"),  # a file index out of range
        (["ana", "add", 1, "x"], "TrustChange"),  # a position that is text
        ({"trust": []}, "Effects"),  # an object for a list
        ([[], [], [], [], 5], "Effects"),  # an int for a tuple
    ],
)
def test_the_decoder_checks_every_field(value: object, hint: str) -> None:
    with pytest.raises(CodecError):
        Decoder(["a.yaml"], []).decode(value, REGISTRY[hint])


# --- the cache on disk ----------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COLDCASE_CACHE_DIR", str(folder))
    return folder


WARNED = {
    "a.yaml": """\
        scenes:
          first:
            text: Hello # the rest is a comment
            choices:
              - text: On
                goto: second
              - text: Again
                if: not clue and clue
                goto: first
          second:
            text: The end.
            ending: The End
        """
}


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, any YAML parse fails the test: what is loaded comes from the cache."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the story was parsed, not read from the cache")

    monkeypatch.setattr(yamlsafe, "parse", refuse)


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "stories").glob("*.json"))


def test_a_warm_load_is_the_cold_load_without_parsing(
    cache: Path, story_dir: StoryDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = story_dir(**WARNED)
    cold = read_story(root, use_disk_cache=False)
    cold_quiet = read_story(root, with_warnings=False, use_disk_cache=False)
    assert [d.code for d in cold.diagnostics] == ["W305", "W103", "W104"]
    assert [d.code for d in cold_quiet.diagnostics] == ["W305"]  # the loader's own: no checks run
    first = read_story(root)  # a miss: built from the files, and stored
    assert len(_entries(cache)) == 1
    _no_parsing(monkeypatch)
    warm = read_story(root)
    assert (warm.story, warm.diagnostics, warm.files) == (cold.story, cold.diagnostics, cold.files)
    assert (first.story, first.diagnostics) == (cold.story, cold.diagnostics)
    # a load without the checks is served from the same entry
    quiet = read_story(root, with_warnings=False)
    assert quiet.story == cold.story
    assert quiet.diagnostics == cold_quiet.diagnostics


def test_an_edit_is_a_miss(cache: Path, story_dir: StoryDir) -> None:
    root = story_dir(**WARNED)
    before = read_story(root)
    assert before.story is not None
    read_story(root)
    scenes = root / "a.yaml"
    scenes.write_text(
        scenes.read_text(encoding="utf-8").replace("The end.", "The real end."), encoding="utf-8"
    )
    after = read_story(root)
    assert after.story is not None
    assert after.story.scenes["second"].paragraphs[0].text == "The real end."
    assert after.story.digest != before.story.digest
    assert len(_entries(cache)) == 1  # one entry per story folder, replaced


def test_renaming_a_file_is_a_miss(cache: Path, story_dir: StoryDir) -> None:
    root = story_dir(**WARNED)
    read_story(root)
    (root / "a.yaml").rename(root / "b.yaml")
    result = read_story(root)
    assert result.files[-1].endswith("b.yaml")
    assert {d.file for d in result.diagnostics} == {str(root / "b.yaml"), str(root / "story.yaml")}


def test_a_story_with_errors_is_cached_with_its_errors(
    cache: Path, story_dir: StoryDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = story_dir(
        **{"a.yaml": "scenes:\n  first:\n    text: Hi\n    choices:\n      - {text: On, goto: nope}\n"}
    )
    cold = read_story(root)
    assert cold.story is None
    assert [d.code for d in cold.errors] == ["E104"]
    _no_parsing(monkeypatch)
    warm = read_story(root)
    assert (warm.story, warm.diagnostics) == (None, cold.diagnostics)


def _check_output(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["check", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_warm_check_prints_what_cold_check_prints(
    cache: Path, story_dir: StoryDir, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = story_dir(**WARNED)
    cold = _check_output(capsys, "--no-cache", str(root))
    assert not cache.exists()  # --no-cache neither reads nor writes
    assert "W305" in cold[1]
    assert _check_output(capsys, str(root)) == cold
    _no_parsing(monkeypatch)
    assert _check_output(capsys, str(root)) == cold
    assert _check_output(capsys, "--json", str(root))[1].count('"W305"') == 1


def test_no_cache_environment_variable(
    cache: Path, story_dir: StoryDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLDCASE_NO_CACHE", "1")
    root = story_dir(**WARNED)
    assert read_story(root).story is not None
    assert not cache.exists()


def test_a_warm_load_from_another_folder_shows_its_paths(
    cache: Path, story_dir: StoryDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = story_dir(**WARNED)
    monkeypatch.chdir(root.parent)
    first = read_story(root.name)
    assert first.diagnostics[0].file == os.path.join(root.name, "a.yaml")
    monkeypatch.chdir(root)
    for given in (".", str(root), "story.yaml"):
        warm = read_story(given)
        fresh = read_story(given, use_disk_cache=False)
        assert warm.story is not None
        assert (warm.story, warm.diagnostics, warm.files) == (fresh.story, fresh.diagnostics, fresh.files)
        assert warm.story.scenes["first"].pos.file == fresh.files[1]


def test_a_message_quoting_a_path_is_never_shown_with_the_old_path(
    cache: Path, story_dir: StoryDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """E107 names the file of the first definition: read from another folder, the stored
    message would be wrong, so the story is read again."""
    files = {
        "a.yaml": "scenes:\n  first:\n    text: A\n    ending: A\n",
        "b.yaml": "scenes:\n  first:\n    text: B\n    ending: B\n",
    }
    root = story_dir(**files)
    monkeypatch.chdir(root.parent)
    assert "story/a.yaml" in read_story("story").errors[0].message
    monkeypatch.chdir(root)
    again = read_story(".")
    assert again.errors[0].message == read_story(".", use_disk_cache=False).errors[0].message
    assert "story/a.yaml" not in again.errors[0].message


# --- entries that do not match --------------------------------------------------------------


def _rewrite_payload(entry: Path, change: object) -> None:
    """A hand edit made with care: the payload changed and the checksum made to fit it."""
    header_line, meta, payload = entry.read_bytes().split(b"\n", 2)
    header = json.loads(header_line)
    data = json.loads(payload)
    change(data)  # type: ignore[operator]
    rest = meta + b"\n" + json.dumps(data).encode()
    header["sha256"] = hashlib.sha256(rest).hexdigest()
    entry.write_bytes(json.dumps(header).encode() + b"\n" + rest)


def _truncate(entry: Path) -> None:
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])


def _not_json(entry: Path) -> None:
    entry.write_bytes(b"\x00\xffnot json at all\n{{{\n")


def _wrong_version(entry: Path) -> None:
    head, rest = entry.read_bytes().split(b"\n", 1)
    header = json.loads(head)
    header["key"]["code"] = "0" * 32
    entry.write_bytes(json.dumps(header).encode() + b"\n" + rest)


def _hand_edited(entry: Path) -> None:
    entry.write_bytes(entry.read_bytes().replace(b"Hello", b"Howdy"))


def _wrong_shape(entry: Path) -> None:
    _rewrite_payload(entry, lambda data: data.update(story=[1, 2, 3]))


def _wrong_field_type(entry: Path) -> None:
    def change(data: dict[str, object]) -> None:
        story = data["story"]
        assert isinstance(story, list)
        story[1] = 42  # the title: an int

    _rewrite_payload(entry, change)


def _wrong_story(entry: Path) -> None:
    def change(data: dict[str, object]) -> None:
        story = data["story"]
        assert isinstance(story, list)
        story[12] = "0" * 64  # the digest: not of these files

    _rewrite_payload(entry, change)


def _empty(entry: Path) -> None:
    entry.write_bytes(b"")


def _a_folder(entry: Path) -> None:
    entry.unlink()
    entry.mkdir()
    (entry / "inside").write_text("x")


def _a_symlink(entry: Path) -> None:
    elsewhere = entry.with_name("elsewhere.json")
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)


@pytest.mark.parametrize(
    "damage",
    [
        _truncate,
        _not_json,
        _wrong_version,
        _hand_edited,
        _wrong_shape,
        _wrong_field_type,
        _wrong_story,
        _empty,
        _a_folder,
        _a_symlink,
    ],
)
def test_a_damaged_entry_is_rebuilt_from_the_files(
    damage: object, cache: Path, story_dir: StoryDir, capsys: pytest.CaptureFixture[str]
) -> None:
    root = story_dir(**WARNED)
    cold = _check_output(capsys, "--no-cache", str(root))
    _check_output(capsys, str(root))
    (entry,) = _entries(cache)
    damage(entry)  # type: ignore[operator]
    assert _check_output(capsys, str(root)) == cold  # the same output, and nothing on stderr
    story = read_story(root).story
    assert story is not None
    assert story.scenes["first"].paragraphs[0].text == "Hello"
    if entry.is_file() and not entry.is_symlink():  # written again, whole
        assert read_story(root) == read_story(root, use_disk_cache=False)
        assert disk_cache.open_entry(root, [root / "story.yaml", root / "a.yaml"], str) is not None


def test_an_unwritable_cache_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, story_dir: StoryDir, capsys: pytest.CaptureFixture[str]
) -> None:
    root = story_dir(**WARNED)
    cold = _check_output(capsys, "--no-cache", str(root))
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o500)
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    try:
        for folder in (read_only, a_file, a_file / "below"):
            monkeypatch.setenv("COLDCASE_CACHE_DIR", str(folder))
            assert _check_output(capsys, str(root)) == cold
            assert _check_output(capsys, str(root)) == cold
    finally:
        read_only.chmod(0o700)
    assert a_file.read_text() == "not a folder"


def test_two_writers_leave_a_valid_entry(
    cache: Path, story_dir: StoryDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes write the same entry over and over while a third reads it: the reader only
    ever finds a whole entry, and what is left is valid."""
    root = generate.write(story_dir().parent / "two", 200)
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from coldcase_game.story import disk_cache
        from coldcase_game.story.loader import _display, read_story, scene_files
        root = Path({str(root)!r})
        result = read_story(root, use_disk_cache=False)
        entry = disk_cache.open_entry(root, [root / "story.yaml", *scene_files(root)], _display)
        for _ in range(15):
            if sys.argv[1] == "write":
                entry.save(result.story, result.diagnostics, [])
            elif entry.file.exists():
                hit = entry.load(True)
                assert hit is not None and hit.story == result.story, "a partial entry was read"
        """
    )
    env = {**os.environ, "COLDCASE_CACHE_DIR": str(cache)}
    procs = [
        subprocess.Popen([sys.executable, "-c", script, role], env=env) for role in ("write", "write", "read")
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
    assert len(_entries(cache)) == 1
    assert not list((cache / "stories").glob(".*.tmp"))  # no temporary file left behind
    _no_parsing(monkeypatch)
    warm = read_story(root)
    assert warm.story is not None
    assert len(warm.story.scenes) == 200


def _run(args: list[str], cache: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run coldcase in a fresh interpreter and report, at exit, whether PyYAML was imported."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('yaml imported: %s\\n' % ('yaml' in sys.modules)))\n"
        "from coldcase_game.cli import main\n"
        f"sys.exit(main({args!r}))\n"
    )
    env = {**os.environ, "COLDCASE_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-c", code], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_warm_check_and_plain_play_never_import_pyyaml(cache: Path) -> None:
    cold = _run(["check", "clarke"], cache)
    assert "yaml imported: True" in cold.stderr
    warm = _run(["check", "clarke"], cache)
    assert "yaml imported: False" in warm.stderr
    assert warm.stdout == cold.stdout
    assert warm.returncode == cold.returncode == 0
    saves = cache.parent / "saves"
    cold_play = _run(["play", "--plain", "--saves", str(saves), "sample"], cache, ":quit\n")
    warm_play = _run(["play", "--plain", "--saves", str(saves / "2"), "sample"], cache, ":quit\n")
    assert "yaml imported: False" in warm_play.stderr, warm_play.stderr
    assert warm_play.stdout == cold_play.stdout
    assert "Traceback" not in warm_play.stderr + cold_play.stderr


def test_the_title_screen_reads_the_bundled_stories_from_the_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coldcase_game.story.bundled import bundled_stories, story_dirs

    cold = bundled_stories()  # nothing cached yet: read from the manifests
    assert not cache.exists()
    for path in story_dirs():
        read_story(path, with_warnings=False)  # as playing each story does
    _no_parsing(monkeypatch)
    assert bundled_stories() == cold
    assert [s.title for s in cold][:3] != ["clarke", "persson", "askarov"]


def test_writing_an_entry_tidies_the_folder(cache: Path, story_dir: StoryDir) -> None:
    """A writer killed mid-write leaves a temporary file; a story deleted long ago leaves its
    entry. Both go when an entry is next written; what is recent stays."""
    folder = cache / "stories"
    folder.mkdir(parents=True)
    old = time.time() - 90 * 86400
    names = {
        ".x.json.123.abcd0123.tmp": old,  # a dead writer's
        ".y.json.456.abcd0123.tmp": time.time(),  # a writer's at work now
        "0" * 32 + ".json": old,  # a story not loaded for months
        "1" * 32 + ".json": time.time() - 86400,  # loaded yesterday
        "notes.txt": old,  # not the cache's
    }
    for name, when in names.items():
        (folder / name).write_text("x")
        os.utime(folder / name, (when, when))
    read_story(story_dir(**WARNED))
    left = sorted(p.name for p in folder.iterdir())
    assert ".x.json.123.abcd0123.tmp" not in left
    assert "0" * 32 + ".json" not in left
    assert {".y.json.456.abcd0123.tmp", "1" * 32 + ".json", "notes.txt"} <= set(left)
    assert len(left) == 4  # and the new entry
