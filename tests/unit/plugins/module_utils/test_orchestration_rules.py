# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Orchestration path documents: checks before any request, comparison without false diffs, per-rule diffs, kept ids."""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils._orchestration_rules import (
    PATH_KINDS,
    changes,
    check_document,
    document_from_task,
    merged,
)

SERVICE = PATH_KINDS["service"]
ROUTER = PATH_KINDS["router"]

TASK_SETS = [
    {"id": "start", "rules": [
        {"label": "Database", "conditions": ["event.summary matches part 'db'"], "actions": {"route_to": "db-set"}},
        {"conditions": [{"expression": "event.severity matches 'info'"}], "actions": {"suppress": True}},
    ]},
    {"id": "db-set", "rules": [{"actions": {"severity": "critical", "priority": "PPRIO01"}}]},
]


def stored(rules_ids=("a1b2c3d4", "e5f60718", "0a0b0c0d"), second_set="4f3e2d1c"):
    """The same document as PagerDuty answers it: its ids, and its filled-in defaults."""
    filled = {"suppress": False, "suspend": None, "variables": [], "extractions": [], "annotate": None}
    return {
        "type": "service",
        "sets": [
            {"id": "start", "rules": [
                {"id": rules_ids[0], "label": "Database", "disabled": False,
                 "conditions": [{"expression": "event.summary matches part 'db'"}], "actions": dict(filled, route_to=second_set)},
                {"id": rules_ids[1], "label": "", "disabled": False,
                 "conditions": [{"expression": "event.severity matches 'info'"}], "actions": dict(filled, suppress=True)},
            ]},
            {"id": second_set, "rules": [
                {"id": rules_ids[2], "label": None, "disabled": False, "conditions": [],
                 "actions": dict(filled, severity="critical", priority="PPRIO01")},
            ]},
        ],
        "catch_all": {"actions": dict(filled)},
    }


def test_the_same_document_with_ids_and_defaults_is_no_change():
    desired = merged(SERVICE, stored(), document_from_task(TASK_SETS, {}))
    assert changes(SERVICE, stored(), desired) == ({}, {})


def test_kept_ids_set_ids_follow_their_place_and_route_to_follows_the_set():
    desired = merged(SERVICE, stored(), document_from_task(TASK_SETS, None))
    assert [item["id"] for item in desired["sets"]] == ["start", "4f3e2d1c"]
    assert [rule.get("id") for rule in desired["sets"][0]["rules"]] == ["a1b2c3d4", "e5f60718"]
    assert desired["sets"][0]["rules"][0]["actions"]["route_to"] == "4f3e2d1c"
    assert desired["catch_all"] == stored()["catch_all"]  # not given: kept as it is


def test_one_changed_condition_is_that_rule_only():
    sets = [dict(TASK_SETS[0], rules=[TASK_SETS[0]["rules"][0], dict(TASK_SETS[0]["rules"][1], conditions=["event.severity matches 'warning'"])]),
            TASK_SETS[1]]
    desired = merged(SERVICE, stored(), document_from_task(sets, None))
    before, after = changes(SERVICE, stored(), desired)
    assert before == {"set start, rule 2": {"conditions": ["event.severity matches 'info'"], "actions": {"suppress": True}}}
    assert after == {"set start, rule 2": {"conditions": ["event.severity matches 'warning'"], "actions": {"suppress": True}}}
    assert desired["sets"][0]["rules"][1]["id"] == "e5f60718"  # the changed rule keeps its id (its place)


def test_two_rules_swapped_are_a_change_of_both_and_keep_their_ids():
    sets = [dict(TASK_SETS[0], rules=list(reversed(TASK_SETS[0]["rules"]))), TASK_SETS[1]]
    desired = merged(SERVICE, stored(), document_from_task(sets, None))
    before, after = changes(SERVICE, stored(), desired)
    assert sorted(before) == sorted(after) == ["set start, rule 1", "set start, rule 2"]
    assert [rule["id"] for rule in desired["sets"][0]["rules"]] == ["e5f60718", "a1b2c3d4"]


def test_a_new_rule_a_removed_set_and_the_catch_all():
    sets = [dict(TASK_SETS[0], rules=TASK_SETS[0]["rules"][:1] + [{"actions": {"annotate": "new"}}] + TASK_SETS[0]["rules"][1:])]
    sets[0]["rules"][0] = {"label": "Database", "conditions": ["event.summary matches part 'db'"], "actions": {"severity": "error"}}
    desired = merged(SERVICE, stored(), document_from_task(sets, {"severity": "warning"}))
    before, after = changes(SERVICE, stored(), desired)
    assert set(before) == {"set start, rule 1", "set start, rule 2", "set 4f3e2d1c", "catch_all"}
    assert set(after) == {"set start, rule 1", "set start, rule 2", "set start, rule 3", "catch_all"}
    assert after["catch_all"] == {"severity": "warning"} and before["catch_all"] == {}
    assert desired["sets"][0]["rules"][2].get("id") == "e5f60718"  # found again by its content at another place
    assert "id" not in desired["sets"][0]["rules"][1]


def test_router_catch_all_defaults_to_unrouted():
    current = {"sets": [{"id": "start", "rules": []}], "catch_all": {"actions": {"route_to": "unrouted"}}}
    assert changes(ROUTER, current, merged(ROUTER, current, document_from_task([{"id": "start", "rules": []}], {}))) == ({}, {})


def test_checks_name_what_is_wrong():
    errors = check_document(SERVICE, [
        {"id": "first", "rules": [{"actions": {"severity": "fatal", "routes": "x", "suspend": -1}, "conditions": [""], "when": 1}]},
        {"id": "first", "rules": [{"actions": {"route_to": "nowhere", "variables": [{"name": "v", "type": "json"}]}}]},
    ], {"route_to": "x", "drop_event": True})
    assert errors == [
        "sets[0].id must be 'start': the first set is the one every event enters",
        "sets[0].id 'first' names two sets",
        "sets[0].rules[0]: 'when' is not a field of a rule (allowed: label, conditions, actions, disabled)",
        "sets[0].rules[0].conditions[0] must be a PCL expression (text), or {expression: text}",
        "sets[0].rules[0].actions.severity: 'fatal' is not one of info, error, warning, critical",
        "sets[0].rules[0].actions: 'routes' is not an action here (allowed: route_to, severity, event_action, variables, extractions, suppress, "
        "suspend, priority, escalation_policy, annotate, automation_actions, incident_custom_field_updates, pagerduty_automation_actions)",
        "sets[0].rules[0].actions.suspend must be a number of seconds (0 or more)",
        "sets[1].id 'first' names two sets",
        "sets[1].rules[0].actions.variables[0].type: 'json' is not one of regex",
        "sets[1].rules[0].actions.route_to 'nowhere' names no set of this document (sets: first, first)",
        "catch_all: 'route_to' is not an action here (allowed: severity, event_action, variables, extractions, suppress, suspend, priority, "
        "escalation_policy, annotate, automation_actions, incident_custom_field_updates, pagerduty_automation_actions)",
        "catch_all: 'drop_event' is not an action here (allowed: severity, event_action, variables, extractions, suppress, suspend, priority, "
        "escalation_policy, annotate, automation_actions, incident_custom_field_updates, pagerduty_automation_actions)",
    ]


def test_router_checks():
    assert check_document(ROUTER, [{"id": "start", "rules": [{"actions": {}}, {"actions": {"dynamic_route_to": {"source": "event.summary"}}}]},
                                   {"id": "more", "rules": []}], {"route_to": "unrouted"}) == [
        "sets: the router holds only the start set (got 2 sets)",
        "sets[0].rules[0].actions.route_to is required: the service the rule routes events to",
        "sets[0].rules[1].actions.dynamic_route_to is only allowed in the first rule, without conditions and without route_to",
    ]
