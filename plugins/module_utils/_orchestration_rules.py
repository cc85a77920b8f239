# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Event orchestration path documents (router, unrouted, global, service): checks, comparison and diffs.

Private to this collection: not an API for other collections. Pure: no Ansible, no requests.

A path document is sets of rules (the first set is ``start``) and a ``catch_all``. What a task gives is
compared with what PagerDuty holds in a canonical form, where:

- rule ids and the ids of sets other than ``start`` do not count (PagerDuty assigns rule ids; a set is known by
  its place, and a ``route_to`` to a set by that set's place);
- what PagerDuty fills in when it is not given (false switches, null values, empty lists, an empty label, a rule
  that is not disabled) is left out on both sides;
- rule order counts: rules are compared place by place.

The changes come out per rule (``set start, rule 2``), so a diff shows the rules that change, not the document.
Field names and enums follow the OpenAPI spec's OrchestrationRouter, OrchestrationUnrouted, OrchestrationGlobal
and ServiceOrchestration schemas.
"""

from __future__ import annotations

import copy

START = "start"
UNROUTED = "unrouted"
SEVERITIES = ("info", "error", "warning", "critical")
EVENT_ACTIONS = ("trigger", "resolve")
RULE_KEYS = ("label", "conditions", "actions", "disabled")

_COMMON = ("route_to", "severity", "event_action", "variables", "extractions")
_INCIDENT = ("suppress", "suspend", "priority", "escalation_policy", "annotate", "automation_actions", "incident_custom_field_updates")


class PathKind:
    """One kind of path document: which actions its rules and its catch-all take."""

    def __init__(self, name, label, rule_actions, catch_all_actions, one_set=False):
        self.name = name
        self.label = label
        self.rule_actions = rule_actions
        self.catch_all_actions = catch_all_actions
        self.one_set = one_set  # the router holds only the start set

    @property
    def routes_to_services(self):
        return self.name == "router"


PATH_KINDS = {kind.name: kind for kind in (
    PathKind("router", "router", ("route_to", "dynamic_route_to"), ("route_to",), one_set=True),
    PathKind("unrouted", "unrouted orchestration", _COMMON, _COMMON[1:]),
    PathKind("global", "global orchestration", _COMMON + _INCIDENT + ("drop_event",), _COMMON[1:] + _INCIDENT + ("drop_event",)),
    PathKind("service", "service orchestration", _COMMON + _INCIDENT + ("pagerduty_automation_actions",),
             _COMMON[1:] + _INCIDENT + ("pagerduty_automation_actions",)),
)}

# The type of each action's value, and the keys of the objects inside list actions (the spec's schemas).
ACTION_TYPES = {
    "route_to": str, "severity": str, "event_action": str, "variables": list, "extractions": list, "suppress": bool,
    "suspend": int, "priority": str, "escalation_policy": str, "annotate": str, "automation_actions": list,
    "incident_custom_field_updates": list, "drop_event": bool, "pagerduty_automation_actions": list, "dynamic_route_to": dict,
}
ACTION_ENUMS = {"severity": SEVERITIES, "event_action": EVENT_ACTIONS}
ITEM_KEYS = {
    "variables": ("name", "path", "type", "value"),
    "extractions": ("target", "template", "regex", "source"),
    "automation_actions": ("name", "url", "auto_send", "headers", "trigger_types", "parameters"),
    "pagerduty_automation_actions": ("action_id", "trigger_types"),
    "incident_custom_field_updates": ("id", "value"),
    "dynamic_route_to": ("source", "regex", "lookup_by"),
}
ITEM_ENUMS = {
    ("variables", "type"): ("regex",),
    ("dynamic_route_to", "lookup_by"): ("service_name", "service_id"),
    ("automation_actions", "trigger_types"): ("alert_triggered", "alert_suppressed", "alert_suspended"),
}
TYPE_NAMES = {str: "a string", bool: "true or false", int: "a whole number", list: "a list", dict: "a dictionary"}


def _is_type(value, kind):
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _check_enum(where, value, allowed, errors):
    values = value if isinstance(value, list) else [value]
    for item in values:
        if item not in allowed:
            errors.append(f"{where}: {item!r} is not one of {', '.join(allowed)}")


def check_actions(where, actions, allowed, errors):
    """The problems of one actions dictionary (names, types, enums, keys of the objects in lists)."""
    if not isinstance(actions, dict):
        errors.append(f"{where} must be a dictionary of actions")
        return
    for name, value in actions.items():
        if name not in allowed:
            errors.append(f"{where}: {name!r} is not an action here (allowed: {', '.join(allowed)})")
            continue
        if value is None:
            continue
        kind = ACTION_TYPES[name]
        if not _is_type(value, kind):
            errors.append(f"{where}.{name} must be {TYPE_NAMES[kind]}")
            continue
        if name in ACTION_ENUMS:
            _check_enum(f"{where}.{name}", value, ACTION_ENUMS[name], errors)
        if name == "suspend" and value < 0:
            errors.append(f"{where}.suspend must be a number of seconds (0 or more)")
        items = [value] if isinstance(value, dict) else value if name in ITEM_KEYS else []
        for index, item in enumerate(items):
            at = f"{where}.{name}" if isinstance(value, dict) else f"{where}.{name}[{index}]"
            if not isinstance(item, dict):
                errors.append(f"{at} must be a dictionary")
                continue
            for key, sub in item.items():
                if key not in ITEM_KEYS[name]:
                    errors.append(f"{at}: {key!r} is not a field here (allowed: {', '.join(ITEM_KEYS[name])})")
                elif (name, key) in ITEM_ENUMS and sub is not None:
                    _check_enum(f"{at}.{key}", sub, ITEM_ENUMS[(name, key)], errors)


def conditions_of(value):
    """A rule's conditions as expressions: a task may give each as text or as ``{expression: text}``."""
    return [item.get("expression") if isinstance(item, dict) else item for item in value or []]


def check_document(kind, sets=None, catch_all=None):
    """Every problem of the sets and catch-all a task gives, as texts naming where (empty when it is right)."""
    errors = []
    if sets is not None:
        if not isinstance(sets, list) or not sets:
            return ["sets must be a list that starts with the start set"]
        ids = [item.get("id") if isinstance(item, dict) else None for item in sets]
        if ids[0] != START:
            errors.append(f"sets[0].id must be {START!r}: the first set is the one every event enters")
        if kind.one_set and len(sets) > 1:
            errors.append(f"sets: the {kind.label} holds only the start set (got {len(sets)} sets)")
        for index, item in enumerate(sets):
            _check_set(kind, index, item, ids, errors)
    if catch_all is not None:
        check_actions("catch_all", catch_all, kind.catch_all_actions, errors)
    return errors


def _check_set(kind, index, item, ids, errors):
    where = f"sets[{index}]"
    if not isinstance(item, dict):
        errors.append(f"{where} must be a dictionary with id and rules")
        return
    unknown = sorted(set(item) - {"id", "rules"})
    if unknown:
        errors.append(f"{where}: {', '.join(map(repr, unknown))} is not a field of a set (allowed: id, rules)")
    if not isinstance(item.get("id"), str) or not item["id"].strip():
        errors.append(f"{where}.id must be a name for the set")
    elif ids.count(item["id"]) > 1:
        errors.append(f"{where}.id {item['id']!r} names two sets")
    rules = item.get("rules") or []
    if not isinstance(rules, list):
        errors.append(f"{where}.rules must be a list")
        return
    for number, rule in enumerate(rules):
        at = f"{where}.rules[{number}]"
        if not isinstance(rule, dict):
            errors.append(f"{at} must be a dictionary")
            continue
        unknown = sorted(set(rule) - set(RULE_KEYS))
        if unknown:
            errors.append(f"{at}: {', '.join(map(repr, unknown))} is not a field of a rule (allowed: {', '.join(RULE_KEYS)})")
        for position, condition in enumerate(conditions_of(rule.get("conditions"))):
            if not isinstance(condition, str) or not condition.strip():
                errors.append(f"{at}.conditions[{position}] must be a PCL expression (text), or {{expression: text}}")
        if rule.get("disabled") is not None and not isinstance(rule["disabled"], bool):
            errors.append(f"{at}.disabled must be true or false")
        actions = rule.get("actions") or {}
        check_actions(f"{at}.actions", actions, kind.rule_actions, errors)
        target = actions.get("route_to") if isinstance(actions, dict) else None
        if kind.routes_to_services:
            if target is None and not actions.get("dynamic_route_to"):
                errors.append(f"{at}.actions.route_to is required: the service the rule routes events to")
            if actions.get("dynamic_route_to") and (number != 0 or rule.get("conditions") or target is not None):
                errors.append(f"{at}.actions.dynamic_route_to is only allowed in the first rule, without conditions and without route_to")
        elif target is not None and target not in ids:
            errors.append(f"{at}.actions.route_to {target!r} names no set of this document (sets: {', '.join(map(str, ids))})")


# -- canonical form and comparison --------------------------------------------


def is_filled_default(value):
    """What PagerDuty holds when nothing was given: null, false, empty text, an empty list or dictionary."""
    return value is None or value is False or (isinstance(value, (str, list, dict)) and not value)


def pruned(value):
    """``value`` without the filled-in defaults, at every depth (list order kept)."""
    if isinstance(value, dict):
        kept = {key: pruned(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if not is_filled_default(item)}
    if isinstance(value, list):
        return [pruned(item) for item in value]
    return value


def canonical_rule(rule, set_place, routes_to_sets):
    """A rule as compared: its id left out, defaults pruned, a route_to to a set given as the set's place."""
    actions = pruned(copy.deepcopy(rule.get("actions") or {}))
    if routes_to_sets and actions.get("route_to") in set_place:
        actions["route_to"] = ("set", set_place[actions["route_to"]])
    return pruned({"label": rule.get("label"), "conditions": conditions_of(rule.get("conditions")), "actions": actions,
                   "disabled": bool(rule.get("disabled"))})


def canonical(kind, document):
    """The canonical form of an API-shaped document ``{"sets": [...], "catch_all": {"actions": {...}}}``."""
    sets = document.get("sets") or []
    place = {item.get("id"): index for index, item in enumerate(sets)}
    routes_to_sets = not kind.routes_to_services
    catch_all = pruned((document.get("catch_all") or {}).get("actions") or {})
    if kind.routes_to_services and not catch_all:
        catch_all = {"route_to": UNROUTED}  # what PagerDuty holds when a router's catch-all is not given
    return {
        "sets": [[canonical_rule(rule, place, routes_to_sets) for rule in item.get("rules") or []] for item in sets],
        "catch_all": catch_all,
    }


def shown_rule(rule):
    """A rule as a diff shows it: what the task would write, without its id and the filled-in defaults."""
    shown = pruned({"label": rule.get("label"), "conditions": conditions_of(rule.get("conditions")),
                    "actions": copy.deepcopy(rule.get("actions") or {}), "disabled": bool(rule.get("disabled"))})
    shown.setdefault("actions", {})
    return shown


def changes(kind, current, desired):
    """(before, after) holding only what differs: ``set ID, rule N`` entries, ``set ID`` for a set added or removed,
    and ``catch_all``; both empty when the documents are the same."""
    now, wanted = canonical(kind, current), canonical(kind, desired)
    before, after = {}, {}
    current_sets, desired_sets = current.get("sets") or [], desired.get("sets") or []
    for index in range(max(len(current_sets), len(desired_sets))):
        old = current_sets[index] if index < len(current_sets) else None
        new = desired_sets[index] if index < len(desired_sets) else None
        if old is None or new is None:
            item = old or new
            shown = {"id": item.get("id"), "rules": [shown_rule(rule) for rule in item.get("rules") or []]}
            (before if old else after)[f"set {item.get('id')}"] = shown
            continue
        old_rules, new_rules = old.get("rules") or [], new.get("rules") or []
        for number in range(max(len(old_rules), len(new_rules))):
            key = f"set {new.get('id')}, rule {number + 1}"
            was = now["sets"][index][number] if number < len(old_rules) else None
            will = wanted["sets"][index][number] if number < len(new_rules) else None
            if was != will:
                if was is not None:
                    before[key] = shown_rule(old_rules[number])
                if will is not None:
                    after[key] = shown_rule(new_rules[number])
    if now["catch_all"] != wanted["catch_all"]:
        before["catch_all"] = now["catch_all"]
        after["catch_all"] = wanted["catch_all"]
    return before, after


# -- what is written ----------------------------------------------------------------


def document_from_task(sets, catch_all):
    """The API-shaped document of what a task gives (conditions as ``{expression}``), before ids are assigned."""
    document = {}
    if sets is not None:
        document["sets"] = [{"id": item["id"], "rules": [_rule_from_task(rule) for rule in item.get("rules") or []]} for item in sets]
    if catch_all is not None:
        document["catch_all"] = {"actions": copy.deepcopy(catch_all)}
    return document


def _rule_from_task(rule):
    written = {"actions": copy.deepcopy(rule.get("actions") or {})}
    if rule.get("label") is not None:
        written["label"] = rule["label"]
    written["conditions"] = [{"expression": text} for text in conditions_of(rule.get("conditions"))]
    if rule.get("disabled") is not None:
        written["disabled"] = rule["disabled"]
    return written


def merged(kind, current, given):
    """The whole document to write: what the task gives, the current sets or catch-all where it gives none, and the
    ids kept: a set takes the id of the current set at its place (so a route_to follows it), a rule the id of an
    equal current rule of its set, else of the current rule at its place."""
    sets = copy.deepcopy(given["sets"]) if "sets" in given else copy.deepcopy(current.get("sets") or [{"id": START, "rules": []}])
    catch_all = copy.deepcopy(given["catch_all"]) if "catch_all" in given else copy.deepcopy(current.get("catch_all") or {"actions": {}})
    current_sets = current.get("sets") or []
    if "sets" in given:
        renamed = {}
        for index, item in enumerate(sets):
            if index < len(current_sets) and current_sets[index].get("id"):
                renamed[item["id"]] = current_sets[index]["id"]
                item["id"] = current_sets[index]["id"]
        if not kind.routes_to_services:
            for item in sets:
                for rule in item["rules"]:
                    if rule["actions"].get("route_to") in renamed:
                        rule["actions"]["route_to"] = renamed[rule["actions"]["route_to"]]
        _keep_rule_ids(kind, sets, current)
    return {"sets": sets, "catch_all": catch_all}


def _keep_rule_ids(kind, sets, current):
    current_sets = current.get("sets") or []
    place = {item.get("id"): index for index, item in enumerate(current_sets)}
    routes_to_sets = not kind.routes_to_services
    wanted_place = {item.get("id"): index for index, item in enumerate(sets)}
    for index, item in enumerate(sets):
        old_rules = (current_sets[index].get("rules") or []) if index < len(current_sets) else []
        old_forms = [canonical_rule(rule, place, routes_to_sets) for rule in old_rules]
        used = set()
        pending = []
        for number, rule in enumerate(item["rules"]):
            form = canonical_rule(rule, wanted_place, routes_to_sets)
            match = next((pos for pos, old in enumerate(old_forms) if pos not in used and old == form and old_rules[pos].get("id")), None)
            if match is None:
                pending.append(number)
                continue
            used.add(match)
            rule["id"] = old_rules[match]["id"]
        for number in pending:
            if number < len(old_rules) and number not in used and old_rules[number].get("id"):
                used.add(number)
                item["rules"][number]["id"] = old_rules[number]["id"]


# -- cache variables (global and service orchestrations) ---------------------------------

CACHE_TYPES = {  # configuration type -> the other configuration fields it takes (the spec's OrchestrationCacheVariable*)
    "recent_value": ("source", "regex"),
    "trigger_event_count": ("ttl_seconds",),
    "external_data": ("data_type", "ttl_seconds"),
}
CACHE_DATA_TYPES = ("string", "number", "boolean")


def check_cache_variables(variables):
    """Every problem of the cache variables a task gives, naming where."""
    errors = []
    names = [item.get("name") for item in variables]
    for index, item in enumerate(variables):
        where = f"cache_variables[{index}]"
        if names.count(item.get("name")) > 1:
            errors.append(f"{where}.name {item.get('name')!r} names two cache variables")
        configuration = item.get("configuration") or {}
        kind = configuration.get("type")
        if kind not in CACHE_TYPES:
            errors.append(f"{where}.configuration.type: {kind!r} is not one of {', '.join(CACHE_TYPES)}")
            continue
        for key in configuration:
            if key != "type" and key not in CACHE_TYPES[kind]:
                errors.append(f"{where}.configuration: {key!r} is not a field of a {kind} variable (allowed: type, {', '.join(CACHE_TYPES[kind])})")
        if configuration.get("data_type") is not None and configuration["data_type"] not in CACHE_DATA_TYPES:
            errors.append(f"{where}.configuration.data_type: {configuration['data_type']!r} is not one of {', '.join(CACHE_DATA_TYPES)}")
        ttl = configuration.get("ttl_seconds")
        if ttl is not None and (not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 1):
            errors.append(f"{where}.configuration.ttl_seconds must be a number of seconds (1 or more)")
        for position, condition in enumerate(conditions_of(item.get("conditions"))):
            if not isinstance(condition, str) or not condition.strip():
                errors.append(f"{where}.conditions[{position}] must be a PCL expression (text), or {{expression: text}}")
    return errors


def cache_variable_body(item):
    """A cache variable as the API takes it."""
    body = {"name": item["name"], "configuration": pruned(dict(item.get("configuration") or {}))}
    if item.get("conditions") is not None:
        body["conditions"] = [{"expression": text} for text in conditions_of(item["conditions"])]
    if item.get("disabled") is not None:
        body["disabled"] = item["disabled"]
    return body


def canonical_cache_variable(item):
    return pruned({"configuration": pruned(dict(item.get("configuration") or {})), "conditions": conditions_of(item.get("conditions")),
                   "disabled": bool(item.get("disabled"))})
