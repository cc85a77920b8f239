# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One transient fault on any create completes within the task, without a duplicate.

Modules run in this process against the simulator, whose faults either refuse a create (a 502 that
applied nothing) or carry it out and lose the answer (``apply`` with ``drop``).
"""

from __future__ import annotations

import importlib
import json

import pytest

from ansible.module_utils.testing import patch_module_args

SEED = {
    "users": [{"id": "PUSER01", "name": "Ann", "email": "ann@example.com"}],
    "escalation_policies": [{"id": "PEP0001", "name": "Policy", "escalation_rules": [{"escalation_delay_in_minutes": 30, "targets": ["PUSER01"]}]}],
    "services": [{"id": "PSVC001", "name": "Web", "escalation_policy": "PEP0001"}],
}
LOST = {"drop": True, "apply": True}      # carried out, answer lost
REFUSED = {"status": 502}                 # not carried out


@pytest.fixture(name="sim")
def seeded(sim):
    sim.seed(SEED)
    sim.clear_requests()
    return sim


def run(sim, capsys, module, **args):
    args = dict(args, api_url=sim.url, api_token=sim.token, from_email="ann@example.com")
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            importlib.import_module(f"ansible_collections.oncall.pagerduty.plugins.modules.{module}").main()
    return json.loads(capsys.readouterr().out)


def posts(sim, path):
    return [entry for entry in sim.requests() if entry["method"] == "POST" and entry["path"] == path]


@pytest.mark.parametrize("fault, sent", [(LOST, 1), (REFUSED, 2)])
def test_a_team_create_survives_one_fault(sim, capsys, fault, sent):
    sim.fault(method="POST", path="/teams", **fault)
    result = run(sim, capsys, "pd_team", name="Faulty")
    assert result.get("failed") is not True, result
    assert result["changed"] is True
    assert [team["name"] for team in sim.state()["teams"]] == ["Faulty"]
    assert len(posts(sim, "/teams")) == sent


@pytest.mark.parametrize("fault, sent", [(LOST, 1), (REFUSED, 2)])
def test_a_contact_method_add_survives_one_fault(sim, capsys, fault, sent):
    path = "/users/PUSER01/contact_methods"
    sim.fault(method="POST", path=path, **fault)
    result = run(sim, capsys, "pd_user", email="ann@example.com", contact_methods=[{"type": "sms", "address": "5555550100", "country_code": 1}])
    assert result.get("failed") is not True, result
    assert result["changed"] is True
    assert [cm["address"] for cm in sim.state()["contact_methods"] if cm["address"] == "5555550100"] == ["5555550100"]
    assert len(posts(sim, path)) == sent


@pytest.mark.parametrize("fault, sent", [(LOST, 1), (REFUSED, 2)])
def test_an_integration_add_survives_one_fault(sim, capsys, fault, sent):
    path = "/services/PSVC001/integrations"
    sim.fault(method="POST", path=path, **fault)
    result = run(sim, capsys, "pd_service", name="Web", integrations=[{"type": "events_api_v2", "name": "Deploys"}])
    assert result.get("failed") is not True, result
    assert result["changed"] is True
    assert [i["name"] for i in sim.state()["integrations"] if i["name"] == "Deploys"] == ["Deploys"]
    assert len(posts(sim, path)) == sent


@pytest.mark.parametrize("fault, sent", [(LOST, 1), (REFUSED, 2)])
def test_a_maintenance_window_create_survives_one_fault(sim, capsys, fault, sent):
    sim.fault(method="POST", path="/maintenance_windows", **fault)
    result = run(sim, capsys, "pd_maintenance_window", services=["Web"], duration="1h", description="Patch")
    assert result.get("failed") is not True, result
    assert result["changed"] is True
    assert len(sim.state()["maintenance_windows"]) == 1
    assert len(posts(sim, "/maintenance_windows")) == sent
