"""The files `coldcase new` writes: a small story that checks and explores clean as created.

Every YAML file starts with the yaml-language-server line that points at the schema copied
beside it, so an editor completes and checks keys from the first keystroke.
"""

from __future__ import annotations

from coldcase_game.story.model import FORMAT_VERSION

SCHEMA_NAME = "scene-format.schema.json"
MODELINE = f"# yaml-language-server: $schema={SCHEMA_NAME}\n"

# A format-2 case: a variable shown to the player, text that changes on a second visit (a scene
# that can be entered again reads differently each time, or check warns W303), and a `then`
# that answers a choice before the next scene.
_MANIFEST = """\
{modeline}format: {format}
title: {title}
summary: A first case. Say here, in a sentence or two, what yours is about.
start: office
characters:
  ruth:
    name: Ruth Adler
    trust: 40
    about: The archivist who kept the file.
flags:
  found_letter: A letter in the file, signed with initials only.
vars:
  readings: {{min: 0, max: 3, name: Readings of the letter}}
"""

_SCENES = """\
{modeline}scenes:
  office:
    title: The Office
    text:
      - sequence:
          - |
            The file has been in the bottom drawer for thirty years. Ruth Adler
            sets it on the desk between you and does not let go of it at once.
          - The file is back on the desk between you.
      - if: found_letter
        text: The letter is back inside it. Ruth has not moved.
    choices:
      - text: Thank her, and ask what she remembers.
        goto: archive
        do:
          trust: {{ruth: +20}}
        then: '"More than I would like," she says, and lets go of the file.'
      - text: Open the file without a word.
        id: open_file
        goto: archive

  archive:
    title: The Letter
    text:
      - sequence:
          - Between the carbon copies, a letter on thin blue paper, signed with two initials.
          - The letter again. The initials have not changed.
      - if: trust.ruth >= 60
        text: Ruth reads the initials over your shoulder and goes quiet.
      - if: readings >= 2
        text: You know this letter by heart now.
    on_enter:
      set: [found_letter]
      vars: {{readings: +1}}
    choices:
      - text: Ask Ruth whose initials they are.
        goto: case_closed
        if: trust.ruth >= 60
        locked: Ruth is not ready to tell you.
      - text: Close the file and start again.
        id: back
        goto: office

  case_closed:
    title: Case Closed
    text: |
      Ruth says a name you have not heard in thirty years, and the case is
      open again, for one night, before you close it for good.
    ending: The Initials
"""


def title_of(story_id: str) -> str:
    """`my_case` -> `My Case`."""
    return " ".join(word.capitalize() for word in story_id.split("_") if word) or story_id


def starter_files(story_id: str) -> dict[str, str]:
    """File name -> text of a new story with this id, in the newest format the loader reads (the
    schema file is copied separately)."""
    values = {"modeline": MODELINE, "format": FORMAT_VERSION, "title": title_of(story_id)}
    return {"story.yaml": _MANIFEST.format(**values), "case.yaml": _SCENES.format(**values)}


def with_modeline(text: str) -> str:
    """A YAML file's text with the schema line at the top (once)."""
    if text.startswith("# yaml-language-server:"):
        rest = text.partition("\n")[2]
        return MODELINE + rest
    return MODELINE + text
