"""sphinxext-opengraph without matplotlib in the build unless a social card is drawn.

sphinxext-opengraph imports its social-card module, and with it matplotlib's
pyplot, when it is imported: one to four seconds of each Sphinx run (more than
the rest of a one-page rebuild's start-up) for cards this site does not draw
(``ogp_social_cards = {"enable": False}``). Loaded before it, this extension
puts a stand-in for that module in its place: the same default settings, read
from the module's source without running it, and a ``create_social_card`` that
imports the real module (and matplotlib) the first time a card is drawn and
hands the call on. Upstream, sphinx-doc/sphinxext-opengraph#145 proposes to
import the module only when it is needed.
"""

import ast
import importlib
import importlib.util
import sys
import types
from pathlib import Path

MODULE = "sphinxext.opengraph._social_cards"


def module_source():
    """The module's file, found without importing sphinxext.opengraph (which imports it)."""
    namespace = importlib.util.find_spec("sphinxext")
    for folder in (namespace.submodule_search_locations or []) if namespace else []:
        path = Path(folder, "opengraph", "_social_cards.py")
        if path.is_file():
            return path
    return None


def default_settings(path):
    """``DEFAULT_SOCIAL_CONFIG`` as the module's source writes it (a literal)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "DEFAULT_SOCIAL_CONFIG"
                for target in statement.targets):
            return ast.literal_eval(statement.value)
    return None


def create_social_card(*args, **kwargs):
    """The real ``create_social_card``, imported (with matplotlib) on the first call."""
    sys.modules.pop(MODULE, None)
    real = importlib.import_module(MODULE)
    return real.create_social_card(*args, **kwargs)


def install():
    """Put the stand-in in place, unless the module is loaded already or cannot be read."""
    if MODULE in sys.modules or "sphinxext.opengraph" in sys.modules:
        return
    try:
        path = module_source()
        defaults = default_settings(path) if path is not None else None
    except (ImportError, OSError, SyntaxError, ValueError):
        defaults = None
    if defaults is None:          # another version: leave the import to the extension
        return
    stand_in = types.ModuleType(MODULE, __doc__)
    stand_in.DEFAULT_SOCIAL_CONFIG = defaults
    stand_in.create_social_card = create_social_card
    sys.modules[MODULE] = stand_in


def setup(app):
    install()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
