# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""pd_schedule: the schedule's fields, and its layers compared without false changes."""

from __future__ import annotations

import datetime

from ansible_collections.oncall.pagerduty.plugins.module_utils import catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils.client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils.resource import Field, InfoModule, PagerDutyModule, ReferenceListField, ResourceModule
from ansible_collections.oncall.pagerduty.plugins.module_utils.schedules import (
    LayerError,
    active_layers,
    api_layer,
    desired_layer,
    layer_changes,
    preserved_virtual_start,
    shown,
    to_api,
)
from ansible_collections.oncall.pagerduty.plugins.module_utils.timeutil import Window, iso, now_utc, parse_instant
from ansible_collections.oncall.pagerduty.plugins.module_utils.timezones import time_zone_error


class LayersField(Field):
    """``layers`` <-> ``schedule_layers``, matched by name.

    Current layers that have ended are history and not compared. A layer the task no
    longer lists is ended now, never deleted. With ``preserve_oncall`` a changed user
    list keeps the person on call now until their turn ends.
    """

    def __init__(self, module):
        super(LayersField, self).__init__("layers", api="schedule_layers")
        self.module = module

    def from_api(self, obj):
        return active_layers([api_layer(layer) for layer in obj.get(self.api) or []], self.module.now)

    def from_option(self, client, value):
        users = {}
        missing = []
        for index, item in enumerate(value):
            for given in item["users"]:
                if given in users or given in missing:
                    continue
                found = catalog.find(client, catalog.KINDS["user"], given)
                if found is None:
                    missing.append(given)
                else:
                    users[given] = found["id"]
        if missing:
            raise PagerDutyError("layers: no user with id or email %s exists" % ", ".join(repr(m) for m in missing))
        try:
            return [desired_layer(item, index, [users[u] for u in item["users"]], self.module.now) for index, item in enumerate(value)]
        except LayerError as exc:
            raise PagerDutyError("%s" % exc)

    def plan(self, current, desired):
        """{name: changes} for existing layers that change, new layers and layers to end."""
        current = current or {}
        wanted = dict((layer["name"], layer) for layer in desired)
        changed = dict((name, layer_changes(current[name], layer, self.module.now, self.module.preserve_oncall))
                       for name, layer in wanted.items() if name in current)
        changed = dict((name, changes) for name, changes in changed.items() if changes)
        added = [layer["name"] for layer in desired if layer["name"] not in current]
        ended = [name for name in current if name not in wanted]
        return changed, added, ended

    def same(self, current, desired):
        changed, added, ended = self.plan(current, desired)
        return not (changed or added or ended)

    def diff(self, current, desired):
        changed, added, ended = self.plan(current, desired)
        before, after = {}, {}
        for name, changes in changed.items():
            before[name] = dict((field, shown({field: old})[field]) for field, (old, _new) in changes.items())
            after[name] = dict((field, shown({field: new})[field]) for field, (_old, new) in changes.items())
        for layer in desired:
            if layer["name"] in added:
                after[layer["name"]] = shown(layer)
        for name in ended:
            before[name] = shown(current[name])
            after[name] = "layer %s will be ended at %s" % (name, iso(self.module.now))
        return before, after

    def to_api(self, comparable):
        """Every layer of the schedule, lowest priority first, as a PUT or POST needs them."""
        now = self.module.now
        current = self.from_api(self.module.existing) if self.module.existing else {}
        wanted = dict((layer["name"], layer) for layer in comparable)
        layers = []
        # Existing layers keep their priority: the API lists them highest first.
        for name, layer in reversed(list(current.items())):
            if name not in wanted:
                layers.append(to_api(dict(layer, end=now), layer["id"]))
                continue
            new = dict(wanted[name])
            new["start"] = new["start"] or layer["start"]
            changes = layer_changes(layer, new, now, self.module.preserve_oncall)
            virtual = layer["rotation_virtual_start"]
            if "users" in changes or "rotation_turn_length_seconds" in changes or "rotation_virtual_start" in changes:
                virtual = None
                if self.module.preserve_oncall and "rotation_virtual_start" not in changes:
                    virtual = preserved_virtual_start(layer, new["users"], new["rotation_turn_length_seconds"], now)
                virtual = virtual or new["rotation_virtual_start"] or layer["rotation_virtual_start"]
            new["rotation_virtual_start"] = virtual
            layers.append(to_api(new, layer["id"]))
        for layer in comparable:
            if layer["name"] not in current:
                new = dict(layer)
                new["start"] = new["start"] or now
                new["rotation_virtual_start"] = new["rotation_virtual_start"] or new["start"]
                layers.append(to_api(new))
        return layers


class ScheduleModule(ResourceModule):
    """pd_schedule: time zones and layers are checked before any write."""

    kind = "schedule"
    create_requires = ("time_zone", "layers")

    def __init__(self, argument_spec, **kwargs):
        super(ScheduleModule, self).__init__(argument_spec, **kwargs)
        self.now = now_utc()
        self.preserve_oncall = self.params.get("preserve_oncall", True)
        self.fields = [
            Field("name"),
            Field("description"),
            Field("time_zone"),
            ReferenceListField("teams", kind="team"),
            LayersField(self),
        ]

    def validate(self):
        if self.params.get("time_zone"):
            message = time_zone_error("time_zone", self.params["time_zone"])
            if message:
                self.fail_input(message)
        names = [layer["name"] for layer in self.params.get("layers") or []]
        duplicates = sorted(set(name for name in names if names.count(name) > 1))
        if duplicates:
            self.fail_input("layers: layer names must be unique, %s is listed more than once" % ", ".join(duplicates))
        if self.params.get("layers") == [] and self.params.get("state") == "present":
            self.fail_input("layers: a schedule needs at least one layer")
        for index, item in enumerate(self.params.get("layers") or []):
            try:  # bounds, durations, days and times need no request: check them before any
                desired_layer(item, index, item["users"], self.now)
            except LayerError as exc:
                self.fail_input("%s" % exc)

    def find_existing(self):
        found = super(ScheduleModule, self).find_existing()
        if found is not None and "schedule_layers" not in found:
            # The list endpoint leaves the layers out; the object itself has them.
            found = catalog.get_by_id(self.client, self.kind, found["id"])
        return found

    def explain_delete_error(self, exc, existing):
        policies = [ref.get("summary") or ref.get("id") for ref in existing.get("escalation_policies") or []]
        if exc.status == 400 and policies:
            return exc.add_hint("The schedule is still used by the escalation policies: %s" % ", ".join(sorted(policies)))
        return exc


class ScheduleInfoModule(InfoModule):
    """pd_schedule_info: full schedules, who is on call now, and the rendered final schedule on request."""

    kind = "schedule"

    def validate(self):
        self.now = now_utc()
        try:
            self.since = parse_instant(self.params["since"], "since", self.now) if self.params.get("since") else None
            self.until = parse_instant(self.params["until"], "until", self.now) if self.params.get("until") else None
        except ValueError as exc:
            self.fail_input("%s" % exc)
        if (self.since is None) != (self.until is None):
            self.fail_input("since and until go together: give both or neither")
        if self.since and self.until <= self.since:
            self.fail_input("until must be after since")

    def rendered(self, schedule_id, since, until):
        params = {"since": iso(since), "until": iso(until)}
        return (self.client.get(self.kind.item_path(schedule_id), params) or {}).get("schedule") or {}

    def decorate(self, items):
        schedules = []
        for item in items:
            now_view = self.rendered(item["id"], self.now, self.now + datetime.timedelta(minutes=1))
            schedule = now_view
            if self.since:
                schedule = self.rendered(item["id"], self.since, self.until)
                final = schedule.get("final_schedule") or {}
                schedule["oncall"] = [entry_summary(entry) for entry in final.get("rendered_schedule_entries") or []]
                schedule["coverage"] = final.get("rendered_coverage_percentage")
            schedule["oncall_now"] = [entry_summary(entry) for entry in (now_view.get("final_schedule") or {}).get("rendered_schedule_entries") or []]
            schedules.append(schedule)
        return schedules


def entry_summary(entry):
    user = entry.get("user") or {}
    return {"user": {"id": user.get("id"), "summary": user.get("summary")}, "start": entry.get("start"), "end": entry.get("end")}


class OverrideModule(PagerDutyModule):
    """pd_schedule_override: one override of one user for one window, created once."""

    def validate(self):
        params = self.params
        try:
            self.window = Window(params.get("start"), params.get("end"), params.get("duration"), names=("start", "end"))
            if params["state"] == "present":
                self.window.check()
        except ValueError as exc:
            self.fail_input("%s" % exc)
        if params["state"] == "present" and not params.get("user"):
            self.fail_input("user is required with state=present")

    def execute(self):
        schedule = catalog.resolve_reference(self.client, catalog.KINDS["schedule"], self.params["schedule"], "schedule")
        user = catalog.resolve_reference(self.client, catalog.KINDS["user"], self.params["user"], "user") if self.params.get("user") else None
        path = "/schedules/%s/overrides" % schedule
        since = min(self.window.start, self.window.now) - datetime.timedelta(minutes=5)
        until = (self.window.end or self.window.now + datetime.timedelta(days=365)) + datetime.timedelta(minutes=5)
        listed = (self.client.get(path, {"since": iso(since), "until": iso(until), "overflow": "true"}) or {}).get("overrides") or []
        found = [o for o in listed
                 if (user is None or (o.get("user") or {}).get("id") == user)
                 and self.window.matches(parse_instant(o["start"]), parse_instant(o["end"]))]
        if self.params["state"] == "absent":
            if not found:
                return self.result(False, None, {}, {})
            if not self.check_mode:
                for override in found:
                    self.client.delete("%s/%s" % (path, override["id"]))
            return self.result(True, found[0], self.shown(found[0]), {})
        if found:
            return self.result(False, found[0], {}, {})
        override = {"start": iso(self.window.start), "end": iso(self.window.end), "user": catalog.KINDS["user"].reference(user)}
        if self.check_mode:
            return self.result(True, dict(override, id=None), {}, self.shown(override))
        answers = self.client.post(path, {"overrides": [override]})
        answer = (answers or [{}])[0]
        if answer.get("status") not in (200, 201):
            raise PagerDutyError("PagerDuty refused the override for %s: %s" % (self.params["user"], "; ".join(answer.get("errors") or ["no reason given"])))
        return self.result(True, answer["override"], {}, self.shown(answer["override"]))

    @staticmethod
    def shown(override):
        return {"user": (override.get("user") or {}).get("id"), "start": override.get("start"), "end": override.get("end")}

    def result(self, changed, override, before, after):
        return self.outcome("override", changed, override, before, after)
