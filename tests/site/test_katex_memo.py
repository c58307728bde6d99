"""A formula a page rendered before is not rendered again; invalid TeX is never kept
(docs/_ext/katex_memo.py)."""

import sys
from types import SimpleNamespace

import pytest

from site_build import DOCS

sys.path.insert(0, str(DOCS / "_ext"))
import katex_memo  # noqa: E402


class Renderer:
    """Stands for the KaTeX server: counts the formulas it is asked for."""

    def __init__(self):
        self.asked = []

    def __call__(self, latex, options=None):
        self.asked.append(latex)
        if latex.count("{") != latex.count("}"):
            raise ValueError(f"invalid TeX: {latex}")
        return f"<span>{latex} {options}</span>"


def build(tmp_path, pages):
    """A stand-in for one Sphinx run writing ``pages`` ({docname: [(latex, options)]})."""
    app = SimpleNamespace(doctreedir=str(tmp_path), env=SimpleNamespace(found_docs=set(pages)),
                          builder=SimpleNamespace(format="html", current_docname=""))
    katex_memo.start(app)
    shown = {}
    for docname, formulas in pages.items():
        app.builder.current_docname = docname
        shown[docname] = [render_latex(latex, options) for latex, options in formulas]
    katex_memo.keep(app, None)
    return shown


render = Renderer()
render_latex = katex_memo.remembering(render)


def test_unchanged_formulas_are_not_rendered_again(tmp_path):
    render.asked.clear()
    first = build(tmp_path, {"cell": [("f_t", {}), ("h_{t-1}", {})], "gru": [("z_t", {})]})
    assert render.asked == ["f_t", "h_{t-1}", "z_t"]

    render.asked.clear()
    again = build(tmp_path, {"cell": [("f_t", {}), ("h_{t-1}", {}), ("c_t", {}),
                                      ("f_t", {"displayMode": True})]})
    assert render.asked == ["c_t", "f_t"]              # the new formula, and new options
    assert again["cell"][:2] == first["cell"]
    assert not (tmp_path / katex_memo.FOLDER / "gru.json").exists()   # a removed page keeps nothing


def test_invalid_tex_is_rendered_and_fails_in_every_build(tmp_path):
    render.asked.clear()
    for _ in range(2):
        with pytest.raises(ValueError, match="invalid TeX"):
            build(tmp_path, {"broken": [("\\frac{1}{", {})]})
    assert render.asked == ["\\frac{1}{", "\\frac{1}{"]
