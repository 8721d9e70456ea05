"""Drive JupyterLab with Playwright: open a notebook, Run All, wait, read what each cell shows.

Everything here goes through what a learner sees and does (menus, buttons,
keyboard); the tests read the DOM, never the kernel.
"""
import json
import re
import time
import urllib.error
from pathlib import Path

RUN_ALL_TIMEOUT = 180_000  # ms for one notebook's Run All (a notebook takes ~10 s)
KERNEL_TIMEOUT = 60_000  # ms for a kernel to start
NOTEBOOK = ".jp-Notebook:visible"  # a restored workspace can leave hidden duplicates
STDERR, ERROR = "application/vnd.jupyter.stderr", "application/vnd.jupyter.error"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# A widget that fails to render shows its text/plain fallback: the course's say
# "[Quiz exploding-4-byte-overflow: run this cell ...]", others a lone "<...>".
FALLBACK = re.compile(r"^\s*(<[^<>\n]{1,200}>|\[[^\]\n]{1,200}: run this cell[^\]\n]*\])\s*$")
WIDGET_FAILURE = re.compile(r"Error displaying widget|model not found|Failed to load model"
                            r"|Loading widget\.\.\.", re.I)
SCROLL_TOP_JS = """() => [...document.querySelectorAll('.jp-WindowedPanel-outer')]
  .forEach((e) => { e.scrollTop = 0; })"""
MAX_SHOT_HEIGHT = 16_000  # px, Chromium's texture limit is around 16k

# One record per cell of the visible notebook (read in the page).
CELLS_JS = """(nb) => [...nb.querySelectorAll('.jp-Cell')].map((cell, index) => {
  const outs = [...cell.querySelectorAll('.jp-OutputArea-output')];
  const mime = (o) => o.getAttribute('data-mime-type') || '';
  return {
    index,
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputArea-prompt')?.textContent || '').trim(),
    outputs: outs.map((o) => ({mime: mime(o), text: (o.innerText || '').slice(0, 3000)})),
  };
})"""

# A kernel is running and idle (the status bar reads e.g. "Python 3 (ipykernel) | Idle").
KERNEL_READY_JS = """() => {
  const status = document.querySelector('.jp-Notebook-ExecutionIndicator')?.getAttribute('data-status');
  const bar = [...document.querySelectorAll('.jp-StatusBar-TextItem')]
    .map((e) => e.textContent.trim()).find((t) => / \\| \\w+$/.test(t)) || '';
  return status === 'idle' && /\\| Idle$/.test(bar) && !bar.startsWith('No Kernel');
}"""

# Run All has finished: kernel idle, no [*] prompt, and every code cell numbered
# (or an error stopped the run).
DONE_JS = """([nb, codeCells]) => {
  const status = document.querySelector('.jp-Notebook-ExecutionIndicator')?.getAttribute('data-status');
  if (status !== 'idle') return false;
  const cells = [...nb.querySelectorAll('.jp-CodeCell')].filter((c, i) => codeCells[i]);
  const prompts = cells.map((c) => (c.querySelector('.jp-InputArea-prompt')?.textContent || '').trim());
  if (prompts.some((p) => p.includes('*'))) return false;
  const failed = nb.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"],'
                                  + '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]');
  return prompts.every((p) => /\\[\\d+\\]/.test(p)) || failed !== null;
}"""


class NotebookSource:
    """The .ipynb on disk: cell sources, for messages and expectations."""

    def __init__(self, path):
        self.path = Path(path)
        self.cells = json.loads(self.path.read_text())["cells"]

    def source(self, index):
        """The source text of cell `index`."""
        src = self.cells[index]["source"]
        return "".join(src) if isinstance(src, list) else src

    def code_cells(self):
        """[(index, source)] of the code cells."""
        return [(i, self.source(i)) for i, c in enumerate(self.cells) if c["cell_type"] == "code"]

    def stored_widget_outputs(self):
        """How many outputs of the stored (nbconvert) run were widget views."""
        return sum(WIDGET_MIME in out.get("data", {})
                   for c in self.cells if c["cell_type"] == "code" for out in c.get("outputs", []))

    def find_cell(self, needle):
        """Index of the first code cell whose source contains `needle`, or None."""
        return next((i for i, src in self.code_cells() if needle in src), None)


def describe_cell(source, index):
    """'cell 7 (`quiz.show("x")`)' for assertion messages."""
    lines = [ln for ln in source.source(index).splitlines() if ln.strip()]
    head = lines[0].strip() if lines else "(empty)"
    return f"cell {index} (`{head[:80]}`)"


class NotebookPage:
    """One notebook open in JupyterLab."""

    def __init__(self, page, name, source):
        self.page, self.name, self.source = page, name, source
        self.notebook = page.locator(NOTEBOOK)

    # ------------------------------------------------------------- running

    def wait_kernel_idle(self, timeout=KERNEL_TIMEOUT):
        """Wait until the notebook's kernel has started and is idle.

        The toolbar indicator alone says "idle" before any kernel exists, so the
        status bar must also name a kernel that is idle.
        """
        self.page.wait_for_function(KERNEL_READY_JS, timeout=timeout, polling=200)

    def menu(self, menu, item):
        """Click a main-menu item, e.g. menu("Run", "Run All Cells")."""
        self.page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{re.escape(menu)}$")).click()
        entry = self.page.locator(".lm-Menu-item:visible",
                                  has=self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")))
        entry.first.click()

    def run_all(self, timeout=RUN_ALL_TIMEOUT):
        """Clear all outputs, Run All Cells (Run menu), and wait until the run has finished."""
        self.wait_kernel_idle()
        self.menu("Edit", "Clear Outputs of All Cells")
        self.page.locator(f"{NOTEBOOK} .jp-OutputArea-output").first.wait_for(state="detached")
        self.menu("Run", "Run All Cells")
        nonempty = [bool(src.strip()) for _, src in self.source.code_cells()]
        handle = self.notebook.element_handle()
        self.page.wait_for_function(DONE_JS, arg=[handle, nonempty], timeout=timeout, polling=250)
        self.page.wait_for_timeout(300)  # let the last display messages render
        self.wait_widgets_rendered()

    def wait_widgets_rendered(self, timeout=30_000):
        """Wait until no widget output still shows a loading placeholder."""
        self.page.wait_for_function(
            """(nb) => ![...nb.querySelectorAll('.jp-OutputArea-output')]
                 .some((o) => /Loading widget/.test(o.innerText || ''))""",
            arg=self.notebook.element_handle(), timeout=timeout)

    # ------------------------------------------------------------- reading

    def cells(self):
        """One dict per cell: index, code, prompt, outputs [{mime, text}]."""
        return self.notebook.evaluate(CELLS_JS)

    def problems(self):
        """Assertion-ready list of what went wrong, naming the notebook and cell."""
        cells = self.cells()
        where = f"{self.name}: "
        if len(cells) != len(self.source.cells):
            return [f"{where}the page shows {len(cells)} cells, the file has {len(self.source.cells)}"]
        found = []
        for cell in cells:
            i = cell["index"]
            if not cell["code"]:
                continue
            label = where + describe_cell(self.source, i)
            if self.source.source(i).strip() and not re.search(r"\[\d+\]", cell["prompt"]):
                found.append(f"{label} did not run (prompt {cell['prompt']!r})")
            for out in cell["outputs"]:
                text = out["text"].strip()
                if out["mime"] in (STDERR, ERROR):
                    found.append(f"{label} wrote to stderr or raised:\n{text[:1500]}")
                elif "Traceback (most recent call last)" in text:
                    found.append(f"{label} shows a traceback:\n{text[:1500]}")
                elif WIDGET_FAILURE.search(text):
                    found.append(f"{label} has a widget that did not render: {text[:300]!r}")
                elif out["mime"] == "text/plain" and FALLBACK.match(text):
                    found.append(f"{label} shows the text fallback {text!r} instead of a live widget")
        return found

    def count(self, selector):
        """Number of elements matching `selector` inside the visible notebook."""
        return self.notebook.locator(selector).count()

    def cell(self, index):
        """Locator of cell `index` (markdown cells count)."""
        return self.notebook.locator(".jp-Cell").nth(index)

    # ------------------------------------------------------------- pictures

    def screenshot(self, path, full=True):
        """Save the page, stretched to the notebook's full height when `full`."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not full:
            self.page.screenshot(path=str(path))
            return path
        with self.tall_viewport():
            self.page.screenshot(path=str(path))
        return path

    def tall_viewport(self):
        """Context manager: a viewport as tall as the notebook, so nothing is scrolled away."""
        return _TallViewport(self)


class _TallViewport:
    """Temporarily make the viewport tall enough for the whole notebook."""

    def __init__(self, nb):
        self.nb, self.saved = nb, None

    def __enter__(self):
        page = self.nb.page
        self.saved = page.viewport_size
        extra = page.evaluate(
            """() => { const s = [...document.querySelectorAll('.jp-WindowedPanel-outer')]
                         .find((e) => e.offsetParent !== null);
                       return s ? s.scrollHeight - s.clientHeight : 0; }""")
        height = min(MAX_SHOT_HEIGHT, self.saved["height"] + max(0, extra) + 40)
        page.set_viewport_size({"width": self.saved["width"], "height": height})
        page.wait_for_timeout(400)  # Lumino re-lays out on resize
        page.evaluate(SCROLL_TOP_JS)
        page.wait_for_timeout(200)
        return self

    def __exit__(self, *exc):
        self.nb.page.set_viewport_size(self.saved)
        self.nb.page.wait_for_timeout(200)


class Course:
    """The course in the browser: one notebook page open at a time, run once, reused."""

    def __init__(self, server, context, shots_dir):
        self.server, self.context, self.shots_dir = server, context, Path(shots_dir)
        self.current = None  # the NotebookPage open now
        self.ran = False  # Run All finished on self.current

    def notebook_path(self, name):
        """Path of notebooks/<name>*.ipynb in the served copy; `name` may be "04".

        A name with a "/" is a path relative to the served root.
        """
        if "/" in name:
            return self.server.root / name
        pattern = name if name.endswith(".ipynb") else f"{name}*.ipynb"
        matches = sorted((self.server.root / "notebooks").glob(pattern))
        if not matches:
            raise FileNotFoundError(f"no notebook notebooks/{name}*.ipynb")
        return matches[0]

    def open(self, name):
        """Open a notebook in a fresh page from a clean workspace; closes the previous one."""
        self.close_current()
        path = self.notebook_path(name)
        rel = path.relative_to(self.server.root).as_posix()
        page = self.context.new_page()
        self.current, self.ran = NotebookPage(page, path.name, NotebookSource(path)), False
        url = (f"{self.server.url}/lab/workspaces/test-{path.stem[:2]}-{int(time.time() * 1000)}"
               f"/tree/{rel}?reset&token={self.server.token}")
        page.goto(url, wait_until="domcontentloaded")
        page.locator(NOTEBOOK).wait_for(state="visible", timeout=KERNEL_TIMEOUT)
        self.collapse_left_sidebar(page)
        self.current.wait_kernel_idle()
        return self.current

    @staticmethod
    def collapse_left_sidebar(page):
        """Hide the file browser so the notebook gets the page's width."""
        tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
        if tab.count():
            tab.first.click()
            page.locator("#jp-left-stack").wait_for(state="hidden", timeout=5_000)

    def run(self, name, fresh=False):
        """The notebook open and Run All finished; reuses the open page unless `fresh`."""
        if (not fresh and self.ran and self.current is not None
                and self.current.source.path == self.notebook_path(name)):
            return self.current
        nb = self.open(name)
        nb.run_all()
        self.ran = True
        return nb

    def close_current(self):
        """Close the open page and shut its kernel down."""
        if self.current is None:
            return
        try:
            self.current.page.close()
        except Exception:  # noqa: BLE001 - the page may already be gone
            pass
        self.current, self.ran = None, False
        self.shutdown_kernels()

    def shutdown_kernels(self):
        """Stop every kernel of the server (one notebook runs at a time)."""
        try:
            for session in self.server.api("GET", "/api/sessions") or []:
                self.server.api("DELETE", f"/api/sessions/{session['id']}")
        except (urllib.error.URLError, OSError, ValueError):
            pass

    def screenshot(self, filename):
        """Full-notebook screenshot of the open page into the screenshots dir."""
        return self.current.screenshot(self.shots_dir / filename)

    def failure_screenshot(self, test_name):
        """Screenshot of the open page after a failure; returns its path or None."""
        if self.current is None:
            return None
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
        try:
            return self.current.screenshot(self.shots_dir / f"FAILED-{safe}.png")
        except Exception:  # noqa: BLE001 - never hide the real failure
            return None

    def close(self):
        """Close the page and stop its kernel."""
        self.close_current()
