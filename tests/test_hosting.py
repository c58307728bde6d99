"""The hosting configurations are valid and use the project's own make targets."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(CHECK_JSONSCHEMA is None, reason="check-jsonschema is not installed")
@pytest.mark.parametrize("path, schema", [
    (".readthedocs.yaml", "vendor.readthedocs"),
    (".github/workflows/site.yml", "vendor.github-workflows"),
])
def test_matches_its_schema(path, schema):
    result = subprocess.run([CHECK_JSONSCHEMA, "--builtin-schema", schema, str(ROOT / path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hosts_build_with_the_make_targets():
    rtd = (ROOT / ".readthedocs.yaml").read_text()
    workflow = (ROOT / ".github/workflows/site.yml").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "make html-$READTHEDOCS_LANGUAGE" in rtd
    assert "run: make html" in workflow and "run: make test" in workflow
    assert "$(addprefix html-,$(EDITIONS)): html-%:" in makefile
