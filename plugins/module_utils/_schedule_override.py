# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Schedule overrides: pd_schedule_override, one override of one user for one window, created once.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

import datetime

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._timeutil import iso
from ansible_collections.oncall.pagerduty.plugins.module_utils._windowed import WindowedModule

# How far around the task's window overrides are listed, so that one starting "now" is seen.
MARGIN = datetime.timedelta(minutes=5)


def argument_spec():
    """The options of pd_schedule_override (the connection options and state are added by the base)."""
    return dict(
        schedule=dict(type="str", required=True),
        user=dict(type="str"),
        start=dict(type="str", default="now"),
        end=dict(type="str"),
        duration=dict(type="str"),
    )


class OverrideModule(WindowedModule):
    """pd_schedule_override: found by its schedule, user and window; with state=absent and no user, any user's."""

    argument_spec = staticmethod(argument_spec)
    # Overrides belong to a schedule: the account engine names them by this kind (no path of their own).
    account_kind = catalog.Kind("schedule_override", None, "overrides", natural_key="start", label="schedule override")
    result_key = "override"
    window_options = ("start", "end")
    time_fields = ("start", "end")

    def account_key(self):
        """How the account engine names the override in its result."""
        return f"{self.params.get('user') or 'any user'} on {self.params['schedule']} from {self.params['start']}"

    @classmethod
    def declared_options(cls):
        return super().declared_options() + [("option", "schedule"), ("option", "user")]

    def validate(self):
        super().validate()
        if self.params["state"] == "present" and not self.params.get("user"):
            self.fail_input("user is required with state=present")

    def matching(self, every=True):
        self.schedule = catalog.resolve_reference(self.client, catalog.KINDS["schedule"], self.params["schedule"], "schedule")
        self.user = catalog.resolve_reference(self.client, catalog.KINDS["user"], self.params["user"], "user") if self.params.get("user") else None
        if catalog.is_planned(self.schedule):  # a schedule a check-mode run would create has no overrides
            return []
        since = min(self.window.start, self.window.now) - MARGIN
        until = (self.window.end or self.window.now + datetime.timedelta(days=365)) + MARGIN
        query = {"since": iso(since), "until": iso(until), "overflow": "true"}
        listed = (self.client.get(catalog.path("overrides", self.schedule), query) or {}).get("overrides") or []
        return [o for o in listed if (self.user is None or (o.get("user") or {}).get("id") == self.user) and self.in_window(o)]

    def new_object(self):
        return {"start": iso(self.window.start), "end": iso(self.window.end), "user": catalog.KINDS["user"].reference(self.user)}

    def create(self, obj):
        answers = self.client.post(catalog.path("overrides", self.schedule), {"overrides": [obj]})
        answer = (answers or [{}])[0]
        if answer.get("status") not in (200, 201):
            reasons = "; ".join(answer.get("errors") or ["no reason given"])
            raise PagerDutyError(f"PagerDuty refused the override for {self.params['user']}: {reasons}")
        return answer["override"]

    def item_path(self, obj):
        return catalog.path("overrides", self.schedule, obj["id"])

    @staticmethod
    def shown(obj):
        return {"user": (obj.get("user") or {}).get("id"), "start": obj.get("start"), "end": obj.get("end")}
