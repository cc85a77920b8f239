# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The resource engine, driven through pd_team and pd_team_info with the in-memory client (tests/unit/conftest.py)."""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.oncall.pagerduty.plugins.module_utils import _base
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyAPIError, PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.modules import pd_escalation_policy, pd_maintenance_window, pd_service, pd_team, pd_team_info, pd_user


SRE = {"id": "PSRE001", "type": "team", "name": "SRE", "description": "Reliability", "default_role": "manager", "parent": None}
OPS = {"id": "POPS001", "type": "team", "name": "Ops", "description": None, "default_role": "manager", "parent": None}


@pytest.fixture
def fake(monkeypatch, fake_client):
    client = fake_client({"/teams": [SRE, OPS]})
    monkeypatch.setattr(_base, "client_from_options", lambda options: client)
    return client


def run(module, capsys, check=False, diff=False, **args):
    args.setdefault("api_token", "unit-test-token")
    if check:
        args["_ansible_check_mode"] = True
    if diff:
        args["_ansible_diff"] = True
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


def test_unchanged_when_managed_fields_match(fake, capsys):
    result = run(pd_team, capsys, diff=True, name="SRE", description="Reliability")
    assert result["changed"] is False
    assert result["team"]["id"] == "PSRE001"
    assert result["diff"] == {"before": {}, "after": {}}
    assert fake.writes() == []


def test_unset_options_are_not_managed(fake, capsys):
    # Ops has no description: leaving it out, or giving "", is not a change
    assert run(pd_team, capsys, name="Ops")["changed"] is False
    assert run(pd_team, capsys, name="Ops", description="")["changed"] is False
    assert fake.writes() == []


def test_update_puts_only_changed_fields(fake, capsys):
    result = run(pd_team, capsys, diff=True, name="SRE", description="New text", default_role="manager")
    assert result["changed"] is True
    assert fake.writes() == [("PUT", "/teams/PSRE001", {"team": {"type": "team", "description": "New text"}})]
    assert result["diff"] == {"before": {"description": "Reliability"}, "after": {"description": "New text"}}
    assert result["team"]["description"] == "New text"


def test_check_mode_update_predicts_without_writing(fake, capsys):
    result = run(pd_team, capsys, check=True, diff=True, name="SRE", default_role="none")
    assert result["changed"] is True
    assert result["team"]["default_role"] == "none"
    assert result["diff"] == {"before": {"default_role": "manager"}, "after": {"default_role": "none"}}
    assert fake.writes() == []
    assert fake.by_id("/teams")["PSRE001"]["default_role"] == "manager"


def test_create(fake, capsys):
    result = run(pd_team, capsys, diff=True, name="DBA", description="Databases", parent="SRE")
    assert result["changed"] is True
    assert fake.writes() == [("POST", "/teams", {"team": {
        "type": "team", "name": "DBA", "description": "Databases", "parent": {"id": "PSRE001", "type": "team_reference"}}})]
    assert result["team"]["id"] == "PNEW002"
    assert result["diff"] == {"before": {}, "after": {"name": "DBA", "description": "Databases", "parent": "PSRE001"}}


def test_check_mode_create_sends_nothing(fake, capsys):
    result = run(pd_team, capsys, check=True, name="DBA")
    assert result["changed"] is True
    assert result["team"] == {"type": "team", "name": "DBA", "id": None}  # no members: the task did not set them
    assert fake.writes() == []


def test_reference_by_id_and_unknown_reference(fake, capsys):
    run(pd_team, capsys, name="DBA", parent="POPS001")
    assert fake.writes()[0][2]["team"]["parent"] == {"id": "POPS001", "type": "team_reference"}
    result = run(pd_team, capsys, name="Other", parent="Nobody")
    assert result["failed"] is True
    assert result["msg"] == "parent: no team with id or name 'Nobody' exists"
    assert len(fake.writes()) == 1


def test_reference_compared_by_id(fake, capsys):
    fake.by_id("/teams")["POPS001"]["parent"] = {"id": "PSRE001", "type": "team_reference", "summary": "SRE"}
    assert run(pd_team, capsys, name="Ops", parent="SRE")["changed"] is False
    assert run(pd_team, capsys, name="Ops", parent="PSRE001")["changed"] is False
    assert fake.writes() == []


def test_name_must_match_exactly(fake, capsys):
    # "SR" matches SRE through the query filter, but is another name: a create
    result = run(pd_team, capsys, check=True, name="SR")
    assert result["team"]["id"] is None


def test_ambiguous_name_fails(fake, capsys):
    fake.add("/teams", dict(SRE, id="PSRE002"))
    result = run(pd_team, capsys, name="SRE")
    assert result["failed"] is True
    assert result["msg"] == "2 teams have the name 'SRE' (ids: PSRE001, PSRE002); give id instead"


def test_rename_by_id(fake, capsys):
    result = run(pd_team, capsys, diff=True, id="PSRE001", name="Platform")
    assert fake.writes() == [("PUT", "/teams/PSRE001", {"team": {"type": "team", "name": "Platform"}})]
    assert result["diff"] == {"before": {"name": "SRE"}, "after": {"name": "Platform"}}


def test_unknown_id_fails(fake, capsys):
    result = run(pd_team, capsys, id="PNOPE01", description="x")
    assert result["failed"] is True
    assert result["msg"] == "no team with id 'PNOPE01' exists (id is only used to find an existing team)"


def test_absent_deletes_and_is_idempotent(fake, capsys):
    result = run(pd_team, capsys, diff=True, name="Ops", state="absent")
    assert result["changed"] is True
    assert fake.writes() == [("DELETE", "/teams/POPS001", None)]
    assert result["diff"]["after"] == {}
    assert result["diff"]["before"]["id"] == "POPS001"
    again = run(pd_team, capsys, name="Ops", state="absent")
    assert again["changed"] is False
    assert again["team"] is None
    assert len(fake.writes()) == 1


def test_absent_in_check_mode(fake, capsys):
    result = run(pd_team, capsys, check=True, name="Ops", state="absent")
    assert result["changed"] is True
    assert fake.writes() == []
    assert "POPS001" in fake.by_id("/teams")


def test_absent_by_unknown_id_is_unchanged(fake, capsys):
    assert run(pd_team, capsys, id="PNOPE01", state="absent")["changed"] is False


def test_failed_post_is_looked_up_not_resent(fake, capsys):
    # the POST reached PagerDuty (the team exists) but the answer was lost
    def lost_answer():
        fake.add("/teams", {"id": "PLOST01", "type": "team", "name": "DBA", "description": None, "default_role": "manager"})
        return PagerDutyError("could not reach PagerDuty")

    fake.fail_next_post = lost_answer
    result = run(pd_team, capsys, name="DBA")
    assert result["changed"] is True
    assert result["team"]["id"] == "PLOST01"
    assert [c[0] for c in fake.writes()] == ["POST"]


def test_one_transient_fault_on_a_create_is_overcome_in_the_task(fake, capsys):
    # nothing was created (looked up first), so the POST is sent once more
    fake.fail_next_post = lambda: PagerDutyAPIError("POST", "/teams", 502, None, "Bad Gateway")
    result = run(pd_team, capsys, name="DBA")
    assert result["changed"] is True
    assert result["team"]["id"] == "PNEW002"
    assert [c[0] for c in fake.writes()] == ["POST", "POST"]
    assert [t["name"] for t in fake.by_id("/teams").values()].count("DBA") == 1


def test_two_faults_on_a_create_are_reported(fake, capsys):
    fake.fail_next_post = [lambda: PagerDutyAPIError("POST", "/teams", 502, None, "Bad Gateway"),
                           lambda: PagerDutyError("could not reach PagerDuty")]
    result = run(pd_team, capsys, name="DBA")
    assert result["failed"] is True
    assert result["msg"] == "could not reach PagerDuty (a first attempt had failed too: PagerDuty API request POST /teams failed with HTTP 502: Bad Gateway)"
    assert [c[0] for c in fake.writes()] == ["POST", "POST"]


def test_a_name_taken_by_a_concurrent_run_is_adopted(fake, capsys):
    # another run created the team between this run's lookup and its POST
    def taken():
        fake.add("/teams", {"id": "PWIN001", "type": "team", "name": "DBA", "description": "Old", "default_role": "manager"})
        return PagerDutyAPIError("POST", "/teams", 400, 2001, "Invalid Input Provided", ["Name has already been taken"])

    fake.fail_next_post = taken
    result = run(pd_team, capsys, name="DBA", description="Databases")
    assert result.get("failed") is not True, result
    assert result["team"]["id"] == "PWIN001"
    assert result["changed"] is True  # the description differed: this run updated the winner's team
    assert fake.writes()[1] == ("PUT", "/teams/PWIN001", {"team": {"type": "team", "description": "Databases"}})
    assert [t["name"] for t in fake.by_id("/teams").values()].count("DBA") == 1


def test_api_refusal_is_reported_with_details(fake, capsys):
    fake.fail_next_post = lambda: PagerDutyAPIError("POST", "/teams", 400, 2001, "Invalid Input Provided", ["Name has already been taken"])
    result = run(pd_team, capsys, name="DBA")
    assert result["failed"] is True
    assert result["pagerduty_error"] == {"code": 2001, "message": "Invalid Input Provided", "errors": ["Name has already been taken"]}
    assert result["status"] == 400


def test_bad_choice_is_refused_before_any_request(fake, capsys):
    result = run(pd_team, capsys, name="SRE", default_role="admin")
    assert result["failed"] is True
    assert "default_role" in result["msg"] and "manager, none" in result["msg"]
    assert fake.calls == []


def test_name_or_id_required(fake, capsys):
    result = run(pd_team, capsys, description="x")
    assert result["failed"] is True
    assert result["msg"] == "one of the following is required: name, id"


def test_info_filters(fake, capsys):
    assert [t["id"] for t in run(pd_team_info, capsys)["teams"]] == ["POPS001", "PSRE001"]
    assert [t["id"] for t in run(pd_team_info, capsys, name="SRE")["teams"]] == ["PSRE001"]
    assert run(pd_team_info, capsys, name="SR")["teams"] == []
    assert [t["id"] for t in run(pd_team_info, capsys, query="op")["teams"]] == ["POPS001"]
    assert [t["id"] for t in run(pd_team_info, capsys, id="POPS001")["teams"]] == ["POPS001"]
    assert run(pd_team_info, capsys, id="PNOPE01")["teams"] == []
    result = run(pd_team_info, capsys, id="POPS001", query="x")
    assert result["failed"] is True and "mutually exclusive" in result["msg"]


def test_missing_token_message(monkeypatch, capsys):
    monkeypatch.delenv("PAGERDUTY_API_TOKEN", raising=False)
    with patch_module_args({"name": "SRE"}):
        with pytest.raises(SystemExit):
            pd_team.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True
    assert result["msg"] == "api_token is required: set the api_token option or the PAGERDUTY_API_TOKEN environment variable"


@pytest.mark.parametrize("options", [
    {"api_token": "hush-\nmodule-token"},
    {"api_token": "hush-module-token\r"},  # stripped: then the empty api_url is what is refused
    {"api_token": "hush-module-token", "api_url": ""},
])
def test_bad_connection_options_fail_before_any_request_and_show_no_token(monkeypatch, capsys, options):
    with patch_module_args(dict(options, name="SRE", api_url=options.get("api_url", ""))):
        with pytest.raises(SystemExit):
            pd_team.main()
    out = capsys.readouterr().out
    result = json.loads(out)
    assert result["failed"] is True
    assert result["msg"].startswith(("api_token holds a character", "api_url is empty"))
    assert "hush" not in out and "module-token" not in out


def test_token_from_environment_is_used_and_hidden(monkeypatch, capsys):
    seen = {}

    def capture(options):
        seen.update(options)
        raise PagerDutyError("stop here")

    monkeypatch.setattr(_base, "client_from_options", capture)
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", "env-secret-token")
    monkeypatch.setenv("PAGERDUTY_REGION", "eu")
    with patch_module_args({"name": "SRE"}):
        with pytest.raises(SystemExit):
            pd_team.main()
    out = capsys.readouterr().out
    assert seen["api_token"] == "env-secret-token"
    assert seen["region"] == "eu"
    assert "env-secret-token" not in out


# -- nothing written before every reference is resolved; a failure after a write says so --------


ANN = {"id": "PUSER01", "type": "user", "name": "Ann", "email": "ann@example.com", "summary": "Ann"}


@pytest.fixture
def people(monkeypatch, fake_client):
    client = fake_client({"/teams": [SRE, OPS], "/users": [ANN]})
    monkeypatch.setattr(_base, "client_from_options", lambda options: client)
    return client


def test_an_unknown_member_fails_before_the_team_is_written(people, capsys):
    result = run(pd_team, capsys, name="DBA", members=[{"user": "ann@example.com"}, {"user": "anne@example.com"}])
    assert result["failed"] is True
    assert result["msg"] == "members: no user with id or email 'anne@example.com' exists"
    assert people.writes() == []
    assert "changed" not in result or result["changed"] is False


def test_a_member_listed_twice_is_an_input_error_before_any_write(people, capsys):
    result = run(pd_team, capsys, name="DBA", members=[{"user": "ann@example.com"}, {"user": "PUSER01", "role": "manager"}])
    assert result["failed"] is True
    assert result["msg"] == "members: {'user': 'Ann', 'role': 'manager'} is listed more than once"
    assert people.writes() == []


def test_a_failure_after_the_create_says_changed_and_what_was_applied(people, capsys):
    # the fake has no /teams/{id}/users/... collection: the membership PUT answers 404 after the team exists
    result = run(pd_team, capsys, name="DBA", members=[{"user": "ann@example.com", "role": "manager"}])
    assert result["failed"] is True
    assert result["changed"] is True
    assert result["team"] == {"id": "PNEW002"}
    assert result["applied"] == ["created team PNEW002: name"]
    assert result["msg"].startswith("PagerDuty API request PUT /teams/PNEW002/users/PUSER01 failed with HTTP 404")
    assert result["msg"].endswith("(after these changes were applied: created team PNEW002: name; a rerun continues from there)")
    assert [call[0] for call in people.writes()] == ["POST", "PUT"]


def test_an_unknown_team_fails_before_the_user_is_created(people, capsys):
    result = run(pd_user, capsys, email="new@example.com", name="New Person", teams=[{"team": "SRE"}, {"team": "SER"}])
    assert result["failed"] is True
    assert result["msg"] == "teams: no team with id or name 'SER' exists"
    assert people.writes() == []


def test_a_number_for_a_dictionary_option_is_a_clean_failure(monkeypatch, capsys):
    # ansible-core's own validation raises TypeError on this; the base reports it as the task's error
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", "secret-token-value")
    with patch_module_args({"name": "Web", "auto_pause_notifications_parameters": 0, "integrations": [{"type": "email"}, 7]}):
        with pytest.raises(SystemExit):
            pd_service.main()
    out = capsys.readouterr().out
    result = json.loads(out)
    assert result["failed"] is True
    assert result["msg"] == ("auto_pause_notifications_parameters, integrations[1]: a finite number or a dictionary of suboptions, "
                             "as the option's type says, is required; got a value of another type")
    assert "secret-token-value" not in out


def test_times_out_of_range_are_input_errors(fake, capsys):
    result = run(pd_maintenance_window, capsys, services=["SRE"], duration=251606108001)
    assert result["failed"] is True and result["msg"] == "duration: '251606108001' is longer than 100 years"
    result = run(pd_maintenance_window, capsys, services=["SRE"], start_time="0001-01-01T00:00:00Z", duration="1h")
    assert result["failed"] is True and result["msg"] == "start_time: '0001-01-01T00:00:00Z' is out of range (from 1970 to 9000)"
    assert fake.writes() == []


def test_an_infinite_number_is_a_clean_failure(monkeypatch, capsys):
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", "secret-token-value")
    with patch_module_args({"name": "Policy", "num_loops": "inf"}):
        with pytest.raises(SystemExit):
            pd_escalation_policy.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True
    assert result["msg"].startswith(("num_loops: a finite number", "argument 'num_loops' is of type"))


def test_a_sub_list_the_task_does_not_set_is_neither_read_nor_returned(fake, capsys):
    """pd_team without members: one request finds the team, none reads its members."""
    run(pd_team, capsys, name="DBA")
    fake.calls.clear()
    result = run(pd_team, capsys, name="DBA")
    assert result["changed"] is False
    assert "members" not in result["team"]
    assert [(method, path) for method, path, _params in fake.calls] == [("GET", "/teams")]


def test_a_reference_the_object_already_holds_costs_no_request(monkeypatch, fake_client, capsys):
    """The parent given by the name the team's parent reference shows, or by its id: no lookup. Another
    name is looked up (and is a change)."""
    dba = {"id": "PDBA001", "type": "team", "name": "DBA", "description": None, "default_role": "manager",
           "parent": {"id": "POPS001", "type": "team_reference", "summary": "Ops"}}
    client = fake_client({"/teams": [SRE, OPS, dba]})
    monkeypatch.setattr(_base, "client_from_options", lambda options: client)
    for parent in ("POPS001", "Ops"):
        client.calls.clear()
        result = run(pd_team, capsys, name="DBA", parent=parent)
        assert result["changed"] is False
        assert [(method, path) for method, path, _params in client.calls] == [("GET", "/teams")]
    client.calls.clear()
    result = run(pd_team, capsys, check=True, name="DBA", parent="SRE")
    assert result["changed"] is True
    assert [(method, path) for method, path, _params in client.calls] == [("GET", "/teams"), ("GET", "/teams")]
