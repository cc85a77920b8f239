# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Incidents: pd_incident (act on one incident, idempotently) and pd_incident_info.

Private to this collection: not an API for other collections.

An incident is found by id or by its incident key (the dedup key of the alert that opened it). Every change
the task asks for (status, urgency, priority, title, assignees or escalation policy) goes in one
``PUT /incidents/{id}``, sent only when something differs; a note is added unless the incident already has
one with the same text. PagerDuty needs the ``From`` header (``from_email``) for these writes with an account
API token.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._base import PagerDutyModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import AppliedError
from ansible_collections.oncall.pagerduty.plugins.module_utils._timeutil import iso, parse_instant

INCIDENT_STATES = ("triggered", "acknowledged", "resolved")
URGENCIES = ("high", "low")
INCIDENT = catalog.KINDS["incident"]
NOTES_MAX = 2000  # PagerDuty keeps at most this many notes on an incident


def reference_id(ref):
    return ref.get("id") if isinstance(ref, dict) else None


def reference_name(ref):
    return (ref.get("summary") or ref.get("name") or ref.get("id")) if isinstance(ref, dict) else None


def assignee_ids(incident):
    return sorted({reference_id(item.get("assignee")) for item in incident.get("assignments") or [] if reference_id(item.get("assignee"))})


def notes_of(ctx, incident_id):
    return (ctx.client.get(catalog.path("incident_notes", incident_id)) or {}).get("notes") or []


def pick_incident(matches, key):
    """The incident an incident key names: the open one, else the newest. PagerDuty reuses a key after the incident
    is resolved (a new trigger opens a new incident), so several may carry it; two open ones are an error."""
    open_ones = [item for item in matches if item.get("status") != "resolved"]
    if len(open_ones) > 1:
        ids = ", ".join(item["id"] for item in open_ones)
        raise PagerDutyError(f"incident_key: {len(open_ones)} open incidents have the key {key!r} ({ids}); name one with id, or add service")
    if open_ones:
        return open_ones[0]
    return max(matches, key=lambda item: item.get("incident_number") or 0) if matches else None


class IncidentModule(PagerDutyModule):
    """pd_incident: acknowledge, resolve, reassign, set urgency, priority or title, add a note."""

    @staticmethod
    def argument_spec():
        return {
            "id": {"type": "str"},
            "incident_key": {"type": "str", "no_log": False},
            "service": {"type": "str"},
            "state": {"type": "str", "choices": list(INCIDENT_STATES)},
            "resolution": {"type": "str"},
            "assignees": {"type": "list", "elements": "str"},
            "escalation_policy": {"type": "str"},
            "urgency": {"type": "str", "choices": list(URGENCIES)},
            "priority": {"type": "str"},
            "title": {"type": "str"},
            "note": {"type": "str"},
        }

    @classmethod
    def spec_rules(cls):
        return {"required_one_of": [("id", "incident_key")],
                "mutually_exclusive": [("id", "incident_key"), ("id", "service"), ("assignees", "escalation_policy")]}

    @classmethod
    def declared_options(cls):
        return [("the finder", "id"), ("the finder", "incident_key"), ("a change", "state"), ("a change", "note")]

    def validate(self):
        params = self.params
        if not (params.get("id") or "").strip() and not (params.get("incident_key") or "").strip():
            self.fail_input("one of id and incident_key is required (not empty): the incident's id, or the key of the alert that opened it")
        if params.get("resolution") is not None and params.get("state") != "resolved":
            self.fail_input("resolution is the note of a resolve: it needs state=resolved")
        if params.get("assignees") is not None and not params["assignees"]:
            self.fail_input("assignees must name at least one user (by email or id); to hand the incident to a policy, use escalation_policy")
        for name in ("note", "title"):
            if params.get(name) is not None and not params[name].strip():
                self.fail_input(f"{name} must not be empty")

    # -- finding ---------------------------------------------------------------

    def find(self):
        params = self.params
        if params.get("id"):
            found = catalog.get_by_id(self.client, INCIDENT, params["id"])
            if found is None:
                raise PagerDutyError(f"id: no incident with id {params['id']!r} exists")
            return found
        query = {"incident_key": params["incident_key"], "date_range": "all"}
        if params.get("service"):
            query["service_ids[]"] = [catalog.resolve_reference(self.client, catalog.KINDS["service"], params["service"], "service")]
        found = pick_incident(self.client.list_all(INCIDENT.path, INCIDENT.plural, query), params["incident_key"])
        if found is None:
            where = f" on service {params['service']!r}" if params.get("service") else ""
            raise PagerDutyError(f"incident_key: no incident with the key {params['incident_key']!r}{where} exists")
        return found

    # -- what to change --------------------------------------------------------

    def changes(self, incident):
        """(the PUT body's fields, diff before, diff after) for what differs."""
        params = self.params
        body, before, after = {}, {}, {}

        def change(name, api_value, shown_before, shown_after, api_name=None):
            body[api_name or name] = api_value
            before[name] = shown_before
            after[name] = shown_after

        if params.get("state") and params["state"] != incident.get("status"):
            change("status", params["state"], incident.get("status"), params["state"])
            if params.get("resolution") is not None:
                body["resolution"] = params["resolution"]
        for name in ("urgency", "title"):
            if params.get(name) is not None and params[name] != incident.get(name):
                change(name, params[name], incident.get(name), params[name])
        if params.get("priority") is not None:
            wanted = catalog.priority(self.ctx, params["priority"], "priority")
            current = incident.get("priority")
            if wanted["id"] != reference_id(current):
                change("priority", {"id": wanted["id"], "type": "priority_reference"}, reference_name(current), wanted.get("name"))
        if params.get("assignees") is not None:
            user = catalog.KINDS["user"]
            wanted = sorted(set(catalog.resolve_references(self.client, user, params["assignees"], "assignees")))
            if wanted != assignee_ids(incident):
                shown = [reference_name(item.get("assignee")) for item in incident.get("assignments") or []]
                change("assignees", [{"assignee": user.reference(user_id)} for user_id in wanted], shown, list(params["assignees"]),
                       api_name="assignments")
        if params.get("escalation_policy") is not None:
            policy = catalog.require(self.client, catalog.KINDS["escalation_policy"], params["escalation_policy"], "escalation_policy")
            current = incident.get("escalation_policy")
            if policy["id"] != reference_id(current):
                change("escalation_policy", catalog.KINDS["escalation_policy"].reference(policy["id"]), reference_name(current),
                       policy.get("name") or policy["id"])
        return body, before, after

    def note_needed(self, incident):
        note = self.params.get("note")
        if note is None:
            return False
        notes = notes_of(self.ctx, incident["id"])
        if any(item.get("content") == note for item in notes):
            return False
        if len(notes) >= NOTES_MAX:
            raise PagerDutyError(f"note: incident {incident['id']} already has {NOTES_MAX} notes, the most PagerDuty keeps")
        return True

    # -- doing it ----------------------------------------------------------------

    def execute(self):
        incident = self.find()
        body, before, after = self.changes(incident)
        add_note = self.note_needed(incident)
        if add_note:
            before["notes"], after["notes"] = [], [self.params["note"]]
        changed = bool(body) or add_note
        result = incident
        if changed and self.check_mode:
            result = dict(incident, **{key: value for key, value in body.items() if key not in ("resolution", "assignments")})
            if "status" in body:
                result["status"] = body["status"]
        elif changed:
            applied = []
            if body:
                answer = self.client.put(INCIDENT.item_path(incident["id"]), {"incident": dict(body, type="incident_reference")}) or {}
                result = answer.get("incident") or incident
                applied.append(f"updated {', '.join(sorted(name for name in after if name != 'notes'))}")
            if add_note:
                try:
                    self.client.post(catalog.path("incident_notes", incident["id"]), {"note": {"content": self.params["note"]}})
                except PagerDutyError as exc:
                    if applied:
                        raise AppliedError(exc, INCIDENT, incident["id"], applied)
                    raise
        return self.outcome("incident", changed, result, before, after)


class IncidentInfoModule(PagerDutyModule):
    """pd_incident_info: incidents by id, incident key, service, team, assignee, status, urgency and time window."""

    window = {}  # since/until in ISO 8601, once validated
    # option -> (the list endpoint's parameter, the kind its values name)
    reference_filters = {"service": ("service_ids[]", "service"), "team": ("team_ids[]", "team"), "user": ("user_ids[]", "user")}

    @classmethod
    def spec_rules(cls):
        filters = ("incident_key", "service", "team", "user", "statuses", "urgencies", "since", "until")
        return {"mutually_exclusive": [("id", option) for option in filters] + [("all_time", "since"), ("all_time", "until")]}

    @classmethod
    def declared_options(cls):
        return [("the finder", "id"), ("the finder", "incident_key")] + [("filter", option) for option in cls.reference_filters]

    def validate(self):
        self.window = {}
        for name in ("since", "until"):
            if self.params.get(name) is not None:
                try:
                    self.window[name] = iso(parse_instant(self.params[name], name, self.ctx.now))
                except ValueError as exc:
                    self.fail_input(f"{exc}")
        if len(self.window) == 2 and self.window["since"] > self.window["until"]:
            self.fail_input("since must not be after until")

    def list_params(self):
        params = dict(self.window)
        for option, (param, kind_name) in self.reference_filters.items():
            if self.params.get(option):
                params[param] = catalog.resolve_references(self.client, catalog.KINDS[kind_name], self.params[option], option)
        for option in ("statuses", "urgencies"):
            if self.params.get(option):
                params[f"{option}[]"] = list(self.params[option])
        if self.params.get("incident_key"):
            params["incident_key"] = self.params["incident_key"]
        if self.params.get("all_time") or (self.params.get("incident_key") and not self.window):
            params["date_range"] = "all"
        return params

    def execute(self):
        if self.params.get("id"):
            found = catalog.get_by_id(self.client, INCIDENT, self.params["id"])
            return {"changed": False, "incidents": [found] if found else []}
        return {"changed": False, "incidents": self.client.list_all(INCIDENT.path, INCIDENT.plural, self.list_params())}
