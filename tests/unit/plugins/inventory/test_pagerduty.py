# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The inventory plugin against the simulator, through Ansible's own plugin loader."""

from __future__ import annotations

import json
import urllib.request

import pytest

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.oncall.pagerduty.plugins.inventory.pagerduty import default_group_names, host_variables


SEED = {
    "teams": [{"id": "PTEAM01", "name": "SRE Team"}, {"id": "PTEAM02", "name": "Payments"}],
    "users": [{"id": "PUSER01", "name": "Ann", "email": "ann@example.com", "teams": [{"team": "PTEAM01", "role": "manager"}]},
              {"id": "PUSER02", "name": "Bob", "email": "bob@example.com"}],
    "escalation_policies": [
        {"id": "PEP0001", "name": "SRE Policy", "teams": ["PTEAM01"],
         "escalation_rules": [{"escalation_delay_in_minutes": 30, "targets": ["PUSER01"]},
                              {"escalation_delay_in_minutes": 30, "targets": ["PUSER02"]}]},
        {"id": "PEP0002", "name": "Payments Policy", "teams": ["PTEAM02"],
         "escalation_rules": [{"escalation_delay_in_minutes": 10, "targets": ["PUSER02"]}]},
    ],
    "services": [
        {"id": "PSVC001", "name": "Web Frontend", "escalation_policy": "PEP0001",
         "integrations": [{"id": "PINT001", "type": "events_api_v2_inbound_integration", "name": "Events"}]},
        {"id": "PSVC002", "name": "Checkout", "escalation_policy": "PEP0002"},
        {"id": "PSVC003", "name": "SRE Policy", "escalation_policy": "PEP0001"},
    ],
}


@pytest.fixture(name="sim")
def seeded(sim):
    """The session's simulator (tests/unit/conftest.py), reset, with SEED."""
    simulator = sim
    simulator.seed(SEED)
    # a seeded service is active: disable one through the API
    body = json.dumps({"service": {"type": "service", "status": "disabled"}}).encode()
    request = urllib.request.Request(simulator.url + "/services/PSVC002", data=body, method="PUT", headers=simulator.headers())
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
    simulator.clear_requests()
    return simulator


@pytest.fixture
def run(sim, tmp_path, monkeypatch):
    for name in ("PAGERDUTY_API_TOKEN", "PAGERDUTY_API_URL", "PAGERDUTY_REGION"):
        monkeypatch.delenv(name, raising=False)

    def parse(extra="", name="test", cache=True):
        path = tmp_path / (f"{name}.pagerduty.yml")
        path.write_text(f"plugin: oncall.pagerduty.pagerduty\napi_url: {sim.url}\napi_token: {sim.read_token}\n{extra}")
        inventory = InventoryData()
        plugin = inventory_loader.get("oncall.pagerduty.pagerduty")
        assert plugin.verify_file(str(path))
        plugin.parse(inventory, DataLoader(), str(path), cache=cache)
        if getattr(plugin, "_cache", None) is not None:
            plugin.update_cache_if_changed()  # what Ansible's InventoryManager does after a Cacheable plugin's parse
        return inventory
    return parse


def group_hosts(inventory, group):
    return sorted(host.name for host in inventory.groups[group].get_hosts())


def test_verify_file_wants_the_suffix(tmp_path):
    plugin = inventory_loader.get("oncall.pagerduty.pagerduty")
    for name, wanted in (("a.pagerduty.yml", True), ("a.pagerduty.yaml", True), ("pagerduty.yml", False), ("a.yml", False)):
        (tmp_path / name).write_text("plugin: oncall.pagerduty.pagerduty\n")
        assert plugin.verify_file(str(tmp_path / name)) is wanted


def test_services_hosts_vars_and_default_groups(sim, run):
    inventory = run()
    assert sorted(inventory.hosts) == ["Checkout", "SRE Policy", "Web Frontend"]
    web = inventory.get_host("Web Frontend").get_vars()
    assert web["pd_id"] == "PSVC001"
    assert web["pd_type"] == "service"
    assert web["pd_status"] == "active"
    assert web["pd_html_url"].endswith("/service-directory/PSVC001")
    assert web["pd_escalation_policy"] == {"id": "PEP0001", "name": "SRE Policy"}
    assert web["pd_teams"] == [{"id": "PTEAM01", "name": "SRE Team"}]
    assert web["pd_integrations"] == [{"id": "PINT001", "name": "Events", "type": "events_api_v2_inbound_integration"}]
    assert "pd_oncall" not in web
    assert group_hosts(inventory, "pagerduty_services") == ["Checkout", "SRE Policy", "Web Frontend"]
    assert group_hosts(inventory, "pagerduty_team_SRE_Team") == ["SRE Policy", "Web Frontend"]
    assert group_hosts(inventory, "pagerduty_escalation_policy_Payments_Policy") == ["Checkout"]
    assert group_hosts(inventory, "pagerduty_status_disabled") == ["Checkout"]
    # one page: one request, with limit=100 and total=true
    log = sim.requests()
    assert [(e["method"], e["path"]) for e in log] == [("GET", "/services")]
    assert log[0]["query"]["limit"] == ["100"] and log[0]["query"]["total"] == ["true"]


def test_all_resources_oncall_and_name_clash(run):
    inventory = run("resources: [services, users, schedules, escalation_policies]\ninclude_oncall: true\n")
    # the escalation policy named like a service gets its id appended
    assert "SRE Policy_PEP0001" in inventory.hosts
    assert group_hosts(inventory, "pagerduty_users") == ["ann@example.com", "bob@example.com", "owner@example.com"]
    assert group_hosts(inventory, "pagerduty_escalation_policies") == ["Payments Policy", "SRE Policy_PEP0001"]
    web = inventory.get_host("Web Frontend").get_vars()
    assert [(level["level"], [u["email"] for u in level["users"]]) for level in web["pd_oncall"]] == [
        (1, ["ann@example.com"]), (2, ["bob@example.com"])]
    policy = inventory.get_host("SRE Policy_PEP0001").get_vars()
    assert policy["pd_oncall"] == web["pd_oncall"]
    assert [rule["targets"][0]["type"] for rule in policy["pd_escalation_rules"]] == ["user", "user"]
    assert inventory.get_host("ann@example.com").get_vars()["pd_role"] == "user"


def test_filters(sim, run):
    inventory = run("teams: [SRE Team]\nstatuses: [active]\n")
    assert sorted(inventory.hosts) == ["SRE Policy", "Web Frontend"]
    services = [e for e in sim.requests() if e["path"] == "/services"]
    assert services[0]["query"]["team_ids[]"] == ["PTEAM01"]
    inventory = run("teams: [PTEAM02]\n", name="ids")
    assert sorted(inventory.hosts) == ["Checkout"]
    inventory = run("query: web\nhostnames: id\n", name="query")
    assert sorted(inventory.hosts) == ["PSVC001"]


def test_constructed_features(run):
    inventory = run(
        "compose:\n  upper_name: pd_name | upper\n"
        "groups:\n  frontends: \"'Web' in pd_name\"\n"
        "keyed_groups:\n  - key: pd_status\n    prefix: state\n"
        "  - key: pd_integrations | map(attribute='type')\n    prefix: via\n"
        "default_groups: false\n")
    assert inventory.get_host("Checkout").get_vars()["upper_name"] == "CHECKOUT"
    assert group_hosts(inventory, "frontends") == ["Web Frontend"]
    assert group_hosts(inventory, "state_disabled") == ["Checkout"]
    assert group_hosts(inventory, "via_events_api_v2_inbound_integration") == ["Web Frontend"]
    assert "pagerduty_services" not in inventory.groups


def test_strict_compose_error(run):
    with pytest.raises(Exception, match="no_such_var"):
        run("strict: true\ncompose:\n  broken: no_such_var.x\n")
    run("strict: false\ncompose:\n  broken: no_such_var.x\n", name="lenient")


def test_cache_second_run_sends_no_request(sim, run, tmp_path):
    extra = f"cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: {tmp_path / 'cache'}\n"
    first = run(extra)
    assert sim.requests()
    sim.clear_requests()
    second = run(extra)
    assert sim.requests() == []
    assert sorted(second.hosts) == sorted(first.hosts)
    assert second.get_host("Web Frontend").get_vars()["pd_teams"] == [{"id": "PTEAM01", "name": "SRE Team"}]
    # cache=False (meta: refresh_inventory, --flush-cache) fetches again
    run(extra, cache=False)
    assert sim.requests()


def test_bad_token_is_one_clear_error(sim, run, tmp_path):
    path = tmp_path / "bad.pagerduty.yml"
    path.write_text(f"plugin: oncall.pagerduty.pagerduty\napi_url: {sim.url}\napi_token: secret-wrong-token\n")
    plugin = inventory_loader.get("oncall.pagerduty.pagerduty")
    with pytest.raises(AnsibleParserError) as err:
        plugin.parse(InventoryData(), DataLoader(), str(path))
    assert "HTTP 401" in str(err.value)
    assert "secret-wrong-token" not in str(err.value)


def test_a_token_that_cannot_be_sent_is_refused_unseen(sim, tmp_path):
    path = tmp_path / "newline.pagerduty.yml"
    path.write_text(f'plugin: oncall.pagerduty.pagerduty\napi_url: {sim.url}\napi_token: "secret-\\ninventory-token"\n')
    plugin = inventory_loader.get("oncall.pagerduty.pagerduty")
    with pytest.raises(AnsibleParserError) as err:
        plugin.parse(InventoryData(), DataLoader(), str(path))
    assert "api_token holds a character that cannot be sent in an HTTP header" in f"{err.value}"
    assert "secret" not in f"{err.value}" and "inventory-token" not in f"{err.value}"
    assert sim.requests() == []


def test_unknown_team_is_an_error(run):
    with pytest.raises(AnsibleParserError, match="teams: no team with id or name 'Nope' exists"):
        run("teams: [Nope]\n")


def test_more_than_the_offset_cap_says_how_to_narrow(sim, run):
    sim.seed({"count_services": 10000})
    sim.clear_requests()
    with pytest.raises(AnsibleParserError) as err:
        run()
    assert "matches 10003 services, more than the 10000" in str(err.value)
    assert "teams or query options" in str(err.value)
    assert len(sim.requests()) == 1


def test_ten_thousand_services_in_one_hundred_requests(sim, run):
    sim.reset()
    sim.seed({"count_services": 10000})
    sim.clear_requests()
    inventory = run("page_workers: 4\n")
    assert len(inventory.hosts) == 10000
    log = sim.requests()
    assert len(log) == 100
    assert sorted(int(e["query"]["offset"][0]) for e in log) == list(range(0, 10000, 100))
    assert all(e["status"] == 200 for e in log)


def test_helpers_without_api():
    hostvars = host_variables("service", {"id": "P1", "name": "A", "status": "warning", "teams": [{"id": "T", "summary": "Ops & Dev"}],
                                          "escalation_policy": {"id": "E", "summary": "On-call #1"}})
    assert default_group_names("service", hostvars) == [
        "pagerduty_services", "pagerduty_team_Ops & Dev", "pagerduty_escalation_policy_On-call #1", "pagerduty_status_warning"]
    assert default_group_names("user", host_variables("user", {"id": "U", "email": "a@b"})) == ["pagerduty_users"]
