"""The hosting configurations are valid, and build the site with the README's own commands."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
yaml = pytest.importorskip("yaml")


def readme_blocks():
    """The commands of each ``sh`` block of the README's set-up section, block by block:
    the set-up's two, then the slower tests CI runs after them."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return [[line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]
            for block in re.findall(r"```sh\n(.*?)```", setup, re.S)]


def readme_commands():
    """Every command of the set-up section, in order: what CI runs."""
    return [command for block in readme_blocks() for command in block]


@pytest.mark.skipif(CHECK_JSONSCHEMA is None, reason="check-jsonschema is not installed")
@pytest.mark.parametrize("path, schema", [
    (".readthedocs.yaml", "vendor.readthedocs"),
    (".github/workflows/site.yml", "vendor.github-workflows"),
])
def test_matches_its_schema(path, schema):
    result = subprocess.run([CHECK_JSONSCHEMA, "--builtin-schema", schema, str(ROOT / path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_gives_the_two_commands():
    assert readme_blocks()[0] == ["make html", "make test"]


def test_make_check_runs_every_test_command_of_the_readme():
    """`make check` runs, in order, the test commands CI runs after `make html`."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^check:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    targets = re.findall(r"^\t\$\(MAKE\).*?\s(\S+)$", recipe, re.M)
    assert [f"make {target}" for target in targets] == readme_commands()[1:]


def test_the_workflow_runs_the_readme_commands_in_order():
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text())
    runs = [step["run"].strip() for step in workflow["jobs"]["build"]["steps"] if "run" in step]
    commands = [run for run in runs if run.startswith("make")]
    assert commands == readme_commands()
    uploads = [step for step in workflow["jobs"]["build"]["steps"]
               if step.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert [step["with"]["path"] for step in uploads] == ["_build/html"]


def test_ci_runs_the_readme_commands_in_order():
    script = (ROOT / ".ci" / "run").read_text()
    commands = [line.split("#")[0].strip() for line in script.splitlines()
                if line.split("#")[0].strip().startswith("make ")]
    assert commands == readme_commands()
