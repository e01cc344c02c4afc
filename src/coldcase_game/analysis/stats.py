"""Author statistics: words per scene and in all, words on the shortest and longest route to
each ending, choices per scene, and the states explore searches (`coldcase stats`)."""

from __future__ import annotations

from dataclasses import dataclass

from coldcase_game.analysis.stategraph import state_graph, words
from coldcase_game.story.model import Scene, Story


@dataclass(frozen=True)
class SceneStats:
    id: str
    heading: str
    words: int  # every paragraph (conditional ones too), the choices' texts and locked hints
    choices: int
    ending: str | None
    next: str | None = None  # format 2: the scene it flows on to


@dataclass(frozen=True)
class EndingRoute:
    id: str
    title: str
    shortest: int | None  # narration words read on the way; None when no game reaches it
    longest: int | None


@dataclass(frozen=True)
class StoryStats:
    scenes: tuple[SceneStats, ...]
    routes: tuple[EndingRoute, ...]
    states: int
    loops: bool  # some route can go round a loop (its scenes are counted once on the longest route)

    @property
    def words(self) -> int:
        return sum(s.words for s in self.scenes)

    @property
    def choices(self) -> int:
        return sum(s.choices for s in self.scenes)


def scene_words(scene: Scene) -> int:
    total = sum(words(p.text) for p in scene.paragraphs)
    for choice in scene.choices:
        total += words(choice.text) + (words(choice.locked) if choice.locked else 0)
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
    return StoryStats(scenes, routes, graph.result.states, loops)
