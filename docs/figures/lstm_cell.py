"""Draws the LSTM cell diagram and one variant per gate with that gate highlighted.

    python docs/figures/lstm_cell.py          # writes docs/_static/figures/lstm-cell*.svg

The figures are committed; tests/site/test_figures.py checks that they are what
this script draws. The drawing is 600 units wide with 26-unit type, so a phone
column of about 350 px shows the labels at about 16 px; the SVG carries its
width and height so that a page reserves its space before it loads.

The parts of the cell are named groups (``forget``, ``input``, ``output``); a
variant draws its gate's group in the accent colour and fades the other gates.
"""

from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "_static" / "figures"
WIDTH, HEIGHT = 600, 500

INK = "#1f2937"
ACCENT = "#7c3aed"

STYLE = f"""
    .wire {{ fill: none; stroke: {INK}; stroke-width: 2.5; }}
    .cell {{ fill: none; stroke: #b91c1c; stroke-width: 4; }}
    .bridge {{ fill: none; stroke: #f9fafb; stroke-width: 12; }}
    .sig {{ fill: #fde68a; stroke: #92400e; stroke-width: 2; }}
    .tanh {{ fill: #bfdbfe; stroke: #1e3a8a; stroke-width: 2; }}
    .op {{ fill: #ffffff; stroke: {INK}; stroke-width: 2.5; }}
    .name {{ font-style: italic; }}
    .sub {{ font-size: 18px; }}
    .faded {{ opacity: 0.3; }}
    .accent .wire, .accent .op {{ stroke: {ACCENT}; stroke-width: 4; }}
    .accent .sig, .accent .tanh {{ stroke: {ACCENT}; stroke-width: 4; }}
    .accent text {{ fill: {ACCENT}; font-weight: bold; }}
"""


def label(x, y, symbol, subscript, anchor="start"):
    return (f'<text x="{x}" y="{y}" class="name" text-anchor="{anchor}">{symbol}'
            f'<tspan baseline-shift="sub" class="sub">{subscript}</tspan></text>')


def box(kind, cx, cy, text):
    width = 72 if kind == "tanh" else 56
    return (f'<rect class="{kind}" x="{cx - width // 2}" y="{cy - 22}" width="{width}" height="44" rx="7"/>'
            f'<text x="{cx}" y="{cy + 8}" text-anchor="middle">{text}</text>')


def op(cx, cy, symbol):
    return (f'<circle class="op" cx="{cx}" cy="{cy}" r="17"/>'
            f'<text x="{cx}" y="{cy + 8}" text-anchor="middle">{symbol}</text>')


# Columns of the four blocks of W·[h, x] + b, and rows of the drawing.
F, I, G, O = 150, 230, 320, 420
CELL_Y, MIX_Y, BOX_Y, BUS_Y = 80, 180, 300, 390
OUT_X, H_X = 480, 530

BASE = [
    # The cell state runs along the top: C(t-1) in, C(t) out.
    f'<path class="cell" d="M12,{CELL_Y} H{F - 19}" marker-end="url(#arrow)"/>',
    f'<path class="cell" d="M{F + 17},{CELL_Y} H{G - 17}"/>',
    f'<path class="cell" d="M{G + 17},{CELL_Y} H{WIDTH - 10}" marker-end="url(#arrow)"/>',
    label(14, CELL_Y - 14, "C", "t−1"),
    label(WIDTH - 12, CELL_Y - 14, "C", "t", anchor="end"),
    # h(t-1) from the left and x(t) from below join into [h(t-1), x(t)].
    f'<path class="wire" d="M12,{BUS_Y} H{F - 60}"/>',
    f'<path class="wire" d="M{F - 60},{HEIGHT - 8} V{BUS_Y}"/>',
    f'<circle cx="{F - 60}" cy="{BUS_Y}" r="5" fill="{INK}"/>',
    f'<path class="wire" d="M{F - 60},{BUS_Y} H{O}"/>',
    label(14, BUS_Y - 12, "h", "t−1"),
    label(F - 50, HEIGHT - 14, "x", "t"),
]

PARTS = {
    "forget": [
        f'<path class="wire" d="M{F},{BUS_Y} V{BOX_Y + 22}"/>',
        box("sig", F, BOX_Y, "σ"),
        f'<path class="wire" d="M{F},{BOX_Y - 22} V{CELL_Y + 19}" marker-end="url(#arrow)"/>',
        label(F + 8, MIX_Y + 40, "f", "t"),
        op(F, CELL_Y, "×"),
    ],
    "input": [
        f'<path class="wire" d="M{I},{BUS_Y} V{BOX_Y + 22}"/>',
        f'<path class="wire" d="M{G},{BUS_Y} V{BOX_Y + 22}"/>',
        box("sig", I, BOX_Y, "σ"),
        box("tanh", G, BOX_Y, "tanh"),
        f'<path class="wire" d="M{I},{BOX_Y - 22} V{MIX_Y} H{G - 19}" marker-end="url(#arrow)"/>',
        label(I + 8, MIX_Y + 40, "i", "t"),
        f'<path class="wire" d="M{G},{BOX_Y - 22} V{MIX_Y + 19}" marker-end="url(#arrow)"/>',
        label(G + 8, MIX_Y + 62, "C̃", "t"),
        op(G, MIX_Y, "×"),
        f'<path class="wire" d="M{G},{MIX_Y - 17} V{CELL_Y + 19}" marker-end="url(#arrow)"/>',
        op(G, CELL_Y, "+"),
    ],
    "output": [
        f'<path class="wire" d="M{O},{BUS_Y} V{BOX_Y + 22}"/>',
        box("sig", O, BOX_Y, "σ"),
        f'<path class="wire" d="M{OUT_X},{CELL_Y} V{MIX_Y - 62}" marker-end="url(#arrow)"/>',
        box("tanh", OUT_X, MIX_Y - 40, "tanh"),
        f'<path class="wire" d="M{OUT_X},{MIX_Y - 18} V{BOX_Y - 79}" marker-end="url(#arrow)"/>',
        f'<path class="wire" d="M{O},{BOX_Y - 22} V{BOX_Y - 60} H{OUT_X - 19}" marker-end="url(#arrow)"/>',
        label(O - 12, BOX_Y - 70, "o", "t", anchor="end"),
        op(OUT_X, BOX_Y - 60, "×"),
    ],
}

# h(t) leaves the cell twice: up, as this step's output, and right, to the next step.
H_OUT = [
    f'<path class="wire" d="M{OUT_X + 17},{BOX_Y - 60} H{H_X} V{BUS_Y} H{WIDTH - 10}" marker-end="url(#arrow)"/>',
    f'<path class="bridge" d="M{H_X},{CELL_Y + 10} V{CELL_Y - 10}"/>',
    f'<path class="wire" d="M{H_X},{BOX_Y - 60} V12" marker-end="url(#arrow)"/>',
    f'<circle cx="{H_X}" cy="{BOX_Y - 60}" r="5" fill="{INK}"/>',
    label(H_X - 10, 30, "h", "t", anchor="end"),
    label(WIDTH - 12, BUS_Y - 12, "h", "t", anchor="end"),
]

TITLES = {
    None: ("LSTM cell",
           "One LSTM step. The forget gate f(t) scales the cell state C(t−1); the input gate i(t) "
           "scales the candidate C̃(t), which is added to give C(t); h(t) is the output gate o(t) "
           "times tanh(C(t)), and leaves the cell both upward, as the output, and to the right, "
           "to the next step."),
    "forget": ("LSTM cell, forget gate highlighted",
               "The forget gate f(t) = σ(W_f·[h(t−1), x(t)] + b_f) multiplies the cell state C(t−1) "
               "unit by unit."),
    "input": ("LSTM cell, input gate highlighted",
              "The input gate i(t) = σ(W_i·[h(t−1), x(t)] + b_i) multiplies the candidate "
              "C̃(t) = tanh(W_C·[h(t−1), x(t)] + b_C), and the product is added to the cell state."),
    "output": ("LSTM cell, output gate highlighted",
               "The output gate o(t) = σ(W_o·[h(t−1), x(t)] + b_o) multiplies tanh(C(t)) to give "
               "h(t), the output and the next step's hidden state."),
}


def group(name, elements, css):
    text = f'  <g id="{name}"{css}>\n    ' + "\n    ".join(elements) + "\n  </g>"
    return text.replace("url(#arrow)", "url(#arrow-accent)") if "accent" in css else text


def draw(highlight=None):
    """The SVG text of the cell, with the part ``highlight`` (a key of PARTS) emphasised."""
    title, desc = TITLES[highlight]
    groups = []
    for name, elements in PARTS.items():
        css = "" if highlight is None else (' class="accent"' if name == highlight
                                            else ' class="faded"')
        groups.append(group(name, elements, css))
    h_css = ("" if highlight is None else ' class="accent"' if highlight == "output"
             else ' class="faded"')
    body = "\n".join([
        "  " + "\n  ".join(BASE),
        *groups,
        group("hidden-state", H_OUT, h_css),
    ])
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="title desc" font-family="'Noto Sans', 'DejaVu Sans', sans-serif" font-size="26" fill="{INK}">
  <title id="title">{title}</title>
  <desc id="desc">{desc}</desc>
  <defs>
    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="12" markerHeight="12" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
      <path d="M0,0 L10,5 L0,10 z" fill="{INK}"/>
    </marker>
    <marker id="arrow-accent" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="14" markerHeight="14" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
      <path d="M0,0 L10,5 L0,10 z" fill="{ACCENT}"/>
    </marker>
    <style>{STYLE}    </style>
  </defs>
  <rect x="1" y="1" width="{WIDTH - 2}" height="{HEIGHT - 2}" rx="14" fill="#ffffff" stroke="#d1d5db"/>
  <rect x="{F - 90}" y="{CELL_Y - 40}" width="{H_X - F + 110}" height="{BUS_Y - CELL_Y + 70}" rx="18" fill="#f9fafb" stroke="#9ca3af" stroke-dasharray="6 4"/>
{body}
</svg>
"""


def figures():
    """File name → SVG text of the diagram and of each gate's variant."""
    files = {"lstm-cell.svg": draw()}
    for gate in PARTS:
        files[f"lstm-cell-{gate}.svg"] = draw(gate)
    return files


def main():
    for name, text in figures().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(OUT / name)


if __name__ == "__main__":
    main()
