"""The sidebar: each character's trust (number, bar, last change), the named variables (format 2)
and the case journal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

from coldcase_game.engine import GameState, TrustDelta, VarDelta, is_visible, shown_vars
from coldcase_game.story.model import Story
from coldcase_game.tui.safe_text import show_in, signed_change, stat_bar, stat_value, trust_bar


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


def journal_entries(story: Story, state: GameState) -> list[Content]:
    """The clues in the order they were found, numbered; the newest marked `new`."""
    fresh = set(state.last.clues)
    entries: list[Content] = []
    for number, flag_id in enumerate(state.journal, start=1):
        flag = story.flags.get(flag_id)
        text = flag.text if flag else flag_id
        entries.append(
            Content.assemble(
                (f"{number}. ", "bold"),
                text,
                (" (new)", "italic") if flag_id in fresh else "",
            )
        )
    return entries


NO_CLUES = "No clues yet."


def journal_lines(story: Story, state: GameState) -> Content:
    """The journal as one text, an entry a line."""
    entries = journal_entries(story, state)
    return Content("\n").join(entries) if entries else Content(NO_CLUES)


EntryKey = tuple[str, tuple[tuple[int, int, str], ...]]


def entry_key(entry: Content) -> EntryKey:
    return entry.plain, tuple((span.start, span.end, str(span.style)) for span in entry.spans)


class EntryCache:
    """Entries wrapped for a width (and, drawn, for a style), kept between frames."""

    def __init__(self) -> None:
        self.heights: dict[tuple[EntryKey, int], int] = {}
        self.strips: dict[tuple[EntryKey, int, Style], list[Strip]] = {}

    def height(self, entry: Content, key: EntryKey, rules: RulesMap, width: int) -> int:
        found = self.heights.get((key, width))
        if found is None:
            if len(self.heights) > MAX_CACHED_ENTRIES:
                self.heights.clear()
            found = self.heights[key, width] = entry.get_height(rules, width)
        return found

    def render(
        self, entry: Content, key: EntryKey, width: int, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if options.selection is not None:  # text being selected: drawn as it is now, not kept
            return entry.render_strips(width, None, style, options)
        found = self.strips.get((key, width, style))
        if found is None:
            if len(self.strips) > MAX_CACHED_ENTRIES:
                self.strips.clear()
            found = self.strips[key, width, style] = entry.render_strips(width, None, style, options)
        return found


class Entries(Visual):
    """Entries one under another, each wrapped once for a given width and kept in a cache: a
    journal that grows by a clue wraps one entry, not all of them again."""

    def __init__(self, entries: Sequence[Content], cache: EntryCache) -> None:
        self.entries = tuple(entries)
        self.keys = tuple(entry_key(e) for e in self.entries)
        self.cache = cache

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((e.get_optimal_width(rules, container_width) for e in self.entries), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(
            self.cache.height(e, k, rules, width) for e, k in zip(self.entries, self.keys, strict=True)
        )

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        for entry, key in zip(self.entries, self.keys, strict=True):
            strips.extend(self.cache.render(entry, key, width, style, options))
        return strips if height is None else strips[:height]


MAX_CACHED_ENTRIES = 500


class Journal(Static):
    """The sidebar's case journal: drawn again only when an entry changed, and then only the
    entries that changed are wrapped again."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Content(NO_CLUES), id=id, classes=classes, markup=False)
        self._entries: tuple[EntryKey, ...] = (entry_key(Content(NO_CLUES)),)
        self._cache = EntryCache()
        # Story text has no links: Textual would otherwise work out the link style and look for
        # links in every line of the journal each time it is drawn (a third of its drawing time)
        self.auto_links = False

    def show(self, entries: Sequence[Content]) -> None:
        entries = list(entries) or [Content(NO_CLUES)]
        shown = Entries(entries, self._cache)
        if shown.keys != self._entries:
            self._entries = shown.keys
            self.update(shown)


class Sidebar(VerticalScroll, can_focus=False):
    """Trust and journal for one game state."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        # kept from compose: show() runs on every key press, a query each time walked the DOM
        self._trust = Static(id="trust", markup=False)
        self._stats_heading = Static("Stats", id="stats-heading", classes="sidebar-heading", markup=False)
        self._stats = Static(id="stats", markup=False)
        self._journal = Journal(id="journal")
        for part in (self._trust, self._stats):
            part.auto_links = False  # no links in story text: not looked for in every line drawn

    def compose(self) -> ComposeResult:
        yield Static("Trust", classes="sidebar-heading", markup=False)
        yield self._trust
        yield self._stats_heading
        yield self._stats
        yield Static("Case journal", classes="sidebar-heading", markup=False)
        yield self._journal

    def show(
        self,
        story: Story,
        state: GameState,
        last: Mapping[str, TrustDelta],
        last_vars: Mapping[str, VarDelta],
    ) -> None:
        # each part is drawn again only when what it shows has changed (most choices leave the
        # journal, and often trust, as they were)
        show_in(self._trust, trust_lines(story, state, last))
        stats = stat_lines(story, state, last_vars)
        show_in(self._stats, stats)
        self._stats_heading.display = self._stats.display = bool(stats)
        self._journal.show(journal_entries(story, state))
        if state.last.clues:  # a new clue is last in the journal: bring it into view
            # (after the layout: Textual's anchor() does it within the layout, but scrolls a
            # sidebar whose content is shorter than its height down by the difference)
            self.call_after_refresh(self.scroll_end, animate=False)
