"""Text and JSON reports of an exploration, for `coldcase explore`."""

from __future__ import annotations

from coldcase_game.analysis.explore import ExploreResult, Step, TermWarning
from coldcase_game.story.model import Pos, Story


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 state`, `2 states`, `1,000 states`."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def _at(pos: Pos) -> str:
    return f"{pos.file}:{pos.line}:{pos.col}"


def _findings(label: str, items: list[str]) -> list[str]:
    """`label: none`, or `label: N` and then one finding a line (each starting with file:line:col)."""
    if not items:
        return [f"{label}: none"]
    return [f"{label}: {len(items)}", *(f"  {item}" for item in items)]


def _choice_at(story: Story, scene_id: str, choice_id: str) -> tuple[str, str]:
    """Where a choice's finding points (its `if`, else the choice) and its condition as `(if: ...)`."""
    choice = story.scenes[scene_id].choice(choice_id)
    if choice is None:  # pragma: no cover - explore only names the story's own choices
        return _at(story.scenes[scene_id].pos), ""
    if choice.cond is None:
        return _at(choice.pos), ""
    return _at(choice.cond.pos), f" (if: {choice.cond.source})"


def _keys(path: list[Step]) -> str:
    return " ".join(str(s.number) for s in path) or "(none: the start scene is an ending)"


def report_text(story: Story, result: ExploreResult) -> str:
    lines: list[str] = [f"{story.title} ({story.id}): {plural(result.states, 'state')} searched", ""]
    total = len(story.endings)
    lines.append(f"Endings: {len(result.endings)} of {total} reachable")
    for scene in story.endings:
        path = result.endings.get(scene.id)
        if path is None:
            lines.append(f"  {_at(scene.pos)}: UNREACHABLE  {scene.ending} ({scene.id})")
            continue
        lines.append(f"  {scene.ending} ({scene.id}): {plural(len(path), 'choice')}")
        lines.append(f"    walkthrough: {_keys(path)}")
        lines.extend(f"      {s.number}. [{s.scene}] {s.text}" for s in path)
    lines.append("")
    if result.soft_locks:
        states = plural(result.soft_lock_states, "reachable state")
        lines.append(f"Soft locks: {states} with no available choice")
        for scene_id, path in result.soft_locks:
            at = _at(story.scenes[scene_id].pos)
            lines.append(f"  {at}: in scene '{scene_id}', reached by: {_keys(path)}")
    else:
        lines.append("Soft locks: none")
    lines += _findings(
        "Scenes never reached", [f"{_at(story.scenes[sid].pos)}: {sid}" for sid in result.unreached_scenes]
    )
    for label, pairs in (
        ("Choices never available", result.never_available),
        ("Conditions that always hold", result.always_open),
    ):
        found = []
        for sid, cid in pairs:
            at, cond = _choice_at(story, sid, cid)
            found.append(f"{at}: {sid}.{cid}{cond}")
        lines += _findings(label, found)
    for label, items in (
        ("always shown", result.paragraphs_always),
        ("never shown", result.paragraphs_never),
    ):
        found = []
        for sid, i, src in items:
            paragraph = story.scenes[sid].paragraphs[i - 1]
            at = _at(paragraph.cond.pos if paragraph.cond else paragraph.pos)
            found.append(f"{at}: {sid} #{i} (if: {src})")
        lines += _findings(f"Conditional paragraphs {label}", found)
    if story.terms:
        lines.append("")
        if result.term_warnings:
            lines.append(f"Terms shown before they are introduced: {len(result.term_warnings)}")
            lines.extend(str_warning(w) for w in result.term_warnings)
        else:
            lines.append("Terms shown before they are introduced: none")
    named = [vid for vid, v in story.vars.items() if v.name]
    if named and result.var_ranges:
        lines.append("")
        lines.append("Shown variables on arrival (min-max):")
        width = max(len(s) for s in story.scenes)
        lines.append("  " + "scene".ljust(width) + "  " + "  ".join(v[:12].rjust(12) for v in named))
        for sid, values in result.var_ranges.items():
            cells = "  ".join(f"{values[v][0]}-{values[v][1]}".rjust(12) for v in named)
            lines.append("  " + sid.ljust(width) + "  " + cells)
    if story.characters:
        lines.append("")
        lines.append("Trust on arrival (min-max):")
        ids = list(story.characters)
        width = max(len(s) for s in story.scenes) if story.scenes else 5
        header = "  " + "scene".ljust(width) + "  " + "  ".join(c[:12].rjust(12) for c in ids)
        lines.append(header)
        for sid, chars in result.trust_ranges.items():
            cells = "  ".join(f"{chars[c][0]}-{chars[c][1]}".rjust(12) for c in ids)
            lines.append("  " + sid.ljust(width) + "  " + cells)
    lines.append("")
    lines.append(
        "OK: every ending is reachable and nothing soft-locks."
        if result.ok
        else "FAILED: " + _failure(result)
    )
    return "\n".join(lines)


def str_warning(w: TermWarning) -> str:
    """W301 in the form editors understand, then the walkthrough that shows it."""
    p = w.pos
    keys = " ".join(str(s.number) for s in w.path)
    line = f"{p.file}:{p.line}:{p.col}: warning[W301]: {w.message}"
    return line + (f"\n    walkthrough: {keys}" if keys else "")


def warning_json(w: TermWarning) -> dict[str, object]:
    return {
        "file": w.pos.file,
        "line": w.pos.line,
        "col": w.pos.col,
        "severity": "warning",
        "code": "W301",
        "message": w.message,
        "term": w.term,
        "flags": list(w.flags),
        "where": w.where,
        "scene": w.scene,
        "path": _steps(list(w.path)),
    }


def _failure(result: ExploreResult) -> str:
    parts = []
    if result.unreached_endings:
        count = plural(len(result.unreached_endings), "unreachable ending")
        parts.append(f"{count}: {', '.join(result.unreached_endings)}")
    if result.soft_locks:
        parts.append(f"soft locks in {plural(len(result.soft_locks), 'scene')}")
    if not result.endings:
        parts.append("no ending can be reached")
    return "; ".join(parts)


def _steps(path: list[Step]) -> list[dict[str, object]]:
    return [{"scene": s.scene, "choice": s.choice, "number": s.number, "text": s.text} for s in path]


def _where(pos: Pos) -> dict[str, object]:
    """The `file`, `line` and `col` keys of a finding in `explore --json`."""
    return {"file": pos.file, "line": pos.line, "col": pos.col}


def _choice_json(story: Story, scene_id: str, choice_id: str) -> dict[str, object]:
    """A choice finding: where its `if` is (else the choice), as the text report points."""
    choice = story.scenes[scene_id].choice(choice_id)
    pos = story.scenes[scene_id].pos if choice is None else (choice.cond or choice).pos
    cond = None if choice is None or choice.cond is None else choice.cond.source
    return {"scene": scene_id, "choice": choice_id, "if": cond, **_where(pos)}


def _paragraph_json(story: Story, scene_id: str, number: int, source: str) -> dict[str, object]:
    paragraph = story.scenes[scene_id].paragraphs[number - 1]
    pos = paragraph.cond.pos if paragraph.cond else paragraph.pos
    return {"scene": scene_id, "paragraph": number, "if": source, **_where(pos)}


def report_json(story: Story, result: ExploreResult) -> dict[str, object]:
    return {
        "story": story.id,
        "title": story.title,
        "states": result.states,
        "ok": result.ok,
        "endings": [
            {
                "scene": s.id,
                "title": s.ending,
                "reachable": s.id in result.endings,
                "walkthrough": _steps(result.endings[s.id]) if s.id in result.endings else None,
                **_where(s.pos),
            }
            for s in story.endings
        ],
        "soft_locks": [
            {"scene": sid, "path": _steps(path), **_where(story.scenes[sid].pos)}
            for sid, path in result.soft_locks
        ],
        "soft_lock_states": result.soft_lock_states,
        "unreached_scenes": result.unreached_scenes,
        "never_available": [_choice_json(story, s, c) for s, c in result.never_available],
        "always_open": [_choice_json(story, s, c) for s, c in result.always_open],
        "paragraphs_always_shown": [
            _paragraph_json(story, s, i, src) for s, i, src in result.paragraphs_always
        ],
        "paragraphs_never_shown": [
            _paragraph_json(story, s, i, src) for s, i, src in result.paragraphs_never
        ],
        "trust_ranges": {
            sid: {c: {"min": lo, "max": hi} for c, (lo, hi) in chars.items()}
            for sid, chars in result.trust_ranges.items()
        },
        "var_ranges": {
            sid: {v: {"min": lo, "max": hi} for v, (lo, hi) in values.items()}
            for sid, values in result.var_ranges.items()
        },
        "warnings": [warning_json(w) for w in result.term_warnings],
    }
