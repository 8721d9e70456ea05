"""The report's files: two CSV tables, a PNG figure and a plain-text summary."""
import csv

from matplotlib.figure import Figure
from matplotlib.patches import Patch

QUESTION_COLUMNS = ["question", "lesson", "learners_tried", "right_first_try", "share_right_first_try",
                    "mean_attempts", "right_now"]
LEARNER_COLUMNS = ["learner", "lesson", "answered", "right_first_try", "right_now"]
FONT = 12          # pt: as large as a notebook's body text
BAR, MARGIN = 0.32, 1.6  # inches per question, and for title and axis
BANDS = [(50, "#c0392b", "under 50%"), (75, "#e67e22", "50% to 75%"), (float("inf"), "#2e86c1", "75% or more")]


def write_questions_csv(path, stats):
    """One row per question."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(QUESTION_COLUMNS)
        for q in stats:
            out.writerow([q.qid, q.lesson, q.tried, q.first_try, f"{q.first_try_share:.4f}",
                          f"{q.mean_attempts:.4f}", q.right_now])


def write_learners_csv(path, per_learner):
    """One row per learner and lesson, then the learner's total (lesson 'all')."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(LEARNER_COLUMNS)
        for name, by_lesson in per_learner.items():
            total = None
            for lesson, c in by_lesson.items():
                out.writerow([name, lesson, c.answered, c.first_try, c.right_now])
                total = c if total is None else total + c
            if total is not None:
                out.writerow([name, "all", total.answered, total.first_try, total.right_now])
            else:
                out.writerow([name, "all", 0, 0, 0])


def figure_order(stats):
    """Bottom to top: easiest first, so the hardest question ends up at the top of the figure."""
    return sorted(stats, key=lambda q: (-q.first_try_share, q.mean_attempts, q.qid))


def write_figure(path, stats, n_learners):
    """Horizontal bars: each question's share right at the first try, hardest at the top."""
    ordered = figure_order(stats)
    height = MARGIN + BAR * max(len(ordered), 3)
    fig = Figure(figsize=(10, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    shares = [100 * q.first_try_share for q in ordered]
    labels = [f"{q.qid} ({q.lesson})" for q in ordered]
    colors = [next(c for limit, c, _ in BANDS if s < limit) for s in shares]
    ax.barh(range(len(ordered)), shares, color=colors, height=0.7)
    fig.legend(handles=[Patch(color=c, label=f"{label} right at the first try") for _, c, label in BANDS],
               loc="outside lower center", ncols=3, fontsize=FONT - 2, frameon=False)
    for i, q in enumerate(ordered):
        ax.text(min(shares[i] + 1, 88), i, f"{shares[i]:.0f}% of {q.tried}, {q.mean_attempts:.1f} tries",
                va="center", fontsize=FONT - 2)
    ax.set_yticks(range(len(ordered)), labels, fontsize=FONT - 1)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, max(len(ordered), 1) - 0.4)
    ax.set_xlabel("learners right at the first try (% of those who tried)", fontsize=FONT)
    ax.set_ylabel("question (lesson)", fontsize=FONT)
    ax.tick_params(axis="x", labelsize=FONT - 1)
    ax.set_title(f"Questions by first-try success ({n_learners} learners; hardest at the top)",
                 fontsize=FONT + 1)
    ax.grid(axis="x", alpha=0.3)
    if not ordered:
        ax.text(50, 1, "no answers yet", ha="center", fontsize=FONT)
    fig.savefig(path)


def summary_text(learners, skipped, stats, hardest, lesson_titles):
    """The plain-text summary: who was read, what was skipped, the hardest questions."""
    lines = [f"Class report: {len(learners)} learner(s) read, {len(skipped)} file(s) skipped.", ""]
    lines += [f"  {s}" for s in skipped] + ([""] if skipped else [])
    if not stats:
        return "\n".join(lines + ["No learner has answered a question yet."]) + "\n"
    lines.append(f"The {len(hardest)} hardest question(s) (lowest share right at the first try):")
    for rank, q in enumerate(hardest, 1):
        title = lesson_titles.get(q.lesson)
        where = f"lesson {q.lesson}" + (f", {title}" if title else "")
        lines.append(f"  {rank}. {q.qid} ({where}): {q.first_try}/{q.tried} right at the first try "
                     f"({100 * q.first_try_share:.0f}%), {q.mean_attempts:.2f} attempts on average, "
                     f"{q.right_now} right now")
    tried = sum(q.tried for q in stats)
    first = sum(q.first_try for q in stats)
    lines += ["", f"Over all {len(stats)} question(s) answered: {first} of {tried} first answers were right "
              f"({100 * first / tried:.0f}%)."]
    return "\n".join(lines).rstrip() + "\n"
