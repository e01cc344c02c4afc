"""Drive Debian's headless Chromium over the DevTools protocol: open a page, type, take a screenshot."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """A headless Chromium showing one page; `send_keys`, `screenshot`, `close`."""

    def __init__(self, executable: str, url: str, size: tuple[int, int] = (1100, 750)) -> None:
        self.profile = tempfile.mkdtemp(prefix="coldcase-chromium-")
        self.process = subprocess.Popen(
            [
                executable,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={size[0]},{size[1]}",
                url,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.port = self._devtools_port()
        self._ids = 0

    def _devtools_port(self, timeout: float = 30) -> int:
        assert self.process.stderr is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line and self.process.poll() is not None:
                break
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if match:
                return int(match.group(1))
        raise RuntimeError("Chromium did not start its DevTools endpoint")

    async def _page_socket(self, session: aiohttp.ClientSession) -> str:
        for _ in range(100):
            async with session.get(f"http://127.0.0.1:{self.port}/json/list") as response:
                targets = json.loads(await response.text())
            pages = [t for t in targets if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
            if pages:
                return str(pages[0]["webSocketDebuggerUrl"])
            await asyncio.sleep(0.1)
        raise RuntimeError("Chromium has no page")

    async def _call(self, ws: aiohttp.ClientWebSocketResponse, method: str, **params: Any) -> Any:
        self._ids += 1
        wanted = self._ids
        await ws.send_json({"id": wanted, "method": method, "params": params})
        while True:
            message = await ws.receive_json(timeout=30)
            if message.get("id") == wanted:
                return message.get("result", {})

    async def run(self, steps: list[tuple[str, Any]]) -> list[Any]:
        """Steps: ("wait", seconds), ("click", (x, y)), ("key", text or "Enter"), ("screenshot", path)."""
        results: list[Any] = []
        async with aiohttp.ClientSession() as session:
            url = await self._page_socket(session)
            async with session.ws_connect(url, max_msg_size=0) as ws:
                for kind, value in steps:
                    if kind == "wait":
                        await asyncio.sleep(value)
                    elif kind == "key":
                        await self._key(ws, value)
                    elif kind == "click":
                        for event in ("mousePressed", "mouseReleased"):
                            await self._call(
                                ws,
                                "Input.dispatchMouseEvent",
                                type=event,
                                x=value[0],
                                y=value[1],
                                button="left",
                                clickCount=1,
                            )
                    elif kind == "screenshot":
                        shot = await self._call(ws, "Page.captureScreenshot", format="png")
                        Path(value).write_bytes(base64.b64decode(shot["data"]))
                        results.append(value)
        return results

    async def _key(self, ws: aiohttp.ClientWebSocketResponse, key: str) -> None:
        if key == "Enter":
            down = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"}
        else:
            down = {"key": key, "text": key, "unmodifiedText": key}
        await self._call(ws, "Input.dispatchKeyEvent", type="keyDown", **down)
        await self._call(ws, "Input.dispatchKeyEvent", type="keyUp", key=down["key"])

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_without_saves() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "COLDCASE_SAVES"}
