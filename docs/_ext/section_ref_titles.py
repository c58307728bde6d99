"""Links to a section whose title has math or code show it as the title does.

A bare ``{ref}`label``` takes its text from the section's title, which Sphinx keeps
only as plain text (``clean_astext``): a link to "Why $\\tanh$ again" reads
"Why \\tanh again", one to "It shapes $h_t$" reads "It shapes h_t", and one to
"Reading `h_n`" loses its code font. This keeps the title's own nodes for every
section whose title has such markup, and puts a copy of them in each link Sphinx
resolved from that title. A link with its own text (``{ref}`text <label>```) keeps it.

Sphinx builds the link from the title's text alone (``StandardDomain.build_reference_node``):
sphinx-doc/sphinx#8139, open. Drop this once Sphinx keeps the title's markup in references.
"""

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

KEY = "marked_up_section_titles"  # env attribute: docname -> {section id: title's nodes}


def keep_titles(app, doctree):
    titles = {}
    for section in doctree.findall(nodes.section):
        title = section.next_node(nodes.title)
        if title is None or all(isinstance(child, nodes.Text) for child in title.children):
            continue
        if any(title.findall(nodes.reference)):  # a link cannot hold a link
            continue
        children = [child.deepcopy() for child in title.children]
        for section_id in section["ids"]:
            titles[section_id] = children
    store = getattr(app.env, KEY, {})
    store[app.env.docname] = titles
    setattr(app.env, KEY, store)


def purge(app, env, docname):
    getattr(env, KEY, {}).pop(docname, None)


def merge(app, env, docnames, other):
    store = getattr(env, KEY, {})
    for docname in docnames:
        store[docname] = getattr(other, KEY, {}).get(docname, {})
    setattr(env, KEY, store)


class TypesetSectionRefs(SphinxPostTransform):
    """Replace the plain title text of resolved ``ref`` links with the title's nodes."""

    default_priority = 20  # after ReferencesResolver (10)
    formats = ("html",)

    def run(self, **kwargs):
        store = getattr(self.env, KEY, {})
        labels = self.env.domains.standard_domain.labels
        targets = {}  # (refid or refuri) as written on this page -> (title text, nodes)
        for docname, labelid, sectname in labels.values():
            title = store.get(docname, {}).get(labelid)
            if title is None:
                continue
            if docname == self.env.docname:
                targets[("refid", labelid)] = (sectname, title)
            else:
                uri = self.app.builder.get_relative_uri(self.env.docname, docname)
                targets[("refuri", f"{uri}#{labelid}")] = (sectname, title)
        if not targets:
            return
        for reference in list(self.document.findall(nodes.reference)):
            inline = reference.next_node(nodes.inline)
            if inline is None or "std-ref" not in inline.get("classes", []):
                continue
            key = ("refid", reference.get("refid")) if "refid" in reference else (
                "refuri", reference.get("refuri"))
            if key not in targets:
                continue
            sectname, title = targets[key]
            if inline.astext() != sectname:  # a link with its own text
                continue
            inline.children = []
            inline.extend(child.deepcopy() for child in title)


def setup(app):
    app.connect("doctree-read", keep_titles)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.add_post_transform(TypesetSectionRefs)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
