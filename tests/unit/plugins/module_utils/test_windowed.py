# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Objects found by their time window (pd_maintenance_window), run as modules against the simulator."""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.oncall.pagerduty.plugins.modules import pd_maintenance_window

SEED = {
    "users": [{"id": "PUSER01", "name": "Ann", "email": "ann@example.com"}],
    "escalation_policies": [{"id": "PEP0001", "name": "Policy", "escalation_rules": [{"escalation_delay_in_minutes": 30, "targets": ["PUSER01"]}]}],
    "services": [{"id": "PSVC001", "name": "Web", "escalation_policy": "PEP0001"}],
}


@pytest.fixture(name="sim")
def seeded(sim):
    sim.seed(SEED)
    return sim


def run(sim, capsys, **args):
    args = dict(args, api_url=sim.url, api_token=sim.token, from_email="ann@example.com")
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            pd_maintenance_window.main()
    return json.loads(capsys.readouterr().out)


def writes(sim):
    return [(entry["method"], entry["path"], entry.get("status")) for entry in sim.requests() if entry["method"] != "GET"]


def test_a_window_that_is_over_counts_as_absent(sim, capsys):
    created = run(sim, capsys, services=["Web"], duration="1h")
    window_id = created["maintenance_window"]["id"]
    ended = run(sim, capsys, id=window_id, state="absent")  # ongoing: PagerDuty ends it now and keeps it
    assert ended["changed"] is True
    sim.clear_requests()
    again = run(sim, capsys, id=window_id, state="absent")
    assert again.get("failed") is not True, again
    assert again["changed"] is False
    assert writes(sim) == []


def test_found_by_id_only_the_description_changes(sim, capsys):
    created = run(sim, capsys, services=["Web"], duration="2h", description="Deploy")
    window_id = created["maintenance_window"]["id"]
    sim.clear_requests()
    changed = run(sim, capsys, id=window_id, description="Deploy 2")
    assert changed.get("failed") is not True, changed
    assert changed["changed"] is True
    assert changed["maintenance_window"]["description"] == "Deploy 2"
    assert writes(sim) == [("PUT", f"/maintenance_windows/{window_id}", 200)]


def test_without_times_nothing_is_created(sim, capsys):
    result = run(sim, capsys, id="PNOPE01", description="x")
    assert result["failed"] is True
    assert result["msg"].startswith("one of end_time or duration is required")
    assert writes(sim) == []
