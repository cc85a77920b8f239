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
        "handoff_notification_rules": [], "purge_handoff_notification_rules": True,
        "teams": [{"team": "SRE", "role": "manager"}]}


def test_a_user_keeps_handoff_rules_by_contact_method_and_a_license_by_name():
    user = {"id": "PU1", "email": "Ann@example.com", "name": "Ann", "role": "user",
            "contact_methods": [{"id": "PC1", "type": "email_contact_method", "address": "Ann@example.com", "label": "Default"}]}
    handoffs = [{"id": "PH2", "contact_method": {"id": "PC1"}, "handoff_type": "oncall", "notify_advance_in_minutes": 60},
                {"id": "PH3", "contact_method": {"id": "PCGONE"}, "handoff_type": "both", "notify_advance_in_minutes": 0}]
    exported = export.export_user(user, names(), [], {}, handoffs, "Full User")
    assert exported["handoff_notification_rules"] == [
        {"contact_method": {"type": "email", "address": "Ann@example.com"}, "handoff_type": "oncall", "notify_advance_in_minutes": 60}]
    assert exported["purge_handoff_notification_rules"] is True
    assert exported["license"] == "Full User"
    full = {"id": "PL1", "name": "Full User"}
    twins = [{"id": "PL2", "name": "Business"}, {"id": "PL3", "name": "Business"}]
    assert export.license_names({"PU1": full, "PU2": twins[0], "PU3": twins[1], "PU4": None}) == {"PU1": "Full User", "PU2": "PL2", "PU3": "PL3"}


def test_the_service_model_kinds_name_their_references():
    services = [{"id": "PV1", "name": "Web"}, {"id": "PV2", "name": "DB"}]
    listed = names(services)
    listed.objects["business_service"] = {"PB1": {"id": "PB1", "name": "Shop"}}
    shop = {"id": "PB1", "name": "Shop", "description": "Store", "point_of_contact": "", "team": {"id": "PT1", "type": "team_reference"}}
    assert export.export_business_service(shop, listed, [{"subscriber_type": "user", "subscriber_id": "PU1"},
                                                         {"subscriber_type": "team", "subscriber_id": "PT1"}]) == {
        "name": "Shop", "description": "Store", "team": "SRE", "subscribers": [{"team": "SRE"}, {"user": "Ann@example.com"}],
        "purge_subscribers": True}
    relationships = [
        {"supporting_service": {"id": "PV1", "type": "technical_service_reference"}, "dependent_service": {"id": "PB1", "type": "business_service_reference"}},
        {"supporting_service": {"id": "PV2", "type": "technical_service_reference"}, "dependent_service": {"id": "PB1", "type": "business_service_reference"}},
        {"supporting_service": {"id": "PV2", "type": "technical_service_reference"}, "dependent_service": {"id": "PV1", "type": "technical_service_reference"}},
        # the same dependency read from its other side
        {"supporting_service": {"id": "PV1", "type": "technical_service_reference"}, "dependent_service": {"id": "PB1", "type": "business_service_reference"}},
    ]
    assert export.export_service_dependencies(relationships, listed) == [
        {"business_service": "Shop", "supporting_services": ["DB", "Web"], "purge": True},
        {"service": "Web", "supporting_services": ["DB"], "purge": True}]
    listed.objects["tag"] = {"PTAG1": {"id": "PTAG1", "label": "prod"}}
    assert export.export_tag({"id": "PTAG1", "label": "prod"}, listed, {"users": [{"id": "PU1"}], "teams": [], "escalation_policies": [{"id": "PE9"}]}) == {
        "label": "prod", "users": ["Ann@example.com"], "purge_users": True, "escalation_policies": ["PE9"], "purge_escalation_policies": True}
    setting = {"id": "PAG1", "name": "Grouping", "description": None, "type": "content_based",
               "config": {"aggregate": "all", "fields": ["summary"], "time_window": 300, "recommended_time_window": 300},
               "services": [{"id": "PV2", "type": "service_reference"}, {"id": "PV1", "type": "service_reference"}]}
    listed.objects["alert_grouping_setting"] = {"PAG1": setting}
    assert export.export_alert_grouping_setting(setting, listed) == {
        "name": "Grouping", "type": "content_based", "config": {"aggregate": "all", "fields": ["summary"], "time_window": 300},
        "services": ["DB", "Web"]}


def test_a_webhook_subscription_is_found_by_url_and_filter_and_has_no_headers():
    hook = {"id": "PW1", "description": "", "events": ["incident.triggered", "incident.acknowledged", "incident.triggered"], "active": True,
            "filter": {"id": "PV1", "type": "service_reference"},
            "delivery_method": {"type": "http_delivery_method", "url": "https://hooks.example.com/x",
                                "custom_headers": [{"name": "Authorization", "value": "-- redacted --"}]}}
    twin = dict(hook, id="PW2")
    other = dict(hook, id="PW3", filter={"type": "account_reference"})
    listed = names([{"id": "PV1", "name": "Web"}])
    listed.objects["webhook_subscription"] = {"PW1": hook, "PW3": other}
    exported = export.export_webhook_subscription(hook, listed)
    assert exported == {"url": "https://hooks.example.com/x", "events": ["incident.acknowledged", "incident.triggered"], "filter_type": "service",
                        "filter": "Web", "active": True}
    assert export.export_webhook_subscription(other, listed)["filter_type"] == "account"
    listed.objects["webhook_subscription"]["PW2"] = twin
    assert export.export_webhook_subscription(hook, listed)["id"] == "PW1"  # two deliver to the same URL for the same service


def test_an_email_integration_keeps_its_settings_without_ids():
    service = {"id": "PV1", "name": "Web", "integrations": [
        {"id": "PI1", "type": "generic_email_inbound_integration", "name": "Mail", "integration_email": "web@example.pagerduty.com",
         "email_incident_creation": "use_rules", "email_filter_mode": "or-rules-email", "email_parsing_fallback": None,
         "email_filters": [{"id": "f1", "subject_mode": "match", "subject_regex": "^A", "body_mode": "always", "body_regex": None,
                            "from_email_mode": "always", "from_email_regex": None}], "email_parsers": []},
        {"id": "PI2", "type": "generic_events_api_inbound_integration", "name": "Datadog", "vendor": {"id": "PDATDOG", "summary": "Datadog"}}]}
    integrations = export.export_service(service, names([service]))["integrations"]
    assert {"type": "email", "name": "Mail", "integration_email": "web@example.pagerduty.com", "email_incident_creation": "use_rules",
            "email_filter_mode": "or-rules-email", "email_filters": [{"subject_mode": "match", "subject_regex": "^A", "body_mode": "always",
                                                                     "from_email_mode": "always"}]} in integrations
    assert [item.get("vendor") for item in integrations if item["name"] == "Datadog"] == ["Datadog"]


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
