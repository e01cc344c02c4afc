"""The clarke case in format 2: what a player sees on particular routes, played through the engine."""

from __future__ import annotations

import functools

from tests.conftest import SCENES

from coldcase_game.session import Session
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story

# From the start to the top of the boardwalk: write back, call and push the mother, ask what his
# face did, ask his price, the cane, Almaty, the hands, Moses's stoop, the night walk, the suite
# (a stranger's email), the bench, the photograph and the napkins with Vera.
OPENING = [
    "write_back",
    "mother_call",
    "push_her",
    "ask_face",
    "ask_price",
    "ask_cane",
    "STAIRCASE",
    "ask_languages",
    "tell_maggie",
    "watch_hands",
    "SECOND_GLASS",
    "to_work",
    "follow_moses",
    "tell_almasbek",
    "ask_why_secrets",
    "go_as_yourself",
    "stranger_email",
    "finish_coffee",
    "show_photo",
    "fold_napkins",
    "let_him_have_sea",
]


@functools.cache
def story() -> Story:
    return load_story(SCENES / "clarke")


def play(choices: list[str]) -> Session:
    session = Session(story())
    for choice in choices:
        session.choose(choice)
    return session


def opening(staircase: str, second_glass: str) -> list[str]:
    swap = {"STAIRCASE": staircase, "SECOND_GLASS": second_glass}
    return [swap.get(c, c) for c in OPENING]


def trust(session: Session, character: str) -> int:
    return {c.id: value for c, value in session.characters()}[character]


def text(session: Session) -> str:
    return "\n".join(session.narration())


def test_a_detective_who_pressed_him_hears_the_whole_story_below_trust_50() -> None:
    pressed = play(opening("wait_him_out", "hold_eye"))
    assert pressed.state.scene == "restaurant_outside"
    assert trust(pressed, "almasbek") < 50
    shown = text(pressed)
    assert "You have been cross-examining me for three days" in shown
    assert "Very well. The story." in shown
    assert "Glienicke Bridge" in shown  # the boathouse, the shots, the Havel: the full confession
    assert "That is all I can say standing in the street" not in shown


def test_pressing_a_man_who_does_not_trust_you_gets_some_of_it_and_he_says_so() -> None:
    pressing = ["wait_him_out", "look_log", "ask_whose", "to_work", "walk_him_home", "ask_how_long"]
    session = play(["reading_room", "family_research", "refuse_help", "go_early", "ask_cane", *pressing])
    for choice in ["skip_doyle", "fold_napkins", "ask_vera"]:
        session.choose(choice)
    assert session.state.scene == "restaurant_outside"
    assert trust(session, "almasbek") < 35
    shown = text(session)
    assert "So: some of it." in shown
    assert "Very well. The story." not in shown
    assert "Glienicke Bridge" not in shown
    assert "That is all I can say standing in the street" in shown


def test_the_polite_route_at_higher_trust_gets_only_the_partial_confession() -> None:
    polite = play(opening("laugh", "laugh_boom"))
    assert polite.state.scene == "restaurant_outside"
    assert 35 < trust(polite, "almasbek") < 50
    shown = text(polite)
    assert "cross-examining" not in shown
    assert "Glienicke Bridge" not in shown
    assert "That is all I can say standing in the street" in shown


def test_an_answer_is_shown_right_after_its_question_and_not_again_on_the_return() -> None:
    session = play(["write_back", "mother_call", "let_her_go", "show_email", "accept_help", "ask_languages"])
    session.choose("ask_trade")
    assert any("without the invoices" in p for p in session.state.last.then)
    assert session.state.scene == "after_hours"
    assert "without the invoices" not in text(session)
    assert text(session) == "The tea has gone from hot to merely kind. The radiator ticks."


def test_vera_is_met_at_the_volga_and_sends_the_file_by_grisha_when_she_dislikes_you() -> None:
    session = play(["write_back", "mother_call", "let_her_go", "show_email", "accept_help", "to_work"])
    session.choose("walk_him_home")
    session.choose("ask_why_secrets")
    assert [c.id for c, _ in session.characters()] == ["almasbek"]
    session.choose("skip_doyle")
    assert [c.id for c, _ in session.characters()] == ["almasbek", "vera"]
    for choice in ["ask_blunt", "let_him_have_sea", "ask_killed", "slip_out"]:
        session.choose(choice)
    assert session.state.scene == "last_train"
    assert trust(session, "vera") < 40
    shown = text(session)
    assert "It is not Vera. It is Grisha" in shown
    assert "Vera Brandt, with no hat" not in shown
