"""Load test of the class hub: `make hub-load N=30`, or `python benchmarks/hub_load.py --learners 1 10 30`.

For each N: a fresh hub (hub/jupyterhub_config.py) on free loopback ports in a
temporary folder; N simulated learners at once each log in (login form, then a
token from the REST API), start their server, read lesson 04 from their own
course copy, run every code cell in a kernel as Run All does, answer three
quizzes through the quiz widgets in that kernel, and stop their server.  Then:
exactly N progress files, each holding exactly its learner's answers; the class
report over them must give the submitted counts; nothing of the hub may be left
running.  A fixed overall time limit bounds everything; the hub is always stopped.

Writes its section of benchmarks/RESULTS.md (one row per N, other rows and
other sections kept).  Timings on a busy machine are a trial.
"""
import argparse
import datetime
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "hub"))

import hub_checks  # noqa: E402
import hub_measure  # noqa: E402
import hubclient  # noqa: E402
import hubctl  # noqa: E402
import results_md  # noqa: E402

LESSON = "04"
SECTION = "hub-load"


def learner_session(hub, name, answers, deadline, start_gate, out, sampler):
    """One learner from login to stopped server; fills out[name] with times and problems."""
    rec = out[name] = {"problems": []}
    learner = hubclient.Learner(hub.url, name, hub.creds["password"], deadline)
    start_gate.wait()
    try:
        learner.log_in()
        t0 = time.monotonic()
        learner.start_server()
        rec["spawn"] = time.monotonic() - t0
        rec["cpu_at_ready"] = sampler.cpu_seconds().get(name, 0.0)
        path, notebook = learner.notebook("rnn-edu", LESSON)
        learner.open_kernel(path)
        t0 = time.monotonic()
        rec["problems"] += learner.execute(hubclient.code_cells(notebook), step="Run All")
        rec["run_all"] = time.monotonic() - t0
        rec["problems"] += learner.execute([hubclient.quiz_code(answers)], step="quizzes")
        learner.stop_server()
    except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
        rec["problems"].append(str(exc))
    finally:
        learner.close_kernel_channel()
        rec["reconnects"] = learner.reconnects
    rec["done"] = True


RESTARTED = "KernelRestarter: restarting kernel"   # jupyter_client's restarter, in the servers' log
DROPPED = "died, removing from map"                # jupyter_server, once the restarts failed
WHY = ("Address already in use", "KernelRestarter", DROPPED)   # the lines about kernels


def kernel_events(log_text):
    """(restarts, kernels dropped, up to 10 lines saying why) from the hub's log (servers included)."""
    lines = log_text.splitlines()
    restarts = sum(RESTARTED in line for line in lines)
    dropped = sum(DROPPED in line for line in lines)
    why = [line.strip()[:200] for line in lines if any(w in line for w in WHY)][:10]
    return restarts, dropped, why


def run_once(n, time_limit, course=None, keep=None):
    """Run the load test with n learners; returns a dict of results."""
    from rnn_edu.course import quiz
    keys = {qid: quiz.get_question(qid).key for qid in hub_checks.QUIZZES}
    the_plan = hub_checks.plan(n, keys)
    started = time.monotonic()
    deadline = started + time_limit
    load_before = os.getloadavg()[0]
    tmp = tempfile.TemporaryDirectory(prefix=f"hub-load-{n}-") if keep is None else None
    data = Path(keep or tmp.name) / "hub-data"
    results, failures = {}, []
    hub = hubctl.start(data, course=course)
    sampler = hub_measure.Sampler(hub.proc.pid)
    try:
        sampler.start()
        gate = threading.Barrier(n + 1)
        threads = [threading.Thread(target=learner_session, daemon=True,
                                    args=(hub, name, the_plan[name], deadline, gate, results, sampler))
                   for name in the_plan]
        for t in threads:
            t.start()
        gate.wait(timeout=60)
        for t in threads:
            t.join(max(0.1, deadline - time.monotonic()))
    finally:
        sampler.stop()
        leftovers = hub.stop()
    for name in the_plan:
        rec = results.get(name, {})
        if not rec.get("done"):
            failures.append(f"{name}: did not finish within the {time_limit:.0f} s limit")
        failures += [f"{name}: {p}" for p in rec.get("problems", [])]
    if leftovers:
        failures.append(f"{len(leftovers)} process(es) of the hub were still alive after it stopped")
    data_problems = hub_checks.check_files(hub.homes, the_plan, keys)
    report_problems = hub_checks.check_report(hub.homes, data / "class-report", the_plan, keys)
    cpu = sampler.cpu_seconds()
    log = Path(hub.log)
    kernels = kernel_events(log.read_text(errors="replace") if log.exists() else "")
    out = {
        "n": n, "failures": failures, "data_problems": data_problems, "report_problems": report_problems,
        "spawn": hub_measure.spread([r["spawn"] for r in results.values() if "spawn" in r]),
        "run_all": hub_measure.spread([r["run_all"] for r in results.values() if "run_all" in r]),
        "rss": hub_measure.spread([v / hub_measure.MB for v in sampler.peak_rss.values()]),
        "pss": hub_measure.spread([v / hub_measure.MB for v in sampler.peak_pss.values()]),
        "cpu": hub_measure.spread(list(cpu.values())),
        "cpu_spawn": hub_measure.spread([r["cpu_at_ready"] for r in results.values() if "cpu_at_ready" in r]),
        "hub_rss": sampler.hub_peak_rss / hub_measure.MB, "samples": sampler.samples,
        "files": len(list(hub.homes.glob(f"*/{hub_checks.PROGRESS}"))),
        "reconnects": sum(r.get("reconnects", 0) for r in results.values()),
        "kernels": kernels,
        "answers": sum(len(a) for per in the_plan.values() for a in per.values()),
        "elapsed": time.monotonic() - started, "load": (load_before, os.getloadavg()[0]),
    }
    if tmp is not None:
        tmp.cleanup()
    return out


def num(value, spec=".1f"):
    return "n/a" if value is None else format(value, spec)


def fmt3(triple, spec=".1f"):
    return " / ".join(num(v, spec) for v in triple)


def row(r):
    """One Markdown table row for a run."""
    ok = not r["failures"] and not r["data_problems"] and not r["report_problems"]
    data = "ok" if not r["data_problems"] else f"{len(r['data_problems'])} problem(s)"
    rep = "equal" if not r["report_problems"] else "DIFFERS"
    cells = [r["n"], len(r["failures"]), r["reconnects"], fmt3(r["spawn"]), fmt3(r["run_all"]),
             f"{num(r['rss'][0], '.0f')} / {num(r['rss'][2], '.0f')}", num(r["pss"][0], ".0f"),
             f"{num(r['cpu'][0])} / {num(r['cpu'][2])}", num(r["cpu_spawn"][0]), f"{r['hub_rss']:.0f}",
             f"{r['files']} of {r['n']}, {data}", rep, f"{r['elapsed']:.0f}",
             f"{r['load'][0]:.1f} / {r['load'][1]:.1f}", datetime.date.today().isoformat()]
    return "| " + " | ".join(map(str, cells)) + " |" + ("" if ok else " **FAILED**")


HEAD = ["| N | failures | kernel channels re-opened | spawn p50 / p95 / max (s) | Run All p50 / p95 / max (s) | "
        "peak RSS per learner, median / max (MiB) | peak PSS per learner, median (MiB) | "
        "CPU per learner, median / max (s) | of which until the server was ready, median (s) | "
        "hub + proxy peak RSS (MiB) | progress files | report vs submitted | wall (s) | "
        "load avg before / after | date |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]


def section(rows, trial):
    """The section's Markdown: explanation, then one row per N (sorted)."""
    lines = ["## Class hub under load (`make hub-load N=...`)", "",
             "Written by `benchmarks/hub_load.py`. N simulated learners at once on one JupyterHub "
             "(hub/jupyterhub_config.py, local processes, 127.0.0.1): log in, start a server, run every "
             "code cell of lesson 04 from their own copy through the kernel websocket (as Run All does), "
             "answer three lesson-04 quizzes through the quiz widgets in the kernel, stop the server. "
             "Spawn = POST of the server to ready; Run All = first execute_request to last reply. "
             "A kernel channel that drops while the kernel starts is re-opened with back-off, as "
             "JupyterLab does (counted, not a failure); any other error is a failure. Kernels talk to "
             "their server over Unix sockets and the hub hands out the servers' ports (hub/ports.py); the run also prints the "
             "kernel restarts and dropped kernels that the servers' log records. "
             "Memory = peak over 0.5 s samples of (single-user server + kernel) per learner; RSS counts "
             "shared libraries in every process, PSS shares them out. CPU = CPU seconds of that "
             "learner's server and kernel over the whole session. Progress files: one per learner, "
             "each checked answer by answer against what that learner submitted; the class report "
             "(`python -m rnn_edu.course.report`) over them must give the submitted counts.", ""]
    if trial:
        lines += ["**Trial timings**: measured on the shared 2-core development machine while other work "
                  "ran (see the load average); the failures, file and report checks are exact, the "
                  "times and CPU are not final. The integrator re-runs on a quiet machine.", ""]
    return "\n".join(lines + HEAD + [rows[n] for n in sorted(rows)])


def old_rows(text):
    """{N: row} from the section already in RESULTS.md."""
    body = results_md.read_section(text, SECTION) or ""
    rows = {}
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("|") and cells and cells[0].isdigit():
            rows[int(cells[0])] = line
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--learners", type=int, nargs="+", default=[30], help="N, one run per value (30)")
    ap.add_argument("--time-limit", type=float, default=1200, help="overall limit per run, s (1200)")
    ap.add_argument("--course", type=Path, default=None, help="course folder (default: as make hub)")
    ap.add_argument("--output", type=Path, default=HERE / "RESULTS.md", help="Markdown file to update")
    ap.add_argument("--final", action="store_true", help="quiet machine: do not mark the timings as a trial")
    ap.add_argument("--keep", type=Path, default=None, help="keep the hub's data folder here (for a look)")
    args = ap.parse_args(argv)
    why = hubctl.missing()
    if why:
        print(f"hub-load: {why}", file=sys.stderr)
        return 2
    status = 0
    for n in args.learners:
        print(f"hub-load: {n} learner(s), time limit {args.time_limit:.0f} s ...", flush=True)
        r = run_once(n, args.time_limit, args.course, args.keep and args.keep / f"n{n}")
        for problem in r["failures"] + r["data_problems"] + r["report_problems"]:
            print(f"  FAIL {problem}")
        restarts, dropped, why = r["kernels"]
        print(f"hub-load: the servers' log: {restarts} kernel restart(s), {dropped} kernel(s) dropped")
        if r["failures"] or dropped:
            print("\n".join(f"  log: {line}" for line in why))
        print("\n".join(HEAD + [row(r)]), flush=True)
        status |= bool(r["failures"] or r["data_problems"] or r["report_problems"])
        text = args.output.read_text() if args.output.exists() else ""
        rows = old_rows(text)
        rows[n] = row(r)
        args.output.write_text(results_md.replace_section(text, SECTION, "benchmarks/hub_load.py",
                                                          section(rows, trial=not args.final)))
        print(f"hub-load: wrote the N = {n} row of {args.output}")
    return status


if __name__ == "__main__":
    sys.exit(main())
