"""The site's build times, per phase, measured in one run.

    python benchmarks/site.py [--page lstm-cell] [--skip-cold] [--skip-install]

- install: what `make` runs when pyproject.toml changed (pip, with every package present);
- cold build: `make html` after removing _build/ and the execution cache, so every page is
  executed and both editions are built from nothing;
- no-change rebuild: `make html` again on the unchanged tree;
- one-page edit: `make html` after a sentence is added to one page's prose (then undone);
- per phase and edition (from docs/_ext/build_phases.py): start-up, read (execution
  included), execute, write (math included), render math; "assemble and make" is the
  rest of `make html`'s time (copying each edition into _build/html, make itself).

What a browser loads for each page is measured by benchmarks/pages.py.

The machine's load average is printed with the numbers: on a shared machine, compare
numbers of one run (ratios) rather than runs made under different loads.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("start-up", "read", "execute", "write", "render math", "total")


def timed_make(target="html"):
    """Seconds `make target` takes, and the phases its Sphinx builds reported."""
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl") as phases:
        env = {**os.environ, "LSTM_REF_PHASES": phases.name}
        start = time.perf_counter()
        subprocess.run(["make", "--no-print-directory", target], cwd=ROOT, check=True, env=env,
                       stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        reports = [json.loads(line) for line in phases.read().splitlines()]
    return seconds, reports


def report(label, seconds, phases):
    print(f"{label}: {seconds:.1f} s")
    for edition in phases:
        detail = ", ".join(f"{name} {edition[name]:.1f} s" for name in PHASES)
        print(f"    {edition['edition']}: {detail}")
    if phases:
        longest = max(edition["total"] for edition in phases)
        print(f"    assemble and make: {max(seconds - longest, 0.0):.1f} s")


def timed_install():
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-e", ".[test,docs]"], cwd=ROOT, check=True)
    return time.perf_counter() - start



def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="lstm-cell")
    parser.add_argument("--skip-cold", action="store_true",
                        help="keep the current build and cache; measure only the rest")
    parser.add_argument("--skip-install", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    if not args.skip_install:
        print(f"install (every package present): {timed_install():.1f} s")
    if not args.skip_cold:
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        shutil.rmtree(ROOT / ".jupyter_cache", ignore_errors=True)
        report("cold build (both editions, every page executed)", *timed_make())
    else:
        timed_make()
    report("no-change rebuild (both editions)", *timed_make())
    page = ROOT / "docs" / "en" / f"{args.page}.md"
    original = page.read_bytes()
    try:
        page.write_bytes(original + b"\nA sentence added to time a rebuild.\n")
        report(f"one-page edit (a sentence added to en/{args.page})", *timed_make())
    finally:
        page.write_bytes(original)
    timed_make()
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
