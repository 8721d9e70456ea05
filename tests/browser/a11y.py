"""Accessibility checks with axe-core, injected into the JupyterLab page by Playwright.

axe-core is the npm package pinned in tests/browser/package.json and installed
with `npm ci` (make browser does it); the tests read it from node_modules and
inject it with `page.add_script_tag`, so nothing is downloaded at run time.

`audit(page)` runs axe over the whole page and splits every violating node in
two: inside the course's own content (cell outputs: quizzes, the explorer,
figures, printed text; and rendered Markdown) or in JupyterLab's interface.
The course's part must have no serious or critical violation; the interface's
part is only reported (written to a JSON file and summarised).
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
REPORTS = HERE / "reports"        # axe-<lesson>.json, one per lesson (git-ignored)
NO_AXE = ("axe-core is not installed in tests/browser/node_modules: run `npm ci --prefix tests/browser` "
          "(make browser does it; needs node and npm)")
COURSE_CONTENT = ".jp-Notebook .jp-OutputArea-output, .jp-Notebook .jp-MarkdownOutput"
BLOCKING = ("serious", "critical")
# WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (reported like the rest)
RUN_OPTIONS = {"resultTypes": ["violations"],
               "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                     "wcag22aa", "best-practice"]}}

# Run axe, then place each violating node: in the course's content or in JupyterLab's interface.
AUDIT_JS = """async ([options, course]) => {
  const results = await axe.run(document, options);
  const where = (target) => {
    const sel = Array.isArray(target) ? target[target.length - 1] : target;
    let el = null;
    try { el = document.querySelector(sel); } catch (e) { el = null; }
    return el && el.closest(course) ? 'course' : 'interface';
  };
  const out = {course: [], interface: []};
  for (const v of results.violations) {
    for (const node of v.nodes) {
      out[where(node.target)].push({id: v.id, impact: node.impact || v.impact, help: v.help,
        helpUrl: v.helpUrl, target: node.target, html: node.html.slice(0, 300),
        summary: (node.failureSummary || '').slice(0, 500)});
    }
  }
  return out;
}"""

# The accessible name of every focusable control inside `root` (axe's own name computation).
NAMES_JS = """(root) => {
  axe.setup(document);
  try {
    return [...root.querySelectorAll('input, button, select, textarea, [tabindex], [role=slider]')]
      .filter((el) => el.offsetParent !== null && el.tabIndex >= 0)
      .map((el) => ({html: el.outerHTML.slice(0, 160),
                     name: axe.commons.text.accessibleTextVirtual(axe.utils.getNodeFromTree(el)).trim()}));
  } finally { axe.teardown(); }
}"""


def inject(page):
    """Load axe-core into the page (once per page)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))


def audit(page):
    """{"course": [...], "interface": [...]}: one entry per violating node."""
    inject(page)
    return page.evaluate(AUDIT_JS, [RUN_OPTIONS, COURSE_CONTENT])


def blocking(entries):
    """The serious and critical entries."""
    return [e for e in entries if e["impact"] in BLOCKING]


def summarize(entries):
    """{rule id (impact): count}."""
    counts = {}
    for e in entries:
        key = f"{e['id']} ({e['impact']})"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def describe(entries, limit=8):
    """Readable lines for an assertion message."""
    return "\n".join(f"- {e['id']} ({e['impact']}): {e['help']}\n  at {e['target']}\n  {e['html'][:200]}"
                     for e in entries[:limit])


def write_report(path, lesson, result):
    """Write one lesson's axe result (both parts) as JSON; return the file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    report = {"lesson": lesson,
              "course": {"summary": summarize(result["course"]), "nodes": result["course"]},
              "interface": {"summary": summarize(result["interface"]), "nodes": result["interface"]}}
    path.write_text(json.dumps(report, indent=1))
    return path


def accessible_names(page, root_locator):
    """[{html, name}] of every focusable control under the locator's element."""
    inject(page)
    return root_locator.evaluate(NAMES_JS)


def summary_lines(reports_dir=REPORTS):
    """One line per lesson report: violations in the course's content and in JupyterLab's interface."""
    lines = []
    for path in sorted(Path(reports_dir).glob("axe-*.json")):
        report = json.loads(path.read_text())
        parts = []
        for part in ("course", "interface"):
            counts = report[part]["summary"]
            serious = sum(n for rule, n in counts.items() if rule.endswith(("(serious)", "(critical)")))
            parts.append(f"{part}: {sum(counts.values())} nodes ({serious} serious/critical)"
                         + (f" {counts}" if part == "interface" and counts else ""))
        lines.append(f"{report['lesson']}: " + "; ".join(parts))
    return lines
