# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Schedules: pd_schedule (its fields, and its layers compared without false changes) and pd_schedule_info.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

import datetime

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import Field, InfoModule, ReferenceListField, ResourceModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._layers import (
    LayerError,
    active_layers,
    api_layer,
    desired_layer,
    layer_changes,
    preserved_virtual_start,
    shown,
    to_api,
)
from ansible_collections.oncall.pagerduty.plugins.module_utils._timeutil import iso, parse_instant
from ansible_collections.oncall.pagerduty.plugins.module_utils._timezones import time_zone_error


class LayersField(Field):
    """``layers`` <-> ``schedule_layers``, matched by name.

    Current layers that have ended are history and not compared. A layer the task no
    longer lists is ended now, never deleted. With ``preserve_oncall`` a changed user
    list keeps the person on call now until their turn ends.
    """

    def __init__(self):
        super().__init__("layers", api="schedule_layers")

    @staticmethod
    def preserve_oncall(ctx):
        return ctx.params.get("preserve_oncall", True)

    def from_api(self, ctx, obj):
        return active_layers([api_layer(layer) for layer in obj.get(self.api) or []], ctx.now)

    def from_option(self, ctx, value):
        held = [entry["user"]["id"] for layer in (ctx.existing or {}).get(self.api) or []
                for entry in layer.get("users") or [] if isinstance(entry.get("user"), dict) and entry["user"].get("id")]
        given = [user for item in value for user in item["users"]]
        found = catalog.find_many(ctx.client, catalog.KINDS["user"], given, held)
        users = {value: obj["id"] for value, obj in found.items() if obj is not None}
        missing = [value for value, obj in found.items() if obj is None]
        if missing:
            raise PagerDutyError(f"layers: no user with id or email {', '.join(repr(m) for m in missing)} exists")
        try:
            return [desired_layer(item, index, [users[u] for u in item["users"]], ctx.now) for index, item in enumerate(value)]
        except LayerError as exc:
            raise PagerDutyError(f"{exc}")

    def plan(self, ctx, current, desired):
        """{name: changes} for existing layers that change, new layers and layers to end."""
        current = current or {}
        wanted = {layer["name"]: layer for layer in desired}
        changed = {name: layer_changes(current[name], layer, ctx.now, self.preserve_oncall(ctx)) for name, layer in wanted.items() if name in current}
        changed = {name: changes for name, changes in changed.items() if changes}
        added = [layer["name"] for layer in desired if layer["name"] not in current]
        ended = [name for name in current if name not in wanted]
        return changed, added, ended

    def same(self, ctx, current, desired):
        changed, added, ended = self.plan(ctx, current, desired)
        return not (changed or added or ended)

    def diff(self, ctx, current, desired):
        changed, added, ended = self.plan(ctx, current, desired)
        before, after = {}, {}
        for name, changes in changed.items():
            before[name] = {field: shown({field: old})[field] for field, (old, _new) in changes.items()}
            after[name] = {field: shown({field: new})[field] for field, (_old, new) in changes.items()}
        for layer in desired:
            if layer["name"] in added:
                after[layer["name"]] = shown(layer)
        for name in ended:
            before[name] = shown(current[name])
            after[name] = f"layer {name} will be ended at {iso(ctx.now)}"
        return before, after

    def to_api(self, ctx, comparable):
        """Every layer of the schedule, lowest priority first, as a PUT or POST needs them."""
        now, preserve_oncall = ctx.now, self.preserve_oncall(ctx)
        current = self.from_api(ctx, ctx.existing) if ctx.existing else {}
        wanted = {layer["name"]: layer for layer in comparable}
        layers = []
        # Existing layers keep their priority: the API lists them highest first.
        for name, layer in reversed(list(current.items())):
            if name not in wanted:
                layers.append(to_api(dict(layer, end=now), layer["id"]))
                continue
            new = dict(wanted[name])
            new["start"] = new["start"] or layer["start"]
            changes = layer_changes(layer, new, now, preserve_oncall)
            virtual = layer["rotation_virtual_start"]
            if "users" in changes or "rotation_turn_length_seconds" in changes or "rotation_virtual_start" in changes:
                virtual = None
                if preserve_oncall and "rotation_virtual_start" not in changes:
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


def argument_spec():
    """The options of pd_schedule (the connection options and state are added by the base)."""
    return dict(
        name=dict(type="str"),
        id=dict(type="str"),
        description=dict(type="str"),
        time_zone=dict(type="str"),
        teams=dict(type="list", elements="str"),
        layers=dict(type="list", elements="dict", options=dict(
            name=dict(type="str", required=True),
            start=dict(type="str"),
            end=dict(type="str"),
            rotation_virtual_start=dict(type="str"),
            rotation_turn_length=dict(type="str", required=True),
            users=dict(type="list", elements="str", required=True),
            restrictions=dict(type="list", elements="dict", options=dict(
                type=dict(type="str", required=True, choices=["daily", "weekly"]),
                start_time_of_day=dict(type="str", required=True),
                duration=dict(type="str", required=True),
                start_day_of_week=dict(type="str"),
            )),
        )),
        preserve_oncall=dict(type="bool", default=True),
    )


class ScheduleModule(ResourceModule):
    """pd_schedule: time zones and layers are checked before any write."""

    kind = "schedule"
    argument_spec = staticmethod(argument_spec)
    create_requires = ("time_zone", "layers")
    used_by = ("escalation_policies",)
    fields = (
        Field("name"),
        Field("description"),
        Field("time_zone"),
        ReferenceListField("teams", kind="team"),
        LayersField(),
    )

    def validate(self):
        if self.params.get("time_zone"):
            message = time_zone_error("time_zone", self.params["time_zone"])
            if message:
                self.fail_input(message)
        names = [layer["name"] for layer in self.params.get("layers") or []]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            self.fail_input(f"layers: layer names must be unique, {', '.join(duplicates)} is listed more than once")
        if self.params.get("layers") == [] and self.params.get("state") == "present":
            self.fail_input("layers: a schedule needs at least one layer")
        for index, item in enumerate(self.params.get("layers") or []):
            try:  # bounds, durations, days and times need no request: check them before any
                desired_layer(item, index, item["users"], self.ctx.now)
            except LayerError as exc:
                self.fail_input(f"{exc}")

    def includes(self):
        # The list endpoint leaves the layers out unless include[]=schedule_layers asks for them.
        return ["schedule_layers"]

    def find_params(self):
        # The object itself has them.
        return None if self.params.get("id") else super().find_params()

    def find_existing(self):
        found = super().find_existing()
        if found is not None and "schedule_layers" not in found:
            # A list answer without the layers: the object itself has them.
            found = catalog.get_by_id(self.client, self.kind, found["id"])
        return found


class ScheduleInfoModule(InfoModule):
    """pd_schedule_info: full schedules, who is on call now, and the rendered final schedule on request."""

    kind = "schedule"

    def validate(self):
        now = self.ctx.now
        try:
            self.since = parse_instant(self.params["since"], "since", now) if self.params.get("since") else None
            self.until = parse_instant(self.params["until"], "until", now) if self.params.get("until") else None
        except ValueError as exc:
            self.fail_input(f"{exc}")
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
            now_view = self.rendered(item["id"], self.ctx.now, self.ctx.now + datetime.timedelta(minutes=1))
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
