"""Author statistics: words per scene and in all, words on the shortest and longest route to
each ending, choices per scene, and the states explore searches (`coldcase stats`)."""

from __future__ import annotations

from dataclasses import dataclass

from coldcase_game.analysis.stategraph import state_graph, words
from coldcase_game.story.model import Inline, Paragraph, Piece, Scene, Story


@dataclass(frozen=True)
class SceneStats:
    id: str
    heading: str
    # every paragraph (conditional ones and every variant of a sequence or cycle too), the choices'
    # texts, locked hints and (format 2) `then` texts; every part of an inline piece
    words: int
    choices: int
    ending: str | None
    next: str | None = None  # format 2: the scene it flows on to


@dataclass(frozen=True)
class EndingRoute:
    id: str
    title: str
    shortest: int | None  # narration words read on the way (`then` texts too); None when no game reaches it
    longest: int | None


@dataclass(frozen=True)
class StoryStats:
    scenes: tuple[SceneStats, ...]
    routes: tuple[EndingRoute, ...]
    states: int
    loops: bool  # some route can go round a loop (its scenes are counted once on the longest route)
    format: int = 1  # the story's format (format 2 counts variants and `then` texts too)

    @property
    def words(self) -> int:
        return sum(s.words for s in self.scenes)

    @property
    def choices(self) -> int:
        return sum(s.choices for s in self.scenes)


def inline_words(text: str, inline: Inline | None) -> int:
    """The words of one text as written. Format 2: with inline pieces, the words outside them and
    every part of each (both sides of an `{if}`, every visit's part of a `{seq}` or `{cycle}`), a
    mark of punctuation that a piece leaves on its own (`{if x:, sternly}.`) not counted as a word."""
    if inline is None:
        return words(text)
    outside = "".join(run if isinstance(run, str) else " " for run in inline)
    parts = [part for piece in inline if isinstance(piece, Piece) for part in piece.parts]
    return sum(_wordy(t) for t in (outside, *parts))


def _wordy(text: str) -> int:
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))


def text_words(paragraphs: tuple[Paragraph, ...]) -> int:
    """The words of a text list as written: every paragraph, every variant of a `sequence` or
    `cycle` (a player who comes back reads them all), and every part of inline pieces."""
    total = 0
    for p in paragraphs:
        if p.mode == "text":
            total += inline_words(p.text, p.inline)
            continue
        for v in p.variants:
            for i, t in enumerate(v.paragraphs):
                total += inline_words(t, v.inline[i] if v.inline else None)
    return total


def scene_words(scene: Scene) -> int:
    total = text_words(scene.paragraphs)
    for choice in scene.choices:
        total += inline_words(choice.text, choice.text_inline)
        if choice.locked:
            total += inline_words(choice.locked, choice.locked_inline)
        total += text_words(choice.then)
    return total


def story_stats(story: Story, *, max_states: int = 1_000_000) -> StoryStats:
    """Raises explore.ExploreLimit when the story has more than `max_states` states."""
    graph = state_graph(story, max_states=max_states)
    shortest = graph.shortest_words()
    longest, loops = graph.longest_words()
    scenes = tuple(
        SceneStats(s.id, s.title or s.ending or s.heading, scene_words(s), len(s.choices), s.ending, s.next)
        for s in story.scenes.values()
    )
    routes = tuple(
        EndingRoute(s.id, s.ending or s.heading, shortest.get(s.id), longest.get(s.id)) for s in story.endings
    )
    return StoryStats(scenes, routes, graph.result.states, loops, story.format)
