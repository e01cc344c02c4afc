"""The scene format as a JSON Schema, for editors (yaml-language-server) and `coldcase schema`.

One schema covers both kinds of file: a file with a top-level `scenes` key is a scene file,
anything else is read as the manifest (`story.yaml`). It describes every key the loader
accepts, with its type, pattern and meaning; `coldcase check` remains the judge (it also
checks what a schema cannot: unknown scene ids, expression types, reachability).

YAML parsers in editors read `+10` as the number 10 and `No` as a string or a boolean
depending on their YAML version, while Cold Case reads every value as text first. So where
the loader wants text the schema also accepts numbers and booleans, and a trust change may
be a number (the loader then says that it needs a sign).

The package ships the output as `scene-format.schema.json`; a test holds the two equal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coldcase_game.story.model import FORMAT_VERSION

SCHEMA_FILE = Path(__file__).with_name("scene-format.schema.json")
SCHEMA_ID = "https://coldcase.invalid/scene-format.schema.json"

IDENT_PATTERN = "^[a-z][a-z0-9_]{0,63}$"
TRUST_CHANGE_PATTERN = "^%?[+-](0|[1-9][0-9]*)$"

Schema = dict[str, Any]


def _text(description: str, *, non_empty: bool = True) -> Schema:
    """Text as the loader reads it: any scalar (a plain `No` or `017` is text too)."""
    string: Schema = {"type": "string"}
    if non_empty:
        string["minLength"] = 1
    return {"description": description, "anyOf": [string, {"type": "number"}, {"type": "boolean"}]}


def _ident(description: str) -> Schema:
    return {"description": description, "type": "string", "pattern": IDENT_PATTERN}


def _ref(name: str, description: str | None = None) -> Schema:
    ref: Schema = {"$ref": f"#/definitions/{name}"}
    if description is None:
        return ref
    # draft-07 ignores siblings of $ref, so a description goes beside it in allOf
    return {"description": description, "allOf": [ref]}


def _object(properties: dict[str, Schema], required: list[str], description: str) -> Schema:
    return {
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _flag_list(description: str) -> Schema:
    return {
        "description": description,
        "anyOf": [
            {"$ref": "#/definitions/flag_id"},
            {"type": "array", "items": {"$ref": "#/definitions/flag_id"}, "uniqueItems": True},
        ],
    }


VAR_CHANGE_PATTERN = "^([+-](0|[1-9][0-9]*)|=-?(0|[1-9][0-9]*))$"


def _format2(defs: dict[str, Schema]) -> None:
    """Add what format 2 adds (the contract's 'Format 2' section). A scene file does not say its
    format, so the keys are allowed in any file and described as format 2's; `coldcase check`
    says when a format 1 story uses one."""
    two = " (format 2)"
    defs["var_id"] = _ident("a variable declared under 'vars:' in story.yaml")
    defs["var_change"] = {
        "description": "'+N' or '-N' adds, '=N' sets ('=-2' too); the value is clamped into min..max" + two,
        "anyOf": [{"type": "string", "pattern": VAR_CHANGE_PATTERN}, {"type": "integer"}],
    }
    defs["condition"] = {
        **defs["condition"],
        "description": defs["condition"]["description"].replace(
            "visits.<scene>,", "visits.<scene>, variables, chosen.<scene>.<choice> (format 2),"
        ),
    }
    block = defs["effects"]
    block["properties"]["vars"] = {
        "description": "variable id -> change, e.g. {forceful: +1, evidence: =0}" + two,
        "type": "object",
        "propertyNames": {"pattern": IDENT_PATTERN},
        "additionalProperties": {"$ref": "#/definitions/var_change"},
    }
    block["description"] = "effects, applied in the order trust, vars, set, clear"
    from coldcase_game.story import loader

    if "next" in loader.SCENE_KEYS:  # the contract's effect lists and `next`, once the loader reads them
        conditional = {**block, "properties": {**block["properties"]}}
        conditional["properties"]["if"] = _ref("condition", "this block applies only if this holds")
        conditional["description"] = "an effect block of a list, with an optional 'if'" + two
        defs["effect_block"] = conditional
        defs["effects_v1"] = block
        defs["effects"] = {
            "description": block["description"] + "; or a list of blocks, each with an optional 'if'" + two,
            "anyOf": [
                {"$ref": "#/definitions/effects_v1"},
                {"type": "array", "items": {"$ref": "#/definitions/effect_block"}},
            ],
        }
        defs["scene"]["properties"]["next"] = _ref("scene_id", "instead of choices: flow straight on" + two)
    items = [
        {"type": "array", "minItems": 1, "items": _text("an item (empty shows nothing)", non_empty=False)},
    ]
    paragraph = defs["paragraph"]
    paragraph["anyOf"] += [
        _object(
            {
                "sequence": {"description": "on the k-th visit shows item min(k, n)" + two, **items[0]},
                "if": _ref("condition", "shown only while this holds"),
            },
            ["sequence"],
            "text that changes on each visit and then stays on its last item" + two,
        ),
        _object(
            {
                "cycle": {
                    "description": "on the k-th visit shows item ((k - 1) mod n) + 1" + two,
                    **items[0],
                },
                "if": _ref("condition", "shown only while this holds"),
            },
            ["cycle"],
            "text that cycles through its items, one per visit" + two,
        ),
    ]
    paragraph["description"] = "a paragraph: plain text, conditional {if, text}, or a {sequence} or {cycle}"
    choice = defs["choice"]["properties"]
    choice["then"] = _ref(
        "text", "shown right after the choice, once its 'do' has applied, before 'goto'" + two
    )
    character = defs["character"]["properties"]
    character["introduced_by"] = _ref("flag_id", "the character is not shown until this flag is set" + two)
    manifest = defs["manifest"]["properties"]
    manifest["vars"] = {
        "description": "variable id -> bounded integer" + two,
        "type": "object",
        "propertyNames": {"pattern": IDENT_PATTERN},
        "additionalProperties": _object(
            {
                "start": {
                    "description": "the starting value (default: 0, or min when 0 is out of range)",
                    "type": "integer",
                },
                "min": {"description": "the smallest value", "type": "integer"},
                "max": {
                    "description": "the largest value (at most 1,000 values from min)",
                    "type": "integer",
                },
                "name": _text("shown to the player (sidebar, :status, [stat] lines); without it, hidden"),
            },
            ["min", "max"],
            "a variable: an integer kept within min..max",
        ),
    }
    manifest["terms"] = {
        "description": "a word or phrase -> the flag (or flags, any one of them) that introduce it; explore "
        "warns (W301) where the game shows a term before the player has met it" + two,
        "type": "object",
        "additionalProperties": {
            "anyOf": [
                {"$ref": "#/definitions/flag_id"},
                {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/flag_id"}},
            ]
        },
    }


def _definitions(version: int) -> dict[str, Schema]:
    defs = _definitions_v1(version)
    if version >= 2:
        _format2(defs)
    return defs


def _definitions_v1(version: int) -> dict[str, Schema]:
    return {
        "flag_id": _ident("a flag declared under 'flags:' in story.yaml"),
        "scene_id": _ident("a scene id: unique across the whole story, whichever file it is in"),
        "condition": {
            "description": "an expression, e.g. 'has_key and trust.vera >= 60': flags, trust.<character>, "
            "visits.<scene>, integers, true/false, not/and/or, == != < <= > >=, + -, ( ). "
            "At most 256 characters; types are checked by 'coldcase check'.",
            "anyOf": [{"type": "string", "minLength": 1, "maxLength": 256}, {"type": "boolean"}],
        },
        "trust_change": {
            "description": "a relative change, sign required: '+N' or '-N' adds, '%+N' or '%-N' is "
            "fairmath (N% of the way to 100 or to 0); N from 0 to 100. Quote fairmath: '%+20'.",
            "anyOf": [
                {"type": "string", "pattern": TRUST_CHANGE_PATTERN},
                # an editor's YAML reads +10 as the number 10; check says when the sign is missing
                {"type": "integer", "minimum": -100, "maximum": 100},
            ],
        },
        "effects": _object(
            {
                "trust": {
                    "description": "character id -> change, e.g. {vera: +10, guard: '%-20'}",
                    "type": "object",
                    "propertyNames": {"pattern": IDENT_PATTERN},
                    "additionalProperties": {"$ref": "#/definitions/trust_change"},
                },
                "set": _flag_list("flags to set (one id, or a list); a clue's text goes into the journal"),
                "clear": _flag_list("flags to clear (one id, or a list)"),
            },
            [],
            "effects, applied in the order trust, set, clear",
        ),
        "paragraph": {
            "description": "a paragraph: plain text, or a conditional one {if, text}",
            "anyOf": [
                _text("a paragraph of narration"),
                _object(
                    {
                        "if": _ref("condition", "the paragraph is shown only while this holds"),
                        "text": _text("the paragraph's text"),
                    },
                    ["if", "text"],
                    "a conditional paragraph",
                ),
            ],
        },
        "text": {
            "description": "the narration: one text (paragraphs separated by a blank line), or a list of "
            "paragraphs, each plain or conditional ({if, text})",
            "anyOf": [
                _text("the narration"),
                {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/paragraph"}},
            ],
        },
        "choice": _object(
            {
                "text": _text("what the player sees"),
                "goto": _ref("scene_id", "the scene the choice leads to"),
                "id": _ident(
                    "the choice's stable name (default: the goto id); unique within the scene. Saved "
                    "games record it: keep it stable once people have saved games."
                ),
                "if": _ref("condition", "the choice is available only while this holds"),
                "locked": _text(
                    "needs 'if': while the condition fails the choice is shown, not selectable, with this "
                    "reason. Without it a failing choice is hidden."
                ),
                "once": {"description": "gone after it has been chosen once in a game", "type": "boolean"},
                "do": _ref("effects", "applied before entering 'goto'"),
            },
            ["text", "goto"],
            "a choice: what the player can do",
        ),
        "scene": _object(
            {
                "title": _text("the scene's heading; defaults to the id made readable"),
                "text": _ref("text"),
                "on_enter": _ref("effects", "applied every time the scene is entered"),
                "choices": {
                    "description": "what the player can do here (required unless the scene is an ending)",
                    "type": "array",
                    "minItems": 1,
                    "items": {"$ref": "#/definitions/choice"},
                },
                "ending": _text("makes the scene an ending, with this title; an ending has no choices"),
            },
            ["text"],
            "a scene",
        ),
        "character": _object(
            {
                "name": _text("shown in trust meters and [trust] lines"),
                "trust": {
                    "description": "initial trust, 0..100 (default 50)",
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 100,
                },
                "about": _text("a one-line description", non_empty=False),
            },
            ["name"],
            "a character whose trust the player earns or loses",
        ),
        "manifest": _object(
            {
                "format": {
                    "description": f"the format version: {' or '.join(map(str, range(1, version + 1)))}",
                    "type": "integer",
                    "minimum": 1,
                    "maximum": version,
                },
                "title": _text("shown where stories are chosen and at the top of the game"),
                "summary": _text("one or two sentences shown where stories are chosen", non_empty=False),
                "author": _text("who wrote it", non_empty=False),
                "start": _ref("scene_id", "the first scene"),
                "characters": {
                    "description": "character id -> character",
                    "type": "object",
                    "propertyNames": {"pattern": IDENT_PATTERN},
                    "additionalProperties": {"$ref": "#/definitions/character"},
                },
                "flags": {
                    "description": "flag id -> journal text: booleans, all false when a game starts. "
                    'A flag with text is a clue; empty text ("") is tracked, never shown.',
                    "type": "object",
                    "propertyNames": {"pattern": IDENT_PATTERN},
                    "additionalProperties": _text("the clue's journal text", non_empty=False),
                },
            },
            ["format", "title", "start"],
            "story.yaml, the manifest",
        ),
        "scene_file": _object(
            {
                "scenes": {
                    "description": "scene id -> scene",
                    "type": "object",
                    "propertyNames": {"pattern": IDENT_PATTERN},
                    "additionalProperties": {"$ref": "#/definitions/scene"},
                },
            },
            ["scenes"],
            "a scene file: every .yaml file of the story folder other than story.yaml",
        ),
    }


def schema(version: int = FORMAT_VERSION) -> Schema:
    """The JSON Schema (draft-07, which yaml-language-server reads) of story.yaml and scene files,
    for the formats up to `version` (by default the newest the loader reads)."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "Cold Case scene format",
        "description": "A Cold Case story file: story.yaml (the manifest) or a scene file (a 'scenes:' "
        "mapping). 'coldcase check' reports everything this schema cannot see.",
        "type": "object",
        "if": {"type": "object", "required": ["scenes"]},
        "then": {"$ref": "#/definitions/scene_file"},
        "else": {"$ref": "#/definitions/manifest"},
        "definitions": _definitions(version),
    }


def schema_text() -> str:
    """The schema as the JSON text `coldcase schema` prints and the package ships."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
