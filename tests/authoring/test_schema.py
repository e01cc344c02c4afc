"""`coldcase schema`: the JSON Schema of the format, checked with check-jsonschema against real files."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from tests.authoring.conftest import Run, validate

from coldcase_game.story.schema import SCHEMA_FILE, schema_text

REPO = Path(__file__).resolve().parents[2]
SCENES = REPO / "scenes"
DOCS = REPO / "docs"


@pytest.fixture(scope="module")
def schema_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The schema as `coldcase schema` prints it, in a file."""
    path = tmp_path_factory.mktemp("schema") / "scene-format.schema.json"
    out = subprocess.run(
        [sys.executable, "-m", "coldcase_game", "schema"], capture_output=True, text=True, check=True
    )
    path.write_text(out.stdout, encoding="utf-8")
    return path


def test_the_shipped_schema_is_what_the_command_prints(schema_path: Path) -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_path.read_text(encoding="utf-8"), (
        "regenerate it: coldcase schema -o src/coldcase_game/story/scene-format.schema.json"
    )
    assert json.loads(schema_text())["$schema"].startswith("http://json-schema.org/draft-07")


def test_every_key_the_loader_accepts_is_described() -> None:
    from coldcase_game.story import loader

    defs = json.loads(schema_text())["definitions"]
    for keys, name in [
        (loader.MANIFEST_KEYS, "manifest"),
        (loader.CHARACTER_KEYS, "character"),
        (loader.SCENE_FILE_KEYS, "scene_file"),
        (loader.SCENE_KEYS, "scene"),
        (loader.CHOICE_KEYS, "choice"),
        (loader.EFFECT_KEYS, "effects_v1"),  # the mapping form; format 2 also takes a list of blocks
        (loader.EFFECT_BLOCK_KEYS, "effect_block"),
    ]:
        properties = defs[name]["properties"]
        assert set(properties) == set(keys), name
        for key, prop in properties.items():
            assert prop.get("description") or "$ref" in prop, f"{name}.{key} has no description"


@pytest.mark.parametrize("story", sorted(p.name for p in SCENES.iterdir() if (p / "story.yaml").is_file()))
def test_every_bundled_story_validates(schema_path: Path, story: str) -> None:
    files = sorted((SCENES / story).rglob("*.yaml"))
    result = validate(schema_path, *files)
    assert result.returncode == 0, result.stdout + result.stderr


# Fragments in the docs are wrapped into a whole file before validation; a new kind of
# example fails here until it has a wrapper, so no example goes unchecked.
def _wrap(block: str) -> str:
    lines = [line for line in block.splitlines(keepends=True) if not line.lstrip().startswith("#")]
    block = "".join(lines)
    if re.match(r"  [a-z][a-z0-9_]*:\n", block):  # whole scenes, as they stand under 'scenes:'
        return "scenes:\n" + block
    first = block.lstrip().split(":", 1)[0]
    body = textwrap.dedent(block)
    if first in ("format", "scenes"):
        return body
    if first == "flags":
        return "format: 1\ntitle: T\nstart: s\n" + body
    if first in ("vars", "characters", "terms"):
        return "format: 2\ntitle: T\nstart: s\n" + body
    if first == "choices":
        return "scenes:\n  s:\n    text: T\n" + textwrap.indent(body, "    ")
    if first == "text":
        return "scenes:\n  s:\n    ending: E\n" + textwrap.indent(body, "    ")
    if first == "do":
        return (
            "scenes:\n  s:\n    text: T\n    choices:\n      - text: C\n        goto: s\n"
            + textwrap.indent(body, "        ")
        )
    return ""  # a fragment of a kind with no wrapper (format 2's expressions and inline text): not a file


def docs_examples() -> list[tuple[str, int, str]]:
    found = []
    for doc in sorted(DOCS.glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for match in re.finditer(r"```yaml\n(.*?)```", text, re.S):
            line = text.count("\n", 0, match.start()) + 1
            found.append((doc.name, line, match.group(1)))
    return found


def test_the_docs_yaml_examples_validate(schema_path: Path, tmp_path: Path) -> None:
    examples = docs_examples()
    assert len(examples) >= 7
    files = []
    for name, line, block in examples:
        wrapped = _wrap(block)
        if not wrapped:
            continue
        path = tmp_path / f"{Path(name).stem}_line{line}.yaml"
        path.write_text(wrapped, encoding="utf-8")
        files.append(path)
    assert len(files) >= 14
    result = validate(schema_path, *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_an_unknown_key_and_a_wrong_type(schema_path: Path, tmp_path: Path) -> None:
    scene = tmp_path / "part1.yaml"
    scene.write_text("scenes:\n  a:\n    text: Hi.\n    choices:\n      - text: Go.\n        gotoo: b\n")
    manifest = tmp_path / "story.yaml"
    manifest.write_text("format: 1\ntitle: T\nstart: a\ncharacters:\n  vera: {name: Vera, trust: high}\n")
    once = tmp_path / "part2.yaml"
    once.write_text("scenes:\n  b:\n    text: Hi.\n    choices:\n      - {text: Go., goto: a, once: maybe}\n")
    result = validate(schema_path, scene, manifest, once)
    assert result.returncode == 1
    assert "'gotoo' was unexpected" in result.stdout
    assert "$.characters.vera.trust: 'high' is not of type 'integer'" in result.stdout
    assert "$.scenes.b.choices[0].once: 'maybe' is not of type 'boolean'" in result.stdout


def test_it_refuses_a_bad_id_and_a_malformed_trust_change(schema_path: Path, tmp_path: Path) -> None:
    scene = tmp_path / "part1.yaml"
    scene.write_text(
        "scenes:\n  Bad-Id:\n    text: Hi.\n    ending: E\n"
        "  b:\n    text: Hi.\n    choices:\n      - text: Go.\n        goto: b\n"
        "        do: {trust: {v: 'x5'}}\n"
    )
    result = validate(schema_path, scene)
    assert result.returncode == 1
    assert "'Bad-Id' does not match" in result.stdout
    assert "$.scenes.b.choices[0].do.trust.v" in result.stdout


def test_schema_command_writes_a_file(coldcase: Run, tmp_path: Path) -> None:
    status, out, _ = coldcase("schema", "-o", str(tmp_path / "s.json"))
    assert status == 0
    assert out == f"wrote {tmp_path / 's.json'}\n"
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == schema_text()


def test_schema_command_into_a_missing_folder(coldcase: Run, tmp_path: Path) -> None:
    status, out, err = coldcase("schema", "-o", str(tmp_path / "nope" / "s.json"))
    assert status == 1
    assert out == ""
    target, folder = tmp_path / "nope" / "s.json", tmp_path / "nope"
    assert err == f"coldcase schema: cannot write {target}: there is no folder {folder}\n"


# The format 2 examples of the contract (shared/scene-format.md, "Format 2"), each as a whole file.
# The loader does not read format 2 yet; the schema for it is ready for when it does.
FORMAT2_FILES = {
    "story.yaml": """\
format: 2
title: T
start: s
vars:
  forceful: {start: 0, min: -3, max: 3}
  evidence: {min: 0, max: 5, name: Evidence}
characters:
  zarina:
    name: Zarina Yusupova
    trust: 40
    introduced_by: met_zarina
terms:
  Anvar: heard_of_anvar
  Grachev: [met_grachev, read_file]
""",
    "scenes.yaml": """\
scenes:
  box:
    text:
      - sequence:
          - The lid lifts on a hinge so fine you can't see it.
          - The lid is still open. You look down at the two seams again.
      - cycle: [The radiator knocks twice., The radiator is quiet for once.]
    choices:
      - text: Ask him what his face just did.
        goto: reading_room
        do: {trust: {almasbek: -5}}
        then:
          - '"Nothing," he says. "Faces do things at my age."'
          - if: trust.almasbek < 20
            text: He goes back to his paper.
      - text: Sit.
        goto: box
        then: '{seq: You sit.|You sit again.|You sit, as always.} The chair creaks.'
        do:
          vars: {forceful: +1, evidence: =0}
""",
}


def test_the_format_2_schema_takes_the_contracts_examples(tmp_path: Path) -> None:
    from coldcase_game.story.schema import schema

    path = tmp_path / "v2.schema.json"
    path.write_text(json.dumps(schema(2)), encoding="utf-8")
    files = []
    for name, text in FORMAT2_FILES.items():
        files.append(tmp_path / name)
        files[-1].write_text(text, encoding="utf-8")
    result = validate(path, *files)
    assert result.returncode == 0, result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "scenes:\n  s:\n    text: [{sequence: []}]\n    choices:\n"
        "      - {text: Go., goto: s, do: {vars: {forceful: '*2'}}}\n"
    )
    result = validate(path, bad)
    assert result.returncode == 1
    assert "$.scenes.s.choices[0].do" in result.stdout
    assert "$.scenes.s.text" in result.stdout
    v1 = tmp_path / "v1.schema.json"
    v1.write_text(json.dumps(schema(1)), encoding="utf-8")
    result = validate(v1, *files)  # format 1 has none of these keys
    assert result.returncode == 1
    assert "$.format: 2 is greater than the maximum of 1" in result.stdout
    assert "'introduced_by' was unexpected" in result.stdout
