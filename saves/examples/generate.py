"""Regenerate the shipped example saves: one finished game per bundled case.

    .venv/bin/python saves/examples/generate.py

For each case, many seeded random playthroughs are tried; the one that reaches an
ending with the most journal clues (then the fewest steps) is saved as
`<case id>.json`. A file whose game still replays cleanly and is still the best
playthrough is left as it is, so regenerating changes nothing unless a story did.
`make test` replays every file here with `coldcase replay --check`.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from coldcase_game.session import Session
from coldcase_game.session.errors import SaveError
from coldcase_game.session.game import LogEntry
from coldcase_game.session.saves import SaveStore
from coldcase_game.story.bundled import ORDER, story_dirs
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story

HERE = Path(__file__).resolve().parent
WALKS = 3000
MAX_STEPS = 300


def best_playthrough(story: Story) -> Session | None:
    rng = random.Random(f"coldcase-example-{story.id}")
    best: tuple[tuple[int, int, tuple[LogEntry, ...]], Session] | None = None  # (score, game)
    for _ in range(WALKS):
        session = Session(story)
        while not session.is_over and session.steps < MAX_STEPS:
            options = [o for o in session.options() if o.available]
            session.choose(rng.choice(options).choice.id)
        if session.is_over:
            score = (-len(session.state.journal), session.steps, session.log)
            if best is None or score < best[0]:
                best = (score, session)
    return None if best is None else best[1]


def main() -> int:
    store = SaveStore(HERE)
    cases = [p for p in story_dirs() if p.name in ORDER]
    for path in cases:
        story = load_story(path)
        session = best_playthrough(story)
        if session is None:
            print(
                f"{story.id}: no ending reached in {WALKS} playthroughs; no example written", file=sys.stderr
            )
            return 1
        try:
            current = store.load(story.id, story)
            if current.clean and current.session.log == session.log:
                print(f"{story.id}: unchanged ({session.steps} steps, ending '{session.ending}')")
                continue
        except SaveError:
            pass
        store.save(story.id, session, label=f"Example: {session.ending}")
        (HERE / f"{story.id}.json.bak").unlink(missing_ok=True)
        print(
            f"{story.id}: wrote {story.id}.json ({session.steps} steps, {len(session.state.journal)} clues,"
            f" ending '{session.ending}')"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
