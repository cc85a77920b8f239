# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark: a whole account with the ``oncall.pagerduty.account`` role, against the naive ``uri`` no-op pass.

The account of issue 12: 20 teams, 200 users (each with an email contact method and a team), 30 schedules, 30
escalation policies, 100 services; $PD_BENCH_SCALE (default 1.0) scales every count (at least 1 of each). Four
ansible-playbook runs against the simulator at $PD_SIMULATOR_URL, in one simulator and at one latency:

- ``apply``: the role on an empty account (creates everything);
- ``noop``: the role again (nothing to change);
- ``check``: the role again with ``--check``;
- ``uri``: one ``ansible.builtin.uri`` GET per object of the account, by id (what a hand-written no-op pass costs).

For each: the requests (total, GETs, writes, by path and by task), the wall time of ansible-playbook and of each
task (one looped task per kind). Writes $PD_BUILD_DIR/bench/account.json.
"""

from __future__ import annotations

import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import _bench  # noqa: E402  pylint: disable=wrong-import-position

FULL = {"teams": 20, "users": 200, "schedules": 30, "escalation_policies": 30, "services": 100}
URL = "{{ lookup('ansible.builtin.env', 'PAGERDUTY_API_URL') }}"
TOKEN = "{{ lookup('ansible.builtin.env', 'PAGERDUTY_API_TOKEN') }}"


def sizes(scale):
    return {kind: max(1, int(round(count * scale))) for kind, count in FULL.items()}


def account(size):
    """The role's variables for an account of these sizes."""
    teams = [f"Bench Team {number:02d}" for number in range(size["teams"])]
    emails = [f"bench{number:04d}@example.com" for number in range(size["users"])]
    schedules = [f"Bench Schedule {number:02d}" for number in range(size["schedules"])]
    policies = [f"Bench Policy {number:02d}" for number in range(size["escalation_policies"])]
    return {
        "account_from_email": _bench.FROM_EMAIL,
        "account_teams": [{"name": name, "description": f"{name} of the benchmark account"} for name in teams],
        "account_users": [
            {"email": email, "name": f"Bench User {number:04d}", "time_zone": "Europe/Berlin",
             "contact_methods": [{"type": "email", "address": email, "label": "Default"}],
             "teams": [{"team": teams[number % len(teams)], "role": "responder"}]}
            for number, email in enumerate(emails)],
        "account_schedules": [
            {"name": name, "time_zone": "Europe/Berlin", "teams": [teams[number % len(teams)]],
             "layers": [{"name": "Weekly", "rotation_turn_length": "1w",
                         "users": sorted({emails[(number * 3 + offset) % len(emails)] for offset in range(3)})}]}
            for number, name in enumerate(schedules)],
        "account_escalation_policies": [
            {"name": name, "teams": [teams[number % len(teams)]],
             "rules": [{"escalation_delay_in_minutes": 30, "targets": [{"schedule": schedules[number % len(schedules)]}]},
                       {"escalation_delay_in_minutes": 30, "targets": [{"user": emails[number % len(emails)]}]}]}
            for number, name in enumerate(policies)],
        "account_services": [
            {"name": f"Bench Service {number:03d}", "description": "A service of the benchmark account",
             "escalation_policy": policies[number % len(policies)]}
            for number in range(size["services"])],
    }


def uri_playbook(state, variables):
    """One uri GET per object of the account, one looped task per kind, like the role's."""
    wanted = {
        "teams": {item["name"] for item in variables["account_teams"]},
        "users": {item["email"] for item in variables["account_users"]},
        "schedules": {item["name"] for item in variables["account_schedules"]},
        "escalation_policies": {item["name"] for item in variables["account_escalation_policies"]},
        "services": {item["name"] for item in variables["account_services"]},
    }
    tasks = []
    for collection, names in wanted.items():
        key = "email" if collection == "users" else "name"
        ids = sorted(item["id"] for item in state[collection] if item.get(key) in names)
        if len(ids) != len(names):
            sys.exit(f"account: {len(ids)} {collection} found of {len(names)} applied")
        tasks.append({"name": collection, "ansible.builtin.uri": {
            "url": f"{URL}/{collection}/{{{{ item }}}}", "method": "GET",
            "headers": {"Accept": _bench.ACCEPT, "Authorization": f"Token token={TOKEN}"}},
            "loop": ids})
    return [{"name": "The account, one uri GET per object", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]


def measured(workdir, playbook, label, args=()):
    run = _bench.run_playbook(workdir, playbook, args=args, task_requests=True, label=label)
    result = dict(_bench.summarise(run["tasks"]), seconds=run["seconds"], changed_tasks=run["changed"],
                  tasks={task["name"]: task["seconds"] for task in run["tasks"]})
    print(f"account: {label} requests={result['requests']} get={result['get']} writes={result['writes']} "
          f"seconds={result['seconds']:.1f} changed_tasks={result['changed_tasks']}", flush=True)
    return result


def main():
    scale = float(os.environ.get("PD_BENCH_SCALE") or 1.0)
    size = sizes(scale)
    variables = account(size)
    sim = _bench.attach()
    sim.reset()
    runs = {}
    with tempfile.TemporaryDirectory(prefix="bench-account-") as workdir:
        vars_file = _bench.write_json(os.path.join(workdir, "account.json"), variables)
        role = _bench.write_json(os.path.join(workdir, "account.yml"), [{
            "name": "The benchmark account", "hosts": "localhost", "gather_facts": False,
            "vars_files": [vars_file], "roles": ["oncall.pagerduty.account"]}])
        runs["apply"] = measured(workdir, role, "apply")
        runs["noop"] = measured(workdir, role, "noop")
        runs["check"] = measured(workdir, role, "check", args=("--check",))
        baseline = _bench.write_json(os.path.join(workdir, "uri.yml"), uri_playbook(sim.state(), variables))
        runs["uri"] = measured(workdir, baseline, "uri")
    objects = sum(size.values())
    ratios = {name: round(runs[name]["seconds"] / runs["uri"]["seconds"], 3) for name in ("noop", "check")}
    print(f"account: {objects} objects, no-op/uri {ratios['noop']:.2f}x, check/uri {ratios['check']:.2f}x", flush=True)
    _bench.write_result("account", {"latency": _bench.latency(sim), "scale": scale, "sizes": size, "objects": objects,
                                    "runs": runs, "ratio_to_uri": ratios})
    unexpected = [name for name in ("noop", "check") if runs[name]["changed_tasks"] or runs[name]["writes"]]
    if unexpected:
        sys.exit(f"account: {', '.join(unexpected)} changed something")


if __name__ == "__main__":
    main()
