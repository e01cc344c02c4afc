"""A small Language Server Protocol client for the tests: it starts `coldcase lsp` as a subprocess
and speaks JSON-RPC over its stdin and stdout, as an editor does."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

REPLY_TIMEOUT = 60  # seconds: a bound on a hung server, not a speed requirement


class LspClient:
    def __init__(self, cwd: Path, init_options: dict[str, Any] | None = None) -> None:
        coldcase = Path(sys.executable).with_name("coldcase")
        self.proc = subprocess.Popen(
            [str(coldcase), "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
        )
        self.next_id = 0
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self.server_requests: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.init_options = init_options

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send(self, message: dict[str, Any]) -> None:
        message = {"jsonrpc": "2.0", **message}
        data = json.dumps(message).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any] | None) -> dict[str, Any]:
        """Send a request and return its response (the whole message: `result` or `error`)."""
        self.next_id += 1
        my_id = self.next_id
        self.send({"id": my_id, "method": method, "params": params})
        while True:
            message = self.messages.get(timeout=REPLY_TIMEOUT)
            if message.get("id") == my_id and "method" not in message:
                return message
            self._other(message)

    def _other(self, message: dict[str, Any]) -> None:
        if "method" in message and "id" in message:  # a request from the server: answer it
            self.server_requests.append(message)
            self.send({"id": message["id"], "result": None})
        elif "method" in message:
            self.notifications.append(message)

    def diagnostics(self, uri: str, *, source: str | None = None, until: Any = None) -> list[dict[str, Any]]:
        """The next diagnostics published for `uri` (the last ones, if already published) for which
        `until(diagnostics)` holds (any, without `until`)."""

        def matching() -> list[dict[str, Any]] | None:
            for note in reversed(self.notifications):
                if note["method"] == "textDocument/publishDiagnostics" and note["params"]["uri"] == uri:
                    items = note["params"]["diagnostics"]
                    if source is not None:
                        items = [d for d in items if d.get("source") == source]
                    return items if until is None or until(items) else None
            return None

        while True:
            found = matching()
            if found is not None:
                return found
            self._other(self.messages.get(timeout=REPLY_TIMEOUT))

    def clear(self) -> None:
        self.notifications.clear()

    def initialize(
        self, root: Path, encodings: list[str] | None = None, *, watch_files: bool = False
    ) -> dict[str, Any]:
        capabilities: dict[str, Any] = {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": watch_files}},
            "textDocument": {
                "publishDiagnostics": {},
                "completion": {"completionItem": {"snippetSupport": False}},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "rename": {"prepareSupport": True},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
            },
        }
        if encodings:
            capabilities["general"] = {"positionEncodings": encodings}
        reply = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": capabilities,
                "initializationOptions": self.init_options,
            },
        )
        self.notify("initialized", {})
        return reply

    def close(self) -> int:
        reply = self.request("shutdown", None)
        assert reply.get("result", "missing") is None
        self.notify("exit", {})
        try:
            return self.proc.wait(timeout=REPLY_TIMEOUT)
        finally:
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()
