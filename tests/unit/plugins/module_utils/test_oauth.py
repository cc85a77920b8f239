# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Scoped OAuth (client credentials) end to end: modules against the simulator's token endpoint."""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.oncall.pagerduty.plugins.modules import pd_team

SECRET = "app-client-s3cret"


def oauth_options(sim, scopes):
    return {"auth_type": "client_credentials", "oauth_client_id": "app-1", "oauth_client_secret": SECRET, "oauth_scopes": scopes,
            "oauth_subdomain": "simulator", "oauth_token_url": f"{sim.url}/oauth/token", "api_url": sim.url}


def run_team(sim, capsys, scopes, **args):
    with patch_module_args(dict(oauth_options(sim, scopes), **args)):
        with pytest.raises(SystemExit):
            pd_team.main()
    out = capsys.readouterr().out
    return json.loads(out), out


def token_requests(sim):
    return [entry for entry in sim.requests() if entry["path"] == "/oauth/token"]


@pytest.fixture(name="sim")
def with_app(sim):
    sim.add_oauth_client("app-1", SECRET, ["teams.read", "teams.write", "users.read"])
    return sim


def test_a_module_asks_for_one_token_and_uses_it(sim, capsys):
    result, out = run_team(sim, capsys, ["teams.read", "teams.write"], name="OAuth Team", description="Made by an app")
    assert result.get("failed") is not True, result
    assert result["changed"] is True
    asked = token_requests(sim)
    assert len(asked) == 1
    assert asked[0]["body"]["scope"] == "as_account-us.simulator teams.read teams.write"
    assert asked[0]["body"]["client_secret"] == "********"
    api = [entry for entry in sim.requests() if entry["path"] != "/oauth/token"]
    assert {entry["headers"]["authorization"].split(" ")[0] for entry in api} == {"Bearer"}
    assert [(entry["method"], entry["status"]) for entry in api] == [("GET", 200), ("POST", 201)]  # find, create
    assert SECRET not in out


def test_a_missing_scope_is_a_clear_403(sim, capsys):
    result, out = run_team(sim, capsys, ["teams.read"], name="Needs write")
    assert result["failed"] is True and result["status"] == 403
    assert "Token missing required scopes" in result["msg"] and "required scopes: teams.write" in result["msg"]
    assert "may not do this" in result["msg"]
    assert SECRET not in out


def test_an_expired_token_is_renewed_within_the_run(sim, capsys):
    run_team(sim, capsys, ["teams.read", "teams.write"], name="First")
    sim.expire_oauth_tokens()
    sim.clear_requests()
    result, _out = run_team(sim, capsys, ["teams.read", "teams.write"], name="First", description="again")
    assert result.get("failed") is not True, result
    assert len(token_requests(sim)) == 1  # a new run asks anew; the expired token is never sent
