"""What the benchmark ran on: CPU, cores, BLAS, thread settings, library versions.

`pin_threads` must run before numpy is imported (run.py calls it first), so that
numpy's BLAS uses the same number of threads as torch.
"""
import os
import platform
import sys
from importlib import metadata

THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# Read, never changed: older OpenBLAS builds need them on some CPUs, and they can slow numpy.
OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_VERBOSE")


def pin_threads(n):
    """Set the BLAS/OpenMP thread counts to n, through the environment (before numpy loads).
    Returns the values they had before ({name: value or None})."""
    before = {name: os.environ.get(name) for name in THREAD_VARS}
    for name in THREAD_VARS:
        os.environ[name] = str(n)
    return before


def cpu_seconds():
    """CPU seconds so far: (busy on the whole machine, stolen by the hypervisor, used by
    this process and its finished children). Over a run, busy - own is what other
    processes used; steal is time the virtual CPUs waited for the host."""
    try:
        with open("/proc/stat") as f:
            ticks = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return float("nan"), float("nan"), 0.0
    hz = os.sysconf("SC_CLK_TCK")
    steal = ticks[7] if len(ticks) > 7 else 0
    busy = sum(ticks[:8]) - ticks[3] - ticks[4] - steal    # user..softirq, less idle and iowait
    t = os.times()
    return busy / hz, steal / hz, t.user + t.system + t.children_user + t.children_system


def limit_blas_threads(n):
    """Also limit the already-loaded BLAS libraries with threadpoolctl, if installed.
    Returns the threadpoolctl controller (keep it alive), or None."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    return threadpool_limits(limits=n, user_api="blas")


def cpu_model():
    """'model name' from /proc/cpuinfo, with family/model/stepping and the widest SIMD
    (a virtual machine often shows only a generic name); platform.processor() elsewhere."""
    try:
        with open("/proc/cpuinfo") as f:
            first_cpu = f.read().split("\n\n")[0].splitlines()
    except OSError:
        return platform.processor() or "unknown"
    fields = {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in first_cpu if ":" in line)}
    flags = fields.get("flags", "").split()
    simd = next((s for s in ("avx512f", "avx2", "avx", "sse4_2") if s in flags), "?")
    return (f"{fields.get('model name', 'unknown')} (family {fields.get('cpu family', '?')}, "
            f"model {fields.get('model', '?')}, stepping {fields.get('stepping', '?')}; {simd})")


def blas_info():
    """One line per BLAS/OpenMP library loaded in this process (threadpoolctl), or
    numpy's build configuration when threadpoolctl is not installed."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        import numpy as np
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return [f"numpy BLAS: {blas.get('name')} {blas.get('version')} "
                "(threadpoolctl not installed: kernel and threads not shown)"]
    lines = []
    for lib in threadpool_info():
        kernel = f", kernel {lib['architecture']}" if lib.get("architecture") else ""
        lines.append(f"{lib['internal_api']} {lib.get('version') or ''}{kernel}, "
                     f"{lib['num_threads']} threads ({os.path.basename(lib['filepath'])})")
    return lines


def torch_blas():
    """Torch's BLAS and SIMD level, from torch.__config__.show()."""
    import torch
    keep = ("Math Kernel Library", "CPU capability", "OpenMP")
    return [line.strip(" -") for line in torch.__config__.show().splitlines()
            if any(k in line for k in keep)]


def version(package):
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe(torch_ok, threads_before):
    """Everything above as a dict of label -> text (or list of texts)."""
    n = os.environ[THREAD_VARS[0]]
    info = {
        "CPU": cpu_model(),
        "cores": f"{os.cpu_count()} logical CPUs",
        "load average (1, 5, 15 min) at start": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "OS": platform.platform(),
        "Python": sys.version.split()[0],
        "BLAS and OpenMP libraries loaded (threadpoolctl)": blas_info(),
        "environment": [f"{v}={n} set by the benchmark (was {threads_before[v] or 'unset'})"
                        for v in THREAD_VARS]
                       + [f"{v}={os.environ.get(v, '(unset)')}" for v in OPENBLAS_VARS],
        "versions": [f"{p} {version(p)}" for p in
                     ("rnn-edu", "numpy", "torch", "threadpoolctl", "pytest", "nbval")],
    }
    if torch_ok:
        info["torch BLAS"] = torch_blas()
    return info
