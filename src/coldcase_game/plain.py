"""Plain mode: a line-by-line interface for screen readers, scripts and tests.

Markers (the contract's): `== Title ==`, `  1. choice`, `  -. choice (locked: reason)`,
`[trust] Name: a -> b (+d)`, `[stat] Name: a -> b (+d)` (format 2), `[journal] text`,
`*** ENDING: Title ***`.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from typing import TextIO

from coldcase_game.engine import Announced, IllegalChoice, heading, shown_vars, visible_characters
from coldcase_game.session import Session
from coldcase_game.story.bundled import StoryInfo
from coldcase_game.story.inline import shown_plain
from coldcase_game.story.model import Story

# A soft lock is a fault in the story (`coldcase explore` finds them); the player gets a way out.
NO_WAY_FORWARD = "Every way forward is locked here, which is a fault in this story: type :undo or :restart."

HELP = """Commands:
  <number>     choose that option
  :status      trust and the case journal
  :look        show the current scene again
  :where       for authors: the scene id, the flags set and every variable
  :undo        take back the last choice
  :restart     start the case again
  :save NAME   save to a slot (letters, digits, - and _)
  :load NAME   load a saved game
  :saves       list saved games
  :help        this list
  :quit        leave (progress is autosaved)"""


HINT = "Type the number of a choice, or :help for commands."
MAX_ECHO = 80  # characters of a typed line printed back (echoed, or quoted in a message)
MAX_CHOICE_DIGITS = 6  # no scene has a million choices: a longer number is never one of them
MAX_LINE = 65_536  # characters of a typed line that are kept; the rest of a longer line is read and dropped


def read_line(stream: TextIO) -> tuple[str, int] | None:
    """One typed line without its line break, and how long it was; None at the end of the input.

    Memory stays bounded whatever arrives (a pipe from /dev/zero is one endless line): only the
    first MAX_LINE characters are kept, and the rest of the line is read in pieces and dropped."""
    kept = last = stream.readline(MAX_LINE)
    if not kept:
        return None
    total = len(kept)
    while len(last) == MAX_LINE and not last.endswith("\n"):
        last = stream.readline(MAX_LINE)
        total += len(last)
    return kept.rstrip("\r\n"), total - (len(last) - len(last.rstrip("\r\n")))


def shown(typed: str, limit: int = MAX_ECHO, length: int | None = None) -> str:
    """A typed line as it is printed back: control and bidi characters made visible, long input cut
    short; `length` is the whole line's when only its start was kept."""
    length = len(typed) if length is None else length
    head = typed[:limit]
    visible = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in head)
    if length <= len(head) and len(visible) <= limit:
        return visible
    return f"{visible[: limit - 25]}... ({length:,} characters)"


def choice_number(typed: str) -> int | None:
    """The number in a line of digits (any script's decimal digits, any length); None if it is not one.

    A number too long to be a choice is 0, which no choice has, so it gets the same answer as any
    other number that is not on the list; it is never converted as a whole (Python refuses to turn
    more than 4,300 digits into an int)."""
    if not typed.isdecimal():
        return None
    if not typed.isascii():
        typed = "".join(str(unicodedata.decimal(c)) for c in typed)
    digits = typed.lstrip("0")
    return int(digits) if 0 < len(digits) <= MAX_CHOICE_DIGITS else 0


def change_lines(story: Story, changes: Announced) -> list[str]:
    """The lines announcing one set of changes (a choice's `do`, or a scene's `on_enter`)."""
    lines = []
    for delta in changes.trust:
        name = story.characters[delta.character].name
        lines.append(f"[trust] {name}: {delta.before} -> {delta.after} ({delta.delta:+d})")
    for vdelta in changes.vars:
        label = story.vars[vdelta.var].name or vdelta.var
        lines.append(f"[stat] {label}: {vdelta.before} -> {vdelta.after} ({vdelta.delta:+d})")
    lines.extend(f"[journal] {story.flags[flag].text}" for flag in changes.clues)
    return lines


class PlainGame:
    """Runs one story on a session, reading commands from `stdin`.

    `stay_after_ending` keeps reading commands once the game has ended (`play --watch`: the
    author edits the ending, undoes, restarts); otherwise an ending ends the run.

    `saves` is optional: an object with `save(slot, session)`, `load(slot)`,
    `listing()` and `autosave(session)` methods (see coldcase_game.session.plain_saves).
    """

    stay_after_ending = False

    def __init__(
        self,
        session: Session,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        *,
        saves: object | None = None,
        echo: bool | None = None,
    ) -> None:
        self.session = session
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.saves = saves
        self.echo = (not _isatty(self.stdin)) if echo is None else echo

    @property
    def story(self) -> Story:
        return self.session.story

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")

    def show_scene(self, *, arrival: bool = False) -> None:
        """The scene's heading and narration, then (on `arrival`) what its `on_enter` changed,
        then its choices or its ending: the contract's order of announcements. Format 2: the
        scenes a `next` chain passed through come first, each with its text and (on `arrival`)
        its `on_enter` changes, all on this one screen."""
        session = self.session
        for passage in session.state.last.passed:
            self.show_text(heading(self.story, passage.scene), passage.text, passage.on_enter, arrival)
        self.show_text(
            heading(self.story, session.state.scene),
            session.narration(),
            session.state.last.on_enter,
            arrival,
        )
        if session.is_over:
            self.say(f"*** ENDING: {session.ending} ***")
            return
        options = session.options()
        fmt = self.story.format
        for option in options:
            if option.available:
                self.say(f"  {option.number}. {shown_plain(option.text, fmt)}")
            else:
                hint = shown_plain(option.locked_reason or "", fmt)
                self.say(f"  -. {shown_plain(option.text, fmt)} (locked: {hint})")
        if not any(option.available for option in options):
            self.say(NO_WAY_FORWARD)

    def show_text(
        self, title: str | None, paragraphs: tuple[str, ...], changes: Announced, arrival: bool
    ) -> None:
        """One scene's heading (none for a format-2 scene without a title), paragraphs (format 2:
        `\\_` shown as `_`, emphasis as written) and, on `arrival`, its `on_enter` changes."""
        if title is not None:
            self.say(f"== {title} ==")
        fmt = self.story.format
        for i, paragraph in enumerate(paragraphs):
            if i:
                self.say()
            self.say(shown_plain(paragraph, fmt))
        self.say()
        if arrival:
            lines = change_lines(self.story, changes)
            for line in lines:
                self.say(line)
            if lines:
                self.say()

    def show_status(self) -> None:
        state = self.session.state
        self.say(
            f"Case: {_sentence(self.story.title)} Scene: {_sentence(self.story.scenes[state.scene].heading)} "
            f"Choices made: {self.session.steps}."
        )
        for character, value in visible_characters(self.story, state):
            self.say(f"[status] {character.name}: trust {value}/100")
        for var, value in shown_vars(self.story, state):
            self.say(f"[status] {var.name}: {value} (from {var.min} to {var.max})")
        if state.journal:
            for flag in state.journal:
                self.say(f"[status] journal: {self.story.flags[flag].text}")
        else:
            self.say("[status] journal: nothing yet")

    def show_where(self) -> None:
        """For authors: where the game stands, hidden bookkeeping included."""
        state = self.session.state
        self.say(f"[where] scene: {state.scene}")
        if state.last.passed:  # format 2: the `next` chain this screen flowed through
            self.say(f"[where] passed through: {', '.join(p.scene for p in state.last.passed)}")
        self.say(f"[where] flags set: {', '.join(sorted(state.flags)) or 'none'}")
        if state.vars:
            self.say(f"[where] variables: {', '.join(f'{vid} = {value}' for vid, value in state.vars)}")
        visits = ", ".join(f"{sid} {n}" for sid, n in state.visits)
        self.say(f"[where] visits: {visits}")

    def read(self) -> str | None:
        """The next typed line, stripped; None at the end of the input. A line too long to be
        kept whole is answered with the hint here, and the next line is read."""
        while True:
            self.stdout.write("> ")
            self.stdout.flush()
            typed = read_line(self.stdin)
            if typed is None:
                if self.echo:
                    self.say()
                return None
            line, length = typed
            if self.echo:
                self.say(shown(line, length=length))
            if length <= MAX_LINE:
                return line.strip()
            self.say(HINT)

    def run(self) -> int:
        self.show_scene(arrival=True)  # the opening scene's on_enter is announced like any other
        while self.stay_after_ending or not self.session.is_over:
            line = self.read()
            if line is None:
                return 0
            if not line:
                continue
            if line.startswith(":"):
                if self.command(line[1:].strip()) == "quit":
                    return 0
                continue
            number = choice_number(line)
            if number is None:
                self.say(HINT)
                continue
            self.choose(number, typed=line)
        return 0

    def choose(self, number: int, typed: str | None = None) -> None:
        """Take the choice shown with `number`; `typed` is how the player wrote it, for the message."""
        if self.session.is_over:
            self.say("The game is over: type :undo, :restart or :quit.")
            return
        try:
            self.session.choose_number(number)
        except IllegalChoice:
            numbers = [o.number for o in self.session.options() if o.number is not None]  # the available
            asked = shown(typed) if typed is not None else str(number)
            if not numbers:
                self.say(NO_WAY_FORWARD)
            elif len(numbers) == 1:
                self.say(f"There is no choice {asked} here; type 1, or :help.")
            else:
                self.say(f"There is no choice {asked} here; type a number from 1-{max(numbers)}, or :help.")
            return
        last = self.session.state.last
        for i, paragraph in enumerate(last.then):  # format 2: what happens right after the choice
            if i:
                self.say()
            self.say(shown_plain(paragraph, self.story.format))
        lines = change_lines(self.story, last.do)
        if last.then and lines:
            self.say()
        for line in lines:
            self.say(line)
        self.autosave()
        self.say()
        self.show_scene(arrival=True)

    def autosave(self) -> None:
        """After every choice, undo and restart, so quitting never loses progress."""
        if self.saves is not None:
            message = self.saves.autosave(self.session)  # type: ignore[attr-defined]
            if message:
                self.say(message)

    def command(self, text: str) -> str | None:
        name, _, arg = text.partition(" ")
        name = name.lower()
        arg = arg.strip()
        handlers: dict[str, Callable[[], None]] = {
            "help": lambda: self.say(HELP),
            "status": self.show_status,
            "look": self.show_scene,
            "where": self.show_where,
            "undo": self.undo,
            "restart": self.restart,
            "save": lambda: self.save(arg),
            "load": lambda: self.load(arg),
            "saves": self.list_saves,
        }
        if name in ("quit", "q", "exit"):
            return "quit"
        handler = handlers.get(name)
        if handler is None:
            self.say(f"Unknown command ':{shown(name)}'. Type :help for the list.")
            return None
        handler()
        return None

    def undo(self) -> None:
        if not self.session.undo():
            self.say("Nothing to undo: this is the start of the case.")
            return
        self.autosave()
        self.say("Undone.")
        self.say()
        self.show_scene()

    def restart(self) -> None:
        self.session.restart()
        self.autosave()
        self.say("Restarted.")
        self.say()
        self.show_scene()

    def save(self, slot: str) -> None:
        if self.saves is None:
            self.say("Saving is not available here.")
            return
        self.say(self.saves.save(slot, self.session))  # type: ignore[attr-defined]

    def load(self, slot: str) -> None:
        if self.saves is None:
            self.say("Loading is not available here.")
            return
        message, session = self.saves.load(slot, self.story)  # type: ignore[attr-defined]
        self.say(message)
        if session is not None:
            self.session = session
            self.say()
            self.show_scene()

    def list_saves(self) -> None:
        if self.saves is None:
            self.say("Saves are not available here.")
            return
        for line in self.saves.listing():  # type: ignore[attr-defined]
            self.say(line)


def choose_story(stories: list[StoryInfo], stdin: TextIO, stdout: TextIO) -> StoryInfo | None:
    """List the bundled stories and ask which to play. None on end of input or :quit."""
    echo = not _isatty(stdin)
    stdout.write("COLD CASE: choose a case file\n\n")
    for i, info in enumerate(stories, start=1):
        stdout.write(f"  {i}. {info.title}\n")
        if info.summary:
            stdout.write(f"     {info.summary}\n")
    stdout.write("\n")
    while True:
        stdout.write("> ")
        stdout.flush()
        typed = read_line(stdin)
        if typed is None:
            if echo:
                stdout.write("\n")
            return None
        line, length = typed
        if echo:
            stdout.write(shown(line.strip(), length=length) + "\n")
        line = line.strip() if length <= MAX_LINE else ""
        if line in (":quit", ":q", ":exit"):
            return None
        number = choice_number(line)
        if number is not None and 1 <= number <= len(stories):
            stdout.write("\n")
            return stories[number - 1]
        for info in stories:
            if line == info.id:
                stdout.write("\n")
                return info
        stdout.write(f"Type a number from 1-{len(stories)}, or :quit.\n")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _sentence(text: str) -> str:
    """A title as the end of a sentence: a full stop added unless it ends in one already
    ("8.40 A.M." is not given a second), or in a question or exclamation mark."""
    return text if text.endswith((".", "?", "!", "…")) else f"{text}."
