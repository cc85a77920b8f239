# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Alert events: pd_event, and the base of both Events API v2 modules (pd_change_event is in ``_change_event``).

Private to this collection: not an API for other collections.

The routing key is given (``routing_key``) or read from a service's integration through the REST client
(``service`` and ``integration``); either way it is a secret that never appears in the result. An event is
an action, not a state: a sent event is ``changed``, check mode sends nothing and says what it would send.
"""

from __future__ import annotations

import uuid

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION
from ansible.module_utils.basic import env_fallback

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._base import PagerDutyModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._events import (
    ALERT_PATH,
    DEDUP_KEY_MAX,
    DEFAULT_RETRIES,
    DEFAULT_RETRY_DELAY,
    EVENT_ACTIONS,
    SEVERITIES,
    SUMMARY_MAX,
    EventsClient,
    check_routing_key,
)
from ansible_collections.oncall.pagerduty.plugins.module_utils._service import INTEGRATION_TYPES
from ansible_collections.oncall.pagerduty.plugins.module_utils._timeutil import iso, parse_instant

EVENTS_V2_TYPE = INTEGRATION_TYPES["events_api_v2"]
LINK_OPTIONS = {"href": {"type": "str", "required": True}, "text": {"type": "str"}}
IMAGE_OPTIONS = {"src": {"type": "str", "required": True}, "href": {"type": "str"}, "alt": {"type": "str"}}


def routing_options() -> dict:
    """Where events go, and how they are sent: the options both event modules share."""
    return {
        "routing_key": {"type": "str", "no_log": True, "fallback": (env_fallback, ["PAGERDUTY_ROUTING_KEY"])},
        "service": {"type": "str"},
        "integration": {"type": "str"},
        "events_url": {"type": "str", "fallback": (env_fallback, ["PAGERDUTY_EVENTS_URL"])},
        "event_retries": {"type": "int", "default": DEFAULT_RETRIES},
        "event_retry_delay": {"type": "float", "default": DEFAULT_RETRY_DELAY},
        "links": {"type": "list", "elements": "dict", "options": LINK_OPTIONS},
        "custom_details": {"type": "dict"},
        "summary": {"type": "str"},
        "source": {"type": "str"},
        "timestamp": {"type": "str"},
    }


def routing_key_of(client, service_value, integration_name):
    """The integration key of a service's integration: the one named, else the service's only Events API v2 one."""
    service_kind = catalog.KINDS["service"]
    service = catalog.find(client, service_kind, service_value, {"include[]": ["integrations"]})
    if service is None:
        raise catalog.missing(service_kind, service_value, "service")
    if any("integration_key" not in item for item in service.get("integrations") or []):  # references only (a listed service)
        service = catalog.get_by_id(client, service_kind, service["id"], {"include[]": ["integrations"]}) or service
    integrations = [item for item in service.get("integrations") or [] if isinstance(item, dict)]
    label = f"service {service.get('name') or service['id']!r}"

    def names(items):
        return ", ".join(repr(item.get("name") or item.get("summary")) for item in items) or "none"

    if integration_name is not None:
        named = [item for item in integrations if (item.get("name") or item.get("summary")) == integration_name]
        if not named:
            raise EventInputError(f"integration: {label} has no integration named {integration_name!r} (it has: {names(integrations)})")
        chosen = named[0]
    else:
        events = [item for item in integrations if item.get("type") == EVENTS_V2_TYPE]
        if not events:
            raise EventInputError(f"service: {label} has no Events API v2 integration; add one (pd_service integrations) or give routing_key")
        if len(events) > 1:
            raise EventInputError(f"integration: {label} has {len(events)} Events API v2 integrations ({names(events)}); name one")
        chosen = events[0]
    if not chosen.get("integration_key"):
        raise EventInputError(f"integration: {chosen.get('name') or chosen.get('summary')!r} of {label} has no integration key "
                              "(it is not an events integration)")
    return chosen["integration_key"]


class EventInputError(Exception):
    """Wrong input found with the REST API's help (no event was sent)."""


class EventModule(PagerDutyModule):
    """The base of both event modules: the routing key, the events client, check mode and the result."""

    path = None  # the Events API path
    timestamp = None  # the timestamp option in ISO 8601, once validated

    @classmethod
    def needs_client(cls, params):
        return params.get("service") is not None

    @classmethod
    def spec_rules(cls):
        return {"required_one_of": [("routing_key", "service")], "mutually_exclusive": [("routing_key", "service")],
                "required_by": {"integration": "service"}}

    def validate(self):
        params = self.params
        if params.get("routing_key") is None and params.get("service") is None:
            self.fail_input("one of routing_key and service is required: the routing key, or the service whose integration's key to use")
        if params.get("routing_key") is not None:
            check_routing_key(params["routing_key"])
        summary = params.get("summary")
        if summary is not None and not (0 < len(summary.strip()) and len(summary) <= SUMMARY_MAX):
            self.fail_input(f"summary must be 1 to {SUMMARY_MAX} characters, got {len(summary)}")
        if params.get("timestamp") is not None:
            try:
                self.timestamp = iso(parse_instant(params["timestamp"], "timestamp", self.ctx.now))
            except ValueError as exc:
                self.fail_input(f"{exc}")
        for index, link in enumerate(params.get("links") or []):
            if not link["href"].strip():
                self.fail_input(f"links[{index}].href must be a URL")

    def event(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def routing_key(self):
        if self.params.get("routing_key") is not None:
            return self.params["routing_key"]
        try:
            key = routing_key_of(self.client, self.params["service"], self.params.get("integration"))
        except EventInputError as exc:
            self.fail_input(f"{exc}")
        if self.ansible is not None:
            self.ansible.no_log_values.add(key)  # read from the API: hidden from every output like a no_log option
        return key

    def events_client(self, routing_key):
        params = self.params
        return EventsClient(
            routing_key, region=params["region"], events_url=params.get("events_url"), validate_certs=params["validate_certs"],
            ca_path=params.get("ca_path"), timeout=params["timeout"], retries=params["event_retries"],
            retry_delay=params["event_retry_delay"], user_agent_extra=f"ansible-core/{ANSIBLE_VERSION}")

    def payload_fields(self, names):
        """The options among ``names`` that are set, under their API names (``event_class`` is ``class``)."""
        fields = {}
        for name in names:
            value = self.timestamp if name == "timestamp" else self.params.get(name)
            if value is not None:
                fields["class" if name == "event_class" else name] = value
        return fields

    def context_lists(self, event):
        """``links`` (and ``images``) without the unset suboptions."""
        for name in ("links", "images"):
            items = self.params.get(name)
            if items:
                event[name] = [{key: value for key, value in item.items() if value is not None} for item in items]
        return event

    def execute(self):
        event = self.event()
        client = self.events_client(self.routing_key())
        result = {"changed": True, "event": event, "url": client.url(self.path)}
        if self.diff_mode:
            result["diff"] = {"before": {}, "after": {"event": event}}
        if self.check_mode:
            result.update(msg="Check mode: the event was not sent", attempts=0)
            return self.finish(result, {})
        answer, attempts = client.send(self.path, event)
        result.update(attempts=attempts, response={key: answer.get(key) for key in ("status", "message", "dedup_key") if key in answer})
        return self.finish(result, answer)

    def finish(self, result, answer):
        return result


class AlertEventModule(EventModule):
    """pd_event: trigger, acknowledge or resolve an alert by its dedup key."""

    path = ALERT_PATH

    @staticmethod
    def argument_spec():
        spec = routing_options()
        spec.update({
            "event_action": {"type": "str", "default": "trigger", "choices": list(EVENT_ACTIONS)},
            "dedup_key": {"type": "str", "no_log": False},
            "severity": {"type": "str", "choices": list(SEVERITIES)},
            "component": {"type": "str"},
            "group": {"type": "str"},
            "event_class": {"type": "str", "aliases": ["class"]},
            "images": {"type": "list", "elements": "dict", "options": IMAGE_OPTIONS},
            "client": {"type": "str"},
            "client_url": {"type": "str"},
        })
        return spec

    @classmethod
    def spec_rules(cls):
        rules = super().spec_rules()
        rules["required_if"] = [("event_action", "trigger", ("summary", "source", "severity")),
                                ("event_action", "acknowledge", ("dedup_key",)), ("event_action", "resolve", ("dedup_key",))]
        return rules

    def validate(self):
        super().validate()
        params = self.params
        dedup_key = params.get("dedup_key")
        if dedup_key is not None and not 0 < len(dedup_key) <= DEDUP_KEY_MAX:
            self.fail_input(f"dedup_key must be 1 to {DEDUP_KEY_MAX} characters, got {len(dedup_key)}")
        if params["event_action"] != "trigger":
            extra = [name for name in ("summary", "source", "severity", "component", "group", "event_class", "timestamp", "custom_details",
                                       "links", "images", "client", "client_url") if params.get(name) is not None]
            if extra:
                self.fail_input(f"{', '.join(extra)}: only a trigger event carries these; event_action={params['event_action']} takes dedup_key")
        for index, image in enumerate(params.get("images") or []):
            if not image["src"].lower().startswith("https://"):
                self.fail_input(f"images[{index}].src must be an https:// URL (PagerDuty shows only images served over HTTPS)")

    def event(self):
        params = self.params
        # A trigger always carries a dedup key (a new UUID when none is given, as PagerDuty would make one), so
        # that a retry after a lost answer updates the same alert instead of opening a second one.
        dedup_key = params.get("dedup_key") or f"{uuid.uuid4()}"
        event = {"event_action": params["event_action"], "dedup_key": dedup_key}
        if params["event_action"] == "trigger":
            event["payload"] = self.payload_fields(("summary", "source", "severity", "timestamp", "component", "group", "event_class",
                                                    "custom_details"))
            event.update(self.payload_fields(("client", "client_url")))
            self.context_lists(event)
        return event

    def finish(self, result, answer):
        result["dedup_key"] = answer.get("dedup_key") or result["event"]["dedup_key"]
        return result
