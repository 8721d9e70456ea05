"""JupyterHub for a trial of the class set-up on one machine (`make hub`).

- Learners log in with any user name and the shared learner password; the
  instructor (`instructor`, or $RNN_EDU_HUB_ADMIN) logs in with the admin
  password and gets the admin page (JupyterHub's SharedPasswordAuthenticator).
  The passwords are printed by `make hub` and kept in <data>/credentials.json.
- Each learner's server is a local process run as the hub's own user
  (SimpleLocalProcessSpawner: no system accounts), with its home in
  <data>/homes/<name>/, its own copy of the course in <home>/rnn-edu/ and its own
  progress file <home>/.rnn_edu/progress.json (RNN_EDU_PROGRESS).  It opens
  JupyterLab on the first lesson of that copy.
- Everything listens on 127.0.0.1, each server on a port the hub hands out; kernels
  talk to their learner's server over Unix sockets in /tmp/rnn-edu-<hub>/<learner>/
  (hub/ports.py), removed when the hub stops.  There is no isolation between learners'
  processes: this is a trial on one machine, not a production hub (see
  docs/deploy.md for Kubernetes).

Settings come from environment variables (see classroom.py); hubctl.py sets
them, so run it with `make hub` (or `python hub/hubctl.py`).
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import classroom  # noqa: E402
import ports  # noqa: E402

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

DATA = classroom.data_dir()
HOMES = classroom.homes_dir(DATA)
HOMES.mkdir(parents=True, exist_ok=True)
SOURCE = classroom.prepare_course(DATA)   # <data>/course: every lesson, learner edition
CREDS = classroom.credentials(DATA)
FONTS = classroom.font_cache(DATA)
PORT = int(os.environ.get("RNN_EDU_HUB_PORT", "8000"))
API_PORT = int(os.environ.get("RNN_EDU_HUB_API_PORT", "8081"))
PROXY_API_PORT = int(os.environ.get("RNN_EDU_HUB_PROXY_API_PORT", "8001"))

# ------------------------------------------------------------------ network: loopback only
c.JupyterHub.bind_url = f"http://127.0.0.1:{PORT}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{API_PORT}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.command = [str(classroom.PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(DATA / "proxy.pid")

# ------------------------------------------------------------------ state, and cleanup on exit
c.JupyterHub.db_url = f"sqlite:///{DATA / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(DATA / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(DATA / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True   # Ctrl-C stops every learner's server ...
c.JupyterHub.cleanup_proxy = True     # ... and the proxy

# ------------------------------------------------------------------ who may log in
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = CREDS["password"]
c.SharedPasswordAuthenticator.admin_password = CREDS["admin_password"]
c.Authenticator.admin_users = {classroom.admin_name()}
c.Authenticator.allow_all = True
# names become folder names: lower-case letters, digits, '.', '_' and '-', starting with a letter
c.Authenticator.username_pattern = r"^[a-z][a-z0-9._-]{0,31}$"

# ------------------------------------------------------------------ each learner's server
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.notebook_dir = str(HOMES / "{username}")
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.args = ["--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
                  "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
                  *ports.KERNEL_ARGS]   # kernels on Unix sockets: no port to collide
if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers run as root
    c.Spawner.args.append("--allow-root")
c.Spawner.start_timeout = 300   # a class logging in at once on two cores is slow to start
c.Spawner.http_timeout = 300
c.Spawner.environment = {
    "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    classroom.DATA_VAR: str(DATA),  # marks every process of this hub (hubctl sweeps by it)
    "RNN_EDU_PROGRESS": lambda spawner: str(Path(spawner.home_dir) / classroom.PROGRESS),
    "RNN_EDU_QUIZZES": "packed",    # as in make lab: the quiz keys stay out of sight
    "JUPYTER_RUNTIME_DIR": lambda spawner: str(ports.runtime_dir(DATA, spawner.user.name)),
}


SERVER_PORTS = ports.ServerPorts()   # each server's port, from the hub: never one for two servers


def pre_spawn_hook(spawner):
    """Copy the course (and matplotlib's font cache) into the learner's home once; open lesson 00;
    give the server its port and its runtime folder."""
    spawner.default_url = classroom.prepare_home(spawner.home_dir, SOURCE, FONTS)
    spawner.port = SERVER_PORTS.port_for(spawner.user.name)
    ports.runtime_dir(DATA, spawner.user.name).mkdir(mode=0o700, parents=True, exist_ok=True)


c.Spawner.pre_spawn_hook = pre_spawn_hook
