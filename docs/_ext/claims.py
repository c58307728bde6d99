"""Claims in prose, each tied to the executed check or the citation behind it.

A *check* is an executed code cell with a name, given as a cell option; its
``assert`` lines would fail if the claims that name it were false::

    ```{code-cell} ipython3
    :check: added-part-bounded
    assert np.abs(i_values * g_values).max() < 1
    ```

A *claim* names the checks behind it, inline with a role (the targets go in
angle brackets, as with ``{ref}``) or, for a longer passage, with a directive::

    The added part {claim}`stays in $(-1, 1)$ <added-part-bounded>`.

    :::{claim} added-part-bounded, forget-gate:gate-in-unit-interval
    A paragraph, or several, that the checks back as a whole.
    :::

A target is a check on the same page (``name``), a check on another page
(``page:name``) or a citation (``cite:key``, a key of ``docs/references.bib``).

Each claim is shown with a small mark per check that links to the check's
cell and shows its ``assert`` lines on hover or focus; a citation shows as
its number in the references. The build warns, at the claim's line, when a
claim names nothing, a check that no page defines, a check whose cell did not
run or raised, or a check with no ``assert``; in the strict build each of
these is an error. An edition's page must also make the same claims, naming
the same checks, as the same page of every other edition (``claims_editions``).

The checks are made after every page has been read, on every build, so an
unchanged page with a broken claim fails again rather than being skipped.
"""

import re
from collections import Counter
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import roles
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

logger = logging.getLogger(__name__)

CHECK_OPTION = "check"
CITE_PREFIX = "cite:"
ASSERT_LINE = re.compile(r"^\s*(assert\b|.*\bassert_\w+\()")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<targets>[^<>]*)>\s*$", re.DOTALL)

LABELS = {
    "en": {"check": "Check", "checked_by": "Checked by", "cell": "check"},
    "ko": {"check": "검증", "checked_by": "검증 코드", "cell": "검증"},
}


class claim(nodes.inline):
    """The words of a claim (inline)."""


class claim_block(nodes.container):
    """A passage that is one claim."""


class claim_mark(nodes.inline):
    """The marks after a claim: one per check, then its citations."""


def parse_targets(text):
    """``(checks, cites)`` from ``"a, page:b, cite:key"``.

    ``checks`` is a list of ``(page or None, name)``; ``cites`` a list of keys.
    """
    checks, cites = [], []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        if item.startswith(CITE_PREFIX):
            cites.extend(key.strip() for key in item[len(CITE_PREFIX):].split("+") if key.strip())
        elif ":" in item:
            page, name = item.rsplit(":", 1)
            checks.append((page.strip(), name.strip()))
        else:
            checks.append((None, item))
    return checks, cites


def make_mark(role_or_directive, targets_text, lineno):
    """A ``claim_mark`` naming the checks, holding the citation nodes."""
    checks, cites = parse_targets(targets_text or "")
    mark = claim_mark(classes=["claim-mark"], checks=checks, cites=cites,
                      targets=(targets_text or "").strip())
    if isinstance(role_or_directive, SphinxRole):
        role_or_directive.set_source_info(mark, lineno)
    else:
        role_or_directive.set_source_info(mark)
    if cites:
        inliner = getattr(role_or_directive, "inliner", None) or role_or_directive.state.inliner
        keys = ",".join(cites)
        cite_role, _ = roles.role("cite:p", inliner.language, lineno, inliner.reporter)
        if cite_role is None:
            logger.warning("claim cites %s but no cite role is registered "
                           "(add sphinxcontrib.bibtex to the extensions)", keys,
                           location=mark, type="claims", subtype="cite")
        else:
            cite_nodes, messages = cite_role("cite:p", f":cite:p:`{keys}`", keys, lineno, inliner)
            mark.extend(cite_nodes)
            mark.extend(messages)
    return mark


class ClaimRole(SphinxRole):
    """``{claim}`words <check, page:check, cite:key>```."""

    def run(self):
        match = EXPLICIT.match(self.text)
        words, targets = (match["text"], match["targets"]) if match else (self.text, "")
        node = claim(classes=["claim"])
        self.set_source_info(node)
        children, messages = self.inliner.parse(words, self.lineno, self.inliner, node)
        node.extend(children)
        node += make_mark(self, targets, self.lineno)
        return [node], messages


class ClaimDirective(SphinxDirective):
    """A passage backed as a whole: ``:::{claim} check, page:check, cite:key``."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self):
        node = claim_block(classes=["claim", "claim-block"])
        self.set_source_info(node)
        node.extend(self.parse_content_to_nodes())
        mark = make_mark(self, self.arguments[0] if self.arguments else "", self.lineno)
        paragraphs = [p for p in node.findall(nodes.paragraph)]
        (paragraphs[-1] if paragraphs else node).append(mark)
        return [node]


# -- collecting the checks and the claims of each page ------------------------

def env_data(env):
    if not hasattr(env, "claims_checks"):
        env.claims_checks = {}      # docname -> {name: check}
        env.claims_claims = {}      # docname -> [claim]
    return env


def cell_source(cell):
    for child in cell.findall(nodes.literal_block):
        if child.parent.get("nb_element") == "cell_code_source":
            return child.astext()
    return ""


def collect(app, doctree):
    env = env_data(app.env)
    docname = env.docname
    labels = LABELS.get(app.config.language, LABELS["en"])
    checks = {}
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") != "cell_code":
            continue
        names = cell.get("cell_metadata", {}).get(CHECK_OPTION)
        if not names:
            continue
        names = names if isinstance(names, list) else str(names).replace(",", " ").split()
        source = cell_source(cell)
        failed = any("traceback" in node["classes"] for node in cell.findall(nodes.literal_block))
        for name in names:
            if name in checks:
                logger.warning("check %r is defined twice on this page", name,
                               location=cell, type="claims", subtype="duplicate")
            anchor = f"check-{nodes.make_id(name)}"
            cell["ids"].append(anchor)
            checks[name] = {
                "anchor": anchor,
                "line": cell.line,
                "ran": cell.get("exec_count") is not None,
                "failed": failed,
                "asserts": [line.strip() for line in source.splitlines()
                            if ASSERT_LINE.match(line)],
            }
        cell["classes"].append("claim-check")
        # The label goes before the cell, not inside it: myst-nb's hide-input
        # toggle expects the cell's own children.
        label = nodes.paragraph(classes=["claim-check-label"])
        label += nodes.Text(f"✓ {labels['check']}: ")
        label += nodes.literal(text=", ".join(names))
        cell.parent.insert(cell.parent.index(cell), label)
    env.claims_checks[docname] = checks
    claims = []
    for mark in doctree.findall(claim_mark):
        claims.append({"checks": mark["checks"], "cites": mark["cites"],
                       "line": mark.line})
    env.claims_claims[docname] = claims


def purge(app, env, docname):
    env_data(env)
    env.claims_checks.pop(docname, None)
    env.claims_claims.pop(docname, None)


def merge(app, env, docnames, other):
    env_data(env)
    env_data(other)
    for docname in docnames:
        env.claims_checks[docname] = other.claims_checks.get(docname, {})
        env.claims_claims[docname] = other.claims_claims.get(docname, [])


def outdated(app, env, added, changed, removed):
    """Note the pages this build reads again (for :func:`updated`); none to add."""
    app.claims_touched = set(added) | set(changed) | set(removed)
    return []


def updated(app, env):
    """Pages whose claims name a check on a page that changed: written again, since their
    marks show its asserts. Marks are resolved as a page is written (:func:`resolve_marks`),
    so the page itself need not be read again."""
    env_data(env)
    touched = getattr(app, "claims_touched", set())
    return [docname for docname, claims in env.claims_claims.items()
            if docname not in touched
            and any(page in touched for claim_ in claims for page, _ in claim_["checks"] if page)]


# -- checking ------------------------------------------------------------------

def lookup(env, docname, page, name):
    return env.claims_checks.get(page or docname, {}).get(name)


def check_claims(app, env):
    env_data(env)
    for docname in sorted(env.claims_claims):
        for claim_ in env.claims_claims[docname]:
            location = (docname, claim_["line"])
            if not claim_["checks"] and not claim_["cites"]:
                logger.warning("claim names no check and no citation", location=location,
                               type="claims", subtype="missing")
            for page, name in claim_["checks"]:
                where = f"{page}:{name}" if page else name
                check = lookup(env, docname, page, name)
                if check is None:
                    logger.warning("claim names check %r, which no page defines", where,
                                   location=location, type="claims", subtype="unknown")
                elif check["failed"]:
                    logger.warning("claim names check %r, whose cell failed", where,
                                   location=location, type="claims", subtype="failed")
                elif not check["ran"]:
                    logger.warning("claim names check %r, whose cell did not run", where,
                                   location=location, type="claims", subtype="unrun")
                elif not check["asserts"]:
                    logger.warning("claim names check %r, whose cell asserts nothing", where,
                                   location=location, type="claims", subtype="empty")
    check_editions(app, env)


SOURCE_ROLE = re.compile(r"\{claim\}(`+)(.*?)\1", re.DOTALL)
SOURCE_DIRECTIVE = re.compile(r"^\s*(?::{3,}|`{3,})\{claim\}[ \t]*(.*)$", re.MULTILINE)
SOURCE_CHECK = re.compile(r"^:?check:[ \t]*(.+)$", re.MULTILINE)   # option or YAML form


def source_claims(text):
    """The claims (as sorted targets) and the check names of a page's source."""
    claims = []
    for match in SOURCE_ROLE.finditer(text):
        explicit = EXPLICIT.match(match[2])
        claims.append(explicit["targets"] if explicit else "")
    claims.extend(match[1] for match in SOURCE_DIRECTIVE.finditer(text))
    normal = Counter(", ".join(sorted(t.strip() for t in c.split(",") if t.strip()))
                     for c in claims)
    checks = Counter(name for match in SOURCE_CHECK.finditer(text)
                     for name in match[1].strip("[] ").replace(",", " ").split())
    return normal, checks


def describe(counter):
    return "; ".join(f"<{k}>" + (f" x{n}" if n > 1 else "") for k, n in sorted(counter.items())) \
        or "none"


def first_line(text, counter):
    """The line of the first claim or check of ``counter`` in a page's source, or 1."""
    for number, line in enumerate(text.splitlines(), start=1):
        if any(name.split(",")[0].strip() in line for name in counter if name):
            return number
    return 1


def claim_differences(ours_text, theirs_text):
    """``(line here, line there, message)`` for each kind (claims, checks) that differs."""
    ours, theirs = source_claims(ours_text), source_claims(theirs_text)
    differences = []
    for kind, mine, its in (("claims", ours[0], theirs[0]), ("checks", ours[1], theirs[1])):
        if mine != its:
            differences.append((first_line(ours_text, mine - its), first_line(theirs_text, its - mine),
                                f"other {kind} than the twin: here only {describe(mine - its)}; "
                                f"in the twin only {describe(its - mine)}"))
    return differences


def same_claims(app, page, twin):
    """The ``edition-parity`` handler: both editions of a page make the same claims."""
    return claim_differences(page.text, twin.text)


def check_editions(app, env):
    """Every other edition's page makes the same claims with the same checks.

    Used only when the ``edition_parity`` extension is absent; with it, the
    comparison runs as one of its ``edition-parity`` handlers instead.
    """
    if "edition-parity" in app.events.events:
        return
    srcdir = Path(app.srcdir)
    others = [srcdir.parent / code for code in app.config.claims_editions
              if code != srcdir.name and (srcdir.parent / code).is_dir()]
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        if not path.is_file():
            continue
        for other in others:
            twin = other / path.relative_to(srcdir)
            if not twin.is_file():
                continue
            for line, twin_line, message in claim_differences(
                    path.read_text(encoding="utf-8"), twin.read_text(encoding="utf-8")):
                logger.warning("%s (the %s edition, line %d)", message, other.name, twin_line,
                               location=(docname, line), type="claims", subtype="editions")


# -- rendering -------------------------------------------------------------------

def resolve_marks(app, doctree, docname):
    env = env_data(app.env)
    for mark in doctree.findall(claim_mark):
        resolved = []
        for page, name in mark["checks"]:
            check = lookup(env, docname, page, name)
            if check is None:
                continue
            target = page or docname
            uri = "" if target == docname else app.builder.get_relative_uri(docname, target)
            resolved.append((name, f"{uri}#{check['anchor']}", "\n".join(check["asserts"])))
        mark["resolved"] = resolved


def visit_claim_html(self, node):
    self.body.append(self.starttag(node, "span", ""))


def depart_claim_html(self, node):
    self.body.append("</span>")


def visit_claim_block_html(self, node):
    self.body.append(self.starttag(node, "div", ""))


def depart_claim_block_html(self, node):
    self.body.append("</div>\n")


def visit_claim_mark_html(self, node):
    labels = LABELS.get(self.config.language, LABELS["en"])
    self.body.append(self.starttag(node, "span", ""))
    for name, href, asserts in node.get("resolved", []):
        self.body.append(
            f'<a class="claim-check-link" href="{self.attval(href)}" '
            f'aria-label="{self.attval(labels["checked_by"] + ": " + name)}">'
            '<span class="claim-symbol" aria-hidden="true">✓</span>'
            f'<span class="claim-asserts" role="tooltip"><span class="claim-asserts-name">'
            f'{self.encode(labels["checked_by"])}: <code>{self.encode(name)}</code></span>'
            f'<code class="claim-asserts-code">{self.encode(asserts)}</code></span></a>')


def depart_claim_mark_html(self, node):
    self.body.append("</span>")


def visit_skip(self, node):
    pass


def depart_skip(self, node):
    pass


def add_static(app, config):
    static = str(Path(__file__).with_name("claims_static"))
    if static not in config.html_static_path:
        config.html_static_path.append(static)


def setup(app):
    app.add_config_value("claims_editions", ("en", "ko"), "env")
    try:                 # the build's edition check, when present, compares the claims too
        app.setup_extension("edition_parity")
    except ExtensionError:
        pass
    else:
        app.connect("edition-parity", same_claims)
    app.add_role("claim", ClaimRole())
    app.add_directive("claim", ClaimDirective)
    generic = {builder: (visit_skip, depart_skip)
               for builder in ("text", "latex", "man", "texinfo", "gettext")}
    app.add_node(claim, html=(visit_claim_html, depart_claim_html), **generic)
    app.add_node(claim_block, html=(visit_claim_block_html, depart_claim_block_html), **generic)
    app.add_node(claim_mark, html=(visit_claim_mark_html, depart_claim_mark_html), **generic)
    app.connect("config-inited", add_static)
    app.add_css_file("claims.css")
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", outdated)
    app.connect("env-get-updated", updated)
    app.connect("env-check-consistency", check_claims)
    app.connect("doctree-resolved", resolve_marks)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
