"""The sidebar: each character's trust (number, bar, last change), the named variables (format 2)
and the case journal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from coldcase_game.engine import GameState, TrustDelta, VarDelta, is_visible, shown_vars
from coldcase_game.story.model import Story
from coldcase_game.tui.safe_text import signed_change, stat_bar, stat_value, trust_bar


def last_trust_changes(states: Sequence[GameState]) -> dict[str, TrustDelta]:
    """The most recent trust change of each character along a game (states oldest first)."""
    found: dict[str, TrustDelta] = {}
    wanted = len(states[-1].trust) if states else 0
    for state in reversed(states):
        for change in state.last.trust:
            found.setdefault(change.character, change)
        if len(found) >= wanted:
            break
    return found


def step_var_changes(state: GameState) -> tuple[VarDelta, ...]:
    """Each named variable's change over the step that made `state` (`do`, a `next` chain's
    scenes and `on_enter` together)."""
    merged: dict[str, VarDelta] = {}
    for change in (vchange for announced in state.last.announced for vchange in announced.vars):
        first = merged.get(change.var)
        merged[change.var] = change if first is None else VarDelta(change.var, first.before, change.after)
    return tuple(d for d in merged.values() if d.before != d.after)


def last_var_changes(states: Sequence[GameState]) -> dict[str, VarDelta]:
    """The most recent change of each named variable along a game (states oldest first)."""
    found: dict[str, VarDelta] = {}
    wanted = len(states[-1].vars) if states else 0
    for state in reversed(states):
        for change in step_var_changes(state):
            found.setdefault(change.var, change)
        if len(found) >= wanted:
            break
    return found


def stat_lines(story: Story, state: GameState, last: Mapping[str, VarDelta]) -> Content:
    """Two lines per named variable: the name, then `███░░░░░░░ 1/3 ▲1` (a bar over its min..max).
    Variables without a `name` are never shown. Empty when the story names none."""
    fresh = {d.var for d in step_var_changes(state)}
    parts: list[Content] = []
    for var, value in shown_vars(story, state):
        change = last.get(var.id)
        marker = signed_change(change.delta) if change else ""
        parts.append(
            Content.assemble(
                (var.name or var.id, "bold"),
                "\n",
                stat_bar(value, var.min, var.max),
                f" {stat_value(value, var.min, var.max)}",
                (f" {marker}" if marker else "", "bold" if var.id in fresh else ""),
            )
        )
    return Content("\n").join(parts)


def trust_lines(story: Story, state: GameState, last: Mapping[str, TrustDelta]) -> Content:
    """Two lines per character the player has met: the name, then `██████░░░░  60 ▲10`."""
    fresh = {c.character for c in state.last.trust}
    parts: list[Content] = []
    for cid, value in state.trust:
        if cid in story.characters and not is_visible(story, state, cid):
            continue  # format 2: not introduced yet
        name = story.characters[cid].name if cid in story.characters else cid
        change = last.get(cid)
        marker = signed_change(change.delta) if change else ""
        parts.append(
            Content.assemble(
                (name, "bold"),
                "\n",
                trust_bar(value),
                f" {value:>3}",
                (f" {marker}" if marker else "", "bold" if cid in fresh else ""),
            )
        )
    return Content("\n").join(parts) if parts else Content("Nobody to trust yet.")


def journal_lines(story: Story, state: GameState) -> Content:
    """The clues in the order they were found, numbered; the newest marked `new`."""
    fresh = set(state.last.clues)
    parts: list[Content] = []
    for number, flag_id in enumerate(state.journal, start=1):
        flag = story.flags.get(flag_id)
        text = flag.text if flag else flag_id
        parts.append(
            Content.assemble(
                (f"{number}. ", "bold"),
                text,
                (" (new)", "italic") if flag_id in fresh else "",
            )
        )
    return Content("\n").join(parts) if parts else Content("No clues yet.")


class Sidebar(VerticalScroll, can_focus=False):
    """Trust and journal for one game state."""

    def compose(self) -> ComposeResult:
        yield Static("Trust", classes="sidebar-heading", markup=False)
        yield Static(id="trust", markup=False)
        yield Static("Stats", id="stats-heading", classes="sidebar-heading", markup=False)
        yield Static(id="stats", markup=False)
        yield Static("Case journal", classes="sidebar-heading", markup=False)
        yield Static(id="journal", markup=False)

    def show(
        self,
        story: Story,
        state: GameState,
        last: Mapping[str, TrustDelta],
        last_vars: Mapping[str, VarDelta],
    ) -> None:
        self.query_one("#trust", Static).update(trust_lines(story, state, last))
        stats = stat_lines(story, state, last_vars)
        self.query_one("#stats", Static).update(stats)
        for selector in ("#stats-heading", "#stats"):
            self.query_one(selector, Static).display = bool(stats)
        self.query_one("#journal", Static).update(journal_lines(story, state))
        if state.last.clues:  # a new clue is last in the journal: bring it into view
            self.call_after_refresh(self.scroll_end, animate=False)
