"""Diagnostics: one located line per problem, in the form editors understand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    file: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity}[{self.code}]: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


class StoryError(Exception):
    """A story could not be loaded. `diagnostics` holds every problem found (errors first in file order)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        first = errors[0] if errors else (self.diagnostics[0] if self.diagnostics else None)
        super().__init__(str(first) if first else "the story could not be loaded")

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


class Collector:
    """Gathers diagnostics while a story is read and checked."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, file: str, line: int, col: int, code: str, message: str) -> None:
        self.items.append(Diagnostic(file, line, col, "error", code, message))

    def warning(self, file: str, line: int, col: int, code: str, message: str) -> None:
        self.items.append(Diagnostic(file, line, col, "warning", code, message))

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)
