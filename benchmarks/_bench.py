# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the benchmarks share (not a benchmark: scripts/bench.sh skips files that start with ``_``).

The simulator (``attach()``, at $PD_SIMULATOR_URL, with the latency bench.sh started it with), a work
directory with an inventory of one local host (this Python, so the modules find ``requests``),
``run_playbook()`` (ansible-playbook as a subprocess, timed as a whole and per task by
benchmarks/plugins/callback/bench_timer.py), summaries of the request log and ``write_result()``
($PD_BUILD_DIR/bench/<name>.json).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "benchmarks")
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
from control import Simulator  # noqa: E402  pylint: disable=wrong-import-position,import-error

CALLBACKS = os.path.join(HERE, "plugins", "callback")
INVENTORY_PLUGINS = os.path.join(HERE, "plugins", "inventory")
FROM_EMAIL = "owner@example.com"
ACCEPT = "application/vnd.pagerduty+json;version=2"


def attach():
    url = os.environ.get("PD_SIMULATOR_URL")
    if not url:
        sys.exit("PD_SIMULATOR_URL is not set; run this through `make bench`")
    return Simulator.attach(url, admin_timeout=300)


def latency(sim):
    """The simulator's latency (seconds before every API answer), as it reports it."""
    return sim.admin("POST", "config", {}).get("latency", 0.0)


def out_dir():
    path = os.path.join(os.environ.get("PD_BUILD_DIR") or os.path.join(ROOT, "build"), "bench")
    os.makedirs(path, exist_ok=True)
    return path


def write_result(name, data):
    path = os.path.join(out_dir(), f"{name}.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.write("\n")
    return path


def write_json(path, data):
    """A playbook or a variables file: JSON is YAML."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
    return path


def hosts_file(workdir):
    path = os.path.join(workdir, "hosts")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"localhost ansible_connection=local ansible_python_interpreter={sys.executable}\n")
    return path


def ansible_env(**extra):
    env = dict(os.environ)
    env.update({
        "ANSIBLE_CALLBACK_PLUGINS": CALLBACKS,
        "ANSIBLE_CALLBACKS_ENABLED": "bench_timer",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
    })
    env.update({name: str(value) for name, value in extra.items()})
    return env


def run_playbook(workdir, playbook, args=(), task_requests=False, label="run"):
    """Run ansible-playbook on the one-host inventory: {"seconds", "tasks": [{"name", "seconds", "status", ...}],
    "changed", "failed"}. With task_requests the callback also records each task's requests (it clears the log)."""
    times = os.path.join(workdir, f"{label}.times.jsonl")
    if os.path.exists(times):
        os.remove(times)
    env = ansible_env(PD_BENCH_TIMES=times, PD_BENCH_TASK_REQUESTS="1" if task_requests else "0")
    command = ["ansible-playbook", "-i", hosts_file(workdir), playbook, *args]
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    with open(os.path.join(workdir, f"{label}.out"), "w", encoding="utf-8") as handle:
        handle.write(done.stdout + done.stderr)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-6000:] + done.stderr[-3000:])
        sys.exit(f"{label}: ansible-playbook failed with status {done.returncode}")
    tasks = []
    if os.path.exists(times):
        with open(times, encoding="utf-8") as handle:
            tasks = [json.loads(line) for line in handle if line.strip()]
    return {"seconds": round(seconds, 3), "tasks": tasks,
            "changed": sum(1 for task in tasks if task["status"] == "changed"),
            "failed": sum(1 for task in tasks if task["status"] == "failed")}


def summarise(tasks):
    """Counts of the requests the tasks of a run sent (run_playbook(task_requests=True)): total, GETs, writes, per
    method, per first path segment and per task."""
    by_method, by_path, by_task = {}, {}, {}
    for task in tasks:
        by_task[task["name"]] = len(task["requests"])
        for sent in task["requests"]:
            method, path = sent.split(" ", 1)
            by_method[method] = by_method.get(method, 0) + 1
            segment = "/" + path.split("?")[0].strip("/").split("/")[0]
            by_path[segment] = by_path.get(segment, 0) + 1
    total = sum(by_method.values())
    return {"requests": total, "get": by_method.get("GET", 0), "writes": total - by_method.get("GET", 0),
            "non_2xx": sum(task["non_2xx"] for task in tasks), "spec_violations": sum(task["spec_violations"] for task in tasks),
            "by_method": by_method, "by_path": by_path, "by_task": by_task}


def median(values):
    return round(statistics.median(values), 4) if values else None


def machine():
    """CPU count, Python and ansible-core versions, the system, as the report states them."""
    from ansible.release import __version__ as core  # pylint: disable=import-outside-toplevel
    import platform  # pylint: disable=import-outside-toplevel

    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model, "python": platform.python_version(), "ansible_core": core,
            "system": f"{platform.system()} {platform.release()} {platform.machine()}"}
