"""Give the browser-side strings (search results count, search progress) the
edition's own translations from the project's message catalogs (the ``.mo`` files
that ``make`` compiles from ``docs/locale/<language>/LC_MESSAGES/*.po`` into the
folders of ``locale_dirs``).

Sphinx translates its JavaScript from a ``sphinx.js`` catalog that ships with
Sphinx, and only reads the project's ``.po`` files for templates. Where Sphinx's
catalog leaves a string empty (Korean has no "Search finished, found N pages"),
the page showed English. This writes the project's translations as
``_static/site-translations.js``, which adds them to Sphinx's catalog
(``Documentation.addTranslations``) after Sphinx's own has loaded.

sphinx-copybutton keeps its strings in its script, for a few languages and not
Korean, with no catalog to extend (sphinx-copybutton issue #113); the same
script gives it the edition's strings for its English messages.
"""

import json
from pathlib import Path

from babel.messages.mofile import read_mo

SCRIPT = "site-translations.js"

# After Sphinx's translations.js (priority 500) and sphinx-copybutton's script.
COPYBUTTON = """
if (typeof messages === "object" && typeof locale === "string" && !(LANGUAGE in messages)) {
  const en = messages.en;
  messages[LANGUAGE] = Object.fromEntries(Object.entries(en).map(([key, text]) => [key, _(text)]));
  iconCheck = iconCheck.replace(en.copy_success, messages[LANGUAGE].copy_success);
  iconCopy = iconCopy.replace(en.copy_to_clipboard, messages[LANGUAGE].copy_to_clipboard);
  locale = LANGUAGE;
}
"""


def catalog_messages(app):
    """msgid → msgstr (or the list of plural forms) of every translated entry."""
    messages = {}
    for locale_dir in app.config.locale_dirs:
        folder = Path(app.confdir, locale_dir, app.config.language, "LC_MESSAGES")
        for mo_file in sorted(folder.glob("*.mo")):
            with mo_file.open("rb") as f:
                catalog = read_mo(f)
            for message in catalog:
                if not message.id or not message.string:
                    continue
                if message.pluralizable:
                    forms = list(message.string)
                    if all(forms):
                        messages[message.id[0]] = forms
                else:
                    messages[message.id] = message.string
    return messages


def add_script(app):
    if app.builder.format != "html" or not catalog_messages(app):
        return
    app.add_js_file(SCRIPT, priority=600)


def write_script(app, builder):
    if builder.format != "html":
        return
    messages = catalog_messages(app)
    if not messages:
        return
    # Korean, like every language whose catalog the site has, has one plural form.
    catalog = {"messages": messages, "plural_expr": "0", "locale": app.config.language}
    out = Path(app.outdir, "_static", SCRIPT)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("// The site's own translations, added to Sphinx's catalog.\n"
                   f"Documentation.addTranslations({json.dumps(catalog, ensure_ascii=False)});\n"
                   f"const LANGUAGE = {json.dumps(app.config.language)};\n" + COPYBUTTON,
                   encoding="utf-8")


def setup(app):
    app.connect("builder-inited", add_script)
    # Before the pages are written, so that they link it with its checksum
    # (``?v=``) in every build, not only in those that found it from a build before.
    app.connect("write-started", write_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
