"""benchmarks/results_md.py: each harness rewrites only its own section of RESULTS.md."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import results_md  # noqa: E402

BENCH = "# rnn-edu benchmarks\n\n## Speed\n\n| a | b |\n"


def test_a_section_is_added_then_replaced_in_place():
    once = results_md.replace_section(BENCH, "hub-load", "hub_load.py", "## Hub\n\nrow 1")
    assert once.startswith(BENCH.rstrip("\n"))
    assert results_md.read_section(once, "hub-load") == "## Hub\n\nrow 1"
    other = results_md.replace_section(once, "release", "release.py", "## Release\n\nr")
    twice = results_md.replace_section(other, "hub-load", "hub_load.py", "## Hub\n\nrow 2")
    assert results_md.read_section(twice, "hub-load") == "## Hub\n\nrow 2"
    assert results_md.read_section(twice, "release") == "## Release\n\nr"
    assert twice.count("row 1") == 0 and twice.index("## Hub") < twice.index("## Release")
    assert twice.replace("row 2", "row 1") == results_md.replace_section(other, "hub-load", "hub_load.py",
                                                                         "## Hub\n\nrow 1")


def test_a_whole_file_rewrite_keeps_the_other_harnesses_sections():
    old = results_md.replace_section(BENCH, "hub-load", "hub_load.py", "## Hub\n\nkept")
    new_bench = "# rnn-edu benchmarks\n\n## Speed\n\n| new |\n"
    merged = results_md.keep_sections(old, new_bench)
    assert merged.startswith(new_bench.rstrip("\n")) and "| a | b |" not in merged
    assert results_md.read_section(merged, "hub-load") == "## Hub\n\nkept"
    assert results_md.keep_sections(old, merged) == merged   # nothing doubled


def test_rows_not_timed_again_are_kept_with_their_date():
    body = "\n".join([
        "Measured on 2026-12-01 by `benchmarks/run.py` (cells gru, lstm), ...", "",
        "| cell | dtype | D=H=O |", "|---|---|---|",
        "| LSTM | float64 | 32 | a |", "| LSTM | float32 | 32 | b |", "| GRU | float32 | 32 | c |", "",
        "Targets:", "", "- LSTM float64 H=32: x", "- LSTM float32 H=32: y", "- GRU float32 H=32: z"])
    rows, targets, when = results_md.untimed_rows(body, {("LSTM", "float32")})
    assert rows == {("LSTM", "float64"): ["| LSTM | float64 | 32 | a |"],
                    ("GRU", "float32"): ["| GRU | float32 | 32 | c |"]}
    assert targets == ["- LSTM float64 H=32: x", "- GRU float32 H=32: z"]
    assert when == "measured on 2026-12-01"
