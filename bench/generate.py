"""Generated stories for the benchmarks: large enough to measure, shaped like real ones."""

from __future__ import annotations

from pathlib import Path

CHARACTERS = ("ana", "bo", "cy")
FLAGS = tuple(f"f{i}" for i in range(10))

PROSE = (
    "Rain ticks on the window of the reading room. Somebody has left a folded newspaper "
    "on the radiator, and the ink has run into the shape of a coastline. You wait."
)


def manifest(scenes: int) -> str:
    chars = "\n".join(f"  {c}:\n    name: {c.title()}\n    trust: 50" for c in CHARACTERS)
    flags = "\n".join(f"  {f}: Clue number {f[1:]}." for f in FLAGS)
    return (
        f"format: 1\ntitle: Generated ({scenes} scenes)\nstart: s0\ncharacters:\n{chars}\nflags:\n{flags}\n"
    )


def scene(i: int, n: int) -> str:
    if i == n - 1:
        return f"  s{i}:\n    title: Scene {i}\n    text: {PROSE}\n    ending: The End\n"
    a, b, c = CHARACTERS
    f = FLAGS[i % len(FLAGS)]
    g = FLAGS[(i + 3) % len(FLAGS)]
    nxt = i + 1
    skip = min(i + 2, n - 1)
    return (
        f"  s{i}:\n"
        f"    title: Scene {i}\n"
        f"    text:\n"
        f"      - {PROSE}\n"
        f"      - if: trust.{a} >= 60\n"
        f"        text: Ana almost smiles.\n"
        f"    choices:\n"
        f"      - text: Help Ana with the files.\n"
        f"        goto: s{nxt}\n"
        f"        id: help\n"
        f"        do:\n"
        f"          trust: {{{a}: +10, {b}: -5}}\n"
        f"          set: [{f}]\n"
        f"      - text: Side with Bo.\n"
        f"        goto: s{nxt}\n"
        f"        id: side\n"
        f"        if: not {g} or trust.{b} >= 40\n"
        f"        locked: Bo is not listening.\n"
        f"        do:\n"
        f"          trust: {{{b}: '%+20', {c}: -10}}\n"
        f"          clear: [{g}]\n"
        f"      - text: Slip away with Cy.\n"
        f"        goto: s{skip}\n"
        f"        id: slip\n"
        f"        if: trust.{c} >= 40 and {f}\n"
        f"        do:\n"
        f"          trust: {{{c}: '%-10'}}\n"
    )


def write(root: Path, scenes: int, per_file: int = 50) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(manifest(scenes), encoding="utf-8")
    for start in range(0, scenes, per_file):
        body = "scenes:\n" + "".join(scene(i, scenes) for i in range(start, min(start + per_file, scenes)))
        (root / f"part_{start // per_file:03d}.yaml").write_text(body, encoding="utf-8")
    return root


# --- the hub story: a loop-heavy state space for the explore bench ------------------------------

HUB_CHARACTERS = ("ana", "bo", "cy", "dee", "eli")
HUB_FLAGS = ("ledger", "photo", "key", "cipher", "alibi", "ticket")
HUB_STEPS = ("+10", "-10", "+20", "-20")


def _hub_scene(sid: str, title: str, text: list[str], choices: list[dict[str, object]]) -> str:
    out = [f"  {sid}:\n    title: {title}\n    text:\n"]
    out.extend(f"      - {p}\n" for p in text)
    out.append("    choices:\n")
    for c in choices:
        out.append(f"      - text: {c['text']}\n        goto: {c['goto']}\n        id: {c['id']}\n")
        if "if" in c:
            out.append(f"        if: {c['if']}\n")
        if "locked" in c:
            out.append(f"        locked: {c['locked']}\n")
        if c.get("once"):
            out.append("        once: true\n")
        do: list[str] = []
        if "trust" in c:
            do.append(f"          trust: {{{c['trust']}}}\n")
        if "set" in c:
            do.append(f"          set: [{c['set']}]\n")
        if "clear" in c:
            do.append(f"          clear: [{c['clear']}]\n")
        if do:
            out.append("        do:\n" + "".join(do))
    return "".join(out)


def hub_scenes(
    scenes: int, characters: int = 2, flags: int = 4, once: int = 2, seed: int = 1
) -> dict[str, str]:
    """The hub story's scene texts by scene id (see `write_hub`)."""
    import random

    rng = random.Random(seed)
    chars = HUB_CHARACTERS[:characters]
    flag_ids = HUB_FLAGS[:flags]
    rooms = scenes - 5  # the hub, the gate and three endings
    if rooms < 2 or not 1 <= characters <= len(HUB_CHARACTERS) or not 1 <= flags <= len(HUB_FLAGS):
        raise ValueError(
            f"a hub story has at least 7 scenes, 1 to {len(HUB_CHARACTERS)} characters "
            f"and 1 to {len(HUB_FLAGS)} flags"
        )
    setters = sum(1 for r in range(rooms) if r % 3 != 1)  # the rooms that set a clue (below)
    readers = sum(1 for r in range(rooms) if r % 3 != 0)
    if min(setters, readers) < flags:
        raise ValueError(f"{scenes} scenes are too few for {flags} clues that are all set and read")
    # wings of one to three rooms, each entered from the hub and leading back to it
    wings: list[list[str]] = []
    left = rooms
    while left:
        size = min(left, rng.choice((1, 2, 3)))
        wings.append([f"w{len(wings)}_{j}" for j in range(size)])
        left -= size
    out: dict[str, str] = {}
    room_no = 0
    setter = reader = 0  # the rooms that set and read clues take the clues in turn
    for w, wing in enumerate(wings):
        for j, sid in enumerate(wing):
            nxt = wing[j + 1] if j + 1 < len(wing) else "hub"
            a = chars[room_no % len(chars)]  # every character gains and loses somewhere
            b = chars[(room_no + 1 + rng.randrange(len(chars) - 1)) % len(chars)] if len(chars) > 1 else a
            up = HUB_STEPS[rng.choice((0, 2))]
            down = HUB_STEPS[rng.choice((1, 3))]
            choices: list[dict[str, object]] = [
                {
                    "text": f"Press {a.title()} on the details.",
                    "goto": nxt,
                    "id": "press",
                    "trust": f"{a}: {up}",
                },
                {"text": "Leave it for now.", "goto": "hub", "id": "leave"},
            ]
            kind = room_no % 3
            if kind == 0:
                f = flag_ids[setter % len(flag_ids)]
                setter += 1
                choices.append(
                    {
                        "text": f"Take what {b.title()} left on the desk.",
                        "goto": nxt,
                        "id": "take",
                        "once": room_no < 3 * once,
                        "set": f,
                        "trust": f"{b}: {down}",
                    }
                )
            elif kind == 1:
                g = flag_ids[reader % len(flag_ids)]
                reader += 1
                choices.append(
                    {
                        "text": f"Show {b.title()} what you found.",
                        "goto": nxt,
                        "id": "show",
                        "if": f"{g} and trust.{b} >= 40",
                        "locked": f"{b.title()} will not look at it yet.",
                        "trust": f"{b}: {up}, {a}: {down}" if b != a else f"{b}: {up}",
                        "clear": g,
                    }
                )
            else:
                f, g = flag_ids[reader % len(flag_ids)], flag_ids[setter % len(flag_ids)]
                reader += 1
                setter += 1
                choices.append(
                    {
                        "text": f"Argue with {b.title()}.",
                        "goto": nxt,
                        "id": "argue",
                        "if": f"trust.{b} >= 30 or {f}",
                        "trust": f"{b}: {down}",
                        "set": g,
                    }
                )
            text = [
                PROSE,
                f"if: trust.{a} >= 70\n        text: {a.title()} leans in, almost friendly.",
            ]
            out[sid] = _hub_scene(sid, f"Room {w}.{j}", text, choices)
            room_no += 1
    hub_choices: list[dict[str, object]] = []
    for w, wing in enumerate(wings):
        choice: dict[str, object] = {"text": f"Go to room {w}.", "goto": wing[0], "id": f"to_w{w}"}
        if w % 4 == 3:  # a wing that opens only to someone's trust: fewer states inside it
            who = chars[w % len(chars)]
            choice["if"] = f"trust.{who} >= 60"
            choice["locked"] = f"{who.title()} has not let you in."
        hub_choices.append(choice)
    hub_choices.append(
        {
            "text": "Go to the door at the end of the hall.",
            "goto": "gate",
            "id": "to_gate",
            "if": "visits.hub >= 3",
            "locked": "Not yet. You have not seen enough.",
        }
    )
    out["hub"] = _hub_scene(
        "hub",
        "The Hall",
        [PROSE, "if: visits.hub > 3\n        text: The hall is familiar by now."],
        hub_choices,
    )
    a, b = chars[0], chars[1 % len(chars)]
    f, g = flag_ids[0], flag_ids[1 % len(flag_ids)]
    out["gate"] = _hub_scene(
        "gate",
        "The Door",
        [PROSE],
        [
            {
                "text": f"Open it with {a.title()}.",
                "goto": "e_trust",
                "id": "with_a",
                "if": f"trust.{a} >= 70 and {f}",
                "locked": f"{a.title()} does not trust you enough.",
            },
            {
                "text": f"Hand {b.title()} the proof.",
                "goto": "e_proof",
                "id": "proof",
                "if": f"{g} or trust.{b} >= 90",
            },
            {"text": "Go back to the hall.", "goto": "hub", "id": "back"},
            {"text": "Walk out alone.", "goto": "e_alone", "id": "alone"},
        ],
    )
    for sid, title in (("e_trust", "Trusted"), ("e_proof", "Proven"), ("e_alone", "Alone")):
        out[sid] = f"  {sid}:\n    title: {title}\n    text: {PROSE}\n    ending: {title}\n"
    return out


def write_hub(
    root: Path,
    scenes: int = 60,
    *,
    characters: int = 2,
    flags: int = 4,
    once: int = 2,
    seed: int = 1,
    per_file: int = 20,
) -> Path:
    """A story of `scenes` scenes, in scene format 1 (which every engine since the first reads): a hall
    (the start) whose choices lead into wings of one to three rooms and back, so every room can be
    visited again and again; a door that opens after the third visit to the hall, with three endings
    behind it. Trust moves in steps of 10 and 20, `once` choices set clues, and others read and clear
    them: the search sees every mix of trust values, clues and choices taken in every room. The same
    arguments always write the same files (`seed` picks the wings and the steps)."""
    parts = hub_scenes(scenes, characters, flags, once, seed)
    chars = HUB_CHARACTERS[:characters]
    root.mkdir(parents=True, exist_ok=True)
    people = "\n".join(f"  {c}:\n    name: {c.title()}\n    trust: 50" for c in chars)
    clues = "\n".join(f"  {f}: The {f} is on the table." for f in HUB_FLAGS[:flags])
    (root / "story.yaml").write_text(
        f"format: 1\ntitle: Generated hub ({scenes} scenes)\nstart: hub\n"
        f"characters:\n{people}\nflags:\n{clues}\n",
        encoding="utf-8",
    )
    ids = list(parts)
    for start in range(0, len(ids), per_file):
        body = "scenes:\n" + "".join(parts[sid] for sid in ids[start : start + per_file])
        (root / f"hub_{start // per_file:03d}.yaml").write_text(body, encoding="utf-8")
    return root
