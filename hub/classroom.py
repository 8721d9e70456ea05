"""Where a trial class lives on disk: data folder, learners' homes, course copies, passwords.

Used by ``jupyterhub_config.py`` (when the hub spawns a learner's server) and by
``hubctl.py`` (``make hub``), the tests and the load test.  Everything is
configured through environment variables so that a test can run a hub of its
own in a temporary folder:

- ``RNN_EDU_HUB_DATA``: the hub's data folder (default ``hub/data/``, git-ignored):
  database, cookie secret, credentials, and ``homes/<learner>/``.
- ``RNN_EDU_HUB_COURSE``: a folder whose lessons each new learner gets, only when
  the instructor names one (``make hub COURSE=...``); a folder holding solutions
  (``notebooks/``, the instructor edition) is used with a warning.  Default: the
  learner edition of every lesson, gathered from nbgrader's ``release/NN_name/``
  folders when ``make release`` has built every lesson, otherwise built from
  ``notebooks/`` by ``scripts/edition.py`` (no nbgrader needed).  Either way the
  lessons are put in one flat folder, ``<data>/course/``, which is what a new
  learner's home receives.
- ``RNN_EDU_HUB_PASSWORD`` / ``RNN_EDU_HUB_ADMIN_PASSWORD``: the shared learner
  password and the instructor's password; generated on first start and kept in
  ``<data>/credentials.json`` when not given.
- ``RNN_EDU_HUB_ADMIN``: the instructor's user name (default ``instructor``).
"""
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA_VAR, COURSE_VAR = "RNN_EDU_HUB_DATA", "RNN_EDU_HUB_COURSE"
PASSWORD_VAR, ADMIN_PASSWORD_VAR, ADMIN_VAR = ("RNN_EDU_HUB_PASSWORD", "RNN_EDU_HUB_ADMIN_PASSWORD",
                                               "RNN_EDU_HUB_ADMIN")
COURSE_DIR = "rnn-edu"                      # the course copy inside each home
COURSE_COPY = "course"                      # <data>/course: the lessons every new learner gets
SOLUTION_MARK = "### BEGIN SOLUTION"         # nbgrader's solution region: the instructor edition
PROGRESS = Path(".rnn_edu") / "progress.json"  # the progress file inside each home
LESSON_GLOB = "[0-9][0-9]_*.ipynb"
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
# JupyterLab settings written into a new home: no news pop-up, no update check (no network).
LAB_SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings":
                {"fetchNews": "false", "checkForUpdates": False}}


def data_dir():
    """The hub's data folder ($RNN_EDU_HUB_DATA, else hub/data)."""
    return Path(os.environ.get(DATA_VAR) or HERE / "data").resolve()


def homes_dir(data=None):
    """The folder that holds one home per learner."""
    return (data or data_dir()) / "homes"


def admin_name():
    """The instructor's user name."""
    return os.environ.get(ADMIN_VAR) or "instructor"


def lessons_under(root):
    """{lesson file name: path} of every lesson notebook (NN_*.ipynb) under `root`, at any depth.

    nbgrader's release/ holds one folder per lesson (release/NN_name/NN_name.ipynb); a plain
    folder holds them side by side.  Two lessons of the same name is an error (which one?).
    """
    root, found = Path(root), {}
    if not root.is_dir():
        return found
    for path in sorted(root.rglob(LESSON_GLOB)):
        if ".ipynb_checkpoints" in path.parts:
            continue
        if path.name in found:
            raise ValueError(f"{root} holds two lessons named {path.name}: {found[path.name]} and {path}")
        found[path.name] = path
    return found


def holds_solutions(path):
    """True if a lesson notebook still has an nbgrader solution region (the instructor edition)."""
    return SOLUTION_MARK in Path(path).read_text(encoding="utf-8")


def course_source(env=None):
    """Where new learners' lessons come from: (kind, folder), kind 'chosen', 'release' or 'edition'.

    'chosen': the folder in $RNN_EDU_HUB_COURSE.  'release': nbgrader's release/, when it holds
    every lesson of notebooks/.  'edition': notebooks/, turned into the learner edition.
    """
    chosen = (os.environ if env is None else env).get(COURSE_VAR)
    if chosen:
        folder = Path(chosen).expanduser().resolve()
        if not lessons_under(folder):
            raise FileNotFoundError(f"{COURSE_VAR}={chosen!r} holds no lesson notebooks ({LESSON_GLOB})")
        return "chosen", folder
    released, source = lessons_under(REPO / "release"), lessons_under(REPO / "notebooks")
    if source and set(released) >= set(source):
        return "release", REPO / "release"
    return "edition", REPO / "notebooks"


def changed_since_release(released, source):
    """Names of the lessons whose source in `source` was saved after their copy in `released`."""
    copies = lessons_under(released)
    return sorted(name for name, path in lessons_under(source).items()
                  if name in copies and path.stat().st_mtime > copies[name].stat().st_mtime)


def describe_course(env=None):
    """One line for the instructor: where the learners' lessons come from."""
    kind, folder = course_source(env)
    return {"chosen": f"{folder} (named by COURSE)",
            "release": f"the learner edition in {folder} (make release, nbgrader)",
            "edition": f"the learner edition of {folder}, built by scripts/edition.py"}[kind]


def prepare_course(data=None, env=None, log=None):
    """Build <data>/course/: every lesson new learners get, in one flat folder; returns that folder.

    Rebuilt at each hub start (a learner's own copy, made at their first start, is never touched).
    A chosen folder that holds solutions is used as it is, with a warning.
    """
    log = log or (lambda text: print(text, file=sys.stderr, flush=True))
    kind, folder = course_source(env)
    lessons = lessons_under(folder)
    target = (data or data_dir()) / COURSE_COPY
    building = target.with_name(COURSE_COPY + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    if kind == "edition":
        sys.path.insert(0, str(REPO / "scripts"))
        import edition
        for name, path in lessons.items():
            notebook = edition.learner_notebook(json.loads(path.read_text(encoding="utf-8")))
            (building / name).write_text(edition.dumps(notebook), encoding="utf-8")
    else:
        for name, path in lessons.items():
            shutil.copy2(path, building / name)
    if kind == "release":
        changed = changed_since_release(folder, REPO / "notebooks")
        if changed:
            log(f"hub: WARNING: {len(changed)} lesson(s) of notebooks/ changed after make release "
                f"(e.g. {changed[0]}); new learners get the released version until make release runs again")
    if kind == "chosen":
        with_solutions = sorted(name for name, path in lessons.items() if holds_solutions(path))
        if with_solutions:
            log(f"hub: WARNING: {folder} holds the solutions ({len(with_solutions)} lessons with "
                f"'{SOLUTION_MARK}', e.g. {with_solutions[0]}); every new learner gets them")
    shutil.rmtree(target, ignore_errors=True)
    building.rename(target)
    return target


def credentials(data=None, env=None):
    """{'password', 'admin_password'}: from the environment, else generated once and kept."""
    env = os.environ if env is None else env
    data = data or data_dir()
    path = data / "credentials.json"
    stored = {}
    if path.exists():
        stored = json.loads(path.read_text())
    creds = {"password": env.get(PASSWORD_VAR) or stored.get("password") or secrets.token_urlsafe(9),
             "admin_password": (env.get(ADMIN_PASSWORD_VAR) or stored.get("admin_password")
                                or secrets.token_urlsafe(33))}
    if creds != stored:
        data.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(creds, fh)
    return creds


def font_cache(data):
    """Build matplotlib's font cache once for the hub (in <data>/matplotlib); returns that folder.

    A new home has no cache, and building it in every learner's first cell costs
    seconds and, on a busy machine, prints "Matplotlib is building the font
    cache" to stderr.  prepare_home copies this one into each new home instead.
    """
    folder = Path(data) / "matplotlib"
    if not any(folder.glob("fontlist-*.json")):
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=True, timeout=300,
                       env=dict(os.environ, MPLCONFIGDIR=str(folder)), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return folder


def prepare_home(home, source, fonts=None):
    """Give a learner's home its own copy of the course (once), quiet JupyterLab settings,
    and matplotlib's font cache from `fonts` (font_cache()) when it has none.

    An existing copy is never overwritten: it holds the learner's work.
    Returns the default URL: JupyterLab on the first lesson of the copy.
    """
    home = Path(home)
    if fonts is not None:
        cache = home / ".cache" / "matplotlib"
        if not any(cache.glob("fontlist-*.json")):
            cache.mkdir(parents=True, exist_ok=True)
            for path in Path(fonts).glob("fontlist-*.json"):
                shutil.copy2(path, cache / path.name)
    course = home / COURSE_DIR
    if not course.exists():
        course.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, course, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    settings = home / ".jupyter" / "lab" / "user-settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
    (home / PROGRESS).parent.mkdir(parents=True, exist_ok=True)
    lessons = sorted(course.glob(LESSON_GLOB))
    first = f"/{lessons[0].name}" if lessons else ""
    return f"/lab/tree/{COURSE_DIR}{first}"
