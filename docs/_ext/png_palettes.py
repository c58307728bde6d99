"""Plots as palette PNGs: a quarter of the bytes, the same picture.

matplotlib writes every figure as a 32-bit RGBA PNG, 25-60 KiB for a plot of a
few lines; the images are most of the weight of the pages that have plots, and
PNG does not compress further on the wire. A plot has a handful of colours and
the shades its anti-aliased edges blend from them, so at the end of a build each
opaque PNG under ``_images`` is rewritten with a palette of at most 256 colours
(Pillow's median cut, no dithering), but only where the result is the same
picture: the mean difference is under a quarter of a level (of 255) and at most
one pixel in 200 differs by more than 8 levels in any channel (an edge pixel a
shade lighter). Images with transparency, photographs, heat maps with smooth
gradients and images that would not get smaller are left as they are.
"""

from pathlib import Path

MAX_MEAN_DIFFERENCE = 0.25
MAX_CHANGED_FRACTION = 1 / 200
CHANGED_LEVELS = 8


# PNG colour types (the byte after the bit depth in the IHDR chunk, which comes first).
RGB, RGBA = 2, 6


def has_colour_type(path, *types):
    """Whether the PNG at ``path`` stores its pixels as one of ``types``."""
    with open(path, "rb") as png:
        header = png.read(26)
    return len(header) == 26 and header[12:16] == b"IHDR" and header[25] in types


def palette_version(image):
    """``image`` (RGB) with a palette, or None where that changes how it looks."""
    import numpy as np
    from PIL import Image

    palette = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    difference = np.abs(np.asarray(palette.convert("RGB"), dtype=np.int16)
                        - np.asarray(image, dtype=np.int16))
    changed = (difference.max(axis=2) > CHANGED_LEVELS).mean()
    if difference.mean() > MAX_MEAN_DIFFERENCE or changed > MAX_CHANGED_FRACTION:
        return None
    return palette


def shrink_png(path):
    """Rewrite the PNG at ``path`` with a palette where that keeps its look; whether it did."""
    if not has_colour_type(path, RGB, RGBA):   # a palette already, from an earlier build
        return False
    from PIL import Image  # only then: a one-page rebuild has few images, or none, to look at

    with Image.open(path) as image:
        if image.mode not in ("RGB", "RGBA"):
            return False
        if image.mode == "RGBA" and image.getchannel("A").getextrema() != (255, 255):
            return False
        rgb = image.convert("RGB")
    palette = palette_version(rgb)
    if palette is None:
        return False
    smaller = path.with_suffix(".palette.png")
    palette.save(smaller, optimize=True)
    if smaller.stat().st_size >= path.stat().st_size:
        smaller.unlink()
        return False
    smaller.replace(path)
    return True


def shrink_pngs(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for path in sorted((Path(app.outdir) / app.builder.imagedir).glob("*.png")):
        shrink_png(path)


def setup(app):
    app.connect("build-finished", shrink_pngs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
