"""`coldcase serve`: the game in a browser through textual-serve, tested for real: the page and its
script are served, a tab starts the game process, and headless Chromium plays a step of a case."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from browser import Browser, env_without_saves, find_chromium, free_port
from e2e_terminal import COLDCASE

from coldcase_game.cli import main
from coldcase_game.cli.parser import build_parser
from coldcase_game.cli.serve_cmd import MISSING


def test_without_the_web_extra_serve_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # as if not installed
    assert main(["serve"]) == 1
    assert capsys.readouterr().err == MISSING + "\n"
    assert "pip install 'coldcase_game[web]'" in MISSING


def test_serve_listens_on_this_machine_only_unless_told() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "9000"])
    assert (args.host, args.port) == ("0.0.0.0", 9000)


def test_a_bad_port_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "70000"]) == 2
    assert capsys.readouterr().err == "coldcase serve: --port 70000 is not a port number (1-65535)\n"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`coldcase serve` on a free port, its saves in tmp_path; yields (base URL, save folder)."""
    port = free_port()
    saves = tmp_path / "saves"
    command = [str(COLDCASE)] if COLDCASE.exists() else [sys.executable, "-m", "coldcase_game"]
    process = subprocess.Popen(
        [*command, "--saves", str(saves), "serve", "--port", str(port), "--no-animation"],
        env={**env_without_saves(), "COLUMNS": "120"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(_until_served(base, process))
        yield base, saves
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


async def _until_served(base: str, process: subprocess.Popen[bytes]) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            if process.poll() is not None:
                output = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
                raise AssertionError(f"coldcase serve exited with {process.returncode}:\n{output}")
            try:
                async with session.get(base + "/") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("coldcase serve never answered")


def test_the_page_and_its_script_are_served_and_a_tab_starts_the_game(server: tuple[str, Path]) -> None:
    base, _ = server

    async def check() -> str:
        async with aiohttp.ClientSession() as session:
            async with session.get(base + "/") as response:
                page = await response.text()
            assert response.status == 200
            assert "<div>Cold Case</div>" in page  # the splash names the game
            assert f'src="{base}/static/js/textual.js"' in page
            assert f"ws://127.0.0.1:{base.rsplit(':', 1)[1]}/ws" in page
            async with session.get(base + "/static/js/textual.js") as response:
                script = await response.read()
            assert response.status == 200
            assert "javascript" in response.headers["Content-Type"]
            assert len(script) > 10_000
            # What a browser tab does next: open the websocket, which starts `coldcase play`.
            seen = ""
            async with session.ws_connect(base + "/ws?width=100&height=30") as ws:
                for _ in range(600):
                    try:
                        message = await ws.receive(timeout=0.1)
                    except TimeoutError:
                        continue
                    if message.type == aiohttp.WSMsgType.BINARY:
                        seen += message.data.decode("utf-8", "replace")
                    if "Choose a case" in seen:
                        break
            return seen

    seen = asyncio.run(check())
    assert "Choose a case" in seen  # the title screen, drawn by the game process for this tab


@pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed (apt-get install chromium)")
def test_headless_chromium_plays_a_step_of_a_case(server: tuple[str, Path], tmp_path: Path) -> None:
    base, saves = server
    chromium = find_chromium()
    assert chromium is not None
    browser = Browser(chromium, base + "/")
    autosave = saves / "autosave.json"
    try:
        for _ in range(30):  # until the page has drawn the title screen and takes a click
            asyncio.run(browser.run([("wait", 1), ("click", (550, 150)), ("wait", 1), ("key", "1")]))
            if autosave.exists():
                break
        shot = tmp_path / "browser.png"
        asyncio.run(browser.run([("wait", 1), ("screenshot", str(shot))]))
    finally:
        browser.close()
    assert autosave.exists(), "the game in the browser never made a choice"
    content = json.loads(autosave.read_text(encoding="utf-8"))["content"]
    assert content["story"]["id"] == "clarke"  # the first case on the title screen, clicked
    assert len(content["log"]) >= 1
    assert shot.stat().st_size > 20_000  # a drawn screen, not a blank page
