"""settings.py: theme and animation kept as JSON in the save folder, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coldcase_game.settings import (
    DEFAULT_THEME,
    SETTINGS_FILE,
    Settings,
    load_settings,
    save_settings,
)


def test_defaults_when_no_file(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nowhere") == Settings(theme=DEFAULT_THEME, animation=True)


def test_round_trip_creates_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "saves" / "deeper"
    path = save_settings(Settings(theme="nord", animation=False), folder)
    assert path == folder / SETTINGS_FILE
    assert json.loads(path.read_text()) == {"animation": False, "theme": "nord"}
    assert load_settings(folder) == Settings(theme="nord", animation=False)


def test_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    for theme in ("nord", "gruvbox", "monokai"):
        save_settings(Settings(theme=theme), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [SETTINGS_FILE]
    assert load_settings(tmp_path).theme == "monokai"


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"[1, 2]", b"\xff\xfe", b'{"theme": 5, "animation": "yes"}', b'{"theme": ""}'],
)
def test_damaged_or_wrong_file_gives_defaults(tmp_path: Path, content: bytes) -> None:
    (tmp_path / SETTINGS_FILE).write_bytes(content)
    assert load_settings(tmp_path) == Settings()


def test_each_field_falls_back_on_its_own(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text('{"theme": "nord", "animation": "off", "extra": 1}')
    assert load_settings(tmp_path) == Settings(theme="nord", animation=True)


def test_huge_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text('{"theme": "' + "x" * 100_000 + '"}')
    assert load_settings(tmp_path) == Settings()


def test_settings_module_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = "import sys, coldcase_game.settings; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_deeply_nested_settings_file_gives_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("[" * 50_000, encoding="utf-8")
    assert load_settings(tmp_path) == Settings()
