"""Endings found, per story, kept in `progress.json` in the save folder.

The file is small and players may edit it: a damaged file reads as "nothing
found yet" (it is never a crash), and the next ending written replaces it,
keeping the damaged one as `progress.json.bak`.
"""

from __future__ import annotations

import json
from pathlib import Path

from coldcase_game.session.atomic import read_regular, write_atomic
from coldcase_game.session.errors import SaveError
from coldcase_game.session.safe_json import JsonRefused, parse_json

FILE = "progress.json"
FORMAT = "coldcase-progress"
SCHEMA = 1
MAX_BYTES = 1 << 20
MAX_TITLE = 200


class Progress:
    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / FILE

    def _read(self) -> dict[str, list[str]]:
        if not self.path.exists() and not self.path.is_symlink():
            return {}
        try:
            doc = parse_json(read_regular(self.path, MAX_BYTES))
        except (SaveError, JsonRefused):
            return {}
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("schema") != SCHEMA:
            return {}
        endings = doc.get("endings")
        if not isinstance(endings, dict):
            return {}
        return {
            story: [t for t in titles if isinstance(t, str) and len(t) <= MAX_TITLE]
            for story, titles in endings.items()
            if isinstance(story, str) and isinstance(titles, list)
        }

    def endings_found(self, story_id: str) -> set[str]:
        """Titles of the endings reached in `story_id` (empty if none, or if the file is damaged)."""
        return set(self._read().get(story_id, ()))

    def record_ending(self, story_id: str, ending_title: str) -> bool:
        """Remember an ending; True if it is new. Raises SaveError if the file cannot be written."""
        title = ending_title[:MAX_TITLE]
        endings = self._read()
        titles = endings.setdefault(story_id, [])
        if title in titles:
            return False
        titles.append(title)
        doc = {"format": FORMAT, "schema": SCHEMA, "endings": endings}
        data = (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        write_atomic(
            self.path, data, backup=self.path.with_name(FILE + ".bak"), what="the list of endings found"
        )
        return True
