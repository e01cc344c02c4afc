"""The graph of every reachable game state, recorded while `explore` searches it.

`explore` merges states that nothing can tell apart any more, so this graph is finite and
its paths are exactly the games a player can play. `graph --explore` and `stats` read it:
which endings each scene can still lead to, and how many words lie on the shortest and the
longest route to each ending.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from coldcase_game import engine
from coldcase_game.analysis.explore import ExploreResult, explore
from coldcase_game.engine import Changes, GameState
from coldcase_game.story.graphs import strongly_connected
from coldcase_game.story.model import Scene, Story

Key = int  # explore's state key: the compiled state int, what can no longer matter masked off


def words(text: str) -> int:
    return len(text.split())


@dataclass
class StateGraph:
    story: Story
    result: ExploreResult
    start: Key | None = None
    scene_of: dict[Key, str] = field(default_factory=dict)
    words_of: dict[Key, int] = field(default_factory=dict)  # the scene's narration words in that state
    edges: dict[Key, list[tuple[Key, str]]] = field(default_factory=dict)  # -> (next key, choice id)
    # format 2: the words read between a state and the next one when a choice is taken (its `then`
    # text and the scenes a `next` chain passes through, as shown); left out when there are none.
    # They belong to the choice, not to the state arrived at: explore merges arrivals by other ways.
    edge_words: dict[tuple[Key, str], int] = field(default_factory=dict)
    start_words: int = 0  # the scenes the start scene's own `next` chain passes through

    # --- endings still reachable ---------------------------------------------------------
    def endings_from(self) -> dict[Key, frozenset[str]]:
        """For each state: the ending scenes some game from it can reach."""
        back: dict[Key, list[Key]] = {}
        for k, outs in self.edges.items():
            for nk, _ in outs:
                back.setdefault(nk, []).append(k)
        reach: dict[Key, set[str]] = {k: set() for k in self.scene_of}
        for k, sid in self.scene_of.items():
            if not self.story.scenes[sid].is_ending:
                continue
            stack, seen = [k], {k}
            while stack:
                node = stack.pop()
                reach[node].add(sid)
                for prev in back.get(node, ()):
                    if prev not in seen:
                        seen.add(prev)
                        stack.append(prev)
        return {k: frozenset(v) for k, v in reach.items()}

    def scene_endings(self) -> dict[str, tuple[frozenset[str], bool]]:
        """Scene -> (endings some arrival there can still reach, whether every arrival can reach every
        ending of the story). Scenes no game reaches are left out. A scene a `next` chain passes
        through (format 2) is never a state of its own: it has what the end of its chain has."""
        every = frozenset(s.id for s in self.story.endings)
        by_state = self.endings_from()
        out: dict[str, tuple[frozenset[str], bool]] = {}
        for k, sid in self.scene_of.items():
            some, always = out.get(sid, (frozenset(), True))
            out[sid] = (some | by_state[k], always and by_state[k] == every)
        never = set(self.result.unreached_scenes)
        for scene in self.story.scenes.values():
            end = scene
            for _ in range(len(self.story.scenes)):
                if end.next is None:
                    break
                end = self.story.scenes[end.next]
            if end is not scene and end.id in out and scene.id not in never:
                out[scene.id] = out[end.id]
        return out

    # --- routes ----------------------------------------------------------------------------
    def shortest_words(self) -> dict[str, int]:
        """Ending scene -> the fewest narration words a game reads on its way there (the ending's
        own text included)."""
        if self.start is None:
            return {}
        best: dict[Key, int] = {self.start: self.start_words + self.words_of[self.start]}
        heap: list[tuple[int, int, Key]] = [(best[self.start], 0, self.start)]
        order = {k: i for i, k in enumerate(self.scene_of)}  # a total order for ties
        out: dict[str, int] = {}
        while heap:
            cost, _, k = heapq.heappop(heap)
            if cost > best[k]:
                continue
            sid = self.scene_of[k]
            if self.story.scenes[sid].is_ending and sid not in out:
                out[sid] = cost
            for nk, choice in self.edges.get(k, ()):
                new = cost + self.edge_words.get((k, choice), 0) + self.words_of[nk]
                if new < best.get(nk, new + 1):
                    best[nk] = new
                    heapq.heappush(heap, (new, order[nk], nk))
        return out

    def longest_words(self) -> tuple[dict[str, int], bool]:
        """Ending scene -> the most narration words on a route there, and whether any route has a
        loop. A player can go round a loop forever, so inside a loop (a strongly connected set of
        states) each scene is counted once, with its longest reading, and so is each choice's
        `then` text."""
        if self.start is None:
            return {}, False
        components = _components(self.scene_of, self.edges)
        comp_of = {k: i for i, comp in enumerate(components) for k in comp}
        weight: list[int] = []
        looped = False
        for comp in components:
            scene_words: dict[str, int] = {}
            choice_words: dict[tuple[str, str], int] = {}  # the words taking a choice inside the loop reads
            members = set(comp)
            for k in comp:
                sid = self.scene_of[k]
                scene_words[sid] = max(scene_words.get(sid, 0), self.words_of[k])
                for nk, choice in self.edges.get(k, ()):
                    said = self.edge_words.get((k, choice), 0)
                    if said and nk in members:
                        choice_words[sid, choice] = max(choice_words.get((sid, choice), 0), said)
            weight.append(sum(scene_words.values()) + sum(choice_words.values()))
            if len(comp) > 1 or any(nk == comp[0] for nk, _ in self.edges.get(comp[0], ())):
                looped = True
        # Tarjan's order is reverse topological: walk it backwards for a forward pass
        best: dict[int, int] = {comp_of[self.start]: self.start_words + weight[comp_of[self.start]]}
        for i in range(len(components) - 1, -1, -1):
            if i not in best:
                continue
            for k in components[i]:
                for nk, choice in self.edges.get(k, ()):
                    j = comp_of[nk]
                    new = best[i] + self.edge_words.get((k, choice), 0) + weight[j]
                    if j != i and new > best.get(j, -1):
                        best[j] = new
        out: dict[str, int] = {}
        for k, sid in self.scene_of.items():
            if self.story.scenes[sid].is_ending and comp_of[k] in best:
                out[sid] = max(out.get(sid, 0), best[comp_of[k]])
        return out, looped


def state_graph(story: Story, *, max_states: int = 1_000_000) -> StateGraph:
    """Explore `story`, keeping every state and choice. Raises explore.ExploreLimit like explore."""
    graph = StateGraph(story, ExploreResult())
    says = {sid: _says_on_the_way(story, scene) for sid, scene in story.scenes.items()}

    def on_state(k: Key, state: GameState) -> None:
        if graph.start is None:
            graph.start = k
            graph.start_words = between(state.last)
        graph.scene_of[k] = state.scene
        graph.words_of[k] = sum(words(p) for p in engine.narration(story, state))
        graph.edges.setdefault(k, [])
        if says[state.scene] and not engine.is_over(story, state):
            for option in engine.choice_options(story, state):
                if option.available and option.choice.id in says[state.scene]:
                    said = between(engine.step(story, state, option.choice.id).last)
                    if said:
                        graph.edge_words[k, option.choice.id] = said

    def on_edge(k: Key, nk: Key, choice_id: str) -> None:
        graph.edges.setdefault(k, []).append((nk, choice_id))

    graph.result = explore(story, max_states=max_states, on_state=on_state, on_edge=on_edge)
    return graph


def between(last: Changes) -> int:
    """The words a step shows before its scene's own text: the choice's `then` text and the scenes
    its `next` chain passed through, each as it was shown."""
    return sum(words(t) for t in last.then) + sum(words(t) for p in last.passed for t in p.text)


def _says_on_the_way(story: Story, scene: Scene) -> frozenset[str]:
    """The scene's choices that show text before the scene they lead to: a `then`, or a `goto`
    scene that flows on with `next`."""
    return frozenset(
        c.id
        for c in scene.choices
        if c.then or (c.goto in story.scenes and story.scenes[c.goto].next is not None)
    )


def _components(nodes: dict[Key, str], edges: dict[Key, list[tuple[Key, str]]]) -> list[list[Key]]:
    """Strongly connected components of the state graph, in reverse topological order."""
    targets = {k: [nxt for nxt, _ in outs] for k, outs in edges.items()}
    return strongly_connected(nodes, lambda k: targets.get(k, ()))
