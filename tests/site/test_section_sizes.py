"""Each article section's estimated height; the first section's reaches past the first frame."""

import sys

import pytest
from docutils.core import publish_doctree

from site_build import DOCS

sys.path.insert(0, str(DOCS / "_ext"))
from section_sizes import FIRST_FRAME_PX, SCREEN_PX, section_estimates  # noqa: E402

pytestmark = pytest.mark.site


def page(opening_paragraphs, first_section_paragraphs):
    sentence = "A sentence of about eighty characters that takes a whole line on a phone. " * 3
    opening = "\n\n".join([sentence] * opening_paragraphs)
    first = "\n\n".join([sentence] * first_section_paragraphs)
    return publish_doctree(
        f"Title\n=====\n\n{opening}\n\nFirst\n-----\n\n{first}\n\nSecond\n------\n\n{sentence}\n",
        settings_overrides={"report_level": 5, "doctitle_xform": False})


def test_a_tall_first_section_reaches_past_what_the_first_frame_draws(tmp_path):
    sizes = section_estimates(page(6, 12), tmp_path)
    assert sizes["first"] == FIRST_FRAME_PX
    assert sizes["second"] < SCREEN_PX          # the others keep their estimate


def test_a_first_section_taller_than_the_floor_keeps_its_estimate(tmp_path):
    sizes = section_estimates(page(2, 60), tmp_path)
    assert sizes["first"] > FIRST_FRAME_PX


def test_a_short_opening_and_first_section_keep_their_estimate(tmp_path):
    # the second section starts within the first screen: it is drawn in the first frame
    sizes = section_estimates(page(1, 1), tmp_path)
    assert sizes["first"] < SCREEN_PX / 2
