"""`pip install .` into a fresh venv ships the bundled stories inside the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    (path,) = out.glob("coldcase_game-*.whl")
    return path


def test_wheel_contains_the_bundled_stories_and_entry_point(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "coldcase_game/scenes/sample/story.yaml" in names
    assert "coldcase_game/scenes/sample/park.yaml" in names
    assert "coldcase_game/__main__.py" in names
    assert "coldcase_game/py.typed" in names  # so type checkers read the package's own annotations
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "coldcase = coldcase_game.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_installed_coldcase_checks_bundled_stories_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    pip = scripts / "pip"
    # dependencies come from the registry (or pip's cache); the project itself only from the wheel
    subprocess.run([str(pip), "install", "--quiet", str(wheel)], check=True, capture_output=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(scripts / "coldcase"), "check"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout.splitlines()[-1]
    # the folder it ran in is empty, so every story it checked came from inside the installed package
    bundled = sorted(p.name for p in (REPO / "scenes").iterdir() if (p / "story.yaml").is_file())
    assert result.stdout.splitlines()[-1].endswith(f"({len(bundled)} stories)"), result.stdout
    assert list(elsewhere.iterdir()) == []
    version = subprocess.run(
        [str(venv / "bin" / "coldcase"), "--version"], cwd=elsewhere, capture_output=True, text=True
    )
    assert version.stdout.startswith("coldcase ")
    module = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "coldcase_game", "explore", "sample"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert module.returncode == 0, module.stderr
    assert "Endings: 3 of 3 reachable" in module.stdout
