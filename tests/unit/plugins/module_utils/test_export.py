# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Export: API objects back to module options (pure functions)."""

from __future__ import annotations

import datetime

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils import _export as export

NOW = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.timezone.utc)
USERS = {"PU1": {"id": "PU1", "email": "Ann@example.com"}, "PU2": {"id": "PU2", "email": "bob@example.com"},
         "PU3": {"id": "PU3", "email": "BOB@example.com"}}
TEAMS = {"PT1": {"id": "PT1", "name": "SRE"}, "PT2": {"id": "PT2", "name": "Twin"}, "PT3": {"id": "PT3", "name": "Twin"}}


def names(services=()):
    return export.Names({"user": USERS, "team": TEAMS, "schedule": {}, "escalation_policy": {},
                         "service": {service["id"]: service for service in services}}, catalog.KINDS)


def test_a_reference_is_named_unless_the_name_is_shared():
    assert names().of("team", "PT1") == "SRE"
    assert names().of("team", "PT2") == "PT2"  # two teams are called Twin
    assert names().of("user", "PU1") == "Ann@example.com"
    assert names().of("user", "PU2") == "PU2"  # emails compare case-insensitively
    assert names().of("team", "PUNKNOWN") == "PUNKNOWN"
    assert export.export_team(TEAMS["PT2"], names()) == {"name": "Twin", "id": "PT2"}
    assert export.export_team(dict(TEAMS["PT1"], parent={"id": "PT2"}, default_role="none", description=""), names()) == {
        "name": "SRE", "parent": "PT2", "default_role": "none"}


def test_a_user_keeps_what_the_module_compares_and_no_owner_role():
    user = {"id": "PU1", "email": "Ann@example.com", "name": "Ann", "role": "owner", "time_zone": "Europe/Berlin", "job_title": "",
            "teams": [{"id": "PT1", "type": "team_reference"}],
            "contact_methods": [
                {"id": "PC2", "type": "sms_contact_method", "address": "5550100", "country_code": 44, "label": "Mobile"},
                {"id": "PC1", "type": "email_contact_method", "address": "Ann@example.com", "label": "Default", "send_short_email": False},
                {"id": "PC3", "type": "push_notification_contact_method", "address": "device", "label": "Phone"}]}
    rules = [{"contact_method": {"id": "PC2"}, "urgency": "high", "start_delay_in_minutes": 5},
             {"contact_method": {"id": "PC3"}, "urgency": "high", "start_delay_in_minutes": 0},
             {"contact_method": {"id": "PC1"}, "urgency": "high", "start_delay_in_minutes": 0}]
    assert export.export_user(user, names(), rules, {"PT1": "manager"}) == {
        "email": "Ann@example.com", "name": "Ann", "time_zone": "Europe/Berlin",
        "contact_methods": [{"type": "email", "address": "Ann@example.com", "label": "Default", "send_short_email": False},
                            {"type": "sms", "address": "5550100", "label": "Mobile", "country_code": 44}],
        "purge_contact_methods": True,
        "notification_rules": [{"contact_method": {"type": "email", "address": "Ann@example.com"}, "urgency": "high", "start_delay_in_minutes": 0},
                               {"contact_method": {"type": "sms", "address": "5550100"}, "urgency": "high", "start_delay_in_minutes": 5}],
        "purge_notification_rules": True,
        "teams": [{"team": "SRE", "role": "manager"}]}


def test_a_schedule_lists_its_live_layers_lowest_priority_first():
    def layer(name, end=None, start="2026-01-05T09:00:00+01:00"):
        return {"id": f"PL{name}", "name": name, "start": start, "end": end, "rotation_virtual_start": "2026-01-05T09:00:00+01:00",
                "rotation_turn_length_seconds": 604800, "users": [{"user": {"id": "PU1"}}, {"user": {"id": "PU2"}}],
                "restrictions": [{"type": "weekly_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 28800, "start_day_of_week": 1}]}
    schedule = {"id": "PS1", "name": "Primary", "time_zone": "Europe/Berlin", "teams": [{"id": "PT1"}],
                "schedule_layers": [layer("Top", start="2027-01-01T00:00:00Z"), layer("Old", end="2026-02-01T00:00:00Z"), layer("Base")]}
    exported = export.export_schedule(schedule, names(), NOW)
    assert [item["name"] for item in exported["layers"]] == ["Base", "Top"]
    assert exported["layers"][0] == {
        "name": "Base", "rotation_virtual_start": "2026-01-05T08:00:00Z", "rotation_turn_length": "604800", "users": ["Ann@example.com", "PU2"],
        "restrictions": [{"type": "weekly", "start_time_of_day": "09:00:00", "duration": "28800", "start_day_of_week": "1"}]}
    assert exported["layers"][1]["start"] == "2027-01-01T00:00:00Z"  # a future start is kept
    assert exported["teams"] == ["SRE"]


def test_a_service_has_no_secret_and_explicit_timeouts():
    service = {"id": "PV1", "name": "Web", "escalation_policy": {"id": "PE1"}, "auto_resolve_timeout": None, "acknowledgement_timeout": 1800,
               "status": "warning", "incident_urgency_rule": {"type": "constant", "urgency": "high"}, "support_hours": None,
               "scheduled_actions": [], "alert_grouping_parameters": {"type": None, "config": None},
               "integrations": [{"id": "PI1", "type": "events_api_v2_inbound_integration", "name": "Alerts", "integration_key": "secret"},
                                {"id": "PI2", "type": "some_vendor_inbound_integration", "name": "Vendor"}]}
    assert export.export_service(service, names([service])) == {
        "name": "Web", "escalation_policy": "PE1", "auto_resolve_timeout": 0, "acknowledgement_timeout": 1800, "status": "active",
        "incident_urgency_rule": {"type": "constant", "urgency": "high"}, "integrations": [{"type": "events_api_v2", "name": "Alerts"}]}


def test_an_orchestration_document_names_services_policies_priorities_and_sets():
    names = export.Names({"service": {"PSVC001": {"id": "PSVC001", "name": "Checkout"}},
                          "escalation_policy": {"PEP0001": {"id": "PEP0001", "name": "SRE escalation"}}}, catalog.KINDS)
    router = {"sets": [{"id": "start", "rules": [
        {"id": "r1", "label": "Checkout", "disabled": False, "conditions": [{"expression": "event.summary matches part 'chk'"}],
         "actions": {"route_to": "PSVC001", "dynamic_route_to": None}}]}], "catch_all": {"actions": {"route_to": "unrouted"}}}
    assert export.export_path_document("router", router, "orchestration", "Production", names, {}) == {
        "orchestration": "Production",
        "rules": [{"label": "Checkout", "conditions": ["event.summary matches part 'chk'"], "actions": {"route_to": "Checkout"}}],
        "catch_all": {"route_to": "unrouted"},
    }
    service = {"sets": [
        {"id": "start", "rules": [{"id": "a", "conditions": [], "disabled": True, "actions": {"route_to": "5e1f", "suppress": False}}]},
        {"id": "5e1f", "rules": [{"id": "b", "label": "", "actions": {"priority": "PPRI001", "escalation_policy": "PEP0001", "variables": []}}]}],
        "catch_all": {"actions": {"severity": "warning", "suppress": False}}}
    assert export.export_path_document("service", service, "service", "Checkout", names, {"PPRI001": "P1"}) == {
        "service": "Checkout",
        "sets": [{"id": "start", "rules": [{"actions": {"route_to": "5e1f"}, "disabled": True}]},
                 {"id": "5e1f", "rules": [{"actions": {"priority": "P1", "escalation_policy": "SRE escalation"}}]}],
        "catch_all": {"severity": "warning"},
    }


def test_an_empty_orchestration_document_is_not_exported():
    names = export.Names({}, catalog.KINDS)
    empty = {"sets": [{"id": "start", "rules": []}], "catch_all": {"actions": {"route_to": "unrouted"}}}
    assert export.export_path_document("router", empty, "orchestration", "Production", names, {}) is None
    assert export.export_path_document("global", {"sets": [{"id": "start", "rules": []}], "catch_all": {"actions": {"suppress": False}}},
                                       "orchestration", "Production", names, {}) is None
