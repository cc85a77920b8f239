# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Users: pd_user (with contact methods, notification rules and team roles) and pd_user_info.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

import re

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyAPIError, PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import Field, InfoModule, ResourceModule, SubList, held_reference
from ansible_collections.oncall.pagerduty.plugins.module_utils._team import DEFAULT_ROLE, TEAM_ROLES, read_members, remove_member, set_role
from ansible_collections.oncall.pagerduty.plugins.module_utils._timezones import time_zone_error

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
ROLE_CHOICES = sorted(set(API_ROLES) | set(UI_ROLES) | {"owner"})
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
SHORT_TYPES = {v: k for k, v in CONTACT_TYPES.items()}
DEFAULT_LABELS = {"email": "Email", "phone": "Phone", "sms": "SMS", "push": "Push", "whatsapp": "WhatsApp"}
NUMBER_TYPES = ("phone", "sms", "whatsapp")


def api_role(role):
    """The API value of a role given by its API or web UI name."""
    if role is None:
        return None
    return UI_ROLES.get(role, role)


def contact_key(short_type, address):
    """Identity of a contact method: emails compare case-insensitively, numbers by their digits."""
    address = f"{address or ''}"
    if short_type in NUMBER_TYPES:
        return (short_type, re.sub(r"\D", "", address))
    return (short_type, address.strip().lower())


def api_contact_key(contact_method):
    return contact_key(SHORT_TYPES.get(contact_method.get("type"), contact_method.get("type")), contact_method.get("address"))


def describe_contact(key):
    return " ".join(f"{part}" for part in key)


def read_contact_methods(ctx, user_id):
    """The user's contact methods (not a paginated list in the API: no limit/offset); remembered per run."""
    return (ctx.client.get(catalog.path("contact_methods", user_id)) or {}).get("contact_methods") or []


class ContactMethods(SubList):
    """``/users/{id}/contact_methods``: identified by type and address."""

    option = "contact_methods"
    purge_option = "purge_contact_methods"
    fields = ("label", "country_code", "send_short_email")
    include = "contact_methods"
    reader = staticmethod(read_contact_methods)

    def assumed_for_new(self, ctx):
        # PagerDuty gives every new user an email contact method for the login email.
        return [{"id": None, "type": "email_contact_method", "address": ctx.params["email"], "label": "Default"}]

    def read(self, ctx, owner):
        return ctx.remember(read_contact_methods, owner["id"])

    def desired(self, ctx, items):
        result = []
        for item in items:
            short = item["type"]
            if short == "email" and item.get("country_code") is not None:
                raise PagerDutyError(f"contact_methods: country_code applies to phone, sms and whatsapp, not to email {item['address']}")
            if short != "email" and item.get("send_short_email") is not None:
                raise PagerDutyError(f"contact_methods: send_short_email applies to email contact methods only, not to {short} {item['address']}")
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

    def add(self, ctx, owner, item):
        ctx.client.post(catalog.path("contact_methods", owner["id"]), self.body(item))
        ctx.forget(read_contact_methods, owner["id"])

    def update(self, ctx, owner, old, new, changes):
        merged = dict(old)
        merged.update((k, v) for k, v in new.items() if v is not None)
        merged["type"] = old["type"]
        ctx.client.put(catalog.path("contact_methods", owner["id"], old["id"]), self.body(merged))
        ctx.forget(read_contact_methods, owner["id"])

    def remove(self, ctx, owner, item):
        ctx.client.delete(catalog.path("contact_methods", owner["id"], item["id"]))
        ctx.forget(read_contact_methods, owner["id"])


class NotificationRules(SubList):
    """``/users/{id}/notification_rules``: identified by contact method, urgency and delay.

    A rule names its contact method by type and address, so it may name one that
    the same task creates.
    """

    option = "notification_rules"
    purge_option = "purge_notification_rules"
    fields = ()

    def read(self, ctx, owner):
        keys = {cm["id"]: api_contact_key(cm) for cm in ctx.remember(read_contact_methods, owner["id"])}
        # Without urgency=all the API lists only the high-urgency rules.
        rules = (ctx.client.get(catalog.path("notification_rules", owner["id"]), {"urgency": "all"}) or {}).get("notification_rules") or []
        for rule in rules:
            rule["_contact"] = keys.get((rule.get("contact_method") or {}).get("id"), ("unknown", (rule.get("contact_method") or {}).get("id")))
        return rules

    def assumed_for_new(self, ctx):
        # ... and rules that notify that email at once, for high and low urgency.
        login = contact_key("email", ctx.params["email"])
        return [{"id": None, "_contact": login, "urgency": urgency, "start_delay_in_minutes": 0} for urgency in ("high", "low")]

    def desired(self, ctx, items):
        known = set()
        if ctx.existing_id:
            known.update(api_contact_key(cm) for cm in ctx.remember(read_contact_methods, ctx.existing_id))
        known.update(contact_key(cm["type"], cm["address"]) for cm in ctx.params.get("contact_methods") or [])
        if ctx.params.get("email"):
            known.add(contact_key("email", ctx.params["email"]))  # PagerDuty creates it with the user
        result = []
        for index, item in enumerate(items):
            key = contact_key(item["contact_method"]["type"], item["contact_method"]["address"])
            if key not in known:
                raise PagerDutyError(
                    f"notification_rules[{index}].contact_method: the user has no {describe_contact(key)} contact method "
                    "and contact_methods does not list it")
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
            return super().public(item)
        return dict(self.render(item), id=None, type="assignment_notification_rule")

    def add(self, ctx, owner, item):
        contact = [cm for cm in ctx.remember(read_contact_methods, owner["id"]) if api_contact_key(cm) == item["_contact"]]
        if not contact:
            raise PagerDutyError(f"notification rule: the {describe_contact(item['_contact'])} contact method was not found after it was created")
        ctx.client.post(catalog.path("notification_rules", owner["id"]), {"notification_rule": {
            "type": "assignment_notification_rule",
            "start_delay_in_minutes": item["start_delay_in_minutes"],
            "urgency": item["urgency"],
            "contact_method": {"id": contact[0]["id"], "type": f"{contact[0]['type']}_reference"},
        }})

    def remove(self, ctx, owner, item):
        try:
            ctx.client.delete(catalog.path("notification_rules", owner["id"], item["id"]))
        except PagerDutyAPIError as exc:
            if exc.status != 404:  # removed with its contact method
                raise


def team_of(ctx, value):
    """The team a ``teams`` item names (by name or id): one of the user's own teams costs no request."""
    kind = catalog.KINDS["team"]
    held = [team for team in (ctx.existing or {}).get("teams") or [] if isinstance(team, dict)]
    team_id = held_reference(kind, held, value)
    if team_id:
        return next(team for team in held if team.get("id") == team_id)
    return catalog.require(ctx.client, kind, value, "teams")


def role_in(ctx, team_id, user_id):
    """The user's role in the team, from the team's member list (read once a run, shared with pd_team's members)."""
    return next((member["role"] for member in ctx.remember(read_members, team_id) if member["user"].get("id") == user_id), None)


class TeamRoles(SubList):
    """pd_user's ``teams``: the teams of one user, with the user's role in each."""

    option = "teams"
    purge_option = "purge_teams"
    fields = ("role",)
    reads_owner = True  # the user's teams are a field of the user

    def read(self, ctx, owner):
        """The user's teams (from the user object) with the user's role in each. The API gives a role only in a
        team's member list, so only the teams the task names are listed, unless purge_teams may remove others."""
        wanted = None if ctx.params.get("purge_teams") else {ctx.remember(team_of, item["team"])["id"] for item in ctx.params["teams"]}
        return [dict(team, role=role_in(ctx, team["id"], owner["id"])) if wanted is None or team["id"] in wanted
                else dict(team, role=None, _role_unread=True)
                for team in owner.get("teams") or []]

    def desired(self, ctx, items):
        result = []
        for item in items:
            team = ctx.remember(team_of, item["team"])
            result.append({"id": team["id"], "type": "team_reference", "summary": team.get("summary") or team.get("name"),
                           "role": item.get("role")})
        return result

    def identity(self, item):
        return item["id"]

    def render(self, item):
        return {"team": item.get("summary") or item["id"], "role": item.get("role")}

    def public(self, item):
        if item.get("_role_unread"):
            return {k: v for k, v in item.items() if not k.startswith("_")}
        return dict(item, role=item.get("role") or DEFAULT_ROLE)

    def add(self, ctx, owner, item):
        set_role(ctx.client, item["id"], owner["id"], item.get("role"))

    def update(self, ctx, owner, old, new, changes):
        set_role(ctx.client, old["id"], owner["id"], new["role"])

    def remove(self, ctx, owner, item):
        remove_member(ctx.client, item["id"], owner["id"])


USER_FIELDS = [
    Field("email", casefold=True),
    Field("name"),
    Field("role", normalize=api_role),
    Field("time_zone"),
    Field("color"),
    Field("job_title"),
    Field("description"),
]


def argument_spec():
    """The options of pd_user (the connection options and state are added by the base)."""
    contact_types = sorted(CONTACT_TYPES)
    return dict(
        email=dict(type="str"),
        id=dict(type="str"),
        name=dict(type="str"),
        role=dict(type="str", choices=ROLE_CHOICES),
        time_zone=dict(type="str"),
        color=dict(type="str"),
        job_title=dict(type="str"),
        description=dict(type="str"),
        teams=dict(type="list", elements="dict", options=dict(
            team=dict(type="str", required=True),
            role=dict(type="str", choices=list(TEAM_ROLES)),
        )),
        purge_teams=dict(type="bool", default=False),
        contact_methods=dict(type="list", elements="dict", options=dict(
            type=dict(type="str", required=True, choices=contact_types),
            address=dict(type="str", required=True),
            label=dict(type="str"),
            country_code=dict(type="int"),
            send_short_email=dict(type="bool"),
        )),
        purge_contact_methods=dict(type="bool", default=False),
        notification_rules=dict(type="list", elements="dict", options=dict(
            contact_method=dict(type="dict", required=True, options=dict(
                type=dict(type="str", required=True, choices=contact_types),
                address=dict(type="str", required=True),
            )),
            start_delay_in_minutes=dict(type="int", default=0),
            urgency=dict(type="str", choices=["high", "low"], default="high"),
        )),
        purge_notification_rules=dict(type="bool", default=False),
    )


class UserModule(ResourceModule):
    """pd_user: the user's own fields, then contact methods, notification rules and team roles."""

    kind = "user"
    argument_spec = staticmethod(argument_spec)
    fields = tuple(USER_FIELDS)
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
                    self.fail_input(f"{option}[{int(index)}] repeats an earlier item of {option}")
                seen.add(key(item))
        for index, rule in enumerate(self.params.get("notification_rules") or []):
            if rule["start_delay_in_minutes"] < 0:
                self.fail_input(f"notification_rules[{int(index)}].start_delay_in_minutes must be 0 or more, got {int(rule['start_delay_in_minutes'])}")

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
            policies_kind, schedules_kind = catalog.KINDS["escalation_policy"], catalog.KINDS["schedule"]
            policies = self.client.list_all(policies_kind.path, policies_kind.plural, {"user_ids[]": existing["id"]})
            schedules = [schedule for schedule in self.client.iter_pages(schedules_kind.path, schedules_kind.plural)
                         if existing["id"] in [user.get("id") for user in schedule.get("users") or []]]
        except PagerDutyError:
            return exc
        for label, objects in (("escalation policies", policies), ("schedules", schedules)):
            if objects:
                holders.append(f"{label} {', '.join(sorted(obj.get('name') or obj['id'] for obj in objects))}")
        if holders:
            return exc.add_hint(f"The user is still used by {'; '.join(holders)}")
        return exc


class UserInfoModule(InfoModule):
    """pd_user_info: filters by team, includes sub-resources and team roles on request."""

    kind = "user"
    filters = {"team": ("team_ids[]", "team")}

    def show_params(self):
        include = [name for name in self.params.get("include") or [] if name != "teams"]
        return {"include[]": include} if include else {}

    def decorate(self, items):
        if "teams" not in (self.params.get("include") or []):
            return items
        for user in items:
            for team in user.get("teams") or []:
                team["role"] = role_in(self.ctx, team["id"], user["id"])
        return items
