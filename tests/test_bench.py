"""``bench/run_all.py`` knows every benchmark, and rewrites only its own block of RESULTS.md.

The benchmarks themselves are run by hand (their numbers depend on the machine); what is tested here is
that the one command really covers them all and never loses the hand-written history.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run_all", BENCH / "run_all.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through it
    spec.loader.exec_module(module)
    return module


def test_every_benchmark_script_is_run_by_run_all() -> None:
    runner = _runner()
    scripts = {path.name for path in BENCH.glob("*.py")} - runner.SUPPORT
    assert scripts == {run.script for run in runner.RUNS}


@pytest.mark.parametrize(
    "script", sorted(path.name for path in BENCH.glob("*.py") if path.name != "processes.py")
)
def test_every_benchmark_imports_what_it_uses(script: str) -> None:
    """``--help`` loads a script's imports and parses nothing else: a name moved elsewhere in the package
    fails here, not in the middle of a run of the whole harness."""
    done = subprocess.run(
        [sys.executable, str(BENCH / script), "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage:")


def test_dry_run_prints_one_command_per_benchmark() -> None:
    runner = _runner()
    done = subprocess.run(
        [sys.executable, str(BENCH / "run_all.py"), "--dry-run", "--quick"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == len(runner.RUNS)
    assert all("bench/" in line and "large" not in line for line in lines)


def test_unknown_benchmark_name_is_a_one_line_usage_error() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "run_all.py"), "--only", "nope"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "invalid choice: 'nope'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("has_block", [False, True])
def test_rewrite_replaces_only_the_generated_block(tmp_path: Path, has_block: bool) -> None:
    runner = _runner()
    history = "## An earlier session\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    old = f"{runner.BEGIN}\nold numbers\n{runner.END}\n\n" if has_block else ""
    results = tmp_path / "RESULTS.md"
    results.write_text(f"# Benchmark results\n\n{old}{history}", encoding="utf-8")
    runner.RESULTS = results
    runner._rewrite("## Latest run\n\nnew numbers")
    runner._rewrite("## Latest run\n\nnewer numbers")  # twice: still one block
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results\n")
    assert text.count(runner.BEGIN) == 1 and text.count(runner.END) == 1
    assert "newer numbers" in text and "new numbers\n" not in text and "old numbers" not in text
    assert text.endswith(history)


def test_a_rerun_of_one_benchmark_replaces_its_section_alone() -> None:
    runner = _runner()
    first, second, third = runner.RUNS[0], runner.RUNS[1], runner.RUNS[2]
    block = (
        "## Latest run\n\nintro\n\n"
        f"### {first.title}\n\nfirst, old\n\n### {third.title}\n\nthird, old\n\n| a |\n|---|\n"
    )
    merged = runner._merged(
        block,
        {
            first.title: f"### {first.title}\n\nfirst, new\n",
            second.title: f"### {second.title}\n\nsecond, new\n",
        },
    )
    assert list(merged) == [first.title, second.title, third.title]  # the runner's order
    assert "first, new" in merged[first.title] and "old" not in merged[first.title]
    assert merged[third.title] == f"### {third.title}\n\nthird, old\n\n| a |\n|---|\n"
    assert runner._merged("", {second.title: "x"}) == {second.title: "x"}
