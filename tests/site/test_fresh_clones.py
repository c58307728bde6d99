"""A fresh clone builds with the README's and Read the Docs' own commands, and two
fresh clones build at the same moment without colliding; each leaves its tree as
it was. Builds run in small copies of the project (see ``site_build.project_copy``)."""

import subprocess
import sys
import threading

import pytest
import yaml

from site_build import DOCS, NOTEBOOK_HEADER, copy_env, make, project_copy

sys.path.insert(0, str(DOCS / "_ext"))
import execution_freshness  # noqa: E402


@pytest.mark.slow
def test_two_fresh_clones_build_at_once_and_stay_clean(tmp_path):
    """Empty caches, both builds at the same moment: both pass, and neither leaves a
    tracked file changed (nor an untracked one outside _build and the cache)."""
    page = NOTEBOOK_HEADER + "# A page\n\n```{code-cell} ipython3\nimport lstm_ref\nprint(2 + 2)\n```\n"
    projects = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        project = project_copy(tmp_path / name, {"index": page})
        (project / ".gitignore").write_text((DOCS.parent / ".gitignore").read_text())
        old_cache = project / ".jupyter_cache" / "0123456789abcdef"
        old_cache.mkdir(parents=True)
        subprocess.run("git init -q && git add -A && git -c user.name=t -c user.email=t@t "
                       "commit -qm copy", shell=True, cwd=project, check=True)
        projects.append(project)
    results = {}
    threads = [threading.Thread(target=lambda p=p: results.__setitem__(p, make(p, "html")))
               for p in projects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for project in projects:
        status, log = results[project]
        assert status == 0, log[-6000:]
        assert "4" in (project / "_build" / "html" / "ko" / "index.html").read_text()
        status = subprocess.run(["git", "status", "--porcelain"], cwd=project,
                                capture_output=True, text=True, check=True).stdout
        assert status == "", status
        caches = [p.name for p in (project / ".jupyter_cache").iterdir()]
        assert caches == [execution_freshness.execution_key()]   # the older one was removed


@pytest.mark.slow
def test_read_the_docs_commands_build_an_edition(tmp_path):
    """Run .readthedocs.yaml's commands as Read the Docs would, in a one-page copy."""
    (tmp_path / "project").mkdir()
    project = project_copy(tmp_path / "project", {"index": "# A page\n\nThe gate $f_t$.\n"})
    output = tmp_path / "output"
    env = copy_env(READTHEDOCS="True", READTHEDOCS_LANGUAGE="ko", READTHEDOCS_VERSION="latest",
                   READTHEDOCS_OUTPUT=str(output))
    config = yaml.safe_load((DOCS.parent / ".readthedocs.yaml").read_text())
    for command in config["build"]["commands"]:
        result = subprocess.run(["bash", "-c", command], cwd=project, env=env,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    page = (output / "html" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ko"' in page and 'class="katex"' in page
