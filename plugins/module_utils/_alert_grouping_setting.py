# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Alert grouping settings: pd_alert_grouping_setting and pd_alert_grouping_setting_info.

Private to this collection: not an API for other collections.

A setting (``/alert_grouping_settings``) groups the alerts of its services by one ``type`` with that
type's ``config``; PagerDuty prefers it to a service's deprecated ``alert_grouping_parameters``. Its
``type`` field is the grouping type (the kind is not ``typed``), its name is optional and not unique,
and its list is cursor-paged (``after``, no ``offset``, no search: ``Kind.cursor``, read by ``catalog.iter_kind``),
so names are matched here.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import Field, InfoModule, ReferenceListField, ResourceModule, SubsetField

KIND = catalog.KINDS["alert_grouping_setting"]

GROUPING_TYPES = ("content_based", "content_based_intelligent", "intelligent", "time")
# The config suboptions each type takes (the spec's four config schemas of AlertGroupingSetting).
CONFIG_OPTIONS = {
    "content_based": ("aggregate", "fields", "time_window"),
    "content_based_intelligent": ("aggregate", "fields", "time_window"),
    "intelligent": ("time_window", "iag_fields"),
    "time": ("timeout",),
}
# Content based grouping needs both (what to match and how).
REQUIRED_CONFIG = ("aggregate", "fields")
# Only content based settings may group several services (global grouping, at most 250); the others take one.
SINGLE_SERVICE_TYPES = ("content_based_intelligent", "intelligent", "time")
MAX_SERVICES = 250
READ_ONLY_CONFIG = ("recommended_time_window",)


def time_window_problem(grouping_type, value):
    """What is wrong with a config.time_window for this type, or None."""
    if value == 0 or 300 <= value <= 3600 or (grouping_type == "content_based" and value == 86400):
        return None
    allowed = "0 (PagerDuty's recommended window) or 300 to 3600" + (" or 86400" if grouping_type == "content_based" else "")
    return f"config.time_window: {int(value)} is not allowed for type {grouping_type}; use {allowed} (seconds)"


def config_problems(grouping_type, config, services):
    """Every problem of the task's type, config and services that needs no request (the spec's rules per type)."""
    problems = []
    allowed = CONFIG_OPTIONS[grouping_type]
    for key, value in sorted((config or {}).items()):
        if value is not None and key not in allowed:
            takers = " or ".join(t for t in GROUPING_TYPES if key in CONFIG_OPTIONS[t])
            problems.append(f"config.{key} is only for type {takers}; type {grouping_type} takes {', '.join(allowed)}")
    if grouping_type.startswith("content_based"):
        for key in REQUIRED_CONFIG:
            if not (config or {}).get(key):
                problems.append(f"config.{key} is required for type {grouping_type}"
                                + (" (all or any)" if key == "aggregate" else " (the alert fields to match, such as summary)"))
    window = (config or {}).get("time_window")
    if window is not None and "time_window" in allowed and time_window_problem(grouping_type, window):
        problems.append(time_window_problem(grouping_type, window))
    timeout = (config or {}).get("timeout")
    if timeout is not None and grouping_type == "time" and not (timeout == 0 or 60 <= timeout <= 86400):
        problems.append(f"config.timeout: {int(timeout)} is not allowed; use 0 (until the incident is resolved) or 60 to 86400 (seconds)")
    if services is not None:
        if grouping_type in SINGLE_SERVICE_TYPES and len(services) != 1:
            problems.append(f"services: type {grouping_type} takes exactly one service, got {len(services)}; "
                            "only type content_based groups several services")
        elif not services:
            problems.append("services: give at least one service")
        elif len(services) > MAX_SERVICES:
            problems.append(f"services: a content_based setting takes at most {MAX_SERVICES} services, got {len(services)}")
    return problems


class ConfigField(SubsetField):
    """``config``: compared on the suboptions the task sets. Sent whole: for the same type, the current config (without
    its read-only keys) with the task's values over it, so that a suboption left out is kept; for another type, the
    task's config alone."""

    def to_api(self, ctx, comparable):
        existing = ctx.existing or {}
        if existing.get("type") != ctx.params.get("type") or not isinstance(existing.get("config"), dict):
            return dict(comparable)
        current = {key: value for key, value in existing["config"].items() if key not in READ_ONLY_CONFIG}
        return dict(current, **comparable)


def argument_spec():
    """The options of pd_alert_grouping_setting (the connection options and state are added by the base)."""
    return dict(
        name=dict(type="str"),
        id=dict(type="str"),
        description=dict(type="str"),
        type=dict(type="str", choices=list(GROUPING_TYPES)),
        config=dict(type="dict", options=dict(
            aggregate=dict(type="str", choices=["all", "any"]),
            fields=dict(type="list", elements="str"),
            time_window=dict(type="int"),
            iag_fields=dict(type="list", elements="str"),
            timeout=dict(type="int"),
        )),
        services=dict(type="list", elements="str"),
    )


class AlertGroupingSettingModule(ResourceModule):
    """pd_alert_grouping_setting: the type, its config and the services, checked together before any request."""

    kind = "alert_grouping_setting"
    argument_spec = staticmethod(argument_spec)
    fields = (Field("name"), Field("description"), Field("type"), ConfigField("config"), ReferenceListField("services", kind="service"))
    create_requires = ("type", "services")
    # A service is in one setting at most, so a concurrent run of the same task is refused rather than making a copy.
    settle_copies = False

    @classmethod
    def spec_rules(cls):
        return dict(super().spec_rules(), required_by={"config": "type"})

    def validate(self):
        grouping_type = self.params.get("type")
        if grouping_type and self.params.get("state") != "absent":
            problems = config_problems(grouping_type, self.params.get("config"), self.params.get("services"))
            if problems:
                self.fail_input("; ".join(problems))

    def api_body(self, values):
        """A change of type carries the task's config along, which the new type reads."""
        if "type" in values and "config" not in values and self.params.get("config") is not None:
            values = dict(values, config=self.by_option["config"].from_option(self.ctx, self.params["config"]))
        return super().api_body(values)


class AlertGroupingSettingInfoModule(InfoModule):
    """pd_alert_grouping_setting_info: by id, name or query (matched here: the list cannot search), or by services."""

    kind = "alert_grouping_setting"
    filters = {"services": ("service_ids[]", "service")}

    def list_params(self):
        wanted = self.params.get("services")
        if not wanted:
            return {}
        return {"service_ids[]": catalog.resolve_references(self.client, catalog.KINDS["service"], wanted, "services")}

    def execute(self):
        if self.params.get("id"):
            return super().execute()
        items = list(catalog.iter_kind(self.client, KIND, self.list_params()))
        name, query = self.params.get("name"), self.params.get("query")
        if name:
            items = [item for item in items if KIND.key_matches(item, name)]
        if query:
            items = [item for item in items if query.lower() in f"{item.get('name') or ''}".lower()]
        return {"changed": False, KIND.plural: items}
