"""A description of each page for search engines and shared links, from its prose.

sphinxext-opengraph writes ``og:description`` and ``<meta name="description">``
from the first text of the page, display equations and TeX source included
("f_t = \\sigma(W_f \\cdot ..."). This gives both the page's opening prose
instead: display math, code and figures left out, inline math as plain
symbols. It runs before sphinxext-opengraph, which keeps a description that is
already there and takes ``og:description`` from the page's metadata.
"""

import html
import re

from docutils import nodes

LENGTH = 160
SKIP = (nodes.title, nodes.literal_block, nodes.figure, nodes.image, nodes.table,
        nodes.Admonition, nodes.Invisible, nodes.raw, nodes.math_block, nodes.target)
SYMBOLS = {
    r"\sigma": "σ", r"\odot": "⊙", r"\cdot": "·", r"\times": "×", r"\tanh": "tanh",
    r"\qquad": " ", r"\quad": " ", r"\ldots": "…", r"\dots": "…", r"\in": "∈",
    r"\partial": "∂", r"\approx": "≈", r"\le": "≤", r"\ge": "≥", r"\to": "→",
    r"\infty": "∞", r"\mathbb{R}": "ℝ",
}
SUBSCRIPTS = str.maketrans("0123456789+-−=()aehijklmnoprstuvx",
                           "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")


def _subscript(match):
    text = match.group(1) or match.group(2)
    lowered = text.replace(" ", "")
    if all(c in "0123456789+-−=()aehijklmnoprstuvx" for c in lowered):
        return lowered.translate(SUBSCRIPTS)
    return f"_{lowered}"


def tex_to_text(tex):
    """Inline TeX as plain text: ``C_{t-1}`` → ``Cₜ₋₁``, ``\\tilde{C}`` → ``C̃``."""
    text = re.sub(r"\\tilde\{(\w)\}", "\\1\u0303", tex)
    for command, symbol in sorted(SYMBOLS.items(), key=lambda item: -len(item[0])):
        text = text.replace(command, symbol)
    text = re.sub(r"_\{([^{}]*)\}|_(\w)", _subscript, text)
    text = re.sub(r"\\[a-zA-Z]+", "", text)
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


def opening_prose(doctree, length=LENGTH):
    """The first paragraphs' text, up to ``length`` characters, cut at a word."""
    parts = []

    def walk(node):
        if sum(map(len, parts)) > length or isinstance(node, SKIP):
            return
        if isinstance(node, nodes.math):
            parts.append(tex_to_text(node.astext()))
        elif isinstance(node, nodes.Text):
            parts.append(node.astext())
        else:
            for child in node.children:
                walk(child)
            if isinstance(node, nodes.paragraph):
                parts.append(" ")

    walk(doctree)
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    if len(text) > length:
        text = text[:length].rsplit(" ", 1)[0] + "…"
    return text


def add_description(app, pagename, templatename, context, doctree):
    if doctree is None:
        return
    description = opening_prose(doctree)
    if not description:
        return
    context["meta"] = {**(context.get("meta") or {}), "og:description": description}
    context["metatags"] = (context.get("metatags", "")
                           + f'\n<meta name="description" content="{html.escape(description)}" />')


def setup(app):
    # Before sphinxext-opengraph (priority 500), which reads what this sets.
    app.connect("html-page-context", add_description, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
