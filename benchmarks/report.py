# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The last step of `make bench`: benchmarks/results.md from $PD_BUILD_DIR/bench/*.json.

The machine and versions, the simulator's latency, every table of modules.py, account.py and inventory_10k.py,
and each target of issue 12 with the measured value, PASS or MISS and by how much. The targets are reported, not
asserted: this never fails because one is missed. Set $PD_BENCH_RESULTS to write elsewhere.
"""

from __future__ import annotations

import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import _bench  # noqa: E402  pylint: disable=wrong-import-position

MODULES = ("pd_team", "pd_user", "pd_schedule", "pd_escalation_policy", "pd_service", "pd_maintenance_window")
STEPS = (("create", "create"), ("noop_key", "no-op by key"), ("noop_id", "no-op by id"), ("update", "one-field update"),
         ("delete", "delete"))
ACCOUNT_RUNS = (("apply", "first apply"), ("noop", "no-op rerun"), ("check", "`--check` rerun"), ("uri", "`uri` GET baseline"))
INVENTORY_RUNS = (("cold", "cold (the default 10 page workers, no cache)"), ("cold_workers_1", "cold, `page_workers: 1`"),
                  ("cold_workers_4", "cold, `page_workers: 4`"),
                  ("cold_cache_write", "cold, `cache: true` (empty cache, written)"), ("cached", "cached (`cache: true`, cache hit)"),
                  ("standin", "stand-in plugin, local JSON file (the floor)"))


def load(name):
    path = os.path.join(_bench.out_dir(), f"{name}.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def verdict(measured, limit, unit=""):
    """PASS or MISS against an upper limit, and by how much."""
    if measured is None:
        return "not measured"
    if measured <= limit:
        return f"**PASS** ({_number(limit - measured)}{unit} to spare)"
    return f"**MISS** by {_number(measured - limit)}{unit} ({measured / limit:.1f}x the limit)" if limit else f"**MISS** by {_number(measured)}{unit}"


def _number(value):
    return f"{value:,}" if isinstance(value, int) else f"{value:.2f}"


# Why a module's no-op needs more than the one request of the `uri` baseline (where the benchmark gives references by
# name or email, as users do): what the API does not let the module fold into one request.
EXTRA_REQUESTS = {
    "pd_user": "the user's role in a team is only in the team's member list (one more request per team the task names)",
    "pd_schedule": "layer users given by email are looked up one by one: the API has no lookup of several emails in one "
                   "request, and a schedule's user references carry names, not emails (ids cost nothing)",
    "pd_escalation_policy": "rule targets given by email or schedule name are looked up one by one, as for pd_schedule "
                            "(ids cost nothing)",
    "pd_maintenance_window": "a window has no name: it is found by its services' open windows, and a service given by name "
                             "is looked up first (by id it is one request)",
}


def _sentence(text):
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def misses(modules):
    """Why each per-task target that misses does: its requests, and what the API requires."""
    if not modules:
        return []
    uri = modules["uri_get"]["seconds"]
    lines = []
    for module in MODULES:
        steps = modules["modules"].get(module)
        if not steps or max(steps["noop_key"]["seconds"], steps["noop_id"]["seconds"]) / uri <= 1.05:
            continue
        sent = ", ".join(f"`{request}`" for request in steps["noop_key"]["sent"])
        lines.append(f"- `{module}`: its no-op by key sends {steps['noop_key']['requests']} requests ({sent}); each one past the "
                     f"first adds the latency to a task of {uri:.2f} s. {_sentence(EXTRA_REQUESTS.get(module, ''))}")
    if lines:
        lines = ["Why the per-task misses: a module's no-op costs Ansible's run of the module plus one request per lookup, "
                 "in sequence, and these need lookups the API cannot fold into the first request. For many objects, "
                 "`pd_account` answers every lookup from one listing per kind (see the account below).", ""] + lines + [""]
    return lines


def targets(modules, account, inventory):
    rows = []
    if account:
        runs, ratios = account["runs"], account["ratio_to_uri"]
        for name, label in (("noop", "Account no-op rerun"), ("check", "Account `--check` rerun")):
            rows.append((f"{label}: requests", "≤ 60", f"{runs[name]['requests']:,}", verdict(runs[name]["requests"], 60, " requests")))
            rows.append((f"{label}: wall time / `uri` baseline's", "≤ 0.25x",
                         f"{ratios[name]:.2f}x ({runs[name]['seconds']:.1f} s / {runs['uri']['seconds']:.1f} s)",
                         verdict(ratios[name], 0.25, "x")))
    if modules:
        uri = modules["uri_get"]["seconds"]
        for module in MODULES:
            steps = modules["modules"].get(module)
            if not steps:
                continue
            key, by_id = steps["noop_key"]["seconds"] / uri, steps["noop_id"]["seconds"] / uri
            rows.append((f"{module} no-op task / one `uri` GET task (by key, by id)", "≤ 1.05x",
                         f"{key:.2f}x, {by_id:.2f}x", verdict(round(max(key, by_id), 2), 1.05, "x")))
    if inventory:
        cold = inventory["runs"]["cold"]
        rows.append(("Inventory of 10,000 services, cold: requests", "≤ 101", f"{cold['requests']:,}",
                     verdict(cold["requests"], 101, " requests")))
        ratio = inventory["ratio_to_standin"]["cold"]
        rows.append(("Inventory of 10,000 services, cold: wall time / stand-in's", "≤ 1.3x",
                     f"{ratio:.2f}x ({cold['seconds']:.1f} s / {inventory['runs']['standin']['seconds']:.1f} s)",
                     verdict(ratio, 1.3, "x")))
    return rows


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def modules_section(modules):
    if not modules:
        return ["## Requests per task", "", "Not run (benchmarks/modules.py wrote no result).", ""]
    uri = modules["uri_get"]
    lines = ["## Requests per task (benchmarks/modules.py)", "",
             f"One task of each module, in one playbook. A cell is requests (GETs among them) and the task's seconds, from "
             f"its start to its result (no-ops: median of {modules['repeat']}). One `ansible.builtin.uri` GET task, "
             f"interleaved with the no-ops: {uri['requests']} request, {uri['seconds']:.3f} s (median of {uri['runs']}).", ""]
    rows = []
    for module in MODULES:
        steps = modules["modules"].get(module, {})
        rows.append([f"`{module}`"] + [f"{steps[step]['requests']} ({steps[step]['get']} GET), {steps[step]['seconds']:.3f} s"
                                       if step in steps else "-" for step, dummy in STEPS])
    lines += table(["module"] + [label for dummy, label in STEPS], rows)
    lines += ["", "The requests of each no-op (paging parameters left out):", ""]
    for module in MODULES:
        steps = modules["modules"].get(module, {})
        for step, label in STEPS[1:3]:
            if step in steps:
                lines.append(f"- `{module}` {label}: " + ", ".join(f"`{sent}`" for sent in steps[step]["sent"]))
    return lines + [""]


def account_section(account):
    if not account:
        return ["## The account", "", "Not run (benchmarks/account.py wrote no result).", ""]
    sizes = account["sizes"]
    runs = account["runs"]
    lines = ["## The account (benchmarks/account.py)", "",
             f"`roles/account` (one `oncall.pagerduty.pd_account` task) with {sizes['teams']} teams, {sizes['users']} users "
             "(an email contact method and a team each), "
             f"{sizes['schedules']} schedules, {sizes['escalation_policies']} escalation policies and {sizes['services']} services "
             f"({account['objects']} objects, `PD_BENCH_SCALE={account['scale']:g}`). Wall time is the whole "
             "`ansible-playbook` run. The `uri` baseline is one `ansible.builtin.uri` GET per object, by id, in one looped "
             "task per kind.", ""]
    rows = []
    for name, label in ACCOUNT_RUNS:
        run = runs[name]
        ratio = f"{run['seconds'] / runs['uri']['seconds']:.2f}x"
        rows.append([label, f"{run['requests']:,}", f"{run['get']:,}", f"{run['writes']:,}",
                     f"{run['requests'] / account['objects']:.2f}", f"{run['seconds']:.1f}", ratio])
    lines += table(["run", "requests", "GET", "writes", "requests per object", "wall s", "wall / uri's"], rows)
    lines += ["", "Requests by the first segment of their path (the role is one `pd_account` task: each kind listed once, "
              "one member list per team its users name; the `uri` baseline is one looped task per kind):", ""]
    segments = sorted({segment for name, dummy in ACCOUNT_RUNS for segment in runs[name].get("by_path", {})})
    rows = [[label] + [f"{runs[name].get('by_path', {}).get(segment, 0):,}" for segment in segments] for name, label in ACCOUNT_RUNS]
    lines += table(["run"] + [f"`{segment}`" for segment in segments], rows)
    return lines + [""]


def inventory_section(inventory):
    if not inventory:
        return ["## Inventory", "", "Not run (benchmarks/inventory_10k.py wrote no result).", ""]
    runs = inventory["runs"]
    standin = runs["standin"]["seconds"]
    lines = ["## Inventory of 10,000 services (benchmarks/inventory_10k.py)", "",
             f"`ansible-inventory --list` on {inventory['services']:,} services; seconds are the median of "
             f"{inventory['repeat']} interleaved rounds (cold, cold with 4 workers, cold with a cache written, cached, "
             "stand-in; `page_workers: 1` once). The stand-in adds the same hosts, variables and groups from a local JSON file and does nothing else.", ""]
    rows = [[label, f"{runs[name]['requests']:,}", f"{runs[name]['seconds']:.2f}",
             ", ".join(f"{seconds:.2f}" for seconds in runs[name]["runs"]), f"{runs[name]['seconds'] / standin:.2f}x"]
            for name, label in INVENTORY_RUNS if name in runs]
    lines += table(["source", "requests", "wall s", "runs", "wall / stand-in's"], rows)
    return lines + [""]


def main():
    modules, account, inventory = load("modules"), load("account"), load("inventory_10k")
    found = [result for result in (modules, account, inventory) if result]
    machine = _bench.machine()
    latency = found[0]["latency"] if found else None
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    started = os.environ.get("PD_BENCH_STARTED")
    took = f", `make bench` took {(datetime.datetime.now().timestamp() - float(started)) / 60:.1f} min" if started else ""
    lines = ["# Benchmark results", "",
             f"Written by `make bench` (benchmarks/report.py) on {now}{took}. Reproduce with `make bench`; "
             "`PD_BENCH_LATENCY` sets the simulator's latency, `PD_BENCH_SCALE` the account's size; "
             "see [docs/performance.md](../docs/performance.md).", ""]
    if account and account["scale"] != 1.0:
        lines += [f"**The account was run at `PD_BENCH_SCALE={account['scale']:g}`, not at the issue's full size.**", ""]
    loadavg = "/".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "-"
    lines += table(["CPUs", "CPU", "system", "Python", "ansible-core", "simulator latency per request", "simulator mode",
                    "load average at the end (1/5/15 min)"],
                   [[machine["cpus"], machine["cpu_model"] or "-", machine["system"], machine["python"], machine["ansible_core"],
                     f"{latency * 1000:.0f} ms" if latency is not None else "-", "strict", loadavg]])
    lines += ["", "The load average counts the benchmark itself (about 1: ansible-playbook, its module and the simulator take "
              "turns); above that, other work shared the CPUs and the wall times are noisier. Ratios compare runs of the "
              "same session.", "", "## Targets (issue 12; reported, not asserted)", ""]
    lines += table(["target", "limit", "measured", "result"], targets(modules, account, inventory))
    lines += [""] + misses(modules)
    lines += modules_section(modules) + account_section(account) + inventory_section(inventory)
    path = os.environ.get("PD_BENCH_RESULTS") or os.path.join(HERE, "results.md")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines).rstrip("\n") + "\n")
    print(f"report: wrote {path}", flush=True)


if __name__ == "__main__":
    main()
