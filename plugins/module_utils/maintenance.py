# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""pd_maintenance_window: a window is identified by its services and its time, so a rerun creates nothing.

A window has no name. With explicit times, the same services and the same start and
end are the same window. With ``start_time: now`` (the default), "now" moves on every
run, so an open window for the same services with the same length counts as the same
window.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils.client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils.resource import PagerDutyModule
from ansible_collections.oncall.pagerduty.plugins.module_utils.timeutil import Window, iso, parse_instant

PATH = "/maintenance_windows"


class MaintenanceWindowModule(PagerDutyModule):

    def validate(self):
        params = self.params
        try:
            self.window = Window(params.get("start_time"), params.get("end_time"), params.get("duration"))
            if params["state"] == "present":
                self.window.check()
        except ValueError as exc:
            self.fail_input("%s" % exc)
        if not params.get("id") and not params.get("services"):
            self.fail_input("one of id or services is required")

    def service_ids(self):
        kind = catalog.KINDS["service"]
        return sorted(set(catalog.resolve_reference(self.client, kind, name, "services") for name in self.params.get("services") or []))

    def matches(self, window, services):
        if sorted(ref["id"] for ref in window.get("services") or []) != services:
            return False
        return self.window.matches(parse_instant(window["start_time"]), parse_instant(window["end_time"]))

    def find(self, services):
        if self.params.get("id"):
            return catalog.get_by_id(self.client, catalog.KINDS["maintenance_window"], self.params["id"])
        query = {"service_ids[]": services, "filter": "open"}
        found = [w for w in self.client.iter_pages(PATH, "maintenance_windows", query) if self.matches(w, services)]
        if len(found) > 1 and self.window.end is not None:
            raise PagerDutyError("%d open maintenance windows match (ids: %s); give id" % (len(found), ", ".join(w["id"] for w in found)))
        return found[0] if found else None

    def execute(self):
        services = self.service_ids()
        existing = self.find(services)
        if self.params["state"] == "absent":
            if existing is None:
                return self.result(False, None, {}, {})
            if not self.check_mode:
                self.client.delete("%s/%s" % (PATH, existing["id"]))
            return self.result(True, existing, self.shown(existing), {})
        description = self.params.get("description")
        if existing is not None:
            if description is None or description == (existing.get("description") or ""):
                return self.result(False, existing, {}, {})
            before, after = {"description": existing.get("description")}, {"description": description}
            if self.check_mode:
                return self.result(True, dict(existing, description=description), before, after)
            body = {"maintenance_window": {"type": "maintenance_window", "description": description}}
            updated = self.client.put("%s/%s" % (PATH, existing["id"]), body)["maintenance_window"]
            return self.result(True, updated, before, after)
        window = {
            "type": "maintenance_window",
            "start_time": iso(self.window.start),
            "end_time": iso(self.window.end),
            "services": [catalog.KINDS["service"].reference(service) for service in services],
        }
        if description is not None:
            window["description"] = description
        if self.check_mode:
            return self.result(True, dict(window, id=None), {}, self.shown(window))
        created = self.client.post(PATH, {"maintenance_window": window})["maintenance_window"]
        return self.result(True, created, {}, self.shown(created))

    @staticmethod
    def shown(window):
        return {
            "services": sorted(ref["id"] for ref in window.get("services") or []),
            "start_time": window.get("start_time"),
            "end_time": window.get("end_time"),
            "description": window.get("description"),
        }

    def result(self, changed, window, before, after):
        return self.outcome("maintenance_window", changed, window, before, after)
