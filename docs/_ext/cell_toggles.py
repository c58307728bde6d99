"""The toggles of hidden code cells in the edition's language, named by what they show.

myst-nb writes each toggle (a ``<summary>``) itself, in English: the prompts
("Show code cell source", from ``nb_code_prompt_show`` with ``{type}`` filled in
by myst-nb) and an ``aria-label`` "Toggle hidden content" that replaces the
prompt as the control's accessible name, so a screen reader hears neither the
prompt nor the reader's language (and the name does not contain the visible
label, WCAG 2.5.3). This writes the same markup with the prompts passed through
the project's message catalog (``docs/locale/<language>/LC_MESSAGES/sphinx.po``)
and without the ``aria-label``: the control is named by the prompt it shows.
A prompt a page sets itself (``code_prompt_show``) is in its page's language
and passes through unchanged. Drop this once myst-nb translates its toggles
(its prompts and label are fixed strings in ``myst_nb/sphinx_.py``).
"""

from html import escape

from myst_nb.sphinx_ import HideCodeCellNode
from sphinx.locale import _


def visit_hide_code_cell(self, node):
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    for state, prompt in (("collapsed", node["prompt_show"]), ("expanded", node["prompt_hide"])):
        self.body.append(f'<p class="{state} admonition-title">{escape(str(_(prompt)))}</p>\n')
    self.body.append("</summary>\n")


def depart_hide_code_cell(self, node):
    self.body.append("</details>\n")


def setup(app):
    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True,
                 html=(visit_hide_code_cell, depart_hide_code_cell))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
