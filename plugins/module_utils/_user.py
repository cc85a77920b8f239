# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Users: pd_user (with contact methods, notification rules, handoff notification rules, team roles and the license) and pd_user_info.

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


def contact_keys_by_id(ctx, user_id):
    """{contact method id: identity} of the user's contact methods (read once a run)."""
    return {cm["id"]: api_contact_key(cm) for cm in ctx.remember(read_contact_methods, user_id)}


def mark_contacts(ctx, user_id, rules):
    """Give each rule read from the API the identity of the contact method it notifies (``_contact``)."""
    keys = contact_keys_by_id(ctx, user_id)
    for rule in rules:
        method_id = (rule.get("contact_method") or {}).get("id")
        rule["_contact"] = keys.get(method_id, ("unknown", method_id))
    return rules


def known_contacts(ctx):
    """The identities of the contact methods a rule of this task may name: the user's own, those the task's
    contact_methods list (created before the rules) and the login email (PagerDuty creates it with the user)."""
    known = set()
    if ctx.existing_id:
        known.update(api_contact_key(cm) for cm in ctx.remember(read_contact_methods, ctx.existing_id))
    known.update(contact_key(cm["type"], cm["address"]) for cm in ctx.params.get("contact_methods") or [])
    if ctx.params.get("email"):
        known.add(contact_key("email", ctx.params["email"]))
    return known


def rule_contact(option, index, item, known):
    """The identity of the contact method a rule item names; one the user will not have is an error naming the item."""
    key = contact_key(item["contact_method"]["type"], item["contact_method"]["address"])
    if key not in known:
        raise PagerDutyError(f"{option}[{index}].contact_method: the user has no {describe_contact(key)} contact method "
                             "and contact_methods does not list it")
    return key


def contact_reference(ctx, user_id, key, what):
    """The reference of the user's contact method with this identity (read after the task's contact methods were added)."""
    contact = [cm for cm in ctx.remember(read_contact_methods, user_id) if api_contact_key(cm) == key]
    if not contact:
        raise PagerDutyError(f"{what}: the {describe_contact(key)} contact method was not found after it was created")
    return {"id": contact[0]["id"], "type": f"{contact[0]['type']}_reference"}


def contact_option(key):
    """A contact method identity as the task gives it."""
    return {"type": key[0], "address": key[1]}


class NotificationRules(SubList):
    """``/users/{id}/notification_rules``: identified by contact method, urgency and delay.

    A rule names its contact method by type and address, so it may name one that
    the same task creates.
    """

    option = "notification_rules"
    purge_option = "purge_notification_rules"
    fields = ()

    def read(self, ctx, owner):
        return mark_contacts(ctx, owner["id"], read_notification_rules(ctx, owner["id"]))

    def assumed_for_new(self, ctx):
        # ... and rules that notify that email at once, for high and low urgency.
        login = contact_key("email", ctx.params["email"])
        return [{"id": None, "_contact": login, "urgency": urgency, "start_delay_in_minutes": 0} for urgency in ("high", "low")]

    def desired(self, ctx, items):
        known = known_contacts(ctx)
        return [{
            "_contact": rule_contact(self.option, index, item, known),
            "urgency": item["urgency"],
            "start_delay_in_minutes": item["start_delay_in_minutes"],
        } for index, item in enumerate(items)]

    def identity(self, item):
        return (item["_contact"], item["urgency"], item["start_delay_in_minutes"])

    def render(self, item):
        return {
            "contact_method": contact_option(item["_contact"]),
            "urgency": item["urgency"],
            "start_delay_in_minutes": item["start_delay_in_minutes"],
        }

    def public(self, item):
        if item.get("id"):
            return super().public(item)
        return dict(self.render(item), id=None, type="assignment_notification_rule")

    def add(self, ctx, owner, item):
        ctx.client.post(catalog.path("notification_rules", owner["id"]), {"notification_rule": {
            "type": "assignment_notification_rule",
            "start_delay_in_minutes": item["start_delay_in_minutes"],
            "urgency": item["urgency"],
            "contact_method": contact_reference(ctx, owner["id"], item["_contact"], "notification rule"),
        }})

    def remove(self, ctx, owner, item):
        try:
            ctx.client.delete(catalog.path("notification_rules", owner["id"], item["id"]))
        except PagerDutyAPIError as exc:
            if exc.status != 404:  # removed with its contact method
                raise


HANDOFF_TYPES = ("both", "oncall", "offcall")


def read_notification_rules(ctx, user_id):
    """Every notification rule of a user: without urgency=all the API lists only the high-urgency rules."""
    return (ctx.client.get(catalog.path("notification_rules", user_id), {"urgency": "all"}) or {}).get("notification_rules") or []


def read_handoff_rules(ctx, user_id):
    """The user's on-call handoff notification rules (a plain list in the API: no limit/offset); remembered per run."""
    return (ctx.client.get(catalog.path("handoff_notification_rules", user_id)) or {}).get("oncall_handoff_notification_rules") or []


class HandoffNotificationRules(SubList):
    """``/users/{id}/oncall_handoff_notification_rules``: identified by contact method and handoff type, so a
    changed ``notify_advance_in_minutes`` is one PUT of the rule."""

    option = "handoff_notification_rules"
    purge_option = "purge_handoff_notification_rules"
    fields = ("notify_advance_in_minutes",)

    def read(self, ctx, owner):
        return mark_contacts(ctx, owner["id"], [dict(rule) for rule in ctx.remember(read_handoff_rules, owner["id"])])

    def desired(self, ctx, items):
        known = known_contacts(ctx)
        return [{
            "_contact": rule_contact(self.option, index, item, known),
            "handoff_type": item["handoff_type"],
            "notify_advance_in_minutes": item["notify_advance_in_minutes"],
        } for index, item in enumerate(items)]

    def identity(self, item):
        return (item["_contact"], item.get("handoff_type"))

    def render(self, item):
        return {
            "contact_method": contact_option(item["_contact"]),
            "handoff_type": item.get("handoff_type"),
            "notify_advance_in_minutes": item.get("notify_advance_in_minutes"),
        }

    def public(self, item):
        if item.get("id"):
            return super().public(item)
        return dict(self.render(item), id=None)

    @staticmethod
    def body(reference, item):
        return {"oncall_handoff_notification_rule": {
            "handoff_type": item["handoff_type"],
            "notify_advance_in_minutes": item["notify_advance_in_minutes"],
            "contact_method": reference,
        }}

    def add(self, ctx, owner, item):
        reference = contact_reference(ctx, owner["id"], item["_contact"], "handoff notification rule")
        ctx.client.post(catalog.path("handoff_notification_rules", owner["id"]), self.body(reference, item))
        ctx.forget(read_handoff_rules, owner["id"])

    def update(self, ctx, owner, old, new, changes):
        reference = {"id": old["contact_method"]["id"], "type": old["contact_method"]["type"]}
        ctx.client.put(catalog.path("handoff_notification_rules", owner["id"], old["id"]), self.body(reference, new))
        ctx.forget(read_handoff_rules, owner["id"])

    def remove(self, ctx, owner, item):
        try:
            ctx.client.delete(catalog.path("handoff_notification_rules", owner["id"], item["id"]))
        except PagerDutyAPIError as exc:
            if exc.status != 404:  # removed with its contact method
                raise
        ctx.forget(read_handoff_rules, owner["id"])


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


def account_licenses(ctx):
    """The account's licenses (GET /licenses, one plain list); an account without licensing has none."""
    try:
        return (ctx.client.get(catalog.path("licenses")) or {}).get("licenses") or []
    except PagerDutyAPIError as exc:
        if exc.status in (402, 403, 404):
            raise PagerDutyError(f"license: the account has no licenses to assign (GET /licenses answered {exc.status}: {exc.message}); "
                                 "leave license unset") from None
        raise


def read_user_license(ctx, user_id):
    """The license allocated to the user (GET /users/{id}/license), or None when PagerDuty answers 404 (none)."""
    try:
        return (ctx.client.get(catalog.path("user_license", user_id)) or {}).get("license")
    except PagerDutyAPIError as exc:
        if exc.status == 404:
            return None
        raise


def license_of(ctx, value):
    """The account's license that ``value`` names, by id or by exact name; a name two licenses share must be an id."""
    licenses = ctx.remember(account_licenses)
    if not licenses:
        raise PagerDutyError("license: the account has no licenses to assign (GET /licenses lists none); leave license unset")
    matches = [item for item in licenses if item.get("id") == value] or [item for item in licenses if item.get("name") == value]
    if len(matches) > 1:
        raise PagerDutyError(f"license: {len(matches)} licenses are named {value!r} (ids: {', '.join(sorted(m['id'] for m in matches))}); "
                             "give the id instead")
    if not matches:
        names = ", ".join(f"{item.get('name')!r} ({item.get('id')})" for item in licenses)
        raise PagerDutyError(f"license: no license with id or name {value!r}; the account's licenses are: {names}")
    return matches[0]


def license_shown(ctx, license_id):
    """A license as a result shows it: the object PagerDuty gives for a user's license (without the account's counts)."""
    found = next((item for item in ctx.remember(account_licenses) if item.get("id") == license_id), None)
    if found is None:
        return {"id": license_id, "type": "license_reference"} if license_id else None
    return {k: v for k, v in found.items() if k not in ("current_value", "allocations_available")}


class LicenseField(Field):
    """The user's license: set through the user object (``license`` reference in POST/PUT /users), read through
    GET /users/{id}/license, named by id or name (GET /licenses). Read only when the task sets it."""

    def from_api(self, ctx, obj):
        if ctx.params.get(self.option) is None or ctx.params.get("state") == "absent" or not obj.get("id"):
            return None
        return (ctx.remember(read_user_license, obj["id"]) or {}).get("id")

    def from_option(self, ctx, value):
        if value in (None, ""):
            return None
        found = license_of(ctx, value)
        role = api_role(ctx.params.get("role"))
        if role is not None and found.get("valid_roles") and role not in found["valid_roles"]:
            raise PagerDutyError(f"license: the license {found.get('name')!r} allows the roles {', '.join(found['valid_roles'])}, "
                                 f"not role {role}")
        return found["id"]

    def to_api(self, ctx, comparable):
        return {"id": comparable, "type": "license_reference"} if comparable else None

    def diff(self, ctx, current, desired):
        def shown(license_id):
            if license_id is None:
                return None
            known = ctx.remember(account_licenses)
            name = next((item.get("name") for item in known if item.get("id") == license_id), None)
            if name is None or sum(item.get("name") == name for item in known) > 1:
                return f"{name} ({license_id})" if name else license_id
            return name
        return shown(current), shown(desired)


USER_FIELDS = [
    Field("email", casefold=True),
    Field("name"),
    Field("role", normalize=api_role),
    Field("time_zone"),
    Field("color"),
    Field("job_title"),
    Field("description"),
    LicenseField("license"),
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
        handoff_notification_rules=dict(type="list", elements="dict", options=dict(
            contact_method=dict(type="dict", required=True, options=dict(
                type=dict(type="str", required=True, choices=contact_types),
                address=dict(type="str", required=True),
            )),
            handoff_type=dict(type="str", choices=list(HANDOFF_TYPES), default="both"),
            notify_advance_in_minutes=dict(type="int", default=0),
        )),
        purge_handoff_notification_rules=dict(type="bool", default=False),
        license=dict(type="str"),
    )


class UserModule(ResourceModule):
    """pd_user: the user's own fields (the license too), then contact methods, notification rules, handoff notification
    rules and team roles."""

    kind = "user"
    argument_spec = staticmethod(argument_spec)
    fields = tuple(USER_FIELDS)
    create_requires = ("name",)
    sublists = (ContactMethods(), NotificationRules(), HandoffNotificationRules(), TeamRoles())

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
                                                              i["urgency"], i["start_delay_in_minutes"])),
                            ("handoff_notification_rules", lambda i: (contact_key(i["contact_method"]["type"], i["contact_method"]["address"]),
                                                                      i["handoff_type"]))):
            seen = set()
            for index, item in enumerate(self.params.get(option) or []):
                if key(item) in seen:
                    self.fail_input(f"{option}[{int(index)}] repeats an earlier item of {option}")
                seen.add(key(item))
        for option, minutes in (("notification_rules", "start_delay_in_minutes"), ("handoff_notification_rules", "notify_advance_in_minutes")):
            for index, rule in enumerate(self.params.get(option) or []):
                if rule[minutes] < 0:
                    self.fail_input(f"{option}[{int(index)}].{minutes} must be 0 or more, got {int(rule[minutes])}")
        if self.params.get("license") is not None and not self.params["license"].strip():
            self.fail_input("license must name a license (its id or name); leave it unset to keep the user's license")

    def result(self, changed, obj, before, after):
        """The user, with the license when the task sets one (the user object itself does not carry it)."""
        if obj is not None and self.params.get("license") and self.params.get("state") != "absent":
            obj = dict(obj, license=license_shown(self.ctx, self.by_option["license"].from_option(self.ctx, self.params["license"])))
        return super().result(changed, obj, before, after)

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


# What pd_user_info's include adds by its own reads (the rest are the API's include[] values).
INFO_EXTRAS = ("teams", "handoff_notification_rules", "license")


def license_allocations(ctx):
    """{user id: license} of every user that has one (GET /license_allocations); none for an account without licensing."""
    try:
        allocations = ctx.client.list_all(catalog.path("license_allocations"), "license_allocations")
    except PagerDutyAPIError as exc:
        if exc.status in (402, 403, 404):  # as for GET /licenses: an account without licensing
            return {}
        raise
    return {(item.get("user") or {}).get("id"): item.get("license") for item in allocations}


class UserInfoModule(InfoModule):
    """pd_user_info: filters by team, includes sub-resources, team roles, handoff rules and the license on request."""

    kind = "user"
    filters = {"team": ("team_ids[]", "team")}

    def show_params(self):
        include = [name for name in self.params.get("include") or [] if name not in INFO_EXTRAS]
        return {"include[]": include} if include else {}

    def decorate(self, items):
        include = self.params.get("include") or []
        for user in items:
            if "teams" in include:
                for team in user.get("teams") or []:
                    team["role"] = role_in(self.ctx, team["id"], user["id"])
            if "handoff_notification_rules" in include:
                user["handoff_notification_rules"] = self.ctx.remember(read_handoff_rules, user["id"])
            if "license" in include:
                # One user: their own license; more: every allocation in one list.
                user["license"] = (self.ctx.remember(read_user_license, user["id"]) if len(items) == 1
                                   else self.ctx.remember(license_allocations).get(user["id"]))
        return items
