"""Write KaTeX's lone subscripts as one shifted span instead of an inline table.

KaTeX places a subscript with its general vertical-list construction: an
inline table of two rows (``vlist-t`` > ``vlist-r`` > ``vlist``), a block
positioned by ``top``, a zero-width strut (``pstrut``) that sets its baseline,
and a spacer cell, about a dozen elements around the subscript's own text;
KaTeX has no option for a leaner form. Every formula of these pages has
several subscripts ($W_{if}$, $h_{t-1}$): on the LSTM cell page they are more
than a quarter of the elements of the first section, which a phone lays out
before its first paint.

A subscript with no superscript is only its text shifted down by a fixed amount
and kerned, so it is written here as one inline span with the same
``vertical-align`` (the shift KaTeX computed: ``-(top + pstrut height)``), the same
margins, and ``line-height: 0`` so that it adds nothing to the line box, whose
height KaTeX's strut already sets. Screenshots of the pages are the same at
390 and 1366 px. Subscripts with a superscript, limits, fractions and accents
keep KaTeX's markup. Only the visual part (``.katex-html``, hidden from
assistive technology) changes; the MathML that screen readers read does not.
"""

import re

_LONE_SUBSCRIPT = re.compile(
    r'<span class="msupsub"><span class="vlist-t vlist-t2"><span class="vlist-r">'
    r'<span class="vlist" style="height:[0-9.]+em;">'
    r'<span style="top:(?P<top>-?[0-9.]+)em;(?P<kern>margin-left:-?[0-9.]+em;)?'
    r'margin-right:(?P<space>[0-9.]+em);">'
    r'<span class="pstrut" style="height:(?P<strut>[0-9.]+)em;"></span>')
_AFTER_SUBSCRIPT = re.compile(
    r'</span></span><span class="vlist-s">\u200b</span></span>'
    r'<span class="vlist-r"><span class="vlist" style="height:[0-9.]+em;"><span></span></span></span>'
    r'</span></span>')
_SPAN_TAG = re.compile(r"<(/?)span\b[^>]*>")


def _closing_tag(html, start):
    """Index of the ``</span>`` that closes the span open at ``start``, or -1."""
    depth = 0
    for tag in _SPAN_TAG.finditer(html, start):
        if not tag.group(1):
            depth += 1
        elif depth:
            depth -= 1
        else:
            return tag.start()
    return -1


def flatten_subscripts(html):
    """``html`` with every lone KaTeX subscript written as one shifted span."""
    out, position = [], 0
    for head in _LONE_SUBSCRIPT.finditer(html):
        if head.start() < position:
            continue
        end = _closing_tag(html, head.end())
        after = _AFTER_SUBSCRIPT.match(html, end) if end >= 0 else None
        if after is None:       # a superscript too, or markup of another KaTeX version
            continue
        shift = -(float(head["top"]) + float(head["strut"]))
        style = (f"line-height:0;vertical-align:{shift:.4g}em;{head['kern'] or ''}"
                 f"margin-right:{head['space']};")
        out += [html[position:head.start()], f'<span class="msupsub"><span style="{style}">',
                html[head.end():end], "</span></span>"]
        position = after.end()
    out.append(html[position:])
    return "".join(out)


def on_page_context(app, pagename, templatename, context, doctree):
    if "body" in context and "msupsub" in context["body"]:
        context["body"] = flatten_subscripts(context["body"])


def setup(app):
    app.connect("html-page-context", on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
