"""The Carved Box (askarov) in format 2: who the player has met, and a choice's answer, in plain mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO, SCENES

from coldcase_game.story.loader import load_story

CASE = SCENES / "askarov"

# Plain-mode numbers: skip Lucia's message, dig for the photograph, remember Samarkand only, "the job",
# go to bed, and go with Jonah to the records.
TO_THE_CRATES = ["2", "2", "2", "1", "1", "3", "1"]


def _play(keys: list[str], tmp_path: Path) -> str:
    env = dict(os.environ, COLDCASE_SAVES=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "coldcase_game", "play", "--plain", str(CASE)],
        input="".join(f"{k}\n" for k in keys),
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=REPO,
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def test_the_case_is_format_2_with_terms_and_characters_met_later() -> None:
    story = load_story(CASE)
    assert story.format == 2
    assert {"Anvar", "Grachev", "Zarina", "Gulnora", "Anvar's daughter", "Lucia"} <= set(story.terms)
    assert len(story.terms) >= 12
    met_by = {c.id: c.introduced_by for c in story.characters.values()}
    assert met_by == {"shopkeeper": "saw_stall", "handler": "met_ruth", "jonah": "met_jonah"}


def test_skipping_the_message_still_introduces_jonah_and_only_those_met(tmp_path: Path) -> None:
    out = _play([":status", *TO_THE_CRATES[:-1], ":status"], tmp_path)
    first, _, second = out.partition("== Sunday at the Drive-In ==")
    # on the first night nobody is listed yet: Jonah, Ruth and the woman at the stall are met later
    assert "[status] journal: nothing yet" in first
    assert "Jonah Reyes: trust" not in first
    assert "Ruth Kessler" not in first
    # the market says who Jonah is when the message was never played
    assert "You don't play Lucia's message until six this morning" in second
    assert "Jonah, her sixteen-year-old, is sitting on the front step" in second
    status = [line for line in second.splitlines() if line.startswith("[status]")]
    assert "[status] Jonah Reyes: trust 35/100" in status
    # the stall's woman is listed from the moment she is seen, not while the stall is only glimpsed
    assert not any("The woman at the stall" in line for line in status)
    assert not any("Ruth Kessler" in line for line in status)  # Vienna was never remembered


@pytest.mark.parametrize(
    ("number", "answer", "change"),
    [
        ("1", "Jonah's fingers stop in the crate.", "[trust] Jonah Reyes: 35 -> 50 (+15)"),
        ("2", '"Sure," he says, to the crate. "Minsk."', "[trust] Jonah Reyes: 35 -> 25 (-10)"),
    ],
    ids=["yes", "the joke"],
)
def test_jonah_answers_were_you_a_spy_before_the_stall(
    number: str, answer: str, change: str, tmp_path: Path
) -> None:
    out = _play([*TO_THE_CRATES, number], tmp_path)
    after = out.split("Were you a spy?", 1)[1]
    assert after.index(answer) < after.index(change) < after.index("== Row F ==")


def test_sending_jonah_off_shows_his_answer_and_the_stall_woman_appears_at_the_stall(tmp_path: Path) -> None:
    out = _play([*TO_THE_CRATES[:-1], "2", ":status"], tmp_path)
    after = out.split("Go straight to row F.", 1)[1]
    answer = '"One o\'clock. The car," he says back to you'
    change = "[trust] Jonah Reyes: 35 -> 25 (-10)"
    assert after.index(answer) < after.index(change) < after.index("== Row F ==")
    status = [line for line in after.splitlines() if line.startswith("[status]")]
    assert "[status] The woman at the stall: trust 30/100" in status


def test_a_return_to_sunday_night_with_the_letter_sealed_has_its_own_line(tmp_path: Path) -> None:
    """The second visit no longer repeats the sealed-envelope paragraph word for word."""
    out = _play(list("2112113111213111"), tmp_path)  # one digit a choice
    first, second = out.split("== Sunday Night ==")[1:3]
    sealed = "The envelope is still sealed, with its one pencilled word facing up."
    assert sealed in first
    assert sealed not in second
    assert "You have picked it up once since, and put it down again" in second


def test_the_closed_trunk_tells_monday_before_wednesday(tmp_path: Path) -> None:
    keys = list("111111211121113111111111111131111122")  # one digit a choice
    ending = _play(keys, tmp_path).split("== The Closed Trunk ==", 1)[1]
    monday = ending.index("Monday you are at Brightwater at eight-fifty.")
    assert monday < ending.index("On Wednesday Jonah comes for plov")
