"""The editions are equals, checked by every build: same pages, same sections, same code.

Each edition's build compares every page of its tree with the page of the same
name in the other editions' trees (``docs/<edition>/``, siblings of the source
folder) and warns, naming both files, when

- a page has no twin in another edition (either way round);
- the sections differ: headings and their levels, labels, directives, glued
  values and references, in order;
- the code cells differ, but for comments and string literals, which may be
  translated: a cell executed in one edition only, or different code.

The strict build turns each warning into an error, so both editions' builds
fail until the trees agree again.

Other extensions add comparisons through the ``edition-parity`` event. A handler
receives ``(app, page, twin)``, two :class:`Page` objects of the same name
in two editions, and returns a list of differences, each a
``(line in page, line in twin, message)``; every difference becomes a warning
at the page's line that names both files::

    def same_claims(app, page, twin):
        ours, theirs = claims(page.text), claims(twin.text)
        if len(ours) != len(theirs):
            return [(1, 1, f"{len(ours)} claims here, {len(theirs)} in the twin")]
        return []

    def setup(app):
        app.setup_extension("edition_parity")
        app.connect("edition-parity", same_claims)
"""

import dataclasses
import io
import re
import tokenize
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

FENCE = re.compile(r"^(`{3,}|:{3,})\s*(\{[\w-]+\})?")
HEADING = re.compile(r"^(#{1,6}) ")
LABEL = re.compile(r"^\([\w-]+\)=$")


@dataclasses.dataclass(frozen=True)
class Page:
    """One edition's source of a page."""

    edition: str
    path: Path
    text: str

    @property
    def shown(self):
        """The path as a reader of the build log finds it: ``docs/ko/lstm-cell.md``."""
        return "/".join(self.path.parts[-3:])


def blocks(text):
    """A page as ``(kind, directive, body, line)`` pieces: prose lines or fenced blocks."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0] == "---":  # front matter
        start = lines.index("---", 1) + 1
    pieces, k = [], start
    while k < len(lines):
        match = FENCE.match(lines[k])
        if match:
            fence = match.group(1)
            end = k + 1
            while end < len(lines) and lines[end].strip() != fence:
                end += 1
            pieces.append(("fence", match.group(2) or "", "\n".join(lines[k + 1:end]), k + 1))
            k = end + 1
        else:
            pieces.append(("prose", "", lines[k], k + 1))
            k += 1
    return pieces


def structure(text):
    """What both editions of a page share, as ``(kind, value, line)``: headings' levels,
    labels, directives, glued values and references."""
    shape = []
    for kind, directive, body, line in blocks(text):
        if kind == "fence":
            shape.append(("block", directive, line))
            continue
        heading = HEADING.match(body)
        if heading:
            shape.append(("heading", len(heading.group(1)), line))
        elif LABEL.match(body.strip()):
            shape.append(("label", body.strip(), line))
        shape.extend(("glue", name, line) for name in re.findall(r"\{glue:?\w*\}`([\w-]+)`", body))
        shape.extend(("ref", name, line) for name in re.findall(r"\{ref\}`[^`<]*<([\w-]+)>`", body))
    return shape


def cell_code(body):
    """A code cell's code without its options (``:tags: ...`` lines or a ``---`` YAML
    block): options hold translated text such as a figure's caption and alt text."""
    lines = body.splitlines()
    if lines and lines[0].strip() == "---" and "---" in (line.strip() for line in lines[1:]):
        lines = lines[[line.strip() for line in lines].index("---", 1) + 1:]
    while lines and re.match(r"^:[\w-]+:", lines[0]):
        lines = lines[1:]
    return "\n".join(lines)


def code_cells(text):
    """The code cells of a page, as ``(code, line)``."""
    return [(cell_code(body), line) for _, directive, body, line in blocks(text)
            if directive == "{code-cell}"]


def untranslatable(code):
    """Code with its comments dropped and string literals emptied: what must not differ."""
    tokens = []
    for token in tokenize.generate_tokens(io.StringIO(code + "\n").readline):
        if token.type == tokenize.COMMENT:
            continue
        if token.type == tokenize.STRING:
            token = token._replace(string='""')
        tokens.append((token.type, token.string))
    return tokenize.untokenize(tokens)


def _first_difference(ours, theirs):
    for k in range(max(len(ours), len(theirs))):
        mine = ours[k] if k < len(ours) else None
        other = theirs[k] if k < len(theirs) else None
        if mine is None or other is None or mine[:-1] != other[:-1]:
            return k, mine, other
    return None


def _describe(item):
    return "nothing" if item is None else f"{item[0]} {item[1]!r}"


def same_sections(app, page, twin):
    difference = _first_difference(structure(page.text), structure(twin.text))
    if difference is None:
        return []
    k, mine, other = difference
    return [(mine[-1] if mine else 1, other[-1] if other else 1,
             f"sections differ at item {k + 1}: {_describe(mine)} here, {_describe(other)} in the twin")]


def same_code(app, page, twin):
    ours = [(untranslatable(code), line) for code, line in code_cells(page.text)]
    theirs = [(untranslatable(code), line) for code, line in code_cells(twin.text)]
    difference = _first_difference(ours, theirs)
    if difference is None:
        return []
    k, mine, other = difference
    if mine is None or other is None:
        return [(mine[-1] if mine else 1, other[-1] if other else 1,
                 f"{len(ours)} code cells here, {len(theirs)} in the twin: "
                 f"cell {k + 1} is executed in one edition only")]
    return [(mine[-1], other[-1], f"code cell {k + 1} differs from the twin's "
             "(comments and strings aside)")]


def edition_trees(app):
    here = Path(app.srcdir)
    return {code: here.parent / code for code in app.config.parity_editions
            if code != here.name and (here.parent / code).is_dir()}


def pages_of(tree):
    """``{page name: path}`` of a tree's pages (leaving out ``_``- and ``.``-folders)."""
    pages = {}
    for path in sorted(tree.rglob("*.md")):
        relative = path.relative_to(tree)
        if not any(part.startswith(("_", ".")) for part in relative.parts):
            pages[str(relative.with_suffix(""))] = path
    return pages


def tree_differences(here, code, tree, compare):
    """Every difference between the edition in ``here`` and the one (``code``) in ``tree``.

    ``compare(page, twin)`` returns the differences of one pair of pages. Yields
    ``(location, message, subtype)``, the location a ``path:line`` of ``here``'s tree
    (or of ``tree``'s, for a page that ``here`` lacks).
    """
    ours, theirs = pages_of(here), pages_of(tree)
    for name in sorted(ours.keys() - theirs.keys()):
        missing = tree / ours[name].relative_to(here)
        yield (f"{ours[name]}:1", f"{Page(here.name, ours[name], '').shown} has no twin in the "
               f"{code!r} edition: {Page(code, missing, '').shown} is missing", "twin")
    for name in sorted(theirs.keys() - ours.keys()):
        missing = here / theirs[name].relative_to(tree)
        yield (f"{theirs[name]}:1", f"{Page(code, theirs[name], '').shown} has no twin in the "
               f"{here.name!r} edition: {Page(here.name, missing, '').shown} is missing", "twin")
    for name in sorted(ours.keys() & theirs.keys()):
        page = Page(here.name, ours[name], ours[name].read_text(encoding="utf-8"))
        twin = Page(code, theirs[name], theirs[name].read_text(encoding="utf-8"))
        for line, twin_line, message in compare(page, twin):
            yield f"{page.path}:{line}", f"{message} (twin {twin.shown}:{twin_line})", "parity"


def check_parity(app, env):
    if not app.config.parity_check:
        return

    def compare(page, twin):
        return [difference for differences in app.events.emit("edition-parity", page, twin)
                for difference in differences or ()]

    for code, tree in edition_trees(app).items():
        for location, message, subtype in tree_differences(Path(app.srcdir), code, tree, compare):
            logger.warning("%s", message, location=location, type="editions", subtype=subtype)


def setup(app):
    app.add_config_value("parity_editions", ["en", "ko"], "env", types=[list, tuple])
    # False where the same comparison runs beside the build, by this file's command
    # (the Makefile does so, and assembles the site only once both passed).
    app.add_config_value("parity_check", True, "", types=[bool])
    app.add_event("edition-parity")
    app.connect("edition-parity", same_sections)
    app.connect("edition-parity", same_code)
    app.connect("env-updated", check_parity)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv=None):
    """Compare the editions' trees without a Sphinx build, as each edition's build does.

    ``python edition_parity.py [--check MODULE:FUNCTION ...] docs/en docs/ko``: each
    ``--check`` names a further ``edition-parity`` handler (a module on this folder's
    path). Prints every difference, each tree compared with each other one, and
    returns 1 if there is one.
    """
    import argparse
    import importlib
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    parser.add_argument("--check", action="append", default=[], metavar="MODULE:FUNCTION")
    parser.add_argument("trees", nargs="+", type=Path)
    args = parser.parse_args(argv)
    handlers = [same_sections, same_code]
    for name in args.check:
        module, function = name.split(":")
        handlers.append(getattr(importlib.import_module(module), function))

    def compare(page, twin):
        return [difference for handler in handlers for difference in handler(None, page, twin)]

    found = 0
    for here in args.trees:
        for there in args.trees:
            if there != here:
                for location, message, _ in tree_differences(here, there.name, there, compare):
                    print(f"{location}: ERROR: {message}", file=sys.stderr)
                    found += 1
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
