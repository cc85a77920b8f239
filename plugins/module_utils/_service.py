# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Services: pd_service (its fields and its integrations) and pd_service_info.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import Field, InfoModule, ResourceModule, SubList, SubsetField, zero_is_none
from ansible_collections.oncall.pagerduty.plugins.module_utils._timezones import time_zone_error

# Our short integration types and the API's.
INTEGRATION_TYPES = {
    "events_api_v2": "events_api_v2_inbound_integration",
    "events_api_v1": "generic_events_api_inbound_integration",
    "email": "generic_email_inbound_integration",
    "cloudwatch": "aws_cloudwatch_inbound_integration",
    "nagios": "nagios_inbound_integration",
    "pingdom": "pingdom_inbound_integration",
    "sql_monitor": "sql_monitor_inbound_integration",
    "keynote": "keynote_inbound_integration",
    "cloudkick": "cloudkick_inbound_integration",
    "event_transformer": "event_transformer_api_inbound_integration",
}
URGENCIES = ["low", "high", "severity_based"]
SHORT_INTEGRATION_TYPES = {v: k for k, v in INTEGRATION_TYPES.items()}


def service_status(value):
    """Only disabled is chosen; active, warning, critical and maintenance are all "not disabled"."""
    if value is None:
        return None
    return "disabled" if value == "disabled" else "active"


class Integrations(SubList):
    """``/services/{id}/integrations``: created when missing, identified by type and name.

    The API has no way to delete an integration, so there is no purge.
    """

    known_when_new = True  # PagerDuty gives a new one none
    option = "integrations"
    fields = ()
    include = "integrations"

    @staticmethod
    def reader(ctx, service_id):
        body = ctx.client.get(catalog.KINDS["service"].item_path(service_id), {"include[]": ["integrations"]}) or {}
        return [item for item in (body.get("service") or {}).get("integrations") or [] if isinstance(item, dict)]

    def read(self, ctx, owner):
        return ctx.remember(type(self).reader, owner["id"])

    def desired(self, ctx, items):
        return [{"type": INTEGRATION_TYPES[item["type"]], "name": item["name"] or item["type"]} for item in items]

    def identity(self, item):
        return (item.get("type"), item.get("name") or item.get("summary"))

    def render(self, item):
        return {"type": SHORT_INTEGRATION_TYPES.get(item["type"], item["type"]), "name": item.get("name") or item.get("summary")}

    def add(self, ctx, owner, item):
        ctx.client.post(catalog.path("integrations", owner["id"]), {"integration": dict(item)})


SERVICE_FIELDS = (
    Field("name"),
    Field("description"),
    Field("escalation_policy", kind="escalation_policy"),
    Field("auto_resolve_timeout", normalize=zero_is_none),
    Field("acknowledgement_timeout", normalize=zero_is_none),
    Field("status", normalize=service_status),
    Field("alert_creation"),
    SubsetField("incident_urgency_rule"),
    SubsetField("support_hours"),
    SubsetField("scheduled_actions"),
    SubsetField("alert_grouping_parameters"),
    SubsetField("auto_pause_notifications_parameters"),
)


def argument_spec():
    """The options of pd_service (the connection options and state are added by the base)."""
    urgency_type = dict(type="dict", options=dict(
        type=dict(type="str", default="constant", choices=["constant"]),
        urgency=dict(type="str", required=True, choices=URGENCIES),
    ))
    return dict(
        name=dict(type="str"),
        id=dict(type="str"),
        description=dict(type="str"),
        escalation_policy=dict(type="str"),
        auto_resolve_timeout=dict(type="int"),
        acknowledgement_timeout=dict(type="int"),
        status=dict(type="str", choices=["active", "disabled"]),
        alert_creation=dict(type="str", choices=["create_incidents", "create_alerts_and_incidents"]),
        incident_urgency_rule=dict(type="dict", options=dict(
            type=dict(type="str", required=True, choices=["constant", "use_support_hours"]),
            urgency=dict(type="str", choices=URGENCIES),
            during_support_hours=urgency_type,
            outside_support_hours=urgency_type,
        )),
        support_hours=dict(type="dict", options=dict(
            type=dict(type="str", default="fixed_time_per_day", choices=["fixed_time_per_day"]),
            time_zone=dict(type="str"),
            days_of_week=dict(type="list", elements="int"),
            start_time=dict(type="str"),
            end_time=dict(type="str"),
        )),
        scheduled_actions=dict(type="list", elements="dict", options=dict(
            type=dict(type="str", default="urgency_change", choices=["urgency_change"]),
            at=dict(type="dict", required=True, options=dict(
                type=dict(type="str", default="named_time", choices=["named_time"]),
                name=dict(type="str", required=True, choices=["support_hours_start", "support_hours_end"]),
            )),
            to_urgency=dict(type="str", default="high", choices=["high"]),
        )),
        alert_grouping_parameters=dict(type="dict"),
        auto_pause_notifications_parameters=dict(type="dict", options=dict(
            enabled=dict(type="bool"),
            timeout=dict(type="int"),
        )),
        integrations=dict(type="list", elements="dict", options=dict(
            type=dict(type="str", required=True, choices=list(INTEGRATION_TYPES)),
            name=dict(type="str"),
        )),
    )


class ServiceModule(ResourceModule):
    """pd_service: checks the urgency rule's shape before any request."""

    kind = "service"
    argument_spec = staticmethod(argument_spec)
    fields = SERVICE_FIELDS
    create_requires = ("escalation_policy",)
    sublists = (Integrations(),)

    def validate(self):
        rule = self.params.get("incident_urgency_rule") or {}
        if rule.get("type") == "use_support_hours":
            for key in ("during_support_hours", "outside_support_hours"):
                if not rule.get(key):
                    self.fail_input(f"incident_urgency_rule: type use_support_hours needs {key}")
            if not self.params.get("support_hours"):
                self.fail_input("incident_urgency_rule: type use_support_hours needs support_hours")
        elif rule.get("type") == "constant" and (rule.get("during_support_hours") or rule.get("outside_support_hours")):
            self.fail_input("incident_urgency_rule: during_support_hours and outside_support_hours only apply to type use_support_hours")
        hours = self.params.get("support_hours") or {}
        if hours.get("time_zone"):
            message = time_zone_error("support_hours.time_zone", hours["time_zone"])
            if message:
                self.fail_input(message)
        for day in hours.get("days_of_week") or []:
            if not 1 <= day <= 7:
                self.fail_input(f"support_hours.days_of_week: {int(day)} is not a day; use 1 (Monday) to 7 (Sunday)")


class ServiceInfoModule(InfoModule):
    """pd_service_info: filtered by team, with the integrations on request."""

    kind = "service"
    filters = {"team": ("team_ids[]", "team")}

    def show_params(self):
        return {"include[]": ["integrations"]} if self.params.get("include_integrations") else {}
