"""docs/_ext/README.md names every extension module there is, and only those."""

import re
from pathlib import Path

EXT = Path(__file__).resolve().parents[1] / "docs" / "_ext"


def test_every_extension_is_listed_once():
    listed = re.findall(r"^\| `([^`]+)`(?:, `([^`]+)`)? \|", (EXT / "README.md").read_text("utf-8"), re.M)
    names = [name for row in listed for name in row if name]
    present = sorted(
        p.name + ("/" if p.is_dir() else "")
        for p in EXT.iterdir()
        if not p.name.startswith(("_", ".")) and p.name != "README.md"
    )
    assert sorted(names) == present, "docs/_ext/README.md must list each extension module exactly once"
