"""The cell diagrams are what docs/figures/lstm_cell.py draws, and each is readable."""

import sys
import xml.etree.ElementTree as ElementTree

import pytest

from site_build import DOCS

sys.path.insert(0, str(DOCS / "figures"))
import lstm_cell  # noqa: E402

FIGURES = DOCS / "_static" / "figures"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("name", sorted(lstm_cell.figures()))
def test_committed_figure_is_the_drawing(name):
    assert (FIGURES / name).read_text(encoding="utf-8") == lstm_cell.figures()[name], \
        f"run python docs/figures/lstm_cell.py to redraw {name}"


@pytest.mark.parametrize("name", sorted(lstm_cell.figures()))
def test_figure_has_a_size_a_title_and_type_readable_on_a_phone(name):
    root = ElementTree.fromstring(lstm_cell.figures()[name])
    width = float(root.get("width"))
    assert root.get("height") and root.find(f"{SVG}title").text
    # Shown 350 px wide in a phone's column, the drawing's type must stay >= 14 px.
    assert float(root.get("font-size")) * 350 / width >= 14


def test_h_t_leaves_upward_as_the_output():
    """A path of the hidden-state group ends at the top edge (y = 12) with an arrow."""
    root = ElementTree.fromstring(lstm_cell.figures()["lstm-cell.svg"])
    group = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "hidden-state")
    assert any(p.get("d", "").endswith("V12") and p.get("marker-end")
               for p in group.iter(f"{SVG}path"))


@pytest.mark.parametrize("gate", ["forget", "input", "output"])
def test_each_variant_highlights_its_gate_only(gate):
    root = ElementTree.fromstring(lstm_cell.figures()[f"lstm-cell-{gate}.svg"])
    classes = {g.get("id"): g.get("class") for g in root.iter(f"{SVG}g")}
    assert classes[gate] == "accent"
    assert all(classes[other] == "faded" for other in ("forget", "input", "output") if other != gate)
