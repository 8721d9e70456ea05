"""Why the hub's kernels use Unix sockets (ports.KERNEL_ARGS, ports.runtime_dir).

With loopback TCP, a kernel's five ports are chosen by binding and releasing them, and
on a busy machine the kernel binds them seconds later.  A port taken in that gap (by
another learner's kernel or a connection) stopped a class hub's kernel: jupyter_client
restarted it five times on the same cached ports, then the server dropped it and its
websocket answered 404.  The first test takes the shell port in that gap itself.  The
others start a kernel as a learner's server does (jupyter_server's kernel manager,
connection files in the runtime folder) with the hub's arguments: no TCP port at all.
"""
import asyncio
import shutil
import socket
import stat
import sys
import time
from pathlib import Path

import jupyter_client.connect as connect
from jupyter_client.ioloop import AsyncIOLoopKernelManager
from traitlets.config.loader import KVArgParseConfigLoader

import ports

POLL = 0.5          # s between the restarter's checks (its default, 3 s, makes the test slow)
LIMIT = 60          # s: a bound on each run


def take_the_shell_port(monkeypatch):
    """After the first connection file is written, bind its shell port before the kernel can."""
    taken, written = [], []
    original = connect.write_connection_file

    def write(*args, **kwargs):
        fname, cfg = original(*args, **kwargs)
        written.append(cfg["shell_port"])
        if not taken:
            sock = socket.socket()
            sock.bind((cfg["ip"], cfg["shell_port"]))
            sock.listen()
            taken.append(sock)
        return fname, cfg

    monkeypatch.setattr(connect, "write_connection_file", write)
    return taken, written


async def start_and_watch():
    """Start a kernel with jupyter_client's defaults; return (restarts, dead, alive) once it is
    dropped, or has stayed up after a restart."""
    config = KVArgParseConfigLoader(argv=[f"--KernelRestarter.time_to_dead={POLL}"]).load_config()
    km = AsyncIOLoopKernelManager(config=config)
    events = []
    await km.start_kernel()
    try:
        km.add_restart_callback(lambda: events.append("restart"), "restart")
        km.add_restart_callback(lambda: events.append("dead"), "dead")
        km.start_restarter()
        t0 = time.monotonic()
        alive_since = None
        while time.monotonic() - t0 < LIMIT and "dead" not in events:
            await asyncio.sleep(POLL)
            if await km.is_alive():
                alive_since = alive_since or time.monotonic()
                if events and time.monotonic() - alive_since > 6 * POLL:
                    break   # restarted and has stayed up
            else:
                alive_since = None
        return events.count("restart"), "dead" in events, await km.is_alive()
    finally:
        km.stop_restarter()
        await km.shutdown_kernel(now=True)


def test_over_tcp_a_kernel_whose_port_was_taken_is_dropped(monkeypatch):
    """jupyter_client's defaults: one taken port, five restarts on the same ports, dropped."""
    taken, written = take_the_shell_port(monkeypatch)
    try:
        restarts, dead, alive = asyncio.run(start_and_watch())
    finally:
        for sock in taken:
            sock.close()
    assert dead and not alive
    assert written == written[:1], f"the cached ports should be kept through every restart: {written}"


def test_the_load_test_reads_kernel_restarts_and_drops_from_the_servers_log():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import hub_load
    log = "\n".join([
        "[I 2026-12-04 13:33:01.002 ServerApp] Kernel started: 3f0c",
        "zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:41593')",
        *[f"[I 2026-12-04 13:33:0{i}.000 ServerApp] KernelRestarter: restarting kernel ({i}/5), keep random ports"
          for i in range(1, 6)],
        "[W 2026-12-04 13:33:09.000 ServerApp] KernelRestarter: restart failed",
        "[W 2026-12-04 13:33:09.001 ServerApp] Kernel 3f0c died, removing from map.",
        "[W 2026-12-04 13:33:10.000 JupyterHub base:1476] User learner07: server is slow to stop (timeout=10)",
    ])
    restarts, dropped, why = hub_load.kernel_events(log)
    assert (restarts, dropped) == (5, 1)
    assert why[0].startswith("zmq.error.ZMQError: Address already in use") and len(why) == 8
    assert hub_load.kernel_events("") == (0, 0, [])


def test_the_hubs_kernels_talk_over_unix_sockets_in_the_learners_runtime_folder(tmp_path):
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    data = tmp_path / ("a-long-folder-name-" * 6) / "hub-data"
    runtime = ports.runtime_dir(data, "z" * 32)        # the longest name the hub allows
    runtime.mkdir(mode=0o700, parents=True)
    notebooks = tmp_path / "home"
    notebooks.mkdir()
    config = KVArgParseConfigLoader(argv=list(ports.KERNEL_ARGS)).load_config()

    async def run():
        mkm = AsyncMappingKernelManager(config=config, root_dir=str(notebooks), connection_dir=str(runtime))
        kernel_id = await mkm.start_kernel(path="")
        try:
            km = mkm.get_kernel(kernel_id)
            client = km.client()
            client.start_channels()
            await client.wait_for_ready(timeout=LIMIT)
            reply = await client.execute_interactive("x = 6 * 7", user_expressions={"x": "x"}, timeout=LIMIT)
            client.stop_channels()
            sockets = {path: stat.S_ISSOCK(path.stat().st_mode)
                       for path in runtime.glob(f"kernel-{kernel_id}-ipc-*")}
            return km.transport, km.ip, reply["content"], sockets
        finally:
            await mkm.shutdown_all()

    try:
        transport, ip, content, sockets = asyncio.run(run())
        assert transport == "ipc" and ip.startswith(str(runtime))
        assert content["status"] == "ok" and content["user_expressions"]["x"]["data"]["text/plain"] == "42"
        assert len(sockets) == 5 and all(sockets.values()), sockets
        assert max(len(str(path)) for path in sockets) < 100  # sun_path: 108 bytes on Linux, 104 on macOS
        assert not list(runtime.glob("kernel-*-ipc-*")), "the sockets should go with the kernel"
    finally:
        shutil.rmtree(runtime.parent, ignore_errors=True)


def test_each_hub_and_each_learner_has_a_runtime_folder_of_its_own(tmp_path):
    one, other = ports.runtime_dir(tmp_path / "a", "ada"), ports.runtime_dir(tmp_path / "b", "ada")
    assert one.parent != other.parent and one.name == other.name
    assert one.parent == ports.runtime_root(tmp_path / "a")
    assert ports.runtime_dir(tmp_path / "a", "bob").parent == one.parent != ports.runtime_dir(tmp_path / "a", "bob")
