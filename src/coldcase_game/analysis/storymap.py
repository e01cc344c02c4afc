"""The story map: scenes and choices as a graph, for `coldcase graph` (Mermaid, DOT, HTML).

Scenes are shown by title; the start and the endings are marked; a conditional choice is
labelled with its condition and a `once` choice says so; scenes no `goto` chain reaches are
flagged. With `explore=True` the map also carries what exploring proved: each scene's trust on
arrival, the scenes and choices no game reaches, and which endings each scene can still lead to.
"""

from __future__ import annotations

from dataclasses import dataclass

from coldcase_game.story.checks import reachable_scenes
from coldcase_game.story.model import Story


@dataclass(frozen=True)
class MapNode:
    id: str
    title: str
    start: bool
    ending: str | None  # the ending's title
    unreachable: bool  # no `goto` chain from the start reaches it (W101)
    where: str  # file:line
    first_line: str  # the start of the scene's first paragraph
    # with explore:
    never_reached: bool = False  # no game reaches it (the graph may still connect it)
    trust: tuple[tuple[str, int, int], ...] = ()  # (character id, min, max) on arrival
    endings_open: tuple[str, ...] = ()  # ending titles some arrival here can still reach
    every_ending_always: bool = False  # every arrival here can still reach every ending
    soft_lock: bool = False  # some game arrives here with no choice available

    def notes(self, total_endings: int, explored: bool) -> list[str]:
        """The lines under the title, the same in every format."""
        out = []
        if self.start:
            out.append("START")
        if self.ending is not None:
            out.append("ENDING" if self.ending == self.title else f"ENDING: {self.ending}")
        if self.unreachable:
            out.append("UNREACHABLE: no goto leads here")
        elif explored and self.never_reached:
            out.append("NEVER REACHED by any game")
        if explored and self.soft_lock:
            out.append("SOFT LOCK: a game can get stuck here")
        if explored and not self.never_reached:
            if self.trust:
                out.append(
                    "trust "
                    + ", ".join(f"{n} {lo}-{hi}" if lo != hi else f"{n} {lo}" for n, lo, hi in self.trust)
                )
            if self.ending is None:
                if self.every_ending_always:
                    out.append(f"all {total_endings} endings still open")
                elif len(self.endings_open) == total_endings:
                    out.append(f"all {total_endings} endings open on some routes only")
                elif self.endings_open:
                    out.append(
                        f"{len(self.endings_open)} of {total_endings} endings open: "
                        + ", ".join(self.endings_open)
                    )
                else:
                    out.append("NO ending reachable from here")
        return out


@dataclass(frozen=True)
class MapEdge:
    source: str
    target: str
    choice: str  # the choice id
    text: str
    condition: str | None
    locked: bool  # shown locked (with a reason) while the condition fails
    once: bool
    never_available: bool = False  # with explore: no game can take it
    flows: bool = False  # format 2: the scene's `next`, no choice (`choice` and `text` are "")

    @property
    def label(self) -> str:
        if self.flows:
            return "next"
        parts = []
        if self.choice != self.target:  # an id of its own tells two choices to one scene apart
            parts.append(self.choice)
        if self.condition is not None:
            parts.append(f"if {self.condition}")
        if self.once:
            parts.append("once")
        if self.never_available:
            parts.append("never available")
        return " · ".join(parts)


@dataclass(frozen=True)
class StoryMap:
    id: str
    title: str
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    explored: bool = False
    states: int = 0

    @property
    def total_endings(self) -> int:
        return sum(1 for n in self.nodes if n.ending is not None)

    def node(self, scene_id: str) -> MapNode:
        return next(n for n in self.nodes if n.id == scene_id)


def count(n: int, word: str) -> str:
    """`1 scene`, `2 scenes`."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _first_line(story: Story, scene_id: str, limit: int = 160) -> str:
    scene = story.scenes[scene_id]
    text = " ".join(scene.paragraphs[0].text.split()) if scene.paragraphs else ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def story_map(story: Story, *, explore: bool = False, max_states: int = 1_000_000) -> StoryMap:
    """The map of `story`. With `explore`, runs the search (explore.ExploreLimit past `max_states`)."""
    linked = reachable_scenes(story)
    never_reached: set[str] = set()
    never_available: set[tuple[str, str]] = set()
    trust: dict[str, dict[str, tuple[int, int]]] = {}
    endings: dict[str, tuple[frozenset[str], bool]] = {}
    stuck: set[str] = set()
    states = 0
    if explore:
        from coldcase_game.analysis.stategraph import state_graph

        graph = state_graph(story, max_states=max_states)
        never_reached = set(graph.result.unreached_scenes)
        never_available = set(graph.result.never_available)
        trust = graph.result.trust_ranges
        endings = graph.scene_endings()
        states = graph.result.states
        stuck = {scene_id for scene_id, _ in graph.result.soft_locks}
    titles = {s.id: s.ending or s.heading for s in story.endings}
    nodes = []
    for scene in story.scenes.values():
        some, always = endings.get(scene.id, (frozenset(), False))
        nodes.append(
            MapNode(
                id=scene.id,
                title=scene.title or scene.ending or scene.heading,
                start=scene.id == story.start,
                ending=scene.ending,
                unreachable=scene.id not in linked,
                where=f"{scene.pos.file}:{scene.pos.line}",
                first_line=_first_line(story, scene.id),
                never_reached=scene.id in never_reached,
                trust=tuple((cid, lo, hi) for cid, (lo, hi) in trust.get(scene.id, {}).items()),
                endings_open=tuple(titles[e.id] for e in story.endings if e.id in some),
                every_ending_always=always,
                soft_lock=scene.id in stuck,
            )
        )
    edges = [
        MapEdge(
            source=scene.id,
            target=choice.goto,
            choice=choice.id,
            text=choice.text,
            condition=choice.cond.source if choice.cond is not None else None,
            locked=choice.locked is not None,
            once=choice.once,
            never_available=(scene.id, choice.id) in never_available,
        )
        for scene in story.scenes.values()
        for choice in scene.choices
    ]
    edges += [
        MapEdge(scene.id, scene.next, "", "flows on", None, False, False, flows=True)
        for scene in story.scenes.values()
        if scene.next is not None
    ]
    return StoryMap(story.id, story.title, tuple(nodes), tuple(edges), explore, states)
