"""Where a trial class lives on disk: data folder, learners' homes, course copies, passwords.

Used by ``jupyterhub_config.py`` (when the hub spawns a learner's server) and by
``hubctl.py`` (``make hub``), the tests and the load test.  Everything is
configured through environment variables so that a test can run a hub of its
own in a temporary folder:

- ``RNN_EDU_HUB_DATA``: the hub's data folder (default ``hub/data/``, git-ignored):
  database, cookie secret, credentials, and ``homes/<learner>/``.
- ``RNN_EDU_HUB_COURSE``: the folder copied into each learner's home.  Default:
  the learner edition (``release/``, from ``make release``) once it has been
  built, otherwise the instructor edition in ``notebooks/``.
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


def lesson_folder(root):
    """The shallowest folder under `root` that holds lesson notebooks (NN_*.ipynb), or None."""
    root = Path(root)
    if not root.is_dir():
        return None
    found = sorted((p.parent for p in root.rglob(LESSON_GLOB) if ".ipynb_checkpoints" not in p.parts),
                   key=lambda d: (len(d.parts), str(d)))
    return found[0] if found else None


def course_source(env=None):
    """The folder each learner gets a copy of: $RNN_EDU_HUB_COURSE, else release/, else notebooks/."""
    chosen = (os.environ if env is None else env).get(COURSE_VAR)
    if chosen:
        folder = lesson_folder(Path(chosen).expanduser().resolve())
        if folder is None:
            raise FileNotFoundError(f"{COURSE_VAR}={chosen!r} holds no lesson notebooks ({LESSON_GLOB})")
        return folder
    return lesson_folder(REPO / "release") or REPO / "notebooks"


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
