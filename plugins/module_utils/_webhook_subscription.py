# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""v3 webhook subscriptions: pd_webhook_subscription and pd_webhook_subscription_info.

Private to this collection: not an API for other collections.

A subscription has no name. A task finds it by ``id``, or by its delivery URL together with its
filter (the account, one service or one team): exactly one subscription may match, two are an
error asking for ``id``. What the API allows (OpenAPI spec, ``/webhook_subscriptions``):

- ``PUT`` changes ``description``, ``events``, ``filter`` and ``active``, never the
  ``delivery_method`` (URL and custom headers): such a change replaces the subscription (a new
  one is created, then the old one deleted) when the task allows it, else it is an error before
  any write.
- ``GET`` shows custom header values redacted, so headers are compared by name; their values are
  written when a subscription is created (or replaced).
- The signing secret (``delivery_method.secret``) is only in the answer to the create: the task
  that creates a subscription returns it, no later run can.
- ``POST /webhook_subscriptions/{id}/enable`` enables a subscription PagerDuty disabled after
  failed deliveries (``delivery_method.temporarily_disabled``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import AppliedError, Field, InfoModule, ResourceModule

# The event types of PagerDuty's developer docs (Webhooks, Overview, "Event Types"); the spec has no enum.
EVENT_TYPES = (
    "incident.acknowledged", "incident.action_invocation.created", "incident.action_invocation.terminated",
    "incident.action_invocation.updated", "incident.annotated", "incident.conference_bridge.updated",
    "incident.custom_field_values.updated", "incident.delegated", "incident.escalated", "incident.incident_type.changed",
    "incident.priority_updated", "incident.reassigned", "incident.reopened", "incident.resolved", "incident.responder.added",
    "incident.responder.replied", "incident.role.assigned", "incident.service_updated", "incident.status_update_published",
    "incident.task.completed", "incident.task.created", "incident.task.updated", "incident.triggered",
    "incident.unacknowledged", "incident.workflow.completed", "incident.workflow.started",
    "service.created", "service.custom_field_values.updated", "service.deleted", "service.updated",
)
FILTER_TYPES = ("account", "service", "team")  # the list's filter_type values; filter.type is "<type>_reference"
HEADER_MODES = ("on_create", "always")
DELIVERY_TYPE = "http_delivery_method"
REDACTED = "-- redacted --"  # how PagerDuty shows a custom header value (the spec's examples)
DELIVERY_OPTIONS = ("url", "custom_headers")  # what PUT cannot change


def argument_spec():
    """The options of pd_webhook_subscription (the connection options and state are added by the base)."""
    return dict(
        id=dict(type="str"),
        url=dict(type="str"),
        description=dict(type="str"),
        events=dict(type="list", elements="str", choices=list(EVENT_TYPES)),
        filter_type=dict(type="str", choices=list(FILTER_TYPES)),
        filter=dict(type="str"),
        custom_headers=dict(type="list", elements="dict", options=dict(
            name=dict(type="str", required=True),
            value=dict(type="str", required=True, no_log=True),
        )),
        update_custom_headers=dict(type="str", default="on_create", choices=list(HEADER_MODES)),
        recreate=dict(type="bool", default=False),
        active=dict(type="bool"),
    )


# -- what both modules share ----------------------------------------------------


def url_of(obj):
    return catalog.KINDS["webhook_subscription"].key_of(obj or {})


def filter_of(obj):
    """A subscription's filter as compared: ``{"type"}`` for the account, ``{"type", "id"}`` otherwise."""
    found = (obj or {}).get("filter") or {}
    if found.get("type") == "account_reference":
        return {"type": "account_reference"}
    return {"type": found.get("type"), "id": found.get("id")}


def filter_problem(params):
    """What is wrong with filter_type and filter together, or None."""
    filter_type, name = params.get("filter_type"), params.get("filter")
    if filter_type in ("service", "team") and not name:
        return f"filter: the {filter_type} (name or id) is required with filter_type={filter_type}"
    if name and filter_type is None:
        return "filter names a service or a team: filter_type (service or team) is required with it"
    if name and filter_type == "account":
        return "filter: filter_type=account takes no filter (use service or team)"
    return None


def resolve_filter(ctx, filter_type, name):
    """The API filter for ``filter_type`` (account, service, team) and the service or team named (name or id)."""
    if filter_type == "account":
        return {"type": "account_reference"}
    kind = catalog.KINDS[filter_type]
    held = filter_of(ctx.existing) if ctx.existing else {}
    if held.get("type") == kind.reference_type and held.get("id") == name:
        return held
    return {"type": kind.reference_type, "id": catalog.resolve_reference(ctx.client, kind, name, "filter")}


def list_params(api_filter):
    """The list's filter_type and filter_id parameters for an API filter."""
    filter_type = api_filter["type"][:-len("_reference")]
    return {"filter_type": filter_type, "filter_id": api_filter["id"]} if api_filter.get("id") else {"filter_type": filter_type}


def subscriptions_to(client, url, api_filter, exclude=None):
    """Every subscription delivering to ``url`` (exactly) with this filter, but the one with the id ``exclude``."""
    kind = catalog.KINDS["webhook_subscription"]
    return [obj for obj in client.iter_pages(kind.path, kind.plural, list_params(api_filter))
            if url_of(obj) == url and filter_of(obj) == api_filter and obj.get("id") != exclude]


def header_names(headers):
    return sorted((header.get("name") or "" for header in headers or []), key=str.casefold)


def shown_filter(api_filter):
    return "the account" if not api_filter.get("id") else f"{api_filter['type'][:-len('_reference')]} {api_filter['id']}"


# -- fields -----------------------------------------------------------------------


class UrlField(Field):
    """The delivery URL (``delivery_method.url``); PUT cannot change it."""

    def from_api(self, ctx, obj):
        return url_of(obj)


class HeadersField(Field):
    """Custom headers, compared by name (case-insensitively): PagerDuty never shows their values. Only names are shown."""

    def from_api(self, ctx, obj):
        return header_names(((obj or {}).get("delivery_method") or {}).get("custom_headers"))

    def from_option(self, ctx, value):
        return header_names(value)

    def same(self, ctx, current, desired):
        return [name.casefold() for name in current or []] == [name.casefold() for name in desired]


class DescriptionField(Field):
    """The description: null and "" compared alike; cleared with "" (the spec's field is a string, not nullable)."""

    def to_api(self, ctx, comparable):
        return "" if comparable is None else comparable


class EventsField(Field):
    """Event types, compared as a set (sorted)."""

    def from_api(self, ctx, obj):
        return sorted(set(obj.get(self.api) or []))

    def from_option(self, ctx, value):
        return sorted(set(value))


class FilterField(Field):
    """``filter_type`` with ``filter`` (the service or team by name or id) as the API's ``filter``."""

    def from_api(self, ctx, obj):
        return filter_of(obj)

    def from_option(self, ctx, value):
        return ctx.remember(resolve_filter, value, ctx.params.get("filter"))


# -- the modules ------------------------------------------------------------------


class WebhookSubscriptionModule(ResourceModule):
    """pd_webhook_subscription."""

    kind = "webhook_subscription"
    argument_spec = staticmethod(argument_spec)
    fields = (UrlField("url", api="delivery_method"), DescriptionField("description"), EventsField("events"),
              FilterField("filter_type", api="filter"), Field("active"), HeadersField("custom_headers", api="delivery_method"))
    create_requires = ("events",)
    settled_by_key = False  # its URL and its filter find it: post() keeps one copy

    def account_key(self):
        """How pd_account names an item: its id, else its URL and filter."""
        if self.params.get("id"):
            return self.params["id"]
        return f"{self.params.get('url')} ({self.params.get('filter_type') or 'account'}{' ' + self.params['filter'] if self.params.get('filter') else ''})"

    def validate(self):
        params = self.params
        url = params.get("url")
        if url is not None:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                self.fail_input(f"url: an http:// or https:// URL with a host name is required; got {url!r}")
        problem = filter_problem(params)
        if problem:
            self.fail_input(problem)
        if params.get("events") == []:
            self.fail_input("events: at least one event type is required")
        names = [header["name"] for header in params.get("custom_headers") or []]
        if any(not name.strip() for name in names):
            self.fail_input("custom_headers: every header needs a name")
        repeated = sorted({name for name in names if [other.casefold() for other in names].count(name.casefold()) > 1})
        if repeated:
            self.fail_input(f"custom_headers: header names must be unique; given more than once: {', '.join(repeated)}")
        if not params.get("id") and params.get("filter_type") is None:
            params["filter_type"] = "account"  # found by URL and filter: the account's when the task names none

    # -- finding -----------------------------------------------------------------

    def find_existing(self):
        if self.params.get("id"):
            return super().find_existing()
        try:
            api_filter = self.ctx.remember(resolve_filter, self.params["filter_type"], self.params.get("filter"))
        except PagerDutyError:
            if self.params.get("state") == "absent":
                return None  # no such service or team: no subscription of it to delete
            raise
        directory = catalog.listed(self.client, self.kind)
        if directory is not None:  # the account engine listed every subscription: no request
            matches = [obj for obj in directory.of_kind(self.kind) if url_of(obj) == self.params["url"] and filter_of(obj) == api_filter]
        else:
            matches = subscriptions_to(self.client, self.params["url"], api_filter)
        if len(matches) > 1:
            raise PagerDutyError(f"{len(matches)} webhook subscriptions deliver to {self.params['url']!r} for {shown_filter(api_filter)} "
                                 f"(ids: {', '.join(sorted(obj['id'] for obj in matches))}); give id instead")
        return matches[0] if matches else None

    # -- bodies ------------------------------------------------------------------------

    def new_subscription(self, values):
        """The create body's object for ``values`` (comparable values by option) and the task's header values."""
        method = {"type": DELIVERY_TYPE, "url": values["url"]}
        if self.params.get("custom_headers") is not None:
            method["custom_headers"] = [{"name": h["name"], "value": h["value"]} for h in self.params["custom_headers"]]
        body = {"type": self.kind.name, "delivery_method": method}
        for option in ("description", "events", "filter_type", "active"):
            if values.get(option) is not None:
                body[self.by_option[option].api] = self.by_option[option].to_api(self.ctx, values[option])
        return body

    @staticmethod
    def predicted(body, object_id=None):
        """The object a check-mode create would make: header values redacted, no secret."""
        method = dict(body["delivery_method"], secret=None, temporarily_disabled=False)
        method["custom_headers"] = [{"name": header["name"], "value": REDACTED} for header in method.get("custom_headers") or []]
        return dict(body, id=object_id, active=body.get("active", True), description=body.get("description"), delivery_method=method)

    def post(self, body, exclude=None):
        """Create a subscription (one transient fault makes no duplicate); concurrent runs keep one copy."""
        url, api_filter = body["delivery_method"]["url"], body["filter"]
        created = catalog.create_once(lambda: self.client.post(self.kind.path, {self.kind.wrapper: body})[self.kind.wrapper],
                                      lambda: catalog.kept_copy(subscriptions_to(self.client, url, api_filter, exclude)))
        if not self.settle_copies:
            return created, False
        kept = catalog.keep_one_copy(self.client, created, lambda: subscriptions_to(self.client, url, api_filter, exclude),
                                     lambda obj: self.kind.item_path(obj["id"]))
        return (created, False) if kept["id"] == created["id"] else (kept, True)

    # -- actions -----------------------------------------------------------------------

    def shown(self, values):
        return {option: self.by_option[option].diff(self.ctx, None, value)[1] for option, value in values.items()}

    def create(self, desired):
        for option in ("url",) + self.create_requires:
            if not self.params.get(option):
                raise PagerDutyError(f"{option} is required to create a {self.kind.label}")
        body = self.new_subscription(desired)
        if self.check_mode:
            return self.finish(True, self.predicted(body), {}, self.shown(desired))
        created, adopted = self.post(body)
        if adopted:  # another run created it a moment ago (and got its secret): converge on that one
            self.ctx.existing = created
            return self.update(created, desired)
        return self.finish(True, created, {}, self.shown(desired))

    def update(self, existing, desired):
        current = self.current_state(existing)
        changes = {k: v for k, v in desired.items() if not self.by_option[k].same(self.ctx, current.get(k), v)}
        rewrite_headers = self.params.get("custom_headers") is not None and self.params["update_custom_headers"] == "always"
        if rewrite_headers or any(option in changes for option in DELIVERY_OPTIONS):
            return self.replace(existing, current, desired, changes, rewrite_headers)
        before = {k: current.get(k) for k in changes}
        after = dict(changes)
        reenable = self.params.get("active") is True and bool((existing.get("delivery_method") or {}).get("temporarily_disabled"))
        if reenable:
            before["temporarily_disabled"], after["temporarily_disabled"] = True, False
        obj = existing
        if changes:
            body = {self.by_option[k].api: self.by_option[k].to_api(self.ctx, v) for k, v in changes.items()}
            if self.check_mode:
                obj = dict(existing, **body)
            else:
                obj = self.client.put(self.kind.item_path(existing["id"]), {self.kind.wrapper: body})[self.kind.wrapper]
                self.applied.append(f"updated {self.kind.label} {existing['id']}: {', '.join(sorted(changes))}")
        if reenable:
            obj = dict(obj, delivery_method=dict(obj.get("delivery_method") or {}, temporarily_disabled=False))
            if not self.check_mode:
                try:
                    obj = self.client.post(catalog.path("webhook_subscription_enable", existing["id"]), None)[self.kind.wrapper]
                except PagerDutyError as exc:
                    if self.applied:
                        raise AppliedError(exc, self.kind, existing["id"], self.applied)
                    raise
        return self.result(bool(changes) or reenable, obj, before, after)

    def replace(self, existing, current, desired, changes, rewrite_headers):
        """A new subscription with the changed delivery method and the other fields as they are or as the task
        sets them, then the old one deleted (PagerDuty cannot change a delivery method)."""
        moved = [option for option in DELIVERY_OPTIONS if option in changes]
        if not self.params["recreate"] and (moved or not rewrite_headers):
            raise PagerDutyError(
                f"{' and '.join(moved)}: PagerDuty cannot change the delivery method of the webhook subscription {existing['id']} "
                f"({', '.join(f'{option} is {current.get(option)!r}' for option in moved)}); set recreate=true to replace it by a new "
                "subscription (a new id and a new signing secret)")
        existing_headers = HeadersField("custom_headers").from_api(self.ctx, existing)
        if existing_headers and self.params.get("custom_headers") is None:
            raise PagerDutyError(f"custom_headers: the webhook subscription {existing['id']} has custom headers "
                                 f"({', '.join(existing_headers)}) whose values PagerDuty does not show; give custom_headers to replace it")
        values = {f.option: f.from_api(self.ctx, existing) for f in self.fields}
        values.update(desired)
        before = {k: current.get(k) for k in changes}
        after = dict(changes)
        if rewrite_headers and "custom_headers" not in changes:
            before["custom_headers"] = after["custom_headers"] = values["custom_headers"]
        before["id"] = existing["id"]
        body = self.new_subscription(values)
        if self.check_mode:
            after["id"] = None
            return self.result(True, self.predicted(body), before, after)
        created, _adopted = self.post(body, exclude=existing["id"])
        after["id"] = created["id"]
        self.applied.append(f"created {self.kind.label} {created['id']} to replace {existing['id']}")
        try:
            self.client.delete(self.kind.item_path(existing["id"]))
        except PagerDutyError as exc:
            raise AppliedError(exc, self.kind, created["id"], self.applied)
        return self.result(True, created, before, after)


class WebhookSubscriptionInfoModule(InfoModule):
    """pd_webhook_subscription_info: by id, or the list narrowed by filter and delivery URL."""

    kind = "webhook_subscription"

    def __init__(self, argument_spec, **kwargs):
        kwargs.setdefault("mutually_exclusive", [("id", "url"), ("id", "filter_type"), ("id", "filter")])
        super().__init__(argument_spec, **kwargs)

    @classmethod
    def declared_options(cls):
        return [("the id option", "id"), ("the natural key", "url"), ("filter", "filter_type"), ("filter", "filter")]

    def validate(self):
        problem = filter_problem(self.params)
        if problem:
            self.fail_input(problem)

    def execute(self):
        if self.params.get("id"):
            found = catalog.get_by_id(self.client, self.kind, self.params["id"])
            return {"changed": False, self.kind.plural: [found] if found else []}
        params = {}
        if self.params.get("filter_type"):
            params = list_params(self.ctx.remember(resolve_filter, self.params["filter_type"], self.params.get("filter")))
        items = self.client.list_all(self.kind.path, self.kind.plural, params or None)
        if self.params.get("url"):
            items = [item for item in items if url_of(item) == self.params["url"]]
        return {"changed": False, self.kind.plural: items}
