"""How a learner's server and kernels are reached on a machine shared by a whole class.

Every learner's server runs on this machine, and until these settings each one chose
its loopback ports by binding a free port and releasing it, then binding it again when
the process had started, seconds later on a busy machine.  Every process draws from the
same (ephemeral) range, so under a class starting at once another learner's process took
such a port in the gap.  Seen in the load test: a kernel whose port was taken restarted
five times on the same ports (jupyter_client keeps them), then its server dropped it and
the learner had a dead kernel; with that port cache off, a server reached another
learner's kernel instead.  So:

- kernels talk to their server over Unix sockets (ZeroMQ's ipc transport) in the
  learner's own runtime folder: a file path that no other process can take;
- each server's HTTP port is handed out by the hub itself (`ServerPorts`), below the
  range the system draws ephemeral ports from, and never to two running servers.

tests/hub/test_kernel_ports.py and tests/hub/test_server_ports.py.
"""
import hashlib
import random
import socket
from pathlib import Path

KERNEL_ARGS = ["--KernelManager.transport=ipc"]
RUNTIME_ROOT = Path("/tmp")   # short on every POSIX system: a socket path may not pass ~104 bytes
EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
BSD_EPHEMERAL_LOW = 49152     # macOS and the BSDs (IANA's dynamic range)


def _digest(text):
    return hashlib.sha256(str(text).encode()).hexdigest()[:10]


def runtime_root(data):
    """/tmp/rnn-edu-<hub>: the runtime folders of the hub whose data folder is `data`."""
    return RUNTIME_ROOT / f"rnn-edu-{_digest(Path(data).resolve())}"


def runtime_dir(data, name):
    """The learner `name`'s Jupyter runtime folder (kernel connection files and sockets).

    runtime_root(data)/<learner>, each part a short digest (of the hub's data folder, of
    the name), so that the longest socket path stays near 80 bytes whatever the folders.
    """
    return runtime_root(data) / _digest(name)


def ephemeral_low():
    """The lowest port the system hands out for bind(0) and outgoing connections."""
    try:
        return int(EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return BSD_EPHEMERAL_LOW


def is_free(port, host="127.0.0.1"):
    """True when nothing holds `port` on `host` (a bind succeeds; the socket is closed again)."""
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


class ServerPorts:
    """Ports for learners' servers: below the ephemeral range, one per running server.

    `port_for(name)` gives `name` its previous port when that is still free, else the
    next free one from a random start (two hubs on one machine rarely meet).  The hub
    calls it from its one event loop, so no lock is needed.
    """

    def __init__(self, size=4000, low=None, rng=None):
        high = ephemeral_low() if low is None else low + size
        self.ports = range(max(1024, high - size), high)
        self.start = (rng or random.Random()).randrange(len(self.ports))
        self.given = {}

    def port_for(self, name):
        previous = self.given.pop(name, None)
        taken = set(self.given.values())
        n = len(self.ports)
        order = [previous] if previous is not None else []
        order += [self.ports[(self.start + i) % n] for i in range(n)]
        for port in order:
            if port not in taken and is_free(port):
                self.given[name] = port
                return port
        raise RuntimeError(f"no free port for {name}'s server in {self.ports.start}-{self.ports.stop - 1}")
