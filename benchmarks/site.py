"""The site's build times, per phase, measured in one run.

    python benchmarks/site.py [--page lstm-cell] [--skip-cold] [--skip-install] [--baseline REV]

- install: what `make` runs when pyproject.toml changed (pip, with every package present);
- cold build: `make html` after removing _build/ and the execution cache, so every page is
  executed and both editions are built from nothing;
- no-change rebuild: `make html` again on the unchanged tree;
- one-page edit: `make html` after a sentence is added to one page's prose (then undone),
  ``--edits N`` times (each a different sentence);
- with each of these, where Linux's ``perf`` can count it, the CPU time of make and of every
  process it started (Sphinx, the kernels, node): it changes less with the machine's load
  than the seconds do;
- per phase and edition (from docs/_ext/build_phases.py): start-up, read (execution
  included), execute, write (math included), render math; outside of these, "before"
  (Python's start and the extensions imported before the phases are counted) and
  "after" (from the end of the build to the exit handlers), and the same spans in CPU
  seconds of the Sphinx process alone (kernels not counted); "make, the parity check
  and assembling" is the rest of `make html`'s time, beyond the longest edition's
  process (make itself, compiling the messages, the parity check of the two trees,
  copying each edition into _build/html);
- per page executed on the cold build: the seconds it took, kernel start included (from
  the execution cache), and how many pages each edition executed;
- with ``--baseline REV``: first the cold build of that revision (a copy of it, exported
  with `git archive` into a temporary folder, sharing .venv and so the current
  dependencies), in the same run, so that before and after are measured under the same load.

What a browser loads for each page is measured by benchmarks/pages.py.

The machine's load average is printed with the numbers: on a shared machine, compare
numbers of one run (ratios) rather than runs made under different loads.
"""

import argparse
import collections
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("start-up", "read", "execute", "write", "render math", "total")
OUTSIDE = ("before", "after")   # Python's start and imports before the phases; exit


def cpu_counter():
    """A command prefix that counts the CPU time of a command and all it starts, and the
    file it writes to (Linux ``perf stat``), or None where perf cannot count."""
    perf = shutil.which("perf")
    if perf is None:
        return None
    probe = subprocess.run([perf, "stat", "-x,", "-e", "task-clock", "true"],
                           capture_output=True, text=True)
    return perf if probe.returncode == 0 and "task-clock" in probe.stderr else None


PERF = cpu_counter()


def cpu_seconds(report):
    """The CPU seconds in a ``perf stat -x,`` report (task-clock, in msec)."""
    for line in report.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2] == "task-clock" and fields[0]:
            return float(fields[0]) / 1000
    return None


def timed_make(target="html", root=ROOT):
    """Seconds `make target` takes, the phases its Sphinx builds reported, and the CPU
    seconds of make and every process it started (kernels included), where perf counts
    them: on a shared machine, the CPU time changes less with the load than the seconds."""
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl") as phases, \
            tempfile.NamedTemporaryFile("r", suffix=".perf") as counts:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
        env["LSTM_REF_PHASES"] = phases.name
        if Path(root) != ROOT:
            # A copy of another revision imports its own package, not the one
            # the shared .venv's editable install points to.
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(root, "src")),
                                                             env.get("PYTHONPATH")]))
        command = ["make", "--no-print-directory", target]
        if PERF:
            command = [PERF, "stat", "-x,", "-e", "task-clock", "-o", counts.name, *command]
        start = time.perf_counter()
        subprocess.run(command, cwd=root, check=True, env=env, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        reports = [json.loads(line) for line in phases.read().splitlines()]
        cpu = cpu_seconds(counts.read()) if PERF else None
    return seconds, reports, cpu


def report(label, seconds, phases, cpu=None):
    print(f"{label}: {seconds:.1f} s" + (f" (CPU {cpu:.1f} s, kernels included)" if cpu else ""))
    for edition in phases:
        detail = ", ".join(f"{name} {edition[name]:.1f} s" for name in PHASES)
        if all(name in edition for name in OUTSIDE):   # older builds did not report them
            detail += " (" + ", ".join(f"{name} {edition[name]:.1f} s" for name in OUTSIDE) + \
                " the phases)"
        print(f"    {edition['edition']}: {detail}")
        if "cpu" in edition:   # the Sphinx process's own CPU seconds (its kernels not counted)
            cpu = edition["cpu"]
            print("        CPU of the Sphinx process: " + ", ".join(
                f"{name} {cpu[name]:.1f} s" for name in ("before", *PHASES[:1], "read", "write",
                                                          "after") if name in cpu))
    if phases:
        longest = max(sum(edition.get(name, 0.0) for name in ("total", *OUTSIDE))
                      for edition in phases)
        print(f"    make, the parity check and assembling: {max(seconds - longest, 0.0):.1f} s")


def executed_pages(root=ROOT):
    """(page, seconds) of every page the execution cache holds, slowest first."""
    pages = []
    for database in Path(root, ".jupyter_cache").glob("*/global.db"):
        with sqlite3.connect(database) as cache:
            for uri, data in cache.execute("SELECT uri, data FROM nbcache"):
                page = "/".join(Path(uri).with_suffix("").parts[-2:])
                pages.append((page, json.loads(data or "{}").get("execution_seconds") or 0.0))
    return sorted(pages, key=lambda page: -page[1])


def report_execution(root=ROOT):
    pages = executed_pages(root)
    editions = collections.Counter(page.split("/")[0] for page, _ in pages)
    print(f"    pages executed: {', '.join(f'{e} {n}' for e, n in sorted(editions.items()))}; "
          f"{sum(s for _, s in pages):.1f} s in all, kernel start included")
    print("    " + ", ".join(f"{page} {seconds:.1f}" for page, seconds in pages))


def cold_build(root=ROOT, label="cold build (both editions, every page executed)"):
    shutil.rmtree(Path(root) / "_build", ignore_errors=True)
    shutil.rmtree(Path(root) / ".jupyter_cache", ignore_errors=True)
    report(label, *timed_make(root=root))
    report_execution(root)


def baseline(revision):
    """The cold build of ``revision``, in a temporary copy of it that shares .venv."""
    with tempfile.TemporaryDirectory(prefix="lstm-ref-baseline-") as folder:
        archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        Path(folder, ".venv").symlink_to(ROOT / ".venv")
        # Older than .venv's install: make must not install the copy into the shared .venv.
        installed = (ROOT / ".venv" / ".installed").stat().st_mtime
        os.utime(Path(folder, "pyproject.toml"), (installed - 60, installed - 60))
        cold_build(folder, f"cold build of {revision} (both editions, every page executed)")


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
    parser.add_argument("--edits", type=int, default=1, metavar="N",
                        help="time the one-page edit N times")
    parser.add_argument("--baseline", metavar="REV",
                        help="first time the cold build of this git revision, in the same run")
    args = parser.parse_args()
    print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    if not args.skip_install:
        print(f"install (every package present): {timed_install():.1f} s")
    if args.baseline:
        baseline(args.baseline)
    if not args.skip_cold:
        cold_build()
    else:
        timed_make()
    report("no-change rebuild (both editions)", *timed_make())
    page = ROOT / "docs" / "en" / f"{args.page}.md"
    original = page.read_bytes()
    try:
        for edit in range(1, args.edits + 1):
            page.write_bytes(original + f"\nSentence {edit}, added to time a rebuild.\n".encode())
            report(f"one-page edit (a sentence added to en/{args.page})", *timed_make())
    finally:
        page.write_bytes(original)
    timed_make()
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
