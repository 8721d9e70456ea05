"""The learner's progress per lesson, as numbers and as an HTML table widget."""
import html

import ipywidgets as w

from .progress_store import load_progress
from .style import fallback_text, widget_bundle


def summarize(bank, records):
    """Per lesson: questions, answered, correct at first try, correct now."""
    summary = {}
    for lesson in sorted(bank.titles):
        ids = [q.id for q in bank.lesson(lesson)]
        recs = [records[i] for i in ids if isinstance(records.get(i), dict)]
        answered = [r for r in recs if int(r.get("attempts", 0)) > 0]
        summary[lesson] = {
            "title": bank.titles[lesson],
            "questions": len(ids),
            "answered": len(answered),
            "first_try": sum(bool(r.get("first_correct")) for r in answered),
            "correct_now": sum(bool(r.get("correct")) for r in answered),
        }
    return summary


def table_html(summary):
    """An HTML table of a summary (one row per lesson plus a total)."""
    head = "<tr>" + "".join(f"<th style='{_cell_style(i, True)}'>{h}</th>" for i, h in enumerate(
        ["Lesson", "Questions", "Answered", "Correct at first try", "Correct now"])) + "</tr>"
    rows = [_row(f"{lesson} {s['title']}", s) for lesson, s in summary.items()]
    total = {k: sum(s[k] for s in summary.values())
             for k in ("questions", "answered", "first_try", "correct_now")}
    rows.append(_row("Total", total, bold=True))
    return (f"<table class='rnn-edu-progress-table' style='border-collapse:collapse'>"
            f"{head}{''.join(rows)}</table>")


def _cell_style(column, header=False):
    """Padding and alignment: the lesson name left, the counts right; a rule under the header."""
    align = "left" if column == 0 else "right"
    rule = "border-bottom:1px solid #999;" if header else ""
    return f"text-align:{align};padding:3px 12px;{rule}"


def _row(label, s, bold=False):
    """One table row."""
    cells = [html.escape(label)] + [str(s[k]) for k in ("questions", "answered", "first_try", "correct_now")]
    tag = "th" if bold else "td"
    return "<tr>" + "".join(f"<{tag} style='{_cell_style(i)}'>{c}</{tag}>" for i, c in enumerate(cells)) + "</tr>"


class ProgressView:
    """Displays the progress table; its text/plain (shown until the cell has run) says to run the cell."""

    def __init__(self, bank):
        self.bank = bank
        self.summary = summarize(bank, load_progress())
        self.container = w.HTML(value=self._html())
        self.container.add_class("rnn-edu-progress")

    def refresh(self):
        """Re-read the progress file and update the table."""
        self.summary = summarize(self.bank, load_progress())
        self.container.value = self._html()

    def _html(self):
        """The quiz table, then the exercises beside it (rnn_edu.course.exercises.progress_view)."""
        from ..exercises.progress_view import exercises_table_html
        return table_html(self.summary) + exercises_table_html()

    def __repr__(self):
        return "<Quiz progress>"

    def _repr_mimebundle_(self, **kwargs):
        """Display as the HTML widget; the text/plain tells the learner to run the cell."""
        return widget_bundle(self.container, fallback_text("Your quiz progress table"), **kwargs)
