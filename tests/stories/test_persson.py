"""Cinnamon and Rain (persson), third draft in format 2: what a player sees on the routes the readers
tripped on. Each test plays choices by id through a Session, as plain mode and the TUI do."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from tests.conftest import SCENES

from coldcase_game.session import Session
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story


@functools.cache
def story() -> Story:
    return load_story(SCENES / "persson")


def play(choices: Iterable[str]) -> Session:
    session = Session(story())
    for choice in choices:
        available = [o.choice.id for o in session.options() if o.available]
        assert choice in available, f"{choice!r} not available in {session.state.scene}: {available}"
        session.choose(choice)
    return session


def shown(session: Session) -> str:
    return "\n".join(session.narration())


def offered(session: Session) -> dict[str, str]:
    """Choice id -> 'open' or the locked reason, for what the player sees listed."""
    return {o.choice.id: "open" if o.available else str(o.locked_reason) for o in session.options()}


# A warm opening: greet Margit, answer in Swedish, "you owe me a coffee", give the name (Persson at 50).
WARM = ["greet_margit", "answer_swedish", "owe_coffee", "give_name"]


def test_persson_and_nadia_are_not_in_the_sidebar_before_the_story_introduces_them() -> None:
    session = play(["straight_to_table", "answer_swedish"])
    assert [c.id for c, _ in session.characters()] == ["margit"]
    session = play(["straight_to_table", "answer_swedish", "owe_coffee"])
    assert "Almasbek Persson" in shown(session)
    assert {c.id: t for c, t in session.characters()} == {"persson": 50, "margit": 50}
    session = play([*WARM, "look_window", "speak_to_her"])
    assert "nadia" in {c.id for c, _ in session.characters()}


def test_the_answer_to_keep_name_comes_right_after_the_choice_and_not_again_in_the_hub() -> None:
    session = play(["straight_to_table", "answer_swedish", "owe_coffee", "keep_name"])
    assert "Which rumour would I like you to believe?" in session.state.last.then[0]
    assert "Which rumour" not in shown(session)
    assert "He tells stories the way other men roll cigarettes" in shown(session)


def test_the_hub_never_repeats_a_paragraph_and_closes_after_its_last_topic() -> None:
    session = play(WARM)
    seen: list[set[str]] = [set(session.narration())]
    for topic, back in [
        ("ask_name", "keep_buttoned"),
        ("ask_smuggling", "leave_sheremetyevo"),
        ("go_counter", "take_pot"),
    ]:
        session.choose(topic)
        session.choose(back)
        assert session.state.scene == "stories"
        seen.append(set(session.narration()))
    for i, a in enumerate(seen):
        for b in seen[i + 1 :]:
            assert not a & b, "a hub paragraph shown twice"
    third = "\n".join(seen[2])
    assert "Last pot" in third
    assert "one more thing" in third
    # the last visit offers only the two ways on to the masks, nothing that contradicts "last pot"
    assert set(offered(session)) == {"let_talk_turn", "ask_which_true"}


def test_who_was_he_waiting_for_is_not_asked_again_once_he_has_said_so() -> None:
    # Tell him she is at the window: he says he has known since six (flinch), then be his wall.
    route = [*WARM, "look_window", "tell_him_window", "be_a_wall", "let_talk_turn", "tell_secret"]
    session = play(route)
    assert session.state.scene == "corridors"
    assert "ask_who_waiting" not in offered(session)
    assert offered(session)["ask_who_she_is"] == "open"
    # without that talk the old question is there
    session = play([*WARM, "let_talk_turn", "tell_secret"])
    assert offered(session)["ask_who_waiting"] == "open"
    assert "ask_who_she_is" not in offered(session)


def test_since_six_oclock_owns_the_ferry_tag_seen_at_six() -> None:
    session = play([*WARM, "look_window", "tell_him_window"])
    assert session.scene.title == "Since Six O'Clock"
    assert "Since six o'clock, if I'm honest with you. Since eight, if I'm" in shown(session)


def test_the_confession_announces_its_clues_in_two_steps_after_the_prose() -> None:
    session = play([*WARM, "let_talk_turn", "tell_secret", "ask_who_waiting"])
    assert session.scene.title == "Her Name Was Vera"
    before = len(session.state.journal)
    session.choose("wait_silent")
    assert session.scene.title == "The Mask Slips"
    assert len(session.state.journal) - before == 2  # the cloakroom and Fyren; Vera came one step earlier
    assert "The Lighthouse." in shown(session)


def test_following_him_into_the_rain_finds_him_only_if_he_trusts_you() -> None:
    warm = play([*WARM, "let_talk_turn", "tell_secret", "ask_who_waiting", "wait_silent"])
    warm.choose("hand_over_his")
    warm.choose("follow_him")
    assert "I don't know the next line" in shown(warm)
    assert "walk_home" not in offered(warm)
    warm.choose("let_him_climb")
    assert warm.ending == "A Glimpse Behind the Mask"
    assert "I don't give him a line." in shown(warm)
    assert "Almas" not in shown(warm)

    cold = play(["straight_to_table", "watch_hands", "let_him_go", "say_late", "keep_name"])
    cold.choose("let_talk_turn")
    cold.choose("stay_neutral")
    cold.choose("let_silence")
    cold.choose("follow_him")
    assert "The lane is empty" in shown(cold)
    assert "let_him_climb" not in offered(cold)
    assert "bring_back" not in offered(cold)
    cold.choose("walk_home")
    assert cold.ending == "A Ghost in the Rain"
    assert "the lane behind me stays empty" in shown(cold)


def test_telling_him_to_go_to_her_is_remembered_and_can_be_said_again() -> None:
    route = [*WARM, "look_window", "tell_him_window", "push_him", "ask_buns", "let_talk_turn", "tell_secret"]
    session = play([*route, "let_silence"])
    assert session.state.scene == "armour"
    assert offered(session)["go_now"] == "open"
    session.choose("go_now")
    assert "You said that at the stove" in shown(session)
    # colder (the interpreter's face kept at the masks): no second chance, and the ghost ending
    # remembers the push when he goes out of the other door instead
    cold = [*WARM, "look_window", "tell_him_window", "push_him", "ask_buns", "let_talk_turn", "stay_neutral"]
    session = play([*cold, "let_silence"])
    assert "go_now" not in offered(session)
    session.choose("let_go_cold")
    assert session.ending == "A Ghost in the Rain"
    assert "I told him to go to her, and offered to hold his coat" in shown(session)


def test_pushing_all_night_is_counted_and_said() -> None:
    route = ["straight_to_table", "answer_russian", "tell_truth", "keep_name"]
    route += ["ask_moscow", "let_it_be_story"]
    session = play([*route, "ask_smuggling", "press_moscow", "let_barber_be", "let_talk_turn"])
    assert session.state.vars_map["pressure"] == 2
    assert "Nobody, I think, trained you to stop." in shown(session)
    session.choose("stay_neutral")
    session.choose("let_silence")
    assert "That isn't a complaint. It's an inventory." in shown(session)
    session.choose("let_go_cold")
    assert "I am on a list now, under a Tuesday" in shown(session)


def test_nadia_gives_the_saint_only_to_someone_who_was_straight_with_her_and_carried_her_words() -> None:
    base = [*WARM, "look_window", "speak_to_her", "honest_stranger"]
    carried = play([*base, "tell_what_she_said", "be_a_wall", "let_talk_turn", "tell_secret"])
    carried.choose("ask_who_she_is")
    carried.choose("wait_silent")
    carried.choose("hand_over_his")
    carried.choose("go_to_nadia")
    assert offered(carried)["take_errand"] == "open"

    kept = play([*base, "keep_her_words", "let_talk_turn", "tell_secret", "ask_who_she_is", "wait_silent"])
    kept.choose("hand_over_his")
    kept.choose("go_to_nadia")
    assert offered(kept)["take_errand"].startswith("She keeps both palms on it.")


# --- the fresh read of the second draft (notes/fresh-read-persson.md, FR1-FR23) ---

# Margit at 80 (knee, his tab paid, the letter put back), then the 1991 secret, silence, and the locked door.
MARGIT_80 = ["greet_margit", "answer_russian", "tell_truth", "give_name", "go_counter", "pay_tab", "ask_post"]
MARGIT_80 += ["put_back", "ask_which_true", "tell_secret", "let_silence"]


def test_the_opening_remarks_are_answered_before_he_sits_down() -> None:
    accents = play(["straight_to_table", "answer_swedish", "name_accents"])
    assert "in a fourth" in accents.state.last.then[0]
    coffee = play(["straight_to_table", "answer_swedish", "owe_coffee"])
    assert '"Very possibly a book," he agrees.' in coffee.state.last.then[0]


def test_trust_he_gave_before_his_name_is_announced_when_he_gives_it() -> None:
    session = play(["straight_to_table", "answer_swedish", "owe_coffee"])
    announced = session.state.last.on_enter.trust
    assert [(d.character, d.before, d.after) for d in announced] == [("persson", 30, 50)]
    assert '"Persson," he says. "Almasbek Persson.' in shown(session)


def test_the_scar_is_first_seen_at_the_customs_men_when_nobody_watched_his_hands() -> None:
    unseen = play([*WARM, "ask_smuggling"])
    first_seen = "absently, as if it itched. A white scar crosses it that I hadn't noticed until now."
    assert first_seen in shown(unseen)
    seen = play(["straight_to_table", "watch_hands", "owe_coffee", "give_name", "ask_smuggling"])
    assert "He rubs the white scar at the base of his thumb" in shown(seen)


def test_the_hub_does_not_offer_the_icon_rumour_as_new_after_the_dacha() -> None:
    session = play([*WARM, "ask_moscow", "let_it_be_story"])
    texts = {o.choice.id: o.text for o in session.options()}
    assert texts["ask_smuggling"] == "Ask how saints like the widow's got past the customs men."


def test_the_clock_does_not_run_backwards_after_last_pot() -> None:
    session = play(WARM)
    for topic, back in [("ask_name", "keep_buttoned"), ("ask_smuggling", "leave_sheremetyevo")]:
        session.choose(topic)
        session.choose(back)
    assert "I turn the sign at midnight" in shown(session)
    session.choose("go_counter")
    session.choose("take_pot")
    assert "It's gone midnight." in shown(session)
    assert "well past eleven" not in shown(session)


def test_hard_questions_are_answered_in_part_when_he_trusts_you_and_shut_when_he_does_not() -> None:
    # Tornedalen first (+20): at 60 the question about 1986 gets a promise, not a barber
    warm = play([*WARM, "ask_name", "tell_tornedalen", "back_to_stories", "ask_smuggling"])
    assert {"press_moscow_warm", "press_moscow"} & set(offered(warm)) == {"press_moscow_warm"}
    warm.choose("press_moscow_warm")
    assert "Ask me again after midnight" in warm.state.last.then[0]
    assert warm.state.scene == "stories"
    assert dict(warm.characters())[story().characters["persson"]] == 70
    warm.choose("let_talk_turn")
    warm.choose("tell_secret")
    warm.choose("ask_who_waiting")
    warm.choose("wait_silent")
    assert "You asked me at the stove" in shown(warm)
    # colder, the same question still costs and gets the barber in Budapest
    cold = play(["straight_to_table", "watch_hands", "let_him_go", "say_late", "keep_name", "ask_smuggling"])
    assert {"press_moscow_warm", "press_moscow"} & set(offered(cold)) == {"press_moscow"}
    cold.choose("press_moscow")
    assert cold.scene.title == "A Barber in Budapest"


def test_someone_who_sat_at_her_table_is_not_asked_who_he_was_waiting_for() -> None:
    route = [*WARM, "look_window", "speak_to_her", "honest_stranger", "keep_her_words", "ask_name"]
    session = play([*route, "tell_tornedalen", "back_to_stories", "let_talk_turn", "tell_secret"])
    assert "ask_who_waiting" not in offered(session)
    assert session.options()[0].text.startswith("'You watched me sit at her table.")
    session.choose("ask_who_she_is")
    assert "Nadia said it to me at her table" in shown(session)


def test_margits_word_at_the_locked_door_opens_the_parcel_and_his_trust_decides_the_smile() -> None:
    session = play([*MARGIT_80, "lock_door"])
    assert "Tuesdays. Tips. Puts the letters back where they lay." in shown(session)
    assert "he doesn't glance at me at all" in shown(session)
    assert "the look you give a waiter" not in shown(session)
    assert [(d.character, d.after) for d in session.state.last.on_enter.trust] == [("nadia", 45)]
    assert offered(session)["unwrap_together"] == "open"
    session.choose("unwrap_together")
    assert "their four hands are doing one small job together" in session.state.last.then[0]
    session.choose("read_note")
    # he was locked in at 40: he reads it, and goes, without the smile
    assert "give_film" not in offered(session)
    session.choose("give_film_cold")
    assert session.ending == "A Ghost in the Rain"
    assert "He does not smile." in shown(session)
    assert "unlocks the street door" in shown(session)


def test_leaving_the_locked_in_table_is_not_told_as_his_walking_out() -> None:
    # Margit at 70 only (no knee): she locks the door, but gives no reference, and the parcel stays tied
    route = ["straight_to_table", "answer_russian", "tell_truth", "give_name", "go_counter", "pay_tab"]
    route += ["ask_post", "put_back", "ask_moscow", "let_it_be_story"]
    session = play([*route, "let_talk_turn", "tell_secret", "let_silence", "lock_door"])
    hint = offered(session)["unwrap_together"]
    assert hint.startswith("She keeps one hand flat on the headscarf. She doesn't know you")
    session.choose("leave_table_cold")
    assert session.ending == "A Ghost in the Rain"
    assert "sitting at the right table at last, with the parcel still tied" in shown(session)
    assert "as he must have gone out of a hundred rooms" not in shown(session)


def test_the_rush_route_is_not_told_as_a_long_night() -> None:
    session = play(["straight_to_table", "answer_swedish", "name_accents", "keep_name", "ask_which_true"])
    assert "Long before midnight, sooner than I would have thought," in shown(session)
    session.choose("stay_neutral")
    session.choose("let_silence")
    assert "Whatever he came to Lyktan for tonight" in shown(session)
    session.choose("let_go_cold")
    assert "He told me two or three stories that night" in shown(session)
