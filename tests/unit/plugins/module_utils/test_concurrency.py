# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Concurrent runs of one task converge on one object.

Kinds whose natural key PagerDuty keeps unique: the losing runs' creates are refused and they adopt
the winner's object. Schedules, whose names may repeat: every run lists the copies after its create
and all keep the one with the smallest id; the others delete their own copy.

Each run is a module process of its own against the simulator. Every POST is held back by the
simulator for a few seconds, so all runs have looked the object up (and found nothing) before the
first create lands: the race of concurrent playbooks, made certain.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ansible_collections.oncall.pagerduty.plugins.modules import pd_team

RUNS = 3
HOLD = 3.0  # seconds every POST waits in the simulator before it is applied
COLLECTIONS_ROOT = os.path.abspath(os.path.join(os.path.dirname(pd_team.__file__), *[".."] * 5))


def run_at_once(sim, tmp_path, module, args):
    """RUNS processes of one module with the same arguments, started together; their results."""
    path = tmp_path / f"{module}.json"
    path.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": dict(args, api_url=sim.url, api_token=sim.token, from_email="owner@example.com")}))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([COLLECTIONS_ROOT] + sys.path))
    command = [sys.executable, "-m", f"ansible_collections.oncall.pagerduty.plugins.modules.{module}", str(path)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True) for _run in range(RUNS)]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert out.strip(), err
        results.append(json.loads(out))
    return results


def named(sim, collection, key, value):
    return [obj for obj in sim.state()[collection] if (obj.get(key) or "").lower() == value.lower()]


@pytest.mark.parametrize("module, args, collection, key", [
    ("pd_team", {"name": "Concurrent Team", "description": "Made by three runs"}, "teams", "name"),
    ("pd_user", {"email": "concurrent@example.com", "name": "Con Current"}, "users", "email"),
    ("pd_escalation_policy", {"name": "Concurrent Policy", "rules": [{"escalation_delay_in_minutes": 30, "targets": [{"user": "owner@example.com"}]}]},
     "escalation_policies", "name"),
    ("pd_service", {"name": "Concurrent Service", "escalation_policy": "Seeded Policy"}, "services", "name"),
])
def test_concurrent_runs_end_with_one_object_and_all_succeed(sim, tmp_path, module, args, collection, key):
    owner = named(sim, "users", "email", "owner@example.com")[0]["id"]
    sim.seed({"escalation_policies": [{"name": "Seeded Policy", "escalation_rules": [{"escalation_delay_in_minutes": 30, "targets": [owner]}]}]})
    sim.fault(method="POST", path=f"/{collection}", latency=HOLD, count=RUNS)
    results = run_at_once(sim, tmp_path, module, args)
    assert [result.get("failed", False) for result in results] == [False] * RUNS, results
    assert len(named(sim, collection, key, args[key])) == 1
    posts = [entry for entry in sim.requests() if entry["method"] == "POST" and entry["path"] == f"/{collection}"]
    assert len(posts) == RUNS  # every run did try to create: the race happened
    assert sorted(entry["status"] for entry in posts) == [201] + [400] * (RUNS - 1)
    ids = {result[module[len("pd_"):]]["id"] for result in results}
    assert len(ids) == 1


def test_concurrent_schedule_creates_keep_one_copy(sim, tmp_path):
    args = {"name": "Concurrent Schedule", "time_zone": "Etc/UTC",
            "layers": [{"name": "Primary", "rotation_turn_length": "1d", "users": ["owner@example.com"]}]}
    sim.fault(method="POST", path="/schedules", latency=HOLD, count=RUNS)
    results = run_at_once(sim, tmp_path, "pd_schedule", args)
    assert [result.get("failed", False) for result in results] == [False] * RUNS, results
    kept = named(sim, "schedules", "name", "Concurrent Schedule")
    assert len(kept) == 1
    assert {result["schedule"]["id"] for result in results} == {kept[0]["id"]}
    writes = [(entry["method"], entry["status"]) for entry in sim.requests() if entry["method"] != "GET"]
    assert sorted(writes) == sorted([("POST", 201)] * RUNS + [("DELETE", 204)] * (RUNS - 1))


def seed_service_and_schedule(sim):
    owner = named(sim, "users", "email", "owner@example.com")[0]["id"]
    sim.seed({
        "escalation_policies": [{"id": "PEPCONC", "name": "Seeded Policy", "escalation_rules": [{"escalation_delay_in_minutes": 30, "targets": [owner]}]}],
        "services": [{"id": "PSVCONC", "name": "Concurrent Web", "escalation_policy": "PEPCONC"}],
        "schedules": [{"id": "PSCONC1", "name": "Concurrent Rota", "time_zone": "Etc/UTC",
                       "schedule_layers": [{"start": "2026-01-01T00:00:00Z", "rotation_virtual_start": "2026-01-01T00:00:00Z",
                                            "rotation_turn_length_seconds": 86400, "users": [owner]}]}],
    })


@pytest.mark.parametrize("module, args, path, key", [
    ("pd_maintenance_window", {"services": ["Concurrent Web"], "duration": "2h", "description": "Deploy"}, "/maintenance_windows", "maintenance_window"),
    ("pd_schedule_override", {"schedule": "Concurrent Rota", "user": "owner@example.com", "start": "+1d", "duration": "4h"},
     "/schedules/PSCONC1/overrides", "override"),
])
def test_concurrent_window_creates_keep_one_copy(sim, tmp_path, module, args, path, key):
    seed_service_and_schedule(sim)
    sim.fault(method="POST", path=path, latency=HOLD, count=RUNS)
    results = run_at_once(sim, tmp_path, module, args)
    assert [result.get("failed", False) for result in results] == [False] * RUNS, results
    assert len({result[key]["id"] for result in results}) == 1
    writes = [entry for entry in sim.requests() if entry["method"] != "GET"]
    assert sorted(entry["method"] for entry in writes) == ["DELETE"] * (RUNS - 1) + ["POST"] * RUNS
    deleted = {entry["path"].rsplit("/", 1)[-1] for entry in writes if entry["method"] == "DELETE"}
    assert results[0][key]["id"] not in deleted and len(deleted) == RUNS - 1
    rerun = run_at_once(sim, tmp_path, module, args)[0]  # one object matches the task now: a rerun changes nothing
    assert rerun["changed"] is False and rerun[key]["id"] == results[0][key]["id"], rerun


def test_concurrent_account_runs_keep_one_copy_of_each_schedule(sim, tmp_path):
    # pd_account settles the copies of all the schedules it created with one pause and one listing; the runs
    # whose copy was not kept delete it and converge the kept one on the item.
    args = {"teams": [{"name": "Concurrent Account Team"}],
            "schedules": [{"name": f"Concurrent Account Rota {number}", "time_zone": "Etc/UTC", "teams": ["Concurrent Account Team"],
                           "layers": [{"name": "Primary", "rotation_turn_length": "1d", "users": ["owner@example.com"]}]}
                          for number in (1, 2)]}
    sim.fault(method="POST", path="/schedules", latency=HOLD, count=2 * RUNS)
    sim.fault(method="POST", path="/teams", latency=HOLD, count=RUNS)
    results = run_at_once(sim, tmp_path, "pd_account", args)
    assert [result.get("failed", False) for result in results] == [False] * RUNS, results
    for number in (1, 2):
        kept = named(sim, "schedules", "name", f"Concurrent Account Rota {number}")
        assert len(kept) == 1
        assert {next(obj["id"] for obj in result["objects"] if obj["key"] == f"Concurrent Account Rota {number}") for result in results} == {kept[0]["id"]}
    assert len(named(sim, "teams", "name", "Concurrent Account Team")) == 1
    deletes = [entry for entry in sim.requests() if entry["method"] == "DELETE"]
    assert len(deletes) == 2 * (RUNS - 1)
    listings = [entry for entry in sim.requests() if entry["method"] == "GET" and entry["path"] == "/schedules" and "query" not in entry["query"]]
    assert len(listings) == 2 * RUNS  # each run: the listing before, and one after its creates
    rerun = run_at_once(sim, tmp_path, "pd_account", args)[0]
    assert rerun["changed"] is False, rerun
