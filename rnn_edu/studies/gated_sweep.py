"""Lesson 07's comparison: the cue-task sweep of lesson 06 for the plain RNN, the LSTM and the GRU.

Every cell is trained by the same function with the same settings (`rnn_edu.studies.longterm.run_one`,
run by scripts/longterm_sweep.py --cell ...), and the records ship as data; this module only
reads them and lines them up by gap:

    compare(gaps=None) -> {gap: {cell: Accuracies(seeds, train, held_out)}}

Lesson 07 (notebooks/07_gated_cells.ipynb).
"""
from dataclasses import dataclass

from . import longterm

CELLS = ("rnn", "lstm", "gru")


@dataclass
class Accuracies:
    """One cell at one gap: the seeds run, and their final training and held-out accuracies."""
    seeds: list
    train: list
    held_out: list


def load_all(cells=CELLS):
    """{cell: the shipped sweep}; ValueError if their settings (the training budget) differ."""
    sweeps = {cell: longterm.load_sweep(cell) for cell in cells}
    first = sweeps[cells[0]]["settings"]
    for cell, sweep in sweeps.items():
        if sweep["settings"] != first:
            raise ValueError(f"{cell}: expected the settings of the {cells[0]} sweep, {first}, "
                             f"got {sweep['settings']}.")
    return sweeps


def at_gap(records, gap):
    """Accuracies of every record at `gap`, ordered by seed."""
    rows = sorted((r for r in records if r["gap"] == gap), key=lambda r: r["seed"])
    return Accuracies([r["seed"] for r in rows], [r["train_accuracy"] for r in rows],
                      [r["held_out_accuracy"] for r in rows])


def compare(sweeps, gaps=None):
    """{gap: {cell: Accuracies}} for the gaps every cell was run at (or the given ones)."""
    if gaps is None:
        common = set.intersection(*({r["gap"] for r in s["records"]} for s in sweeps.values()))
        gaps = sorted(common)
    return {gap: {cell: at_gap(s["records"], gap) for cell, s in sweeps.items()} for gap in gaps}


def solved(acc, level=0.9):
    """Every seed's held-out accuracy reaches `level`."""
    return bool(acc.held_out) and min(acc.held_out) >= level


def at_chance(acc, level=0.6):
    """Every seed's held-out accuracy stays below `level` (chance is 0.5)."""
    return bool(acc.held_out) and max(acc.held_out) < level


def table_lines(comparison):
    """The comparison as text lines: gap, cell, seeds, training and held-out accuracy per seed."""
    lines = ["gap   cell  seeds   training accuracy   held-out accuracy"]
    for gap, by_cell in comparison.items():
        for cell, a in by_cell.items():
            train = " ".join(f"{v:.2f}" for v in a.train)
            held = " ".join(f"{v:.2f}" for v in a.held_out)
            lines.append(f"{gap:3d}   {cell:4s}  {','.join(map(str, a.seeds)):6s}  {train:18s}  {held}")
    return lines
