# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shared on-call logic with a fake client."""

from __future__ import annotations

import pytest

from ansible_collections.oncall.pagerduty.plugins.module_utils import _oncall as oncall
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError


def entry(user, level=1, policy="PEP1", schedule=None, start=None, end=None):
    return {
        "user": {"id": user, "type": "user", "summary": user.title(), "name": user.title(), "email": user.lower() + "@example.com"},
        "escalation_level": level,
        "escalation_policy": {"id": policy, "type": "escalation_policy_reference", "summary": "Policy " + policy},
        "schedule": {"id": schedule, "type": "schedule_reference", "summary": "Sched"} if schedule else None,
        "start": start,
        "end": end,
    }


def account(fake_client, schedules=(), policies=(), oncalls=()):
    return fake_client({"/schedules": list(schedules), "/escalation_policies": list(policies), "/oncalls": list(oncalls)})


@pytest.mark.parametrize("at, expected", [
    (None, {}),
    ("now", {}),
    ("2026-01-05T12:00:00+01:00", {"since": "2026-01-05T11:00:00Z", "until": "2026-01-05T11:00:00Z"}),
])
def test_time_params(at, expected):
    assert oncall.time_params(at) == expected


def test_time_params_refuses_nonsense():
    with pytest.raises(ValueError, match="at: 'tomorrowish' is not a time"):
        oncall.time_params("tomorrowish")


def test_schedule_first_then_policy_and_level_filter(fake_client):
    client = account(fake_client, policies=[{"id": "PEP1", "name": "Primary"}],
                     oncalls=[entry("bob", level=2), entry("ann", level=1), entry("ann", level=1)])
    users = oncall.oncall_users(client, "Primary")
    assert [u["id"] for u in users] == ["ann"]
    assert users[0] == {"id": "ann", "name": "Ann", "email": "ann@example.com", "start": None, "end": None,
                        "escalation_level": 1, "escalation_policy": {"id": "PEP1", "name": "Policy PEP1"}, "schedule": None}
    paths = [call[1] for call in client.calls]
    assert paths == ["/schedules", "/escalation_policies", "/oncalls"]
    assert client.calls[-1][2] == {"include[]": ["users"], "escalation_policy_ids[]": ["PEP1"]}
    assert [u["id"] for u in oncall.oncall_users(client, "Primary", escalation_level=2)] == ["bob"]


def test_schedule_answers_every_level_once_per_shift(fake_client):
    shift = dict(schedule="PS1", start="2026-01-05T00:00:00Z", end="2026-01-06T00:00:00Z")
    client = account(fake_client, schedules=[{"id": "PS1", "name": "Primary"}],
                     oncalls=[entry("ann", level=2, policy="PEP2", **shift), entry("ann", level=1, **shift)])
    users = oncall.oncall_users(client, "Primary", at="2026-01-05T12:00:00Z", escalation_level=1)
    assert len(users) == 1 and users[0]["schedule"] == {"id": "PS1", "name": "Sched"}
    assert client.calls[-1][2]["schedule_ids[]"] == ["PS1"]
    assert client.calls[-1][2]["since"] == "2026-01-05T12:00:00Z"


def test_missing_target_and_bad_kind(fake_client):
    with pytest.raises(PagerDutyError, match="no schedule or escalation policy with id or name 'Nope' exists"):
        oncall.oncall_users(account(fake_client), "Nope")
    with pytest.raises(PagerDutyError, match="no escalation policy with id or name 'Nope'"):
        oncall.oncall_users(account(fake_client), "Nope", kind="escalation_policy")
    with pytest.raises(PagerDutyError, match="kind must be one of"):
        oncall.find_target(account(fake_client), "x", kind="team")


def test_oncalls_by_policy_groups_levels_and_chunks_ids(fake_client):
    client = account(fake_client, oncalls=[entry("bob", level=2), entry("ann", level=1), entry("cat", level=1, policy="PEP2")])
    result = oncall.oncalls_by_policy(client, [f"PEP{n}" for n in range(1, 120)] + ["PEP1"])
    asked = [call[2]["escalation_policy_ids[]"] for call in client.calls]
    assert [len(ids) for ids in asked] == [50, 50, 19]
    assert sorted(sum(asked, [])) == sorted(f"PEP{n}" for n in range(1, 120))
    assert all(len(call[2]["escalation_policy_ids[]"]) <= oncall.POLICY_CHUNK for call in client.calls)
    # the fake answers every chunk with every entry: the users are still listed once
    assert [level["level"] for level in result["PEP1"]] == [1, 2]
    assert [u["id"] for u in result["PEP1"][0]["users"]] == ["ann"]
    assert "escalation_policy" not in result["PEP1"][0]["users"][0]
