"""The fonts of each edition's figures, set for every page at once.

The pages' kernels read a ``matplotlibrc`` written for the edition (through
``MATPLOTLIBRC``, which they inherit from the build): the same code draws the
same figure in both editions, and no page sets a font of its own. Korean labels
are set in Noto Sans CJK KR (Debian's ``fonts-noto-cjk``); where it is missing,
matplotlib says so on stderr and the strict build stops.
"""

import os
from pathlib import Path

# The font families of each edition, first choice first. The first one also sets
# the text around mathtext (``$i_t$``), which has no per-glyph fallback.
FONTS = {
    "en": "DejaVu Sans",
    "ko": "Noto Sans CJK KR, DejaVu Sans",
}


def write_style(app, config):
    """Write this edition's matplotlibrc next to its doctrees and point the kernels at it."""
    fonts = FONTS.get(config.language or "en", FONTS["en"])
    style = Path(app.doctreedir).parent / "matplotlibrc"
    style.parent.mkdir(parents=True, exist_ok=True)
    style.write_text(f"font.family: {fonts}\n", encoding="utf-8")
    os.environ["MATPLOTLIBRC"] = str(style)


def setup(app):
    app.connect("config-inited", write_style)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
