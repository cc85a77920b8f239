# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The run's Directory (catalog lookups answered from listings), the shared memo and headless modules."""

from __future__ import annotations

import pytest

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._base import Context, InputError
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._team import TeamModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._user import UserModule

TEAM = catalog.KINDS["team"]
USER = catalog.KINDS["user"]
SRE = {"id": "PSRE001", "type": "team", "name": "SRE", "description": "Reliability"}
ADA = {"id": "PADA001", "type": "user", "name": "Ada", "email": "Ada@example.com", "teams": []}


@pytest.fixture
def client(fake_client):
    made = fake_client({"/teams": [SRE], "/users": [ADA]})
    made.directory = catalog.Directory()
    made.directory.load(TEAM, [SRE])
    made.directory.load(USER, [ADA])
    return made


def test_references_of_a_listed_kind_cost_no_request(client):
    assert catalog.resolve_reference(client, TEAM, "SRE", "team") == "PSRE001"
    assert catalog.resolve_reference(client, USER, "ada@EXAMPLE.com", "user") == "PADA001"
    assert catalog.find(client, TEAM, "PSRE001") is SRE
    assert catalog.find_many(client, USER, ["PADA001", "nobody@example.com", "x1@example.com", "x2@example.com", "x3@example.com"]) == {
        "PADA001": ADA, "nobody@example.com": None, "x1@example.com": None, "x2@example.com": None, "x3@example.com": None}
    with pytest.raises(PagerDutyError, match="team: no team with id or name 'Ops' exists"):
        catalog.resolve_reference(client, TEAM, "Ops", "team")
    assert client.calls == []


def test_a_kind_not_listed_is_asked_for(client):
    client.directory = catalog.Directory()
    client.directory.load(USER, [])
    assert catalog.find(client, TEAM, "SRE")["id"] == "PSRE001"
    assert [call[0] for call in client.calls] == ["GET"]


def test_put_and_drop_keep_the_directory_current(client):
    client.directory.put(TEAM, {"id": "PNEW001", "name": "Ops"})
    assert catalog.find(client, TEAM, "Ops")["id"] == "PNEW001"
    client.directory.drop(TEAM, "PSRE001")
    assert catalog.find(client, TEAM, "SRE") is None
    assert client.calls == []


def test_two_listed_objects_with_one_name_are_an_error_naming_both(client):
    client.directory.put(TEAM, {"id": "PSRE002", "name": "SRE"})
    with pytest.raises(PagerDutyError, match=r"2 teams have the name 'SRE' \(ids: PSRE001, PSRE002\); give id instead"):
        catalog.find(client, TEAM, "SRE")


def test_forget_drops_one_answer_or_everything_about_an_object():
    ctx = Context(None, {}, False)
    calls = []

    def read(ctx, object_id):  # pylint: disable=unused-argument
        calls.append(object_id)
        return object_id.lower()

    for object_id in ("PA", "PB"):
        ctx.remember(read, object_id)
    ctx.forget(read, "PA")
    ctx.remember(read, "PA")
    ctx.remember(read, "PB")
    assert calls == ["PA", "PB", "PA"]
    ctx.forget_about("PB")
    ctx.remember(read, "PA")
    ctx.remember(read, "PB")
    assert calls == ["PA", "PB", "PA", "PB"]


def test_contexts_of_one_run_share_the_memo_and_instant():
    ctx = Context(None, {"name": "a"}, True)
    other = ctx.sharing({"name": "b"})
    ctx.prime(len, ("x",), 42)
    assert other.remember(len, "x") == 42
    assert (other.now, other.check_mode, other.params) == (ctx.now, True, {"name": "b"})
    assert other.existing is None


def test_a_headless_module_raises_input_errors_and_returns_its_result(client):
    params = dict(UserModule.own_spec(), email="ada@example.com", role="owner")
    params = {key: (value if not isinstance(value, dict) else value.get("default")) for key, value in params.items()}
    user = UserModule.headless(params, client, False, False, Context(client, params, False))
    with pytest.raises(InputError, match="owner"):
        user.validate()
    params = {key: None for key in TeamModule.own_spec()}
    params.update(name="SRE", description="Reliability", state="present", purge_members=False)
    team = TeamModule.headless(params, client, True, True, Context(client, params, True))
    assert team.execute() == {"changed": False, "team": SRE, "diff": {"before": {}, "after": {}}}
    assert client.calls == []


def test_a_webhook_subscription_is_known_by_its_delivery_url():
    kind = catalog.KINDS["webhook_subscription"]
    hook = {"id": "PWH0001", "delivery_method": {"type": "http_delivery_method", "url": "https://hooks.example.com/a"},
            "filter": {"type": "account_reference"}}
    other = dict(hook, id="PWH0002", filter={"type": "service_reference", "id": "PSVC001"})
    assert kind.key_of(hook) == "https://hooks.example.com/a"
    assert kind.key_of({"id": "PWH0003"}) is None
    directory = catalog.Directory()
    directory.load(kind, [hook])
    assert directory.by_key(kind, "https://hooks.example.com/a") is hook
    assert directory.by_key(kind, "https://hooks.example.com/b") is None
    directory.load(kind, [hook, other])  # one URL, two filters: the URL alone does not tell them apart
    with pytest.raises(PagerDutyError, match="give id instead"):
        directory.by_key(kind, "https://hooks.example.com/a")
