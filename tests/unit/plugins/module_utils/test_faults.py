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


CASES = [  # module, its options, the POST path that faults, the state collection and what must be there once
    ("pd_team", {"name": "Faulty"}, "/teams", "teams", {"name": "Faulty"}),
    ("pd_user", {"email": "ann@example.com", "contact_methods": [{"type": "sms", "address": "5555550100", "country_code": 1}]},
     "/users/PUSER01/contact_methods", "contact_methods", {"address": "5555550100"}),
    ("pd_service", {"name": "Web", "integrations": [{"type": "events_api_v2", "name": "Deploys"}]},
     "/services/PSVC001/integrations", "integrations", {"name": "Deploys"}),
    ("pd_maintenance_window", {"services": ["Web"], "duration": "1h", "description": "Patch"},
     "/maintenance_windows", "maintenance_windows", {"description": "Patch"}),
]


@pytest.mark.parametrize("fault, sent", [(LOST, 1), (REFUSED, 2)], ids=["applied-answer-lost", "refused-502"])
@pytest.mark.parametrize("module, args, path, collection, wanted", CASES, ids=[case[0] for case in CASES])
def test_a_create_survives_one_fault(sim, capsys, fault, sent, module, args, path, collection, wanted):
    sim.fault(method="POST", path=path, **fault)
    result = run(sim, capsys, module, **args)
    assert result.get("failed") is not True, result
    assert result["changed"] is True
    assert len([obj for obj in sim.state()[collection] if all(obj.get(k) == v for k, v in wanted.items())]) == 1
    assert len(posts(sim, path)) == sent
