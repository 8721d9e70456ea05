"""What the load test measures while the hub runs: memory and CPU per learner, and percentiles.

A sampler thread walks the hub's process tree twice a second (psutil): each
learner's single-user server and its kernel carry JUPYTERHUB_USER in their
environment; everything else under the hub (the proxy) counts as the hub's
own overhead.  Per learner it keeps the peak of (server + kernel) RSS and PSS
and the CPU time each process had used when last seen.
"""
import threading

import numpy as np
import psutil

MB = 1024 * 1024


class Sampler(threading.Thread):
    """Samples the process tree under `hub_pid` every `period` seconds until stop()."""

    def __init__(self, hub_pid, period=0.5):
        super().__init__(daemon=True)
        self.hub_pid, self.period = hub_pid, period
        self.halt = threading.Event()
        self.owner = {}         # pid -> learner name (None: the hub's own, e.g. the proxy)
        self.peak_rss, self.peak_pss = {}, {}   # learner -> bytes
        self.cpu = {}           # pid -> (learner, cpu seconds when last seen)
        self.hub_peak_rss = 0
        self.samples = 0

    def run(self):
        while not self.halt.wait(self.period):
            try:
                self.sample()
            except psutil.Error:
                continue

    def stop(self):
        self.halt.set()
        self.join(timeout=10)

    def _owner(self, proc):
        if proc.pid not in self.owner:
            try:
                self.owner[proc.pid] = proc.environ().get("JUPYTERHUB_USER")
            except psutil.Error:
                return None
        return self.owner[proc.pid]

    def sample(self):
        root = psutil.Process(self.hub_pid)
        hub_rss = root.memory_info().rss
        rss, pss = {}, {}
        for proc in root.children(recursive=True):
            try:
                name = self._owner(proc)
                mem = proc.memory_full_info()
                times = proc.cpu_times()
            except psutil.Error:
                continue
            if name is None:
                hub_rss += mem.rss
                continue
            rss[name] = rss.get(name, 0) + mem.rss
            pss[name] = pss.get(name, 0) + getattr(mem, "pss", mem.rss)
            self.cpu[proc.pid] = (name, times.user + times.system)
        for name in rss:
            self.peak_rss[name] = max(self.peak_rss.get(name, 0), rss[name])
            self.peak_pss[name] = max(self.peak_pss.get(name, 0), pss[name])
        self.hub_peak_rss = max(self.hub_peak_rss, hub_rss)
        self.samples += 1

    def cpu_seconds(self):
        """learner -> CPU seconds used by their server and kernel (as last sampled)."""
        out = {}
        for name, seconds in self.cpu.values():
            out[name] = out.get(name, 0.0) + seconds
        return out


def spread(values):
    """(p50, p95, max) of a list of numbers (linear interpolation), or Nones when empty."""
    if not values:
        return None, None, None
    arr = np.asarray(values, dtype=float)
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 95)), float(arr.max())
