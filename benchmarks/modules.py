# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark: the API requests and the wall time of one task of each module.

One playbook against the simulator at $PD_SIMULATOR_URL: for pd_team, pd_user, pd_schedule, pd_escalation_policy,
pd_service and pd_maintenance_window (in dependency order, each object used by the next), a warm-up task (not
counted: Ansible builds a module's payload at its first use), then create, REPEAT times (default 5) the no-op by the
natural key, the no-op by id and one ``ansible.builtin.uri`` GET of a team by id (the per-task baseline, interleaved
so that other load on the machine slows both alike), a one-field update; then every delete, in reverse order. The
seconds of a no-op and of the baseline are medians (the baseline's over every module's turns). Each task's requests and seconds (from its start to its
result) come from benchmarks/plugins/callback/bench_timer.py. Writes $PD_BUILD_DIR/bench/modules.json.
"""

from __future__ import annotations

import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import _bench  # noqa: E402  pylint: disable=wrong-import-position

REPEAT = int(os.environ.get("PD_BENCH_REPEAT", "5"))
STEPS = ("create", "noop_key", "noop_id", "update", "delete")
URL = "{{ lookup('ansible.builtin.env', 'PAGERDUTY_API_URL') }}"
TOKEN = "{{ lookup('ansible.builtin.env', 'PAGERDUTY_API_TOKEN') }}"
WINDOW = {"start_time": "2030-01-07T00:00:00Z", "end_time": "2030-01-07T02:00:00Z"}

# module: (result key, natural key options, the other options, the one-field update, options of the warm-up's absent key)
MODULES = (
    ("pd_team", "team", {"name": "Bench team"}, {"description": "Benchmark team"},
     {"description": "Benchmark team, updated"}, {"name": "Bench absent team"}),
    ("pd_user", "user", {"email": "bench.user@example.com"},
     {"name": "Bench User", "time_zone": "Europe/Berlin", "job_title": "SRE",
      "teams": [{"team": "Bench team", "role": "responder"}],
      "contact_methods": [{"type": "email", "address": "bench.user@example.com", "label": "Default"}]},
     {"job_title": "Lead SRE"}, {"email": "bench.absent@example.com"}),
    ("pd_schedule", "schedule", {"name": "Bench schedule"},
     {"time_zone": "Europe/Berlin", "teams": ["Bench team"],
      "layers": [{"name": "Weekly", "rotation_turn_length": "1w", "users": ["bench.user@example.com", "owner@example.com"]}]},
     {"description": "Benchmark schedule, updated"}, {"name": "Bench absent schedule"}),
    ("pd_escalation_policy", "escalation_policy", {"name": "Bench policy"},
     {"teams": ["Bench team"],
      "rules": [{"escalation_delay_in_minutes": 30, "targets": [{"schedule": "Bench schedule"}]},
                {"escalation_delay_in_minutes": 30, "targets": [{"user": "bench.user@example.com"}]}]},
     {"description": "Benchmark policy, updated"}, {"name": "Bench absent policy"}),
    ("pd_service", "service", {"name": "Bench service"}, {"escalation_policy": "Bench policy"},
     {"description": "Benchmark service, updated"}, {"name": "Bench absent service"}),
    ("pd_maintenance_window", "maintenance_window", dict(WINDOW, services=["Bench service"]), {"description": "Benchmark window"},
     {"description": "Benchmark window, updated"}, dict(services=["Bench service"], start_time="2030-02-07T00:00:00Z",
                                                        end_time="2030-02-07T02:00:00Z")),
)


def task(module, step, options, number=0, register=None, ignore_errors=False):
    entry = {"name": f"{module}|{step}|{number}", f"oncall.pagerduty.{module}": options}
    if register:
        entry["register"] = register
    if ignore_errors:
        entry["ignore_errors"] = True
    return entry


def playbook():
    tasks = []
    for module, key, natural, others, update, absent in MODULES:
        register = f"created_{key}"
        object_id = f"{{{{ {register}.{key}.id }}}}"
        tasks.append(task(module, "warmup", dict(absent, state="absent"), ignore_errors=True))
        tasks.append(task(module, "create", dict(natural, **others), register=register))
        by_id = {"id": object_id, **others}
        if key != "maintenance_window":
            by_id.update(natural)  # a window found by id need not repeat its services and times
        for number in range(REPEAT):
            # Interleaved with the baseline, so that other work on the machine slows both alike.
            tasks.append(task(module, "noop_key", dict(natural, **others), number))
            tasks.append(task(module, "noop_id", by_id, number))
            tasks.append({"name": f"uri|get|{module}-{number}", "ansible.builtin.uri": {
                "url": f"{URL}/teams/{{{{ created_team.team.id }}}}", "method": "GET",
                "headers": {"Accept": _bench.ACCEPT, "Authorization": f"Token token={TOKEN}"}}})
        tasks.append(task(module, "update", {**natural, **others, **update}))
    for module, key, natural, others, update, absent in reversed(MODULES):
        tasks.append(task(module, "delete", dict(natural, state="absent")))
    return [{"name": "One task of each module", "hosts": "localhost", "gather_facts": False,
             "module_defaults": {"group/oncall.pagerduty.pagerduty": {"from_email": _bench.FROM_EMAIL}},
             "tasks": tasks}]


def collect(tasks):
    """{module: {step: {"requests", "get", "seconds" (median of the runs), "runs", "sent": [...]}}}."""
    found = {}
    for record in tasks:
        module, step, dummy = record["name"].split("|")
        if step == "warmup":
            continue
        found.setdefault(module, {}).setdefault(step, []).append(record)
    result = {}
    for module, steps in found.items():
        result[module] = {}
        for step, records in steps.items():
            counts = sorted({len(record["requests"]) for record in records})
            result[module][step] = {
                "requests": max(counts), "requests_seen": counts,
                "get": max(sum(1 for sent in record["requests"] if sent.startswith("GET ")) for record in records),
                "seconds": _bench.median([record["seconds"] for record in records]),
                "runs": len(records), "status": sorted({record["status"] for record in records}),
                "sent": records[-1]["requests"],
            }
    return result


def main():
    sim = _bench.attach()
    sim.reset()
    with tempfile.TemporaryDirectory(prefix="bench-modules-") as workdir:
        path = _bench.write_json(os.path.join(workdir, "modules.yml"), playbook())
        run = _bench.run_playbook(workdir, path, task_requests=True, label="modules")
    result = collect(run["tasks"])
    uri = result.pop("uri")["get"]
    for module, steps in result.items():
        line = " ".join(f"{step}={steps[step]['requests']}req/{steps[step]['seconds']:.3f}s" for step in STEPS if step in steps)
        print(f"modules: {module} {line}", flush=True)
    print(f"modules: uri GET {uri['requests']}req/{uri['seconds']:.3f}s", flush=True)
    problems = [f"{module} {step}: {steps[step]['status']}" for module, steps in result.items() for step in STEPS
                if step in steps and steps[step]["status"] != (["changed"] if step in ("create", "update", "delete") else ["ok"])]
    _bench.write_result("modules", {"latency": _bench.latency(sim), "repeat": REPEAT, "modules": result, "uri_get": uri,
                                    "playbook_seconds": run["seconds"], "unexpected_status": problems})
    if problems:
        sys.exit("modules: unexpected task status: " + "; ".join(problems))


if __name__ == "__main__":
    main()
