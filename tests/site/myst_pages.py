"""Reading the structure of a MyST page: sections, labels, directives, code cells."""

import io
import re
import tokenize

FENCE = re.compile(r"^(`{3,}|:{3,})\s*(\{[\w-]+\})?")


def blocks(text):
    """Split a page into ``(kind, directive, body)`` pieces: prose lines or fenced blocks."""
    lines = text.splitlines()
    if lines and lines[0] == "---":  # front matter
        end = lines.index("---", 1)
        lines = lines[end + 1:]
    pieces, k = [], 0
    while k < len(lines):
        match = FENCE.match(lines[k])
        if match:
            fence = match.group(1)
            end = k + 1
            while end < len(lines) and lines[end].strip() != fence:
                end += 1
            pieces.append(("fence", match.group(2) or "", "\n".join(lines[k + 1:end])))
            k = end + 1
        else:
            pieces.append(("prose", "", lines[k]))
            k += 1
    return pieces


def structure(text):
    """What both editions of a page must share: headings' levels, labels, directives."""
    shape = []
    for kind, directive, body in blocks(text):
        if kind == "fence":
            shape.append(("block", directive))
        elif re.match(r"^#{1,6} ", body):
            shape.append(("heading", len(body) - len(body.lstrip("#"))))
        elif re.match(r"^\([\w-]+\)=$", body.strip()):
            shape.append(("label", body.strip()))
        shape.extend(("glue", name) for name in re.findall(r"\{glue:?\w*\}`([\w-]+)`", body))
        shape.extend(("ref", name) for name in re.findall(r"\{ref\}`[^`<]*<([\w-]+)>`", body))
    return shape


def code_cells(text):
    return [body for kind, directive, body in blocks(text) if directive == "{code-cell}"]


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
