# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Maintenance windows: pd_maintenance_window and pd_maintenance_window_info.

Private to this collection: not an API for other collections.

A window has no name: it is identified by its services and its time, so a rerun
creates nothing. With explicit times, the same services and the same start and end
are the same window. With ``start_time: now`` (the default), "now" moves on every
run, so an open window for the same services with the same length counts as the same
window.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import InfoModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._timeutil import iso
from ansible_collections.oncall.pagerduty.plugins.module_utils._windowed import WindowedModule

KIND = catalog.KINDS["maintenance_window"]


def argument_spec():
    """The options of pd_maintenance_window (the connection options and state are added by the base)."""
    return dict(
        services=dict(type="list", elements="str"),
        id=dict(type="str"),
        start_time=dict(type="str", default="now"),
        end_time=dict(type="str"),
        duration=dict(type="str"),
        description=dict(type="str"),
    )


class MaintenanceWindowModule(WindowedModule):
    """pd_maintenance_window: found by id, or by its services and window; only the description is updated."""

    argument_spec = staticmethod(argument_spec)
    account_kind = KIND
    result_key = "maintenance_window"
    window_options = ("start_time", "end_time")
    time_fields = ("start_time", "end_time")

    def account_key(self):
        """How the account engine names the window in its result: description, else services, else id."""
        return self.params.get("description") or ", ".join(self.params.get("services") or []) or self.params.get("id")

    def validate(self):
        super().validate()
        if not self.params.get("id") and not self.params.get("services"):
            self.fail_input("one of id or services is required")

    def matching(self, every=False):
        kind = catalog.KINDS["service"]
        services = {name: catalog.find(self.client, kind, name) for name in self.params.get("services") or []}
        missing = [name for name, service in services.items() if service is None]
        if missing and self.params["state"] == "absent" and not self.params.get("id"):
            return []  # a window of a service that is gone is gone too
        if missing:
            raise catalog.missing(kind, missing[0], "services")
        self.services = sorted({service["id"] for service in services.values()})
        if self.params.get("id"):
            found = catalog.get_by_id(self.client, KIND, self.params["id"])
            return [found] if found else []
        if any(catalog.is_planned(service) for service in self.services):  # a service a check-mode run would create
            return []
        query = {"service_ids[]": self.services, "filter": "open"}
        found = [w for w in self.client.iter_pages(KIND.path, KIND.plural, query)
                 if sorted(ref["id"] for ref in w.get("services") or []) == self.services and self.in_window(w)]
        if every:
            return found
        if len(found) > 1 and self.window.end is not None:
            raise PagerDutyError(f"{len(found)} open maintenance windows match (ids: {', '.join(w['id'] for w in found)}); give id")
        return found[:1]

    def update(self, existing):
        description = self.params.get("description")
        if description is None or description == (existing.get("description") or ""):
            return self.result(False, existing, {}, {})
        before, after = {"description": existing.get("description")}, {"description": description}
        if self.check_mode:
            return self.result(True, dict(existing, description=description), before, after)
        body = {KIND.name: {"type": KIND.name, "description": description}}
        updated = self.client.put(KIND.item_path(existing["id"]), body)[KIND.name]
        return self.result(True, updated, before, after)

    def new_object(self):
        window = {
            "type": KIND.name,
            "start_time": iso(self.window.start),
            "end_time": iso(self.window.end),
            "services": [catalog.KINDS["service"].reference(service) for service in self.services],
        }
        if self.params.get("description") is not None:
            window["description"] = self.params["description"]
        return window

    def create(self, obj):
        return self.client.post(KIND.path, {KIND.name: obj})[KIND.name]

    def item_path(self, obj):
        return KIND.item_path(obj["id"])

    @staticmethod
    def shown(obj):
        return {
            "services": sorted(ref["id"] for ref in obj.get("services") or []),
            "start_time": obj.get("start_time"),
            "end_time": obj.get("end_time"),
            "description": obj.get("description"),
        }


class MaintenanceWindowInfoModule(InfoModule):
    """pd_maintenance_window_info: filtered by service, team and the API's time filter."""

    kind = "maintenance_window"
    filters = {"service": ("service_ids[]", "service"), "team": ("team_ids[]", "team")}

    def list_params(self):
        params = super().list_params()
        params["filter"] = self.params["filter"]
        return params
