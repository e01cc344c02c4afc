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


# From the start to Doyle's suite at three in the morning without the call to the mother, the
# photograph from Vera or Almasbek at the door: write back, open the shoebox, family research,
# refuse help, go early, open the laptop, walk him home, skip Doyle, ask Vera point-blank, the sea,
# walk to the train, read the file on the platform, a cab alone.
COLD_TO_DOYLE = [
    "write_back",
    "reading_room",
    "family_research",
    "refuse_help",
    "go_early",
    "to_work",
    "walk_him_home",
    "ask_why_secrets",
    "skip_doyle",
    "ask_blunt",
    "let_him_have_sea",
    "walk_to_train",
    "read_platform",
    "cab_alone",
]


def test_his_first_name_is_given_at_the_reel_before_the_narration_uses_it() -> None:
    at_desk = play(["reading_room"])
    assert "A. CLARKE" in text(at_desk)
    assert "Almasbek" not in text(at_desk)
    at_reel = play(["reading_room", "family_research"])
    assert at_reel.state.scene == "reel_114"
    assert "Almasbek Clarke. Nobody in this city can say the first half" in text(at_reel)


def test_the_walk_to_moses_is_told_before_the_basement() -> None:
    session = play(["reading_room", "show_email", "accept_help"])
    session.choose("to_work")
    assert session.state.scene == "basement"
    assert any("I know a man who can" in p for p in session.state.last.then)


def test_doyle_at_three_in_the_morning_without_the_call_photograph_or_almasbek() -> None:
    session = play(COLD_TO_DOYLE)
    assert session.state.scene == "doyle_final"
    shown = text(session)
    assert "Standing, you tell him what is in the folder" in shown
    assert shown.index("Standing, you tell him") < shown.index("He doesn't deny it")
    assert "You'll take it to some reporter, I suppose. Go on, publish it" in shown
    options = {o.choice.id: o for o in session.options()}
    assert "ask_christmas" not in options  # she never heard about Frank's Christmases
    door = options["open_door"]
    assert not door.available
    assert "Vera's photograph" not in door.text
    assert door.locked_reason is not None
    assert door.locked_reason.endswith("and you have neither.")


def test_the_file_unread_after_going_back_down_to_vera_owns_the_question_not_asked() -> None:
    """She went back down to the Volga and sat with Vera in the coat room: the ending cannot say
    that finding out would have meant going back."""
    route = ["shoebox", "reading_room", "show_email", "accept_help", "ask_cane", "laugh"]
    route += ["ask_languages", "tell_maggie", "ask_who", "ask_old_name", "watch_hands", "laugh_boom"]
    route += ["look_log", "slide_back", "to_work", "ask_linden", "ask_why_secrets", "skip_doyle"]
    route += ["show_photo", "fold_napkins", "let_him_have_sea", "take_arm", "slip_out", "go_back_down"]
    ending = text(play([*route, "follow_vera", "walk_out_unread"]))
    assert "You could have asked Vera about the email, under her bulb in the coat room." in ending
    assert "It would mean going back to the Volga" not in ending
