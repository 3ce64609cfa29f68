"""`make bench BENCH_OPTIONS=...`: a quick run with options writes its partial report apart, never over RESULTS.md."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/ is not installed: read it from the checkout
from benchmarks import bench  # noqa: E402


def where(*argv: str) -> Path:
    return bench.report_path(bench.parse_args(list(argv)), list(argv))


def test_the_default_full_run_writes_results_md():
    assert where() == bench.RESULTS == Path(bench.__file__).parent / "RESULTS.md"
    assert where("--posts", "5000", "--runs", "3") == bench.RESULTS  # the defaults, said aloud


def test_a_run_with_other_sizes_writes_a_git_ignored_report_named_after_its_options():
    assert where("--posts", "500", "--runs", "1") == bench.PARTIAL_RESULTS / "results-posts-500-runs-1.md"
    assert bench.PARTIAL_RESULTS.relative_to(Path(bench.__file__).parents[1]) == Path("data/bench")


def test_leaving_a_section_or_a_tool_out_is_a_partial_run_too():
    assert where("--skip", "memory") == bench.PARTIAL_RESULTS / "results-skip-memory.md"
    assert where("--without", "nginx") != bench.RESULTS


def test_write_results_or_out_say_where_the_report_goes():
    assert where("--posts", "500", "--write-results") == bench.RESULTS
    assert where("--posts", "500", "--out", "/tmp/mine.md") == Path("/tmp/mine.md")
