"""Stylesheets without the rules that no page of the site can use.

pydata-sphinx-theme ships one stylesheet of about 370 KiB, most of it Bootstrap's
components and utility classes, and every page loads it before it can show
anything; myst-nb's and Sphinx's own stylesheets carry rules for outputs this
site never has. At the end of a build, each stylesheet under ``_static`` is
rewritten without the selectors that can never match: those that require a
class or an id that appears in no built page and in no script a page loads.

Scripts add classes at run time (Bootstrap's tooltips, the search page's
results, the copy buttons), so a class counts as used when a loaded script
names it, and also when it fits a name a script builds from parts
(``bs-${name}-auto``, ``"fa-" + icon``). Only what a selector *requires* is
checked: classes inside ``:not()``, ``:is()``, ``:where()`` or ``:has()`` are
left alone, and selectors of element names or attributes alone are kept. A
rule whose selectors are all removed goes; so does an ``@media`` block left
empty. What is left renders the same: no rule that could apply to a page is
touched. The stylesheet's size is pydata-sphinx-theme issue #2379 (open in
0.20.0), where Bootstrap is imported whole.
"""

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import tinycss2
from content_memo import ContentMemo, memo_folder, shared

_CLASS_ATTR = re.compile(r'\sclass="([^"]*)"')
_ID_ATTR = re.compile(r'\sid="([^"]*)"')
_SCRIPT_SRC = re.compile(r'<script\b[^>]*\ssrc="([^"?#]+)')
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.S)
_WORD = re.compile(r"[A-Za-z_][\w-]*")
_CUSTOM_PROPERTY = re.compile(r"--[A-Za-z_][\w-]*")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_TEMPLATE = re.compile(r"`([^`]*)`")
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
_PREFIX_CONCAT = re.compile(r"""["']([\w-]*-)["']\s*\+""")
_SUFFIX_CONCAT = re.compile(r"""\+\s*["'](-[\w-]*)["']""")
_NAME_END = re.compile(r"[\w-]*$")
_NAME_START = re.compile(r"^[\w-]*")
# Blocks of rules that are kept when something inside them is.
_GROUPING_RULES = {"media", "supports", "layer", "container", "document"}
# Functional pseudo-classes whose arguments a match does not require.
_OPTIONAL_ARGUMENTS = {"not", "is", "where", "has", "matches", "-webkit-any", "-moz-any"}


class UsedNames:
    """The class and id names a page can carry: in the built HTML, or added by its scripts."""

    def __init__(self):
        self.names = set()
        self.patterns = []
        self.properties = set()  # custom properties (--x) a page or script reads or sets

    def add_html(self, text):
        for attribute in (_CLASS_ATTR, _ID_ATTR):
            for value in attribute.findall(text):
                self.names.update(value.split())
        self.properties.update(_CUSTOM_PROPERTY.findall(text))
        for script in _INLINE_SCRIPT.findall(text):
            self.add_script(script)

    def add_script(self, text):
        self.names.update(_WORD.findall(text))
        self.properties.update(_CUSTOM_PROPERTY.findall(text))
        parts = []
        for template in _TEMPLATE.findall(text):
            pieces = _PLACEHOLDER.split(template)
            for before, after in zip(pieces, pieces[1:]):
                parts.append((_NAME_END.search(before).group(0), _NAME_START.match(after).group(0)))
        parts += [(prefix, "") for prefix in _PREFIX_CONCAT.findall(text)]
        parts += [("", suffix) for suffix in _SUFFIX_CONCAT.findall(text)]
        for before, after in parts:
            # A part of a name meets the placeholder at a hyphen; `.item${active}` adds a
            # selector, not letters to the name.
            if (before.endswith("-") or after.startswith("-")) and len(before) + len(after) >= 3:
                self.patterns.append(re.compile(re.escape(before) + r"[\w-]+" + re.escape(after)))

    def __contains__(self, name):
        return name in self.names or any(p.fullmatch(name) for p in self.patterns)


def required_names(selector):
    """The class and id names an element must carry for ``selector`` (tokens) to match it."""
    names = []
    previous = None
    for token in selector:
        if token.type == "ident" and previous is not None and previous.type == "literal" \
                and previous.value == ".":
            names.append(token.value)
        elif token.type == "hash" and token.is_identifier:
            names.append(token.value)
        elif token.type == "function" and token.lower_name not in _OPTIONAL_ARGUMENTS:
            names += required_names(token.arguments)
        previous = token
    return names


def split_selectors(prelude):
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    selectors.append(current)
    return selectors


def parse_rules(text):
    return tinycss2.parse_rule_list(text, skip_comments=True, skip_whitespace=True)


def rewrite_rules(rules, rewrite):
    """Serialized ``rules`` (tinycss2 nodes), each style rule as ``rewrite`` returns it
    (None drops it); blocks such as ``@media`` go when nothing is left in them."""
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            out.append(rewrite(rule) or "")
        elif rule.type == "at-rule" and rule.lower_at_keyword in _GROUPING_RULES \
                and rule.content is not None:
            inner = rewrite_rules(parse_rules(rule.content), rewrite)
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "at-rule":
            out.append(rule.serialize())
    return "".join(out)


def trim_selectors(text, used, required=None):
    """``text`` without the selectors that need a name ``used`` does not have (every
    name a selector requires is added to the set ``required``, where given)."""

    def needed(selector):
        names = required_names(selector)
        if required is not None:
            required.update(names)
        return all(name in used for name in names)

    def rewrite(rule):
        kept = [s for s in split_selectors(rule.prelude) if needed(s)]
        if not kept:
            return None
        selectors = ",".join(tinycss2.serialize(s).strip() for s in kept)
        return f"{selectors}{{{tinycss2.serialize(rule.content).strip()}}}"

    return rewrite_rules(parse_rules(text), rewrite)


def trim_custom_properties(text, read, declared=None):
    """``text`` without declarations of custom properties (``--x: ...``) that nothing
    ``read``s, and without the rules that leaves empty (every custom property declared
    is added to the set ``declared``, where given)."""
    return CustomProperties(text, declared).without(read)


class CustomProperties:
    """A stylesheet's rules, parsed once, for :func:`trim_custom_properties`.

    Removing a custom property can leave another unread (one read only by the first),
    so the trim is repeated until nothing goes (``trim_stylesheets``): each round keeps,
    of the rules parsed here, what the last round kept and the names still read, the
    very text that parsing the last round's output again would give.
    """

    def __init__(self, text, declared=None):
        def name(declaration):
            """The custom property ``declaration`` declares, or None."""
            if declaration.type != "declaration" or not declaration.name.startswith("--"):
                return None
            if declared is not None:
                declared.add(declaration.name)
            return declaration.name

        def parsed(rules):
            items = []
            for rule in rules:
                if rule.type == "qualified-rule":
                    items.append(("rule", tinycss2.serialize(rule.prelude).strip(), [
                        (name(d), d.serialize()) for d in tinycss2.parse_blocks_contents(
                            rule.content, skip_comments=True, skip_whitespace=True)]))
                elif rule.type == "at-rule" and rule.lower_at_keyword in _GROUPING_RULES \
                        and rule.content is not None:
                    items.append(("block", f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}",
                                  parsed(parse_rules(rule.content))))
                elif rule.type == "at-rule":
                    items.append(("other", rule.serialize(), None))
            return items

        self.rules = parsed(parse_rules(text))

    def without(self, read):
        """The stylesheet without the declarations of custom properties not in ``read``,
        and without the rules and blocks that leaves empty."""
        def kept(items):
            out = []
            for kind, head, body in items:
                if kind == "rule":
                    declarations = [text for name, text in body if name is None or name in read]
                    if declarations:
                        out.append(f"{head}{{{';'.join(declarations)}}}")
                elif kind == "block":
                    inner = kept(body)
                    if inner:
                        out.append(f"{head}{{{inner}}}")
                else:
                    out.append(head)
            return "".join(out)

        return kept(self.rules)


def page_names(text):
    """What one page (its HTML) can name, and the scripts it loads, as JSON values."""
    used = UsedNames()
    used.add_html(text)
    return {"names": sorted(used.names), "properties": sorted(used.properties),
            "patterns": [p.pattern for p in used.patterns], "scripts": _SCRIPT_SRC.findall(text)}


def used_names(outdir, memo=None):
    """What every built page of ``outdir`` and every script those pages load can name
    (each page's found through ``memo``, a :class:`ContentMemo`, where given)."""
    used = UsedNames()
    scripts = set()
    for page in Path(outdir).rglob("*.html"):
        if page.relative_to(outdir).parts[0] == "_static":
            continue
        text = page.read_text(encoding="utf-8")
        found = memo.get(text, page_names) if memo else page_names(text)
        used.names.update(found["names"])
        used.properties.update(found["properties"])
        used.patterns += [re.compile(pattern) for pattern in found["patterns"]
                          if pattern not in {p.pattern for p in used.patterns}]
        for src in found["scripts"]:
            script = (page.parent / src).resolve()
            if script.is_file():
                scripts.add(script)
    for script in sorted(scripts):
        used.add_script(script.read_text(encoding="utf-8", errors="replace"))
    return used


def trim_stylesheets(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = ContentMemo(app, "page-names", [__file__])
    used = used_names(outdir, pages)
    pages.save()
    # The sheets as shipped: every build writes _static anew (stale_outputs), so no
    # trimmed sheet of an earlier build is here for myst-nb's copy to find changed.
    paths = sorted((outdir / "_static").rglob("*.css"))
    # The trimmed sheets depend only on the sheets as shipped, this code, and, of the
    # names the pages use, on those that a selector of the sheets requires and the custom
    # properties the sheets declare: when all are as in the last build, its result is
    # written again. (Any other name, such as a word of the search index, which the
    # search page loads as a script, changes nothing.)
    shipped = hashlib.sha256(Path(__file__).read_bytes())
    for path in paths:
        shipped.update(str(path.relative_to(outdir)).encode() + b"\0" + path.read_bytes() + b"\0")
    memo = Path(app.doctreedir) / "trimmed-css"
    if shared():
        # One folder per key, each written whole (see content_memo), for builds that
        # share it: the key is of every name the pages use, as they differ between builds.
        key = shipped.copy()
        key.update(repr((sorted(used.names), [p.pattern for p in used.patterns],
                         sorted(used.properties))).encode())
        memo = memo_folder(app, "trimmed-css") / key.hexdigest()
        hit = (memo / "key").is_file() and (memo / "key").read_text() == key.hexdigest()
    else:
        asked = memo / "names.json"   # what the last trim of these sheets asked about
        try:
            names = json.loads(asked.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            names = {}
        hit = names.get("sheets") == shipped.hexdigest() and (memo / "key").is_file() \
            and (memo / "key").read_text() == relevant_key(shipped, names, used)
    if hit:
        for path in paths:
            shutil.copyfile(memo / path.relative_to(outdir), path)
        return
    required, declared = set(), set()
    sheets = [trim_selectors(path.read_text(encoding="utf-8"), used, required)
              for path in paths]
    # A custom property may be read only by another that goes: repeat until none goes.
    parsed = [CustomProperties(sheet, declared) for sheet in sheets]
    while True:
        read = used.properties | set(_VAR.findall("".join(sheets)))
        trimmed = [sheet.without(read) for sheet in parsed]
        if trimmed == sheets:
            break
        sheets = trimmed
    staging = memo.with_name(f"{memo.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    for path, sheet in zip(paths, sheets):
        path.write_text(sheet + "\n", encoding="utf-8")
        (staging / path.relative_to(outdir)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, staging / path.relative_to(outdir))
    if shared():
        (staging / "key").write_text(key.hexdigest())
    else:
        names = {"sheets": shipped.hexdigest(), "required": sorted(required),
                 "declared": sorted(declared)}
        (staging / "names.json").write_text(json.dumps(names), encoding="utf-8")
        (staging / "key").write_text(relevant_key(shipped, names, used))
        shutil.rmtree(memo, ignore_errors=True)
    try:
        os.rename(staging, memo)
    except OSError:    # a build sharing the memo stored the same sheets first
        shutil.rmtree(staging, ignore_errors=True)


def relevant_key(shipped, names, used):
    """A hash of the shipped sheets (``shipped``) and of which of the names the last trim
    of them asked about (``names``) the pages use (``used``): all a trim depends on."""
    key = shipped.copy()
    key.update(repr(([name for name in names["required"] if name in used],
                     [name for name in names["declared"] if name in used.properties])).encode())
    return key.hexdigest()


def setup(app):
    # Late, so that every page and script other extensions write at the end is read
    # (js_translations writes one), but before failed_builds (900) marks the build passed.
    app.connect("build-finished", trim_stylesheets, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
