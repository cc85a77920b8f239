# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Export: API objects turned back into the options of their modules (the variables of roles/account).

Private to this collection: not an API for other collections.

Pure functions, no requests: ``Names`` tells how to name a referenced object (its name or email, or its id
when that name is not unique), each ``export_<kind>`` gives one item. Items hold only what the module
compares, in a stable order (lists whose order PagerDuty ignores are sorted), and never a secret (no
integration keys). Applied back to the same account an export changes nothing.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils._layers import active_layers, api_layer
from ansible_collections.oncall.pagerduty.plugins.module_utils._orchestration_rules import START, UNROUTED, conditions_of, pruned
from ansible_collections.oncall.pagerduty.plugins.module_utils._service import EMAIL_TYPE, SHORT_INTEGRATION_TYPES, comparable
from ansible_collections.oncall.pagerduty.plugins.module_utils._service_dependency import SUPPORTING, side
from ansible_collections.oncall.pagerduty.plugins.module_utils._tag import ENTITY_TYPES
from ansible_collections.oncall.pagerduty.plugins.module_utils._timeutil import iso, parse_instant
from ansible_collections.oncall.pagerduty.plugins.module_utils._user import NUMBER_TYPES, SHORT_TYPES
from ansible_collections.oncall.pagerduty.plugins.module_utils._webhook_subscription import filter_of, url_of

# Contact methods PagerDuty's mobile app creates; the API cannot create them, so they are not exported.
APP_ONLY_CONTACTS = ("push",)


class Names:
    """How an export names the objects it references: {kind name: {id: object}} of every object listed."""

    def __init__(self, objects_by_kind, kinds):
        self.objects = objects_by_kind
        self.kinds = kinds

    def of(self, kind_name, object_id):
        """The natural key of the object with this id, or the id when the key is shared by several objects
        (or the object is unknown)."""
        kind = self.kinds[kind_name]
        obj = self.objects.get(kind_name, {}).get(object_id)
        if obj is None or not kind.key_of(obj):
            return object_id
        key = kind.key_of(obj)
        fold = (lambda text: f"{text}".lower()) if kind.case_insensitive else (lambda text: text)
        twins = [other for other in self.objects[kind_name].values() if fold(kind.key_of(other)) == fold(key)]
        return key if len(twins) == 1 else object_id

    def unique(self, kind_name, obj):
        """Whether the object's natural key names it alone (else the item carries its id too)."""
        return self.of(kind_name, obj["id"]) != obj["id"]


def _set(item, key, value):
    if value is not None and value != "" and value != []:
        item[key] = value


def _set_reference(item, option, reference, kind_name, names):
    if isinstance(reference, dict) and reference.get("id"):
        item[option] = names.of(kind_name, reference["id"])


def _team_names(obj, names):
    return sorted((names.of("team", team["id"]) for team in obj.get("teams") or [] if isinstance(team, dict) and team.get("id")), key=str.lower)


def _keyed(names, kind_name, obj, key_field):
    item = {key_field: obj.get(key_field)}
    if not names.unique(kind_name, obj):
        item["id"] = obj["id"]
    return item


def sorted_items(items, key_field):
    return sorted(items, key=lambda item: (f"{item.get(key_field)}".lower(), f"{item.get('id') or ''}"))


def export_team(team, names):
    item = _keyed(names, "team", team, "name")
    _set(item, "description", team.get("description"))
    _set_reference(item, "parent", team.get("parent"), "team", names)
    _set(item, "default_role", team.get("default_role"))
    return item


def export_contact_method(method):
    short = SHORT_TYPES.get(method.get("type"))
    if short is None or short in APP_ONLY_CONTACTS:
        return None
    item = {"type": short, "address": method.get("address")}
    _set(item, "label", method.get("label"))
    if short in NUMBER_TYPES:
        _set(item, "country_code", method.get("country_code"))
    if short == "email" and method.get("send_short_email") is not None:
        item["send_short_email"] = method["send_short_email"]
    return item


def license_names(allocations):
    """{user id: how an export names their license}: by name, or by id when two licenses of the account share it."""
    licenses = {license["id"]: license.get("name") for license in allocations.values() if isinstance(license, dict) and license.get("id")}
    shared = {name for name in licenses.values() if list(licenses.values()).count(name) > 1}
    return {user_id: license["id"] if licenses[license["id"]] in shared or not licenses[license["id"]] else licenses[license["id"]]
            for user_id, license in allocations.items() if isinstance(license, dict) and license.get("id")}


def export_user(user, names, rules, roles, handoff_rules=(), license_name=None):
    """A user: ``rules`` are their notification rules (all urgencies), ``roles`` {team id: role}, ``handoff_rules`` their
    on-call handoff notification rules, ``license_name`` their license as ``license_names`` names it."""
    item = _keyed(names, "user", user, "email")
    item["name"] = user.get("name")
    if user.get("role") and user["role"] != "owner":  # PagerDuty cannot make anyone the owner
        item["role"] = user["role"]
    for field in ("time_zone", "color", "job_title", "description"):
        _set(item, field, user.get(field))
    methods = {}
    for method in user.get("contact_methods") or []:
        exported = export_contact_method(method) if isinstance(method, dict) else None
        if exported is not None:
            methods[method.get("id")] = exported
    if methods:
        item["contact_methods"] = sorted(methods.values(), key=lambda cm: (cm["type"], f"{cm['address']}".lower()))
        item["purge_contact_methods"] = True
    exported_rules = []
    for rule in rules:
        method = methods.get((rule.get("contact_method") or {}).get("id"))
        if method is None:
            continue
        exported_rules.append({"contact_method": {"type": method["type"], "address": method["address"]},
                               "urgency": rule.get("urgency"), "start_delay_in_minutes": rule.get("start_delay_in_minutes")})
    if methods:
        item["notification_rules"] = sorted(exported_rules, key=lambda r: (r["urgency"], r["start_delay_in_minutes"], r["contact_method"]["type"],
                                                                           f"{r['contact_method']['address']}".lower()))
        item["purge_notification_rules"] = True
        handoffs = []
        for rule in handoff_rules:
            method = methods.get((rule.get("contact_method") or {}).get("id"))
            if method is not None:
                handoffs.append({"contact_method": {"type": method["type"], "address": method["address"]},
                                 "handoff_type": rule.get("handoff_type") or "both", "notify_advance_in_minutes": rule.get("notify_advance_in_minutes") or 0})
        item["handoff_notification_rules"] = sorted(
            handoffs, key=lambda r: (r["handoff_type"], r["notify_advance_in_minutes"], r["contact_method"]["type"],
                                     f"{r['contact_method']['address']}".lower()))
        item["purge_handoff_notification_rules"] = True
    _set(item, "license", license_name)
    teams = [{"team": names.of("team", team["id"]), "role": roles.get(team["id"])}
             for team in user.get("teams") or [] if isinstance(team, dict) and team.get("id")]
    if teams:
        item["teams"] = sorted(({k: v for k, v in team.items() if v is not None} for team in teams), key=lambda t: f"{t['team']}".lower())
    return item


def export_restriction(restriction):
    kind = f"{restriction.get('type')}".replace("_restriction", "")
    item = {"type": kind, "start_time_of_day": restriction.get("start_time_of_day"), "duration": f"{restriction.get('duration_seconds')}"}
    if kind == "weekly" and restriction.get("start_day_of_week") is not None:
        item["start_day_of_week"] = f"{restriction['start_day_of_week']}"
    return item


def export_schedule(schedule, names, now):
    item = _keyed(names, "schedule", schedule, "name")
    item["time_zone"] = schedule.get("time_zone")
    _set(item, "description", schedule.get("description"))
    _set(item, "teams", _team_names(schedule, names))
    current = active_layers([api_layer(layer) for layer in schedule.get("schedule_layers") or []], now)
    by_name = {layer.get("name"): layer for layer in schedule.get("schedule_layers") or []}
    layers = []
    # The API lists the highest priority first; a layer listed later has the higher priority when created.
    for name in reversed(list(current)):
        raw = by_name[name]
        # A start in the past is not kept by PagerDuty (it moves to the time of each update): only a future one is
        # exported; the rotation is anchored by rotation_virtual_start.
        start = current[name]["start"]
        layer = {"name": name, "start": iso(start) if start and start > now else None,
                 "rotation_virtual_start": iso(current[name]["rotation_virtual_start"]),
                 "rotation_turn_length": f"{raw.get('rotation_turn_length_seconds')}",
                 "users": [names.of("user", user_id) for user_id in current[name]["users"]]}
        if current[name]["end"] is not None:
            layer["end"] = iso(current[name]["end"])
        restrictions = [export_restriction(r) for r in raw.get("restrictions") or []]
        if restrictions:
            layer["restrictions"] = restrictions
        layers.append({k: v for k, v in layer.items() if v is not None})
    item["layers"] = layers
    return item


def export_escalation_policy(policy, names):
    item = _keyed(names, "escalation_policy", policy, "name")
    _set(item, "description", policy.get("description"))
    if policy.get("num_loops") is not None:
        item["num_loops"] = policy["num_loops"]
    _set(item, "on_call_handoff_notifications", policy.get("on_call_handoff_notifications"))
    _set(item, "teams", _team_names(policy, names))
    rules = []
    for rule in policy.get("escalation_rules") or []:
        targets = []
        for target in rule.get("targets") or []:
            kind_name = f"{target.get('type')}".replace("_reference", "")
            if kind_name in ("user", "schedule"):
                targets.append({kind_name: names.of(kind_name, target.get("id"))})
        exported = {"escalation_delay_in_minutes": rule.get("escalation_delay_in_minutes"),
                    "targets": sorted(targets, key=lambda t: (list(t)[0], f"{list(t.values())[0]}".lower()))}
        strategy = rule.get("escalation_rule_assignment_strategy")
        if isinstance(strategy, dict) and strategy.get("type"):
            exported["assignment_strategy"] = strategy["type"]
        rules.append(exported)
    item["rules"] = rules
    return item


URGENCY_RULE_KEYS = ("type", "urgency", "during_support_hours", "outside_support_hours")
SUPPORT_HOURS_KEYS = ("type", "time_zone", "days_of_week", "start_time", "end_time")


def _only(value, keys):
    if not isinstance(value, dict):
        return None
    kept = {key: value[key] for key in keys if value.get(key) is not None}
    return kept or None


def export_service(service, names):
    item = _keyed(names, "service", service, "name")
    _set(item, "description", service.get("description"))
    _set_reference(item, "escalation_policy", service.get("escalation_policy"), "escalation_policy", names)
    for field in ("auto_resolve_timeout", "acknowledgement_timeout"):
        item[field] = service.get(field) or 0  # null and 0 both mean disabled; 0 says so explicitly
    item["status"] = "disabled" if service.get("status") == "disabled" else "active"
    _set(item, "alert_creation", service.get("alert_creation"))
    rule = _only(service.get("incident_urgency_rule"), URGENCY_RULE_KEYS)
    if rule:
        for key in ("during_support_hours", "outside_support_hours"):
            if key in rule:
                rule[key] = _only(rule[key], ("type", "urgency"))
        item["incident_urgency_rule"] = rule
    _set(item, "support_hours", _only(service.get("support_hours"), SUPPORT_HOURS_KEYS))
    actions = []
    for action in service.get("scheduled_actions") or []:
        at = _only(action.get("at"), ("type", "name"))
        if at:
            actions.append({"type": action.get("type") or "urgency_change", "at": at, "to_urgency": action.get("to_urgency") or "high"})
    _set(item, "scheduled_actions", actions)
    pause = _only(service.get("auto_pause_notifications_parameters"), ("enabled", "timeout"))
    _set(item, "auto_pause_notifications_parameters", pause)
    grouping = service.get("alert_grouping_parameters")
    if isinstance(grouping, dict) and grouping.get("type"):
        item["alert_grouping_parameters"] = {key: value for key, value in grouping.items() if value is not None}
    integrations = [export_integration(integration) for integration in service.get("integrations") or []
                    if isinstance(integration, dict) and integration.get("type") in SHORT_INTEGRATION_TYPES]
    _set(item, "integrations", sorted(integrations, key=lambda i: (i["type"], f"{i['name']}".lower())))
    return item


# An email integration's settings, as pd_service's integration options name them.
EMAIL_SETTINGS = ("integration_email", "email_incident_creation", "email_filter_mode", "email_parsing_fallback")


def export_integration(integration):
    """A service's integration: its type and name, its vendor by name, an email integration's settings (without
    PagerDuty's ids; no integration key)."""
    item = {"type": SHORT_INTEGRATION_TYPES[integration["type"]], "name": integration.get("name") or integration.get("summary")}
    vendor = integration.get("vendor")
    if isinstance(vendor, dict) and vendor.get("id"):
        item["vendor"] = vendor.get("summary") or vendor["id"]
    if integration["type"] == EMAIL_TYPE:
        for key in EMAIL_SETTINGS:
            _set(item, key, integration.get(key))
        for key in ("email_filters", "email_parsers"):  # the module refuses an empty list
            _set(item, key, comparable(integration.get(key) or []))
    return item


def _utc(value):
    """An instant as UTC text (PagerDuty answers in the account's or the schedule's offset): stable exports."""
    return iso(parse_instant(value)) if value else value


def export_maintenance_window(window, names):
    """An open maintenance window: its services by name, its explicit times (so that it is found again)."""
    item = {"services": sorted((names.of("service", ref["id"]) for ref in window.get("services") or [] if isinstance(ref, dict) and ref.get("id")),
                               key=str.lower),
            "start_time": _utc(window.get("start_time")), "end_time": _utc(window.get("end_time"))}
    _set(item, "description", window.get("description"))
    return item


def export_override(override, schedule_id, names):
    """A current or future override of a schedule."""
    return {"schedule": names.of("schedule", schedule_id), "user": names.of("user", (override.get("user") or {}).get("id")),
            "start": _utc(override.get("start")), "end": _utc(override.get("end"))}


def export_event_orchestration(orchestration, names):
    item = _keyed(names, "event_orchestration", orchestration, "name")
    _set(item, "description", orchestration.get("description"))
    _set_reference(item, "team", orchestration.get("team"), "team", names)
    return item


def _named_actions(actions, path_kind, names, priority_names, set_names):
    """A rule's or catch-all's actions with their defaults pruned and ids named: a router's services, a policy, a
    priority, and a route to a set by the set's name."""
    named = pruned(actions or {})
    target = named.get("route_to")
    if target is not None:
        if path_kind == "router":
            named["route_to"] = target if target == UNROUTED else names.of("service", target)
        else:
            named["route_to"] = set_names.get(target, target)
    if named.get("escalation_policy"):
        named["escalation_policy"] = names.of("escalation_policy", named["escalation_policy"])
    if named.get("priority"):
        named["priority"] = priority_names.get(named["priority"], named["priority"])
    return named


def export_path_document(path_kind, document, owner_option, owner, names, priority_names):
    """An orchestration path document as the options of its module: ``rules`` when it has only the start set, else
    ``sets``; ``catch_all``; rule ids left out. ``None`` when the document holds nothing (no rule, an empty catch-all)."""
    sets = document.get("sets") or []
    set_names = {item.get("id"): item.get("id") for item in sets}
    exported = []
    for item in sets:
        rules = []
        for rule in item.get("rules") or []:
            shown = {}
            _set(shown, "label", rule.get("label"))
            _set(shown, "conditions", conditions_of(rule.get("conditions")))
            shown["actions"] = _named_actions(rule.get("actions"), path_kind, names, priority_names, set_names)
            if rule.get("disabled"):
                shown["disabled"] = True
            rules.append(shown)
        exported.append({"id": item.get("id"), "rules": rules})
    catch_all = _named_actions((document.get("catch_all") or {}).get("actions"), path_kind, names, priority_names, set_names)
    empty_catch_all = not catch_all or catch_all == {"route_to": UNROUTED}
    if not any(item["rules"] for item in exported) and len(exported) <= 1 and empty_catch_all:
        return None
    result = {owner_option: owner}
    if len(exported) == 1 and exported[0]["id"] == START:
        result["rules"] = exported[0]["rules"]
    else:
        result["sets"] = exported
    result["catch_all"] = catch_all
    return result


def export_tag(tag, names, assigned):
    """A tag and whom it is assigned to: ``assigned`` is {entity type: [references]} (users, teams, escalation
    policies), each type that holds someone exported with its purge option."""
    item = _keyed(names, "tag", tag, "label")
    for entity_type, kind_name in ENTITY_TYPES:
        references = [ref for ref in assigned.get(entity_type) or [] if isinstance(ref, dict) and ref.get("id")]
        if references:
            item[entity_type] = sorted((names.of(kind_name, ref["id"]) for ref in references), key=lambda name: f"{name}".lower())
            item[f"purge_{entity_type}"] = True
    return item


def export_alert_grouping_setting(setting, names):
    """An alert grouping setting: its type, its config without what PagerDuty works out itself, its services by name."""
    item = _keyed(names, "alert_grouping_setting", setting, "name")
    _set(item, "description", setting.get("description"))
    item["type"] = setting.get("type")
    config = {key: value for key, value in (setting.get("config") or {}).items() if value is not None and key != "recommended_time_window"}
    _set(item, "config", config)
    item["services"] = sorted((names.of("service", ref["id"]) for ref in setting.get("services") or [] if isinstance(ref, dict) and ref.get("id")),
                              key=str.lower)
    return item


def export_business_service(business_service, names, subscribers):
    """A business service, its owning team by name and its subscribers (users by email, teams by name)."""
    item = _keyed(names, "business_service", business_service, "name")
    for field in ("description", "point_of_contact"):
        _set(item, field, business_service.get(field))
    _set_reference(item, "team", business_service.get("team"), "team", names)
    named = [{entry["subscriber_type"]: names.of(entry["subscriber_type"], entry["subscriber_id"])} for entry in subscribers
             if entry.get("subscriber_type") in ("user", "team") and entry.get("subscriber_id")]
    if named:
        item["subscribers"] = sorted(named, key=lambda entry: (list(entry)[0], f"{list(entry.values())[0]}".lower()))
        item["purge_subscribers"] = True
    return item


def export_service_dependencies(relationships, names):
    """pd_service_dependency items from relationships (each read from either side, so some twice): one per dependent
    service or business service, its supporting services by name, with ``purge``."""
    supporting = {}
    for relationship in relationships:
        dependent, support = side(relationship, "dependent_service"), side(relationship, "supporting_service")
        if dependent is not None and support is not None:
            supporting.setdefault(dependent, set()).add(support)
    items = []
    for (kind_name, object_id), supports in supporting.items():
        item = {kind_name: names.of(kind_name, object_id)}
        for option, support_kind in SUPPORTING:
            _set(item, option, sorted((names.of(support_kind, support_id) for kind, support_id in supports if kind == support_kind), key=str.lower))
        item["purge"] = True
        items.append(item)
    return sorted(items, key=lambda item: (list(item)[0], f"{list(item.values())[0]}".lower()))


def export_webhook_subscription(subscription, names):
    """A webhook subscription: its URL, events and filter (a service or team by name). PagerDuty never shows custom
    header values, so headers are not exported (the module compares them by name only when a task gives them)."""
    url = url_of(subscription)
    item = {"url": url}
    twins = [other for other in names.objects.get("webhook_subscription", {}).values()
             if url_of(other) == url and filter_of(other) == filter_of(subscription)]
    if len(twins) > 1:  # the URL and the filter find it only when no other subscription has both
        item["id"] = subscription["id"]
    _set(item, "description", subscription.get("description"))
    item["events"] = sorted(set(subscription.get("events") or []))
    found = subscription.get("filter") or {}
    filter_type = f"{found.get('type') or 'account_reference'}"[:-len("_reference")]
    item["filter_type"] = filter_type
    if filter_type in ("service", "team") and found.get("id"):
        item["filter"] = names.of(filter_type, found["id"])
    item["active"] = subscription.get("active", True) is not False
    return item
