"""The story map as Mermaid and as Graphviz DOT. (The HTML page is in graph_html.py.)

Story text is data, never syntax: every label is escaped for the format it goes into, and
node names are made from scene ids (`s_<id>`), never from titles.
"""

from __future__ import annotations

from coldcase_game.analysis.storymap import MapEdge, MapNode, StoryMap

# --- Mermaid ---------------------------------------------------------------------------------

_MERMAID_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}


def mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: entity codes for anything Mermaid or HTML would read."""
    text = " ".join(text.split())
    return "".join(_MERMAID_ENTITIES.get(c, c) for c in text)


def _mermaid_node(node: MapNode, smap: StoryMap) -> str:
    lines = [node.title, *node.notes(smap.total_endings, smap.explored)]
    label = "<br/>".join(mermaid_text(line) for line in lines)
    if node.ending is not None:
        return f'  s_{node.id}(["{label}"])'
    return f'  s_{node.id}["{label}"]'


def _mermaid_edge(edge: MapEdge) -> str:
    arrow = "-.->" if edge.condition is not None or edge.never_available else "-->"
    label = edge.label
    if label:
        return f'  s_{edge.source} {arrow}|"{mermaid_text(label)}"| s_{edge.target}'
    return f"  s_{edge.source} {arrow} s_{edge.target}"


def to_mermaid(smap: StoryMap) -> str:
    lines = [
        "---",
        f'title: "{mermaid_text(smap.title)}"',
        "---",
        "flowchart TD",
    ]
    lines += [_mermaid_node(n, smap) for n in smap.nodes]
    lines += [_mermaid_edge(e) for e in smap.edges]
    lines += [
        "  classDef start fill:#dcefdc,stroke:#2e7d32,stroke-width:3px",
        "  classDef ending fill:#dbe8f7,stroke:#1f5fa8,stroke-width:2px",
        "  classDef unreachable fill:#f9dcdc,stroke:#c62828,stroke-width:2px,stroke-dasharray:5 4",
    ]
    for cls, ids in (
        ("start", [n.id for n in smap.nodes if n.start]),
        ("ending", [n.id for n in smap.nodes if n.ending is not None and not n.start]),
        ("unreachable", [n.id for n in smap.nodes if n.unreachable or n.never_reached]),
    ):
        if ids:
            lines.append(f"  class {','.join('s_' + i for i in ids)} {cls}")
    return "\n".join(lines) + "\n"


# --- DOT ---------------------------------------------------------------------------------------


def dot_text(text: str) -> str:
    """Text inside a double-quoted DOT string."""
    text = " ".join(text.split())
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _dot_node(node: MapNode, smap: StoryMap) -> str:
    lines = [node.title, *node.notes(smap.total_endings, smap.explored)]
    label = "\\n".join(dot_text(line) for line in lines)
    attrs = [f'label="{label}"', f'tooltip="{dot_text(node.where)}"']
    if node.start:
        attrs += ['fillcolor="#dcefdc"', 'color="#2e7d32"', "penwidth=3"]
    if node.ending is not None:
        attrs += ["peripheries=2", 'color="#1f5fa8"']
        if not node.start:
            attrs.append('fillcolor="#dbe8f7"')
    if node.unreachable or node.never_reached:
        attrs += ['fillcolor="#f9dcdc"', 'color="#c62828"', 'style="rounded,filled,dashed"']
    return f"  s_{node.id} [{', '.join(attrs)}];"


def _dot_edge(edge: MapEdge) -> str:
    tip = dot_text(edge.text) + (f"\\nthen: {dot_text(edge.then)}" if edge.then else "")
    attrs = [f'tooltip="{tip}"']
    if edge.label:
        attrs.append(f'label="{dot_text(edge.label)}"')
    if edge.condition is not None or edge.never_available:
        attrs.append("style=dashed")
    if edge.never_available:
        attrs.append('color="#c62828"')
    if edge.once:
        attrs.append("arrowhead=onormal")
    return f"  s_{edge.source} -> s_{edge.target} [{', '.join(attrs)}];"


def to_dot(smap: StoryMap) -> str:
    lines = [
        f'digraph "{dot_text(smap.id)}" {{',
        f'  graph [label="{dot_text(smap.title)}", labelloc=t, fontname="Helvetica", rankdir=TB];',
        '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    lines += [_dot_node(n, smap) for n in smap.nodes]
    lines += [_dot_edge(e) for e in smap.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"
