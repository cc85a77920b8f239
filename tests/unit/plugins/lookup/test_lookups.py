# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The pd_oncall and pd_resource lookups against the simulator."""

from __future__ import annotations


import pytest

from ansible.errors import AnsibleError
from ansible.plugins.loader import lookup_loader


# A daily rotation Ann, Bob, Ann, ... from 2026-01-05 00:00 UTC; level 1 is the schedule, level 2 Cat.
SEED = {
    "users": [{"id": "PUSER01", "name": "Ann", "email": "ann@example.com"},
              {"id": "PUSER02", "name": "Bob", "email": "bob@example.com"},
              {"id": "PUSER03", "name": "Cat", "email": "cat@example.com"}],
    "schedules": [{"id": "PSCHED1", "name": "Primary", "time_zone": "Etc/UTC",
                   "schedule_layers": [{"start": "2026-01-01T00:00:00Z", "rotation_virtual_start": "2026-01-05T00:00:00Z",
                                        "rotation_turn_length_seconds": 86400, "users": ["PUSER01", "PUSER02"]}]}],
    "escalation_policies": [{"id": "PEP0001", "name": "Checkout Policy",
                             "escalation_rules": [{"escalation_delay_in_minutes": 30,
                                                   "targets": [{"id": "PSCHED1", "type": "schedule_reference"}]},
                                                  {"escalation_delay_in_minutes": 30, "targets": ["PUSER03"]}]}],
}


@pytest.fixture(name="sim")
def seeded(sim, monkeypatch):
    """The session's simulator (tests/unit/conftest.py), reset, with SEED."""
    simulator = sim
    simulator.seed(SEED)
    simulator.clear_requests()
    monkeypatch.setenv("PAGERDUTY_API_URL", simulator.url)
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", simulator.read_token)
    return simulator


def oncall(*terms, **options):
    return lookup_loader.get("oncall.pagerduty.pd_oncall").run(list(terms), variables={}, **options)


def resource(*terms, **options):
    return lookup_loader.get("oncall.pagerduty.pd_resource").run(list(terms), variables={}, **options)


def test_schedule_at_a_time(sim):
    users = oncall("Primary", at="2026-01-06T12:00:00+02:00")
    assert users == [{"id": "PUSER02", "name": "Bob", "email": "bob@example.com",
                      "start": "2026-01-06T00:00:00Z", "end": "2026-01-07T00:00:00Z", "escalation_level": 1,
                      "escalation_policy": {"id": "PEP0001", "name": "Checkout Policy"},
                      "schedule": {"id": "PSCHED1", "name": "Primary"}}]
    query = sim.requests()[-1]["query"]
    assert query["since"] == query["until"] == ["2026-01-06T10:00:00Z"]
    assert query["schedule_ids[]"] == ["PSCHED1"]
    assert all(not e["spec_violations"] for e in sim.requests())


def test_escalation_policy_levels_and_ids(sim):
    assert [u["email"] for u in oncall("Checkout Policy", at="2026-01-05T12:00:00Z")] == ["ann@example.com"]
    assert [u["email"] for u in oncall("PEP0001", escalation_level=2, kind="escalation_policy")] == ["cat@example.com"]
    assert [u["id"] for u in oncall("PSCHED1", "Checkout Policy", at="2026-01-07T01:00:00Z")] == ["PUSER01", "PUSER01"]


def test_oncall_errors(sim, monkeypatch):
    with pytest.raises(AnsibleError, match="no schedule or escalation policy with id or name 'Nope' exists"):
        oncall("Nope")
    with pytest.raises(AnsibleError, match="is not a time"):
        oncall("Primary", at="soonish")
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", "very-secret-token")
    with pytest.raises(AnsibleError) as err:
        oncall("Primary")
    assert "HTTP 401" in str(err.value) and "very-secret-token" not in str(err.value)


def test_resource_by_key_or_id_with_attribute(sim):
    assert resource("users", "ANN@example.com", attribute="id") == ["PUSER01"]
    assert resource("user", "PUSER02")[0]["email"] == "bob@example.com"
    assert resource("schedules", "Primary", "PSCHED1", attribute="name") == ["Primary", "Primary"]
    assert resource("escalation_policies", "Checkout Policy", api_token=sim.token)[0]["id"] == "PEP0001"


def test_resource_missing_default_and_errors(sim):
    with pytest.raises(AnsibleError, match="no user with id or email 'nobody@example.com' exists"):
        resource("users", "nobody@example.com")
    assert resource("users", "nobody@example.com", "ann@example.com", attribute="id", default=None) == [None, "PUSER01"]
    assert resource("teams", "Nope", default="") == [""]
    with pytest.raises(AnsibleError, match="unknown kind of object 'widgets'"):
        resource("widgets", "x")
    with pytest.raises(AnsibleError, match="needs a kind of object and at least one name"):
        resource("users")
    with pytest.raises(AnsibleError, match="has no attribute 'shoe_size'"):
        resource("users", "ann@example.com", attribute="shoe_size")


@pytest.mark.parametrize("token", ["secret-\nlookup-token", "secret-lookup-token\x00"])
def test_a_token_that_cannot_be_sent_is_refused_unseen(sim, token):
    for lookup in (oncall, lambda *terms, **options: resource("users", *terms, **options)):
        with pytest.raises(AnsibleError) as err:
            lookup("Primary", api_token=token)
        text = f"{err.value}"
        assert "api_token holds a character that cannot be sent in an HTTP header" in text
        assert "secret" not in text and "lookup-token" not in text
    assert sim.requests() == []


def test_a_token_with_a_trailing_newline_works(sim, monkeypatch):
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", f"{sim.read_token}\n")
    assert resource("users", "ann@example.com", attribute="id") == ["PUSER01"]


def test_a_lookup_run_with_an_oauth_app_asks_for_one_token(sim):
    sim.add_oauth_client("app-1", "app-client-s3cret", ["teams.read", "users.read"])
    sim.seed({"teams": [{"id": "PTEAM01", "name": "SRE"}, {"id": "PTEAM02", "name": "Ops"}]})
    sim.clear_requests()
    options = {"auth_type": "client_credentials", "oauth_client_id": "app-1", "oauth_client_secret": "app-client-s3cret",
               "oauth_scopes": ["teams.read"], "oauth_subdomain": "simulator", "oauth_token_url": f"{sim.url}/oauth/token"}
    assert resource("teams", "SRE", "Ops", attribute="id", **options) == ["PTEAM01", "PTEAM02"]
    assert len([entry for entry in sim.requests() if entry["path"] == "/oauth/token"]) == 1
