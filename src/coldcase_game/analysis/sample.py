"""Seeded random playthroughs of a story, for `coldcase explore --sample N`.

Like ChoiceScript's randomtest: each playthrough starts a new game and picks uniformly among the
available choices (`engine.choice_options`, then `engine.step`: the one rule set) until it reaches
an ending, a soft lock (a scene that is not an ending with no available choice), or `max_steps`
choices. One `random.Random(seed)` drives every playthrough in turn, so the same story, seed,
count and step limit give the same report. Sampling shows what it met; it proves nothing about
what it did not meet (that is the exhaustive search's job, `analysis.explore`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from coldcase_game import engine
from coldcase_game.story.model import Pos, Story

DEFAULT_MAX_STEPS = 5_000
SOFT_LOCK_PATHS = 20  # soft-locked scenes reported with a path, at most


@dataclass(frozen=True)
class SampleStep:
    scene: str
    choice: str
    number: int  # the number the player types in plain mode at that moment
    text: str


@dataclass
class SoftLockMet:
    scene: str
    runs: int  # playthroughs that stopped here
    path: list[SampleStep]  # the shortest of them: replay it with `coldcase play --plain`


@dataclass
class SampleResult:
    seed: int
    runs: int
    max_steps: int
    endings: dict[str, int] = field(default_factory=dict)  # ending scene id -> playthroughs, story order
    soft_locks: list[SoftLockMet] = field(default_factory=list)  # in the order first met
    soft_lock_runs: int = 0
    step_limit_runs: int = 0  # playthroughs stopped after max_steps choices
    steps_taken: int = 0  # choices made over all playthroughs
    scenes_never_hit: list[str] = field(default_factory=list)
    choices_never_hit: list[tuple[str, str]] = field(default_factory=list)  # in scenes that were hit

    @property
    def endings_never_hit(self) -> list[str]:
        return [sid for sid, n in self.endings.items() if n == 0]

    @property
    def ok(self) -> bool:
        return not self.soft_locks and not self.endings_never_hit and bool(self.endings)


def sample(story: Story, runs: int, seed: int, *, max_steps: int = DEFAULT_MAX_STEPS) -> SampleResult:
    """Play `runs` random games of `story`, each of at most `max_steps` choices."""
    if runs < 1 or max_steps < 1:
        raise ValueError("runs and max_steps must be at least 1")
    rng = random.Random(seed)
    result = SampleResult(seed=seed, runs=runs, max_steps=max_steps)
    result.endings = {s.id: 0 for s in story.endings}
    locks: dict[str, SoftLockMet] = {}
    hit_scenes: set[str] = set()
    hit_choices: set[tuple[str, str]] = set()
    first = engine.start(story)
    for _ in range(runs):
        state = first
        path: list[tuple[str, str, int, str]] = []
        while True:
            hit_scenes.add(state.scene)
            if engine.is_over(story, state):
                result.endings[state.scene] += 1
                break
            options = [o for o in engine.choice_options(story, state) if o.available]
            if not options:
                result.soft_lock_runs += 1
                lock = locks.get(state.scene)
                if lock is None:
                    if len(locks) < SOFT_LOCK_PATHS:
                        locks[state.scene] = SoftLockMet(state.scene, 1, [SampleStep(*p) for p in path])
                else:
                    lock.runs += 1
                    if len(path) < len(lock.path):
                        lock.path = [SampleStep(*p) for p in path]
                break
            if len(path) >= max_steps:
                result.step_limit_runs += 1
                break
            option = options[rng.randrange(len(options))]
            choice = option.choice
            hit_choices.add((state.scene, choice.id))
            path.append((state.scene, choice.id, option.number or 0, option.text))
            state = engine.step(story, state, choice.id)
        result.steps_taken += len(path)
    result.soft_locks = list(locks.values())
    result.scenes_never_hit = [sid for sid in story.scenes if sid not in hit_scenes]
    result.choices_never_hit = [
        (s.id, c.id)
        for s in story.scenes.values()
        if s.id in hit_scenes
        for c in s.choices
        if (s.id, c.id) not in hit_choices
    ]
    return result


# --- reports -------------------------------------------------------------------------

CAVEAT = (
    "Sampling proves nothing exhaustive: an ending, scene or choice not hit may still be reachable,\n"
    "and a story with no soft lock met may still have one. Run explore without --sample for a proof."
)


def _where(pos: Pos) -> str:
    return f"{pos.file}:{pos.line}"


def _percent(count: int, runs: int) -> str:
    return f"{100 * count / runs:.1f}%"


def _keys(path: list[SampleStep]) -> str:
    return " ".join(str(s.number) for s in path) or "(none: the start scene)"


def sample_text(story: Story, result: SampleResult, source: str | None = None) -> str:
    """The report an author reads; `source` is the story argument to repeat the run with."""
    runs = result.runs
    lines = [
        f"{story.title} ({story.id}): {runs:,} random playthrough{'s' if runs != 1 else ''}, "
        f"seed {result.seed}, at most {result.max_steps:,} choices each",
        f"  repeat: coldcase explore --sample {runs} --seed {result.seed}"
        + (f" --max-steps {result.max_steps}" if result.max_steps != DEFAULT_MAX_STEPS else "")
        + f" {source or story.id}",
        "",
    ]
    hit = sum(1 for n in result.endings.values() if n)
    lines.append(f"Endings: {hit} of {len(result.endings)} hit")
    width = max([len("step limit")] + [len(f"{s.ending} ({s.id})") for s in story.endings])
    for scene in story.endings:
        count = result.endings[scene.id]
        label = f"{scene.ending} ({scene.id})".ljust(width)
        share = f"{count:,} ({_percent(count, runs)})"
        lines.append(f"  {label}  {share}" if count else f"  {label}  {share}  NOT HIT, {_where(scene.pos)}")
    if result.soft_lock_runs:
        locked = result.soft_lock_runs
        lines.append(f"  {'soft lock'.ljust(width)}  {locked:,} ({_percent(locked, runs)})")
    if result.step_limit_runs:
        limited = result.step_limit_runs
        lines.append(f"  {'step limit'.ljust(width)}  {limited:,} ({_percent(limited, runs)})")
        lines.append(
            f"    (stopped after {result.max_steps:,} choices with no ending: a loop, or raise --max-steps)"
        )
    lines.append("")
    if result.soft_locks:
        lines.append(f"Soft locks met: {result.soft_lock_runs:,} playthroughs ended with no available choice")
        for lock in result.soft_locks:
            scene = story.scenes[lock.scene]
            lines.append(
                f"  in scene '{lock.scene}' ({_where(scene.pos)}), {lock.runs:,} playthrough"
                f"{'s' if lock.runs != 1 else ''}; the shortest: {_keys(lock.path)}"
            )
            lines.extend(f"      {s.number}. [{s.scene}] {s.text}" for s in lock.path)
    else:
        lines.append("Soft locks met: none")
    if result.scenes_never_hit:
        lines.append(f"Scenes never hit: {len(result.scenes_never_hit)}")
        lines.extend(f"  {_where(story.scenes[sid].pos)}: {sid}" for sid in result.scenes_never_hit)
    else:
        lines.append("Scenes never hit: none")
    if result.choices_never_hit:
        lines.append(f"Choices never taken (in scenes hit): {len(result.choices_never_hit)}")
        for sid, cid in result.choices_never_hit:
            choice = story.scenes[sid].choice(cid)
            where = _where(choice.pos) if choice is not None else _where(story.scenes[sid].pos)
            lines.append(f"  {where}: {sid}.{cid}")
    else:
        lines.append("Choices never taken (in scenes hit): none")
    lines.append("")
    lines.append(CAVEAT)
    if result.ok:
        lines.append(f"OK: every ending was hit and no soft lock was met in {runs:,} playthroughs.")
    else:
        parts = []
        if result.endings_never_hit:
            parts.append(
                f"{len(result.endings_never_hit)} ending(s) never hit: {', '.join(result.endings_never_hit)}"
            )
        if result.soft_locks:
            parts.append(f"soft locks met in {len(result.soft_locks)} scene(s)")
        if not result.endings:
            parts.append("the story has no ending")
        lines.append("FAILED: " + "; ".join(parts))
    return "\n".join(lines)


def _steps(path: list[SampleStep]) -> list[dict[str, object]]:
    return [{"scene": s.scene, "choice": s.choice, "number": s.number, "text": s.text} for s in path]


def sample_json(story: Story, result: SampleResult) -> dict[str, object]:
    runs = result.runs

    def share(count: int) -> dict[str, object]:
        return {"count": count, "percent": round(100 * count / runs, 2)}

    choices_never = []
    for sid, cid in result.choices_never_hit:
        choice = story.scenes[sid].choice(cid)
        pos = choice.pos if choice is not None else story.scenes[sid].pos
        choices_never.append({"scene": sid, "choice": cid, "file": pos.file, "line": pos.line})
    return {
        "story": story.id,
        "title": story.title,
        "mode": "sample",
        "exhaustive": False,
        "seed": result.seed,
        "runs": runs,
        "max_steps": result.max_steps,
        "steps": result.steps_taken,
        "ok": result.ok,
        "endings": [
            {"scene": s.id, "title": s.ending, "hit": result.endings[s.id] > 0, **share(result.endings[s.id])}
            for s in story.endings
        ],
        "soft_lock_runs": share(result.soft_lock_runs),
        "step_limit_runs": share(result.step_limit_runs),
        "soft_locks": [
            {
                "scene": lock.scene,
                "file": story.scenes[lock.scene].pos.file,
                "line": story.scenes[lock.scene].pos.line,
                "runs": lock.runs,
                "path": _steps(lock.path),
            }
            for lock in result.soft_locks
        ],
        "scenes_never_hit": [
            {"scene": sid, "file": story.scenes[sid].pos.file, "line": story.scenes[sid].pos.line}
            for sid in result.scenes_never_hit
        ],
        "choices_never_hit": choices_never,
        "note": CAVEAT.replace("\n", " "),
    }
