# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Business services: pd_business_service (its fields and its notification subscribers) and pd_business_service_info.

Private to this collection: not an API for other collections.

The API's list of business services has no search parameter (the catalog lists them all to find a name), its
bodies carry no ``type`` and name the owning team as ``{"id": ...}``. Subscribers are users and teams:
``GET /business_services/{id}/subscribers`` gives them all in one answer (the list takes no limit or offset),
``POST .../subscribers`` subscribes and ``POST .../unsubscribe`` unsubscribes, each with a ``subscribers`` list of
``{"subscriber_id", "subscriber_type"}``.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import Field, InfoModule, ResourceModule, SubList

SUBSCRIBER_TYPES = ("user", "team")


class TextField(Field):
    """A text the request schema does not let be null: an empty string clears it (and compares as unset)."""

    def to_api(self, ctx, comparable):
        return "" if comparable is None else comparable


class OwnerTeamField(Field):
    """The owning team: given by name or id, sent as ``{"id": ...}`` as the request schema has it."""

    def to_api(self, ctx, comparable):
        return {"id": comparable}


def read_subscribers(ctx, business_service_id):
    """The subscribers of a business service, from one GET (the endpoint takes no paging parameters)."""
    body = ctx.client.get(catalog.path("business_service_subscribers", business_service_id)) or {}
    return [{"subscriber_type": item.get("subscriber_type"), "subscriber_id": item.get("subscriber_id")}
            for item in body.get("subscribers") or [] if isinstance(item, dict)]


class Subscribers(SubList):
    """pd_business_service's ``subscribers``: users and teams notified about the business service."""

    known_when_new = True  # a new business service has none
    option = "subscribers"
    purge_option = "purge_subscribers"

    def read(self, ctx, owner):
        return ctx.remember(read_subscribers, owner["id"])

    def desired(self, ctx, items):
        """Each item's user (email or id) or team (name or id) resolved, in as few requests as the catalog needs."""
        ids = {}
        for kind in SUBSCRIBER_TYPES:
            values = [item[kind] for item in items if item.get(kind)]
            if values:
                ids[kind] = dict(zip(values, catalog.resolve_references(ctx.client, catalog.KINDS[kind], values, f"subscribers ({kind})")))
        result = []
        for item in items:
            kind = "user" if item.get("user") else "team"
            result.append({"subscriber_type": kind, "subscriber_id": ids[kind][item[kind]], "_name": item[kind]})
        return result

    def identity(self, item):
        return (item["subscriber_type"], item["subscriber_id"])

    def render(self, item):
        return {item["subscriber_type"]: item.get("_name") or item["subscriber_id"]}

    @staticmethod
    def body(item):
        return {"subscribers": [{"subscriber_id": item["subscriber_id"], "subscriber_type": item["subscriber_type"]}]}

    def add(self, ctx, owner, item):
        answer = ctx.client.post(catalog.path("business_service_subscribers", owner["id"]), self.body(item)) or {}
        refused = [entry for entry in answer.get("subscriptions") or [] if isinstance(entry, dict) and entry.get("result") == "unauthorized"]
        if refused:
            raise PagerDutyError(f"subscribers: PagerDuty did not subscribe the {item['subscriber_type']} {self.render(item)[item['subscriber_type']]!r}"
                                 " (result: unauthorized; the token's user may not manage that subscriber)")

    def remove(self, ctx, owner, item):
        ctx.client.post(catalog.path("business_service_unsubscribe", owner["id"]), self.body(item))


def argument_spec():
    """The options of pd_business_service (the connection options and state are added by the base)."""
    return dict(
        name=dict(type="str"),
        id=dict(type="str"),
        description=dict(type="str"),
        point_of_contact=dict(type="str"),
        team=dict(type="str"),
        subscribers=dict(type="list", elements="dict", options=dict(
            user=dict(type="str"),
            team=dict(type="str"),
        ), mutually_exclusive=[("user", "team")], required_one_of=[("user", "team")]),
        purge_subscribers=dict(type="bool", default=False),
    )


class BusinessServiceModule(ResourceModule):
    """pd_business_service: the business service's fields and its subscribers."""

    kind = "business_service"
    argument_spec = staticmethod(argument_spec)
    fields = (Field("name"), TextField("description"), TextField("point_of_contact"), OwnerTeamField("team", kind="team"))
    sublists = (Subscribers(),)

    def validate(self):
        if self.params.get("team") is not None and not self.params["team"].strip():
            self.fail_input("team: give the owning team's name or id; this module cannot remove a business service's team")
        for index, item in enumerate(self.params.get("subscribers") or []):
            for kind in SUBSCRIBER_TYPES:
                if item.get(kind) is not None and not item[kind].strip():
                    self.fail_input(f"subscribers[{index}].{kind}: give the {kind}'s {'email' if kind == 'user' else 'name'} or id, not an empty string")


class BusinessServiceInfoModule(InfoModule):
    """pd_business_service_info: the list has no search parameter, so ``query`` filters the whole list here."""

    kind = "business_service"

    def decorate(self, items):
        if self.params.get("include_subscribers"):
            for item in items:
                item["subscribers"] = self.ctx.remember(read_subscribers, item["id"])
        return items
