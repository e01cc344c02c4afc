"""Run the real `coldcase` command in a pseudo-terminal and read its screen with pyte."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pexpect
import pyte

COLDCASE = Path(sys.executable).with_name("coldcase")


class Terminal:
    """A pseudo-terminal running `coldcase ARGS`, rendered by a pyte screen of the same size."""

    def __init__(
        self, *args: str, size: tuple[int, int] = (80, 24), env: dict[str, str] | None = None
    ) -> None:
        width, height = size
        full_env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            **(env or {}),
        }
        full_env.pop("TEXTUAL", None)
        command = [str(COLDCASE)] if COLDCASE.exists() else [sys.executable, "-m", "coldcase_game"]
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.child: pexpect.spawn[bytes] = pexpect.spawn(  # no encoding: it reads bytes
            command[0], [*command[1:], *args], env=full_env, dimensions=(height, width), timeout=10
        )

    # --- reading -----------------------------------------------------------------------
    def pump(self, seconds: float = 0.05) -> None:
        """Feed whatever the program wrote within `seconds` into the screen."""
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            try:
                data = self.child.read_nonblocking(65536, timeout=max(0.0, remaining))
            except pexpect.TIMEOUT:
                return
            except pexpect.EOF:
                return
            self.stream.feed(data)
            if time.monotonic() >= deadline:
                return

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def flat(self) -> str:
        return " ".join(re.sub("[\u2500-\u257f]", " ", self.text()).split())

    def wait_for(self, text: str, timeout: float = 15.0) -> None:
        """Wait until `text` (whitespace-insensitive) is on the screen."""
        wanted = " ".join(text.split())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.05)
            if wanted in self.flat():
                return
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.text()}")

    def wait_gone(self, text: str, timeout: float = 15.0) -> None:
        wanted = " ".join(text.split())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.05)
            if wanted not in self.flat():
                return
        raise AssertionError(f"{text!r} is still on the screen:\n{self.text()}")

    # --- acting ------------------------------------------------------------------------
    def press(self, *keys: str) -> None:
        for key in keys:
            self.child.send(key)
            self.pump(0.05)

    def resize(self, width: int, height: int) -> None:
        self.screen.resize(height, width)
        self.child.setwinsize(height, width)

    def wait_exit(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while self.child.isalive() and time.monotonic() < deadline:
            self.pump(0.05)
        self.child.close()
        return self.child.exitstatus if self.child.exitstatus is not None else -1

    def kill(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
