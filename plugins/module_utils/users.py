# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What pd_user and pd_user_info share: roles, contact methods, notification rules, team roles."""

from __future__ import annotations

import re

from ansible_collections.oncall.pagerduty.plugins.module_utils.client import PagerDutyAPIError, PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils.resource import Field, InfoModule, ResourceModule
from ansible_collections.oncall.pagerduty.plugins.module_utils.memberships import TeamRoles, members_by_user
from ansible_collections.oncall.pagerduty.plugins.module_utils.sublists import SubList
from ansible_collections.oncall.pagerduty.plugins.module_utils.timezones import time_zone_error

# The web UI's names for the API's roles.
UI_ROLES = {
    "global_admin": "admin",
    "manager": "user",
    "responder": "limited_user",
    "observer": "observer",
    "stakeholder": "read_only_user",
    "limited_stakeholder": "read_only_limited_user",
    "restricted_access": "restricted_access",
}
API_ROLES = ("admin", "user", "limited_user", "observer", "read_only_user", "read_only_limited_user", "restricted_access")
ROLE_CHOICES = sorted(set(API_ROLES) | set(UI_ROLES) | set(["owner"]))
OWNER_REFUSED = ("role: owner cannot be given through the API; the account owner transfers ownership in the web UI "
                 "(Account Settings). Use admin (global_admin) for full rights")

# Our short contact method types and the API's.
CONTACT_TYPES = {
    "email": "email_contact_method",
    "phone": "phone_contact_method",
    "sms": "sms_contact_method",
    "push": "push_notification_contact_method",
    "whatsapp": "whatsapp_contact_method",
}
SHORT_TYPES = dict((v, k) for k, v in CONTACT_TYPES.items())
DEFAULT_LABELS = {"email": "Email", "phone": "Phone", "sms": "SMS", "push": "Push", "whatsapp": "WhatsApp"}
NUMBER_TYPES = ("phone", "sms", "whatsapp")


def api_role(role):
    """The API value of a role given by its API or web UI name."""
    if role is None:
        return None
    return UI_ROLES.get(role, role)


def contact_key(short_type, address):
    """Identity of a contact method: emails compare case-insensitively, numbers by their digits."""
    address = "%s" % (address or "")
    if short_type in NUMBER_TYPES:
        return (short_type, re.sub(r"\D", "", address))
    return (short_type, address.strip().lower())


def api_contact_key(contact_method):
    return contact_key(SHORT_TYPES.get(contact_method.get("type"), contact_method.get("type")), contact_method.get("address"))


def describe_contact(key):
    return "%s %s" % key


class ContactMethods(SubList):
    """``/users/{id}/contact_methods``: identified by type and address."""

    option = "contact_methods"
    purge_option = "purge_contact_methods"
    fields = ("label", "country_code", "send_short_email")

    @staticmethod
    def path(user, item_id=None):
        path = "/users/%s/contact_methods" % user["id"]
        return path + "/%s" % item_id if item_id else path

    def assumed_for_new(self, engine):
        # PagerDuty gives every new user an email contact method for the login email.
        return [{"id": None, "type": "email_contact_method", "address": engine.params["email"], "label": "Default"}]

    def read(self, engine, user):
        # Not a paginated list in the API: no limit/offset.
        return engine.remember("contact_methods", lambda: (engine.client.get(self.path(user)) or {}).get("contact_methods") or [])

    def desired(self, engine, items):
        result = []
        for item in items:
            short = item["type"]
            if short == "email" and item.get("country_code") is not None:
                raise PagerDutyError("contact_methods: country_code applies to phone, sms and whatsapp, not to email %s" % item["address"])
            if short != "email" and item.get("send_short_email") is not None:
                raise PagerDutyError("contact_methods: send_short_email applies to email contact methods only, not to %s %s"
                                     % (short, item["address"]))
            result.append({
                "type": CONTACT_TYPES[short],
                # PagerDuty stores numbers as digits only (without the country code)
                "address": contact_key(short, item["address"])[1] if short in NUMBER_TYPES else item["address"],
                "label": item.get("label"),
                "country_code": item.get("country_code"),
                "send_short_email": item.get("send_short_email"),
            })
        return result

    def identity(self, item):
        return api_contact_key(item)

    def render(self, item):
        shown = {"type": SHORT_TYPES.get(item["type"], item["type"]), "address": item["address"]}
        for field in self.fields:
            if item.get(field) is not None:
                shown[field] = item[field]
        return shown

    def body(self, item):
        short = SHORT_TYPES[item["type"]]
        body = {"type": item["type"], "address": item["address"], "label": item.get("label") or DEFAULT_LABELS[short]}
        if short in NUMBER_TYPES:
            body["country_code"] = item["country_code"] if item.get("country_code") is not None else 1
        if short == "email" and item.get("send_short_email") is not None:
            body["send_short_email"] = item["send_short_email"]
        return {"contact_method": body}

    def add(self, engine, user, item):
        engine.client.post(self.path(user), self.body(item))
        engine.memo.pop("contact_methods", None)

    def update(self, engine, user, old, new, changes):
        merged = dict(old)
        merged.update((k, v) for k, v in new.items() if v is not None)
        merged["type"] = old["type"]
        engine.client.put(self.path(user, old["id"]), self.body(merged))
        engine.memo.pop("contact_methods", None)

    def remove(self, engine, user, item):
        engine.client.delete(self.path(user, item["id"]))
        engine.memo.pop("contact_methods", None)


class NotificationRules(SubList):
    """``/users/{id}/notification_rules``: identified by contact method, urgency and delay.

    A rule names its contact method by type and address, so it may name one that
    the same task creates.
    """

    option = "notification_rules"
    purge_option = "purge_notification_rules"
    fields = ()

    @staticmethod
    def path(user, item_id=None):
        path = "/users/%s/notification_rules" % user["id"]
        return path + "/%s" % item_id if item_id else path

    def read(self, engine, user):
        keys = dict((cm["id"], api_contact_key(cm)) for cm in ContactMethods().read(engine, user))
        # Without urgency=all the API lists only the high-urgency rules.
        rules = (engine.client.get(self.path(user), {"urgency": "all"}) or {}).get("notification_rules") or []
        for rule in rules:
            rule["_contact"] = keys.get((rule.get("contact_method") or {}).get("id"), ("unknown", (rule.get("contact_method") or {}).get("id")))
        return rules

    def assumed_for_new(self, engine):
        # ... and rules that notify that email at once, for high and low urgency.
        login = contact_key("email", engine.params["email"])
        return [{"id": None, "_contact": login, "urgency": urgency, "start_delay_in_minutes": 0} for urgency in ("high", "low")]

    def desired(self, engine, items):
        known = set()
        if engine.existing_id():
            known.update(api_contact_key(cm) for cm in ContactMethods().read(engine, {"id": engine.existing_id()}))
        known.update(contact_key(cm["type"], cm["address"]) for cm in engine.params.get("contact_methods") or [])
        if engine.params.get("email"):
            known.add(contact_key("email", engine.params["email"]))  # PagerDuty creates it with the user
        result = []
        for index, item in enumerate(items):
            key = contact_key(item["contact_method"]["type"], item["contact_method"]["address"])
            if key not in known:
                raise PagerDutyError(
                    "notification_rules[%d].contact_method: the user has no %s contact method and contact_methods does not list it"
                    % (index, describe_contact(key)))
            result.append({
                "_contact": key,
                "urgency": item["urgency"],
                "start_delay_in_minutes": item["start_delay_in_minutes"],
            })
        return result

    def identity(self, item):
        return (item["_contact"], item["urgency"], item["start_delay_in_minutes"])

    def render(self, item):
        return {
            "contact_method": {"type": item["_contact"][0], "address": item["_contact"][1]},
            "urgency": item["urgency"],
            "start_delay_in_minutes": item["start_delay_in_minutes"],
        }

    def public(self, item):
        if item.get("id"):
            return super(NotificationRules, self).public(item)
        return dict(self.render(item), id=None, type="assignment_notification_rule")

    def add(self, engine, user, item):
        contact = [cm for cm in ContactMethods().read(engine, user) if api_contact_key(cm) == item["_contact"]]
        if not contact:
            raise PagerDutyError("notification rule: the %s contact method was not found after it was created" % describe_contact(item["_contact"]))
        engine.client.post(self.path(user), {"notification_rule": {
            "type": "assignment_notification_rule",
            "start_delay_in_minutes": item["start_delay_in_minutes"],
            "urgency": item["urgency"],
            "contact_method": {"id": contact[0]["id"], "type": contact[0]["type"] + "_reference"},
        }})

    def remove(self, engine, user, item):
        try:
            engine.client.delete(self.path(user, item["id"]))
        except PagerDutyAPIError as exc:
            if exc.status != 404:  # removed with its contact method
                raise


USER_FIELDS = [
    Field("email", casefold=True),
    Field("name"),
    Field("role", normalize=api_role),
    Field("time_zone"),
    Field("color"),
    Field("job_title"),
    Field("description"),
]


class UserModule(ResourceModule):
    """pd_user: the user's own fields, then contact methods, notification rules and team roles."""

    kind = "user"
    fields = USER_FIELDS
    create_requires = ("name",)
    sublists = (ContactMethods(), NotificationRules(), TeamRoles())

    def validate(self):
        if self.params.get("role") == "owner":
            self.fail_input(OWNER_REFUSED)
        if self.params.get("time_zone") is not None:
            message = time_zone_error("time_zone", self.params["time_zone"])
            if message:
                self.fail_input(message)
        for option, key in (("contact_methods", lambda i: contact_key(i["type"], i["address"])),
                            ("teams", lambda i: i["team"]),
                            ("notification_rules", lambda i: (contact_key(i["contact_method"]["type"], i["contact_method"]["address"]),
                                                              i["urgency"], i["start_delay_in_minutes"]))):
            seen = set()
            for index, item in enumerate(self.params.get(option) or []):
                if key(item) in seen:
                    self.fail_input("%s[%d] repeats an earlier item of %s" % (option, index, option))
                seen.add(key(item))
        for index, rule in enumerate(self.params.get("notification_rules") or []):
            if rule["start_delay_in_minutes"] < 0:
                self.fail_input("notification_rules[%d].start_delay_in_minutes must be 0 or more, got %d" % (index, rule["start_delay_in_minutes"]))

    def explain_create_error(self, exc):
        if exc.status == 400 and not self.client.from_email:
            return exc.add_hint("Creating a user with an account-level API key needs the From header: set from_email "
                                "(or PAGERDUTY_FROM_EMAIL) to the email of an admin user of the account")
        return exc

    def explain_delete_error(self, exc, existing):
        if exc.status != 400:
            return exc
        holders = []
        try:
            policies = self.client.list_all("/escalation_policies", "escalation_policies", {"user_ids[]": existing["id"]})
            schedules = [schedule for schedule in self.client.iter_pages("/schedules", "schedules")
                         if existing["id"] in [user.get("id") for user in schedule.get("users") or []]]
        except PagerDutyError:
            return exc
        for label, objects in (("escalation policies", policies), ("schedules", schedules)):
            if objects:
                holders.append("%s %s" % (label, ", ".join(sorted(obj.get("name") or obj["id"] for obj in objects))))
        if holders:
            return exc.add_hint("The user is still used by %s" % "; ".join(holders))
        return exc


class UserInfoModule(InfoModule):
    """pd_user_info: filters by team, includes sub-resources and team roles on request."""

    kind = "user"

    def show_params(self):
        include = [name for name in self.params.get("include") or [] if name != "teams"]
        return {"include[]": include} if include else {}

    def decorate(self, items):
        if "teams" not in (self.params.get("include") or []):
            return items
        members = {}
        for user in items:
            for team in user.get("teams") or []:
                if team["id"] not in members:
                    members[team["id"]] = members_by_user(self.client, team["id"])
                team["role"] = members[team["id"]].get(user["id"])
        return items
