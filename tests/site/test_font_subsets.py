"""The font subsets a build writes are the same bytes in every build (docs/_ext/icon_subset.py)."""

import shutil
import sys

from fontTools.ttLib import TTFont

from site_build import DOCS

sys.path.insert(0, str(DOCS / "_ext"))
import icon_subset  # noqa: E402

FONT = DOCS / "_static" / "katex" / "fonts" / "KaTeX_Main-Regular.woff2"


def subset_of(folder, characters):
    path = folder / FONT.name
    shutil.copyfile(FONT, path)
    before, after = icon_subset.subset_font(path, set(map(ord, characters)))
    assert after < before
    return path


def head_time(path):
    with TTFont(path, lazy=True) as font:
        return font["head"].modified


def characters_of(path):
    with TTFont(path) as font:
        return set(font.getBestCmap())


def test_a_subset_keeps_the_shipped_fonts_time_and_is_the_same_every_time(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = subset_of(tmp_path / "a", "tanh(x) + 1")
    assert head_time(first) == head_time(FONT)
    second = subset_of(tmp_path / "b", "tanh(x) + 1")
    assert first.read_bytes() == second.read_bytes()
    assert characters_of(first) == set(map(ord, "tanh(x) + 1")) & characters_of(FONT)
