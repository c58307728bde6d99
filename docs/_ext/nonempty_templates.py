"""The theme's templates that can never render empty are not rendered to find out.

For every page, pydata-sphinx-theme (0.20) renders each template of the navbar,
the article header and footer and the sidebars once just to see whether it
comes out empty (and then leaves it out), before rendering the page that
includes it again; it skips that check only for two templates it names itself.
The sidebar's navigation alone took about 0.04 s per page that way, a second of
each edition's build. pydata/pydata-sphinx-theme#2477 makes the list a theme
option in a later release.

Here a template is added to that list when it has text that every rendering
outputs: at the top level of the template, outside any ``if``, ``for``, macro or
block, data that is not only whitespace, and no ``extends``. Such a template
always passes the theme's check, so leaving the check out changes no page.
"""

import functools
import os

from jinja2 import nodes


def always_outputs(environment, name):
    """Whether every rendering of template ``name`` has text other than whitespace."""
    source, _, _ = environment.loader.get_source(environment, name)
    template = environment.parse(source)
    if template.find(nodes.Extends) is not None:
        return False
    return any(isinstance(child, nodes.TemplateData) and child.data.strip()
               for statement in template.body if isinstance(statement, nodes.Output)
               for child in statement.nodes)


def skip_nonempty(update_and_remove_templates):
    """Wrap the theme's ``_update_and_remove_templates`` to skip the check of the
    templates that :func:`always_outputs` (each template looked at once)."""
    known = {}

    @functools.wraps(update_and_remove_templates)
    def wrapper(app, context, templates, section, templates_skip_empty_check=None):
        skip = list(templates_skip_empty_check or [])
        names = [t.strip() for t in templates.split(",")] if isinstance(templates, str) \
            else templates
        environment = app.builder.templates.environment
        for name in names:
            name = name if os.path.splitext(name)[1] else f"{name}.html"   # as the theme
            if name not in known:
                try:
                    known[name] = always_outputs(environment, name)
                except Exception:   # not found, or not parsed: the theme's check decides
                    known[name] = False
            if known[name]:
                skip.append(name)
        return update_and_remove_templates(app, context, templates, section, skip)

    wrapper.skips_nonempty = True
    return wrapper


def setup(app):
    try:
        from pydata_sphinx_theme import utils
    except ImportError:
        return {"parallel_read_safe": True, "parallel_write_safe": True}
    if not getattr(utils._update_and_remove_templates, "skips_nonempty", False):
        utils._update_and_remove_templates = skip_nonempty(utils._update_and_remove_templates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
