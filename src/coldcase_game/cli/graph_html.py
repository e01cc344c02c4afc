"""The story map as one self-contained HTML page: an SVG drawn here, with a simple layered layout.

No script, no font, no stylesheet from anywhere else: the page's Content-Security-Policy
forbids every fetch, so it opens the same offline. Layout: scenes in layers by their distance
from the start (scenes the start never reaches below the rest), ordered within each layer by
the barycentre of their neighbours to keep crossings down, then nudged under their parents.
Edges that go down are curves from the bottom of one box to the top of the next; edges that
go back up or sideways loop round the right-hand side.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

from coldcase_game.analysis.storymap import MapEdge, MapNode, StoryMap, count

CHAR_W = 7.0  # an estimate of the width of a 13px sans-serif character
LINE_H = 17
PAD = 10
GAP_X = 36
GAP_Y = 96
MARGIN = 30
MIN_W, MAX_W = 150, 300

COLOURS = {
    "start": ("#dcefdc", "#2e7d32"),
    "ending": ("#dbe8f7", "#1f5fa8"),
    "unreachable": ("#f9dcdc", "#c62828"),
    "scene": ("#ffffff", "#555555"),
}


@dataclass
class _Box:
    node: MapNode
    lines: list[tuple[str, bool]]  # (text, bold)
    w: float
    h: float
    layer: int = 0
    right: float = 0.0  # room kept free on the right (for a choice that loops back to the scene)
    x: float = 0.0  # centre
    y: float = 0.0  # top

    @property
    def kind(self) -> str:
        if self.node.unreachable or self.node.never_reached:
            return "unreachable"
        if self.node.start:
            return "start"
        if self.node.ending is not None:
            return "ending"
        return "scene"


def _box(node: MapNode, smap: StoryMap) -> _Box:
    lines = [(line, True) for line in textwrap.wrap(node.title, 34) or [node.id]]
    for note in node.notes(smap.total_endings, smap.explored):
        lines += [(line, False) for line in textwrap.wrap(note, 40)]
    width = max(len(text) * (CHAR_W + (0.6 if bold else 0)) for text, bold in lines) + 2 * PAD
    return _Box(node, lines, min(MAX_W, max(MIN_W, width)), len(lines) * LINE_H + 2 * PAD - 4)


def _layers(boxes: dict[str, _Box], edges: tuple[MapEdge, ...], start: str) -> list[list[_Box]]:
    """Longest-path layers over the graph without its back edges (found by a depth-first walk from
    the start), so a scene sits below every scene that leads forward to it."""
    succ: dict[str, list[str]] = {sid: [] for sid in boxes}
    for e in edges:
        if e.target in boxes and e.target not in succ[e.source]:
            succ[e.source].append(e.target)
    forward: dict[str, list[str]] = {sid: [] for sid in boxes}
    state: dict[str, int] = {}  # 1 on the walk's stack, 2 done
    order: list[str] = []  # finishing order

    def walk(root: str) -> None:
        state[root] = 1
        stack = [(root, iter(succ[root]))]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            elif nxt not in state:
                forward[node].append(nxt)
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
            elif state[nxt] == 2:
                forward[node].append(nxt)  # a cross or forward edge; one to the stack is a back edge

    roots = [start] if start in boxes else []
    if roots:
        walk(start)
    main = set(state)
    for sid in boxes:
        if sid not in state:
            walk(sid)
    depth = dict.fromkeys(boxes, 0)
    for node in reversed(order):  # a topological order of the forward edges
        for nxt in forward[node]:
            depth[nxt] = max(depth[nxt], depth[node] + 1)
    base = max((depth[s] for s in main), default=-1) + 1
    for sid in boxes:  # scenes the start does not lead to: below everything else
        if sid not in main:
            depth[sid] += base
    layers: list[list[_Box]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for sid, box in boxes.items():
        box.layer = depth[sid]
        layers[box.layer].append(box)
    return _compact(layers)


def _compact(layers: list[list[_Box]]) -> list[list[_Box]]:
    kept = [layer for layer in layers if layer]
    for i, layer in enumerate(kept):
        for box in layer:
            box.layer = i
    return kept


def _order(layers: list[list[_Box]], edges: tuple[MapEdge, ...], boxes: dict[str, _Box]) -> None:
    """Barycentre sweeps, down then up, a few times."""
    preds: dict[str, list[str]] = {sid: [] for sid in boxes}
    succs: dict[str, list[str]] = {sid: [] for sid in boxes}
    for e in edges:
        if e.target in boxes:
            preds[e.target].append(e.source)
            succs[e.source].append(e.target)
    pos = {b.node.id: i for layer in layers for i, b in enumerate(layer)}
    for sweep in range(8):
        down = sweep % 2 == 0
        rng = range(1, len(layers)) if down else range(len(layers) - 2, -1, -1)
        for li in rng:
            neighbour_layer = li - 1 if down else li + 1
            layer = layers[li]

            near = preds if down else succs

            def centre(box: _Box, li: int = neighbour_layer, near: dict[str, list[str]] = near) -> float:
                ps = [pos[p] for p in near[box.node.id] if boxes[p].layer == li]
                return sum(ps) / len(ps) if ps else pos[box.node.id]

            layer.sort(key=centre)
            for i, b in enumerate(layer):
                pos[b.node.id] = i


def _place(
    layers: list[list[_Box]], edges: tuple[MapEdge, ...], boxes: dict[str, _Box]
) -> tuple[float, float]:
    y = MARGIN + 10.0
    for layer in layers:
        x = MARGIN + 0.0
        for b in layer:
            b.x = x + b.w / 2
            b.y = y
            x += b.w + b.right + GAP_X
        y += max((b.h for b in layer), default=0) + GAP_Y
    preds: dict[str, list[str]] = {sid: [] for sid in boxes}
    for e in edges:
        if e.target in boxes and boxes[e.source].layer < boxes[e.target].layer:
            preds[e.target].append(e.source)
    for _ in range(4):  # under the parents, without overlapping, as little off-centre as can be
        for layer in layers[1:]:
            wanted = []
            for b in layer:
                ps = preds[b.node.id]
                wanted.append(sum(boxes[p].x for p in ps) / len(ps) if ps else b.x)
            xs = list(wanted)
            for i in range(1, len(layer)):  # push right where boxes overlap
                room = (layer[i - 1].w + layer[i].w) / 2 + layer[i - 1].right + GAP_X
                xs[i] = max(xs[i], xs[i - 1] + room)
            for i in range(len(layer) - 2, -1, -1):  # then pull back left towards what was wanted
                room = (layer[i].w + layer[i + 1].w) / 2 + layer[i].right + GAP_X
                xs[i] = min(max(xs[i], wanted[i]), xs[i + 1] - room)
            shift = max(0.0, MARGIN + layer[0].w / 2 - xs[0]) if layer else 0.0
            for b, x in zip(layer, xs, strict=True):
                b.x = x + shift
    width = max((b.x + b.w / 2 for b in boxes.values()), default=0) + MARGIN + 120
    return width, y - GAP_Y + MARGIN + 40


def _detour(s: _Box, t: _Box, layers: list[list[_Box]]) -> float | None:
    """For an edge that skips layers: an x clear of the boxes the straight line would cross."""
    hit: list[_Box] = []
    for li in range(s.layer + 1, t.layer):
        frac = (li - s.layer) / (t.layer - s.layer)
        x = s.x + (t.x - s.x) * frac
        hit += [b for b in layers[li] if b.x - b.w / 2 - 8 <= x <= b.x + b.w / 2 + 8]
    if not hit:
        return None
    right = max(b.x + b.w / 2 for b in hit) + 18
    left = min(b.x - b.w / 2 for b in hit) - 18
    middle = (s.x + t.x) / 2
    return left if left > MARGIN / 2 and middle - left < right - middle else right


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    mid = (y1 + y2) / 2
    return f"C{x1:.1f},{mid:.1f} {x2:.1f},{mid:.1f} {x2:.1f},{y2:.1f}"


def _edge_svg(
    edge: MapEdge,
    boxes: dict[str, _Box],
    index: int,
    layers: list[list[_Box]],
    spread: float = 0.0,
    placed: list[tuple[float, float, float, float]] | None = None,
) -> tuple[str, str]:
    """One choice as an arrow; `spread` moves the ends of parallel arrows (same two scenes) apart."""
    s, t = boxes[edge.source], boxes[edge.target]
    dashed = edge.condition is not None or edge.never_available
    colour = "#c62828" if edge.never_available else ("#666666" if dashed else "#333333")
    detour = _detour(s, t, layers) if t.layer > s.layer + 1 else None
    if s is t:  # back to the same scene: a loop on its right-hand side
        x1, top, bottom = s.x + s.w / 2, s.y + s.h * 0.3, s.y + s.h * 0.7
        out = x1 + 46
        path = (
            f"M{x1:.1f},{top:.1f} C{out:.1f},{s.y - 12:.1f} {out:.1f},{s.y + s.h + 12:.1f} "
            f"{x1 + 2:.1f},{bottom:.1f}"
        )
        lx, ly = out + 6 + len(edge.label) * 3.1, s.y + s.h / 2
    elif t.layer > s.layer and detour is not None:
        x1, y1, x2, y2 = s.x, s.y + s.h, t.x, t.y - 2
        top = layers[s.layer + 1][0].y - GAP_Y / 3
        bottom = max(b.y + b.h for b in layers[t.layer - 1]) + GAP_Y / 3
        path = (
            f"M{x1:.1f},{y1:.1f} {_curve(x1, y1, detour, top)} "
            f"L{detour:.1f},{bottom:.1f} {_curve(detour, bottom, x2, y2)}"
        )
        lx, ly = detour, (top + bottom) / 2
    elif t.layer > s.layer:
        x1, y1, x2, y2 = s.x + spread, s.y + s.h, t.x + spread, t.y
        mid = (y1 + y2) / 2
        path = f"M{x1:.1f},{y1:.1f} C{x1:.1f},{mid:.1f} {x2:.1f},{mid:.1f} {x2:.1f},{y2 - 2:.1f}"
        lx, ly = (x1 + x2) / 2, mid + (index % 3 - 1) * 14
    elif t.layer == s.layer:  # within a layer: a loop under both boxes
        x1, y1, x2, y2 = s.x, s.y + s.h, t.x, t.y + t.h
        low = max(y1, y2) + 34
        path = f"M{x1:.1f},{y1:.1f} C{x1:.1f},{low:.1f} {x2:.1f},{low:.1f} {x2:.1f},{y2 + 2:.1f}"
        lx, ly = (x1 + x2) / 2, low - 8
    else:  # back up: round the right-hand side
        x1, y1 = s.x + s.w / 2, s.y + s.h / 2
        x2, y2 = t.x + t.w / 2, t.y + t.h / 2
        bulge = max(x1, x2) + 40 + 12 * (index % 4)
        path = f"M{x1:.1f},{y1:.1f} C{bulge:.1f},{y1:.1f} {bulge:.1f},{y2:.1f} {x2 + 2:.1f},{y2:.1f}"
        lx, ly = bulge - 10, (y1 + y2) / 2
    parts = [
        f'<g class="edge"><title>{escape(edge.text)} ({escape(edge.source)} → {escape(edge.target)})'
        f"{_then_line(edge)}</title>",
        f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.4"'
        + (' stroke-dasharray="6 4"' if dashed else "")
        + ' marker-end="url(#arrow)"/>',
    ]
    parts.append("</g>")
    label = edge.label
    if not label:
        return "".join(parts), ""
    shown = label if len(label) <= 44 else label[:43] + "…"
    w = len(shown) * 6.2 + 8
    if placed is not None:  # move down, a line at a time, off the labels already placed
        for _ in range(6):
            box = (lx - w / 2, ly - 9, lx + w / 2, ly + 7)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                break
            ly += 17
        placed.append((lx - w / 2, ly - 9, lx + w / 2, ly + 7))
    tag = (  # drawn after the scenes, so no box hides it; its tooltip is the choice's text
        f'<g class="edge-label"><title>{escape(edge.text)} ({escape(label)}){_then_line(edge)}</title>'
        f'<rect x="{lx - w / 2:.1f}" y="{ly - 9:.1f}" width="{w:.1f}" height="16" rx="3" '
        f'fill="#fffbe6" stroke="#d8c98a" stroke-width="0.6"/>'
        f'<text x="{lx:.1f}" y="{ly + 3:.1f}" class="label">{escape(shown)}</text></g>'
    )
    return "".join(parts), tag


def _then_line(edge: MapEdge) -> str:
    """Format 2: a tooltip's line for what the choice's `then` says."""
    return f"\nthen: {escape(edge.then)}" if edge.then else ""


def _note_class(text: str) -> str:
    if text == "START":
        return "n-start"
    if text.startswith("ENDING"):
        return "n-ending"
    if text.startswith(("UNREACHABLE", "NEVER", "NO ", "SOFT LOCK")):
        return "warn"
    return "note"


def _node_svg(box: _Box) -> str:
    fill, stroke = COLOURS[box.kind]
    n = box.node
    x, y = box.x - box.w / 2, box.y
    width = 3 if box.kind == "start" else 2 if box.kind != "scene" else 1.2
    rx = 18 if n.ending is not None else 6
    dash = ' stroke-dasharray="5 4"' if box.kind == "unreachable" else ""
    tip = f"{n.id} ({n.where})" + (f"\n{n.first_line}" if n.first_line else "")
    parts = [
        f'<g class="scene {box.kind}" id="scene-{escape(n.id)}"><title>{escape(tip)}</title>',
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="{rx}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/>',
    ]
    if n.ending is not None:
        parts.append(
            f'<rect x="{x + 3:.1f}" y="{y + 3:.1f}" width="{box.w - 6:.1f}" height="{box.h - 6:.1f}" '
            f'rx="{rx - 3}" fill="none" stroke="{stroke}" stroke-width="0.8"/>'
        )
    for i, (text, bold) in enumerate(box.lines):
        cls = "title" if bold else _note_class(text)
        parts.append(
            f'<text x="{box.x:.1f}" y="{y + PAD + 9 + i * LINE_H:.1f}" class="{cls}">{escape(text)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def to_html(smap: StoryMap) -> str:
    boxes = {n.id: _box(n, smap) for n in smap.nodes}
    for e in smap.edges:
        if e.source == e.target:
            boxes[e.source].right = max(boxes[e.source].right, 46 + len(e.label) * 6.2 + 12)
    start = next((n.id for n in smap.nodes if n.start), "")
    layers = _layers(boxes, smap.edges, start)
    _order(layers, smap.edges, boxes)
    width, height = _place(layers, smap.edges, boxes)
    parallel: dict[tuple[str, str], int] = {}
    for e in smap.edges:
        parallel[(e.source, e.target)] = parallel.get((e.source, e.target), 0) + 1
    seen: dict[tuple[str, str], int] = {}
    placed: list[tuple[float, float, float, float]] = []
    edges = []
    for i, e in enumerate(smap.edges):
        if e.target not in boxes:
            continue
        pair = (e.source, e.target)
        k = seen[pair] = seen.get(pair, -1) + 1
        edges.append(_edge_svg(e, boxes, i, layers, (k - (parallel[pair] - 1) / 2) * 16, placed))
    nodes = [_node_svg(b) for b in boxes.values()]
    flagged = sum(1 for n in smap.nodes if n.unreachable or n.never_reached)
    facts = [
        count(len(smap.nodes), "scene"),
        count(len(smap.edges), "choice"),
        count(smap.total_endings, "ending"),
    ]
    if smap.explored:
        facts.append(count(smap.states, "state") + " explored")
    if flagged:
        facts.append(f"{flagged} unreachable")
    legend = "".join(
        f'<span class="key"><span class="swatch" '
        f'style="background:{COLOURS[k][0]};border-color:{COLOURS[k][1]}"></span>{label}</span>'
        for k, label in (
            ("start", "start"),
            ("scene", "scene"),
            ("ending", "ending"),
            ("unreachable", "unreachable"),
        )
    )
    legend += (
        '<span class="key"><svg width="34" height="10"><line x1="0" y1="5" x2="34" y2="5" stroke="#666" '
        'stroke-width="1.4" stroke-dasharray="6 4"/></svg>'
        "conditional choice (labelled with its condition)</span>"
    )
    title = escape(smap.title)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
  content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: story map</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
  margin: 0; color: #222; background: #fafafa; }}
header {{ padding: 14px 24px 8px; border-bottom: 1px solid #ddd; background: #fff;
  position: sticky; top: 0; }}
h1 {{ font-size: 20px; margin: 0 0 4px; }}
.facts {{ color: #555; font-size: 14px; margin: 0 0 8px; }}
.legend {{ font-size: 13px; color: #333; display: flex; flex-wrap: wrap; gap: 16px; align-items: center; }}
.key {{ display: inline-flex; align-items: center; gap: 6px; }}
.swatch {{ display: inline-block; width: 18px; height: 12px; border: 2px solid; border-radius: 3px; }}
main {{ overflow: auto; padding: 8px; }}
svg text {{ font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
  text-anchor: middle; }}
svg .title {{ font-size: 13px; font-weight: 700; fill: #111; }}
svg .note {{ font-size: 11.5px; fill: #444; }}
svg .warn {{ font-size: 11.5px; font-weight: 700; fill: #b71c1c; }}
svg .n-start {{ font-size: 11.5px; font-weight: 700; fill: #1b5e20; letter-spacing: 0.05em; }}
svg .n-ending {{ font-size: 11.5px; font-weight: 700; fill: #0d47a1; letter-spacing: 0.05em; }}
svg .label {{ font-size: 10.5px; fill: #5d4a00; }}
svg g.scene:hover rect {{ filter: brightness(0.94); }}
svg g.edge:hover path {{ stroke-width: 3; }}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class="facts">{escape(" · ".join(facts))}.
Hover over a scene for its file and first line, over an arrow for the choice.</p>
<div class="legend">{legend}</div>
</header>
<main>
<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"
  viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{title}: story map">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
  orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>
{"".join(path for path, _ in edges)}
{"".join(nodes)}
{"".join(label for _, label in edges)}
</svg>
</main>
</body>
</html>
"""
