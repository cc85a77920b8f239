# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the collection knows about each PagerDuty resource kind, every API path it uses, and how to find an object.

Private to this collection: not an API for other collections.

Paths, wrapper keys and reference types follow the official OpenAPI spec. Finding
works the same everywhere: by id, or by natural key through the list endpoint's
``query`` filter followed by an exact match, so an ambiguous name is an error and
never a guess.
"""

from __future__ import annotations

import re
import time

from ansible_collections.oncall.pagerduty.plugins.module_utils._client import OFFSET_CAP, PAGE_LIMIT, PagerDutyAPIError, PagerDutyError

# PagerDuty object ids: a letter P (or Q for some newer objects) followed by six or more
# upper-case letters and digits.
ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{5,}$")
# Event orchestrations (and their integrations) have UUIDs for ids.
UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Kind:
    """A PagerDuty resource kind: where it lives and how it is identified."""

    def __init__(self, name, path, plural, natural_key="name", case_insensitive=False, search_param="query", label=None, unique=True,
                 wrapper=None, typed=True, totals=True, cursor=False, key_path=None):
        self.name = name                        # the kind: "team" (the result key of its module)
        self.wrapper = wrapper or name          # wrapper key of one object in bodies: "team" ("orchestration")
        self.typed = typed                      # whether a body names the object's type ({"type": "team"})
        self.totals = totals                    # whether its list takes total=true (how many pages it has)
        self.cursor = cursor                    # whether its list is paged by cursor (after, limit), not by offset
        self.path = path                        # collection path: "/teams"
        self.plural = plural                    # wrapper key of a list: "teams"
        self.natural_key = natural_key          # "name", or "email" for users
        self.key_path = key_path or (natural_key,)  # where an object holds it: ("delivery_method", "url") for webhooks
        self.unique = unique                    # whether PagerDuty refuses a second object with the same key
        self.case_insensitive = case_insensitive
        self.search_param = search_param        # the list's search parameter, or None when it has none (list all)
        self.label = label or name.replace("_", " ")

    @property
    def reference_type(self):
        return f"{self.name}_reference"

    def search(self, value):
        """The list parameters that narrow the list to objects whose key may be ``value`` (none: the whole list)."""
        return {self.search_param: value} if self.search_param else {}

    def item_path(self, object_id):
        return f"{self.path}/{object_id}"

    def reference(self, object_id):
        return {"id": object_id, "type": self.reference_type}

    def key_of(self, obj):
        """The object's natural key (None when it has none)."""
        for step in self.key_path:
            obj = obj.get(step) if isinstance(obj, dict) else None
        return obj

    def key_matches(self, obj, value):
        found = self.key_of(obj)
        if found is None or value is None:
            return False
        if self.case_insensitive:
            return found.lower() == value.lower()
        return found == value


KINDS = {k.name: k for k in [
    Kind("team", "/teams", "teams"),
    Kind("user", "/users", "users", natural_key="email", case_insensitive=True),
    Kind("escalation_policy", "/escalation_policies", "escalation_policies"),
    Kind("service", "/services", "services"),
    Kind("schedule", "/schedules", "schedules", unique=False),
    Kind("maintenance_window", "/maintenance_windows", "maintenance_windows", natural_key="description", unique=False),
    Kind("incident", "/incidents", "incidents", natural_key="incident_key", search_param="incident_key", unique=False),
    Kind("priority", "/priorities", "priorities"),
    # The list has no search parameter (the spec gives it limit, offset and total only): a name is found in the whole list.
    Kind("business_service", "/business_services", "business_services", search_param=None, typed=False),
    # No name: the delivery URL (delivery_method.url) with the filter finds one, in _webhook_subscription.py.
    Kind("webhook_subscription", "/webhook_subscriptions", "webhook_subscriptions", natural_key="url", search_param=None, unique=False,
         key_path=("delivery_method", "url")),
    Kind("tag", "/tags", "tags", natural_key="label"),
    Kind("event_orchestration", "/event_orchestrations", "orchestrations", search_param=None, wrapper="orchestration", typed=False,
         totals=False),
    # Its "type" is the grouping type (typed=False); the list is cursor-paged (after, limit: no offset, no search), read
    # by cursor (iter_kind); names are optional and not unique.
    Kind("alert_grouping_setting", "/alert_grouping_settings", "alert_grouping_settings", search_param=None, unique=False, typed=False,
         totals=False, cursor=True),
]}


# Paths of sub-resources and other endpoints, filled in with the ids of the objects they
# belong to: path("contact_methods", user_id) or path("contact_methods", user_id, method_id).
PATHS = {
    "contact_methods": "/users/{}/contact_methods",
    "notification_rules": "/users/{}/notification_rules",
    "handoff_notification_rules": "/users/{}/oncall_handoff_notification_rules",
    "user_license": "/users/{}/license",
    "licenses": "/licenses",
    "license_allocations": "/license_allocations",
    "team_members": "/teams/{}/members",
    "team_user": "/teams/{}/users/{}",
    "integrations": "/services/{}/integrations",
    "vendors": "/vendors",
    "overrides": "/schedules/{}/overrides",
    "oncalls": "/oncalls",
    "incident_notes": "/incidents/{}/notes",
    "orchestration_integrations": "/event_orchestrations/{}/integrations",
    "orchestration_router": "/event_orchestrations/{}/router",
    "orchestration_unrouted": "/event_orchestrations/{}/unrouted",
    "orchestration_global": "/event_orchestrations/{}/global",
    "orchestration_cache_variables": "/event_orchestrations/{}/cache_variables",
    "service_orchestration": "/event_orchestrations/services/{}",
    "service_orchestration_active": "/event_orchestrations/services/{}/active",
    "service_orchestration_cache_variables": "/event_orchestrations/services/{}/cache_variables",
    "business_service_subscribers": "/business_services/{}/subscribers",
    "business_service_unsubscribe": "/business_services/{}/unsubscribe",
    "service_dependencies_associate": "/service_dependencies/associate",
    "service_dependencies_disassociate": "/service_dependencies/disassociate",
    "business_service_dependencies": "/service_dependencies/business_services/{}",
    "technical_service_dependencies": "/service_dependencies/technical_services/{}",
    "webhook_subscription_enable": "/webhook_subscriptions/{}/enable",
    "tag_assigned": "/tags/{}/{}",                    # tag id, entity type (users, teams, escalation_policies)
    "change_tags": "/{}/{}/change_tags",              # entity type, entity id
}


def path(name, *ids):
    """The API path of a sub-resource or endpoint; one id more than the template holds names one item."""
    template = PATHS[name]
    holes = template.count("{}")
    text = template.format(*ids[:holes])
    for item_id in ids[holes:]:
        text += f"/{item_id}"
    return text


def named_reference(ref):
    """``{"id", "name"}`` of a reference in an API object (its name or summary), or None when it is not one."""
    if not isinstance(ref, dict) or not ref.get("id"):
        return None
    return {"id": ref["id"], "name": ref.get("name") or ref.get("summary")}


def looks_like_id(value):
    return bool(value) and bool(ID_PATTERN.match(value) or UUID_PATTERN.match(value))


# Concurrent runs may each create an object whose key PagerDuty does not keep unique. After its
# create, a run waits this long (for every concurrent create to be listed), lists the copies and
# keeps the one with the smallest id (``kept_copy``): runs that see the same list agree.
SETTLE_SECONDS = 1.0


def kept_copy(objects):
    """The copy concurrent runs agree to keep: the smallest id."""
    return min(objects, key=lambda obj: obj["id"]) if objects else None


def keep_one_copy(client, created, copies, item_path):
    """The copy concurrent runs of one task keep, after ``SETTLE_SECONDS``; ``created`` (this run's
    copy) is deleted when it is not that one. ``copies()`` lists the copies now, ``item_path(obj)``
    is an object's path."""
    time.sleep(SETTLE_SECONDS)
    kept = kept_copy(copies()) or created
    if kept["id"] != created["id"]:
        client.delete(item_path(created))
    return kept


def create_once(create, find):
    """``create()``, safe against a failure without a clear answer (5xx, a lost connection).

    Such a create may have been applied, so it is never blindly sent again: ``find()`` looks for
    what it made, and only when that finds nothing is ``create()`` called once more, so one
    transient fault neither fails the task nor makes a duplicate. A refusal (4xx) is raised as it is.
    """
    try:
        return create()
    except PagerDutyError as exc:
        if isinstance(exc, PagerDutyAPIError) and exc.status < 500:
            raise
        found = find()
        if found is not None:
            return found
        try:
            return create()
        except PagerDutyError as again:
            raise PagerDutyError(f"{again} (a first attempt had failed too: {exc})") from None


def iter_kind(client, kind, params=None):
    """Every object of a kind (that ``params`` select), page by page: by offset, or by cursor for the kinds paged so."""
    if kind.cursor:
        return client.iter_cursor_pages(kind.path, kind.plural, params)
    return client.iter_pages(kind.path, kind.plural, params)


def all_by_key(client, kind, value):
    """Every object whose natural key equals value (for kinds where PagerDuty allows several)."""
    return [obj for obj in iter_kind(client, kind, kind.search(value)) if kind.key_matches(obj, value)]


def get_by_id(client, kind, object_id, params=None):
    """The object with this id, or None when PagerDuty answers 404."""
    try:
        body = client.get(kind.item_path(object_id), params=params)
    except PagerDutyAPIError as exc:
        if exc.status == 404:
            return None
        raise
    return (body or {}).get(kind.wrapper)


class Directory:
    """Every object of some kinds, each listed once for a whole run (the account engine).

    Set as ``client.directory``, it answers ``find``, ``find_many``, ``require`` and
    ``resolve_reference`` for the kinds it holds without a request; the engine keeps it current
    after each write (``put``, ``drop``). Lookups after a lost answer and re-reads after writes
    still ask the API.
    """

    def __init__(self):
        self.objects = {}  # kind name -> {id: object}

    def holds(self, kind) -> bool:
        return kind.name in self.objects

    def load(self, kind, objects):
        self.objects[kind.name] = {obj["id"]: obj for obj in objects if isinstance(obj, dict) and obj.get("id")}

    def put(self, kind, obj):
        self.objects.setdefault(kind.name, {})[obj["id"]] = obj

    def drop(self, kind, object_id):
        self.objects.get(kind.name, {}).pop(object_id, None)

    def by_id(self, kind, object_id):
        return self.objects.get(kind.name, {}).get(object_id)

    def by_key(self, kind, value):
        """The one object of this kind whose natural key equals value, or None; several is an error."""
        return one_match(kind, [obj for obj in self.objects.get(kind.name, {}).values() if kind.key_matches(obj, value)], value)

    def of_kind(self, kind) -> list:
        return list(self.objects.get(kind.name, {}).values())


def planned_id(kind, key):
    """The id the account engine gives an object a check-mode run would create, so that later objects can name it."""
    return f"(new {kind.label} {key})"


def is_planned(object_id):
    """Whether an id is one of planned_id(): the object does not exist, nothing can be read about it."""
    return f"{object_id}".startswith("(new ")


def listed(client, kind):
    """The run's Directory when it holds every object of this kind, else None."""
    directory = getattr(client, "directory", None)
    return directory if directory is not None and directory.holds(kind) else None


def one_match(kind, matches, value):
    """The one object among ``matches`` (those whose natural key equals value), or None; several is an error."""
    if len(matches) > 1:
        raise PagerDutyError(
            f"{len(matches)} {kind.label}s have the {kind.natural_key} {value!r} (ids: {', '.join(sorted(m['id'] for m in matches))}); give id instead")
    return matches[0] if matches else None


def find_by_key(client, kind, value, params=None):
    """The one object whose natural key equals value, or None; several is an error."""
    query = dict(params or {}, **kind.search(value))
    return one_match(kind, [obj for obj in iter_kind(client, kind, query) if kind.key_matches(obj, value)], value)


def find(client, kind, value, params=None):
    """Find by id or by natural key: a value shaped like an id is tried as an id first."""
    directory = listed(client, kind)
    if directory is not None:
        return directory.by_id(kind, value) or directory.by_key(kind, value)
    if looks_like_id(value):
        found = get_by_id(client, kind, value, params)
        if found is not None:
            return found
    return find_by_key(client, kind, value, params)


# Above this many lookups, find_many first asks how big the whole list is (one request).
MANY = 3


def find_many(client, kind, values, held=()):
    """{value: object or None} for references given by id or natural key, in as few requests as the API allows.

    An id among ``held`` (the ids the object found already references) costs nothing. With more than
    ``MANY`` lookups left, one request (``total=true``) tells how many pages the whole list takes: when
    that is fewer than the lookups, the list is read once and every value matched in it; otherwise
    each value is looked up on its own."""
    found = {value: {"id": value} for value in values if value in set(held)}
    rest = [value for value in dict.fromkeys(values) if value not in found]
    if len(rest) > MANY and kind.totals and listed(client, kind) is None:
        first = client.get(kind.path, params={"limit": PAGE_LIMIT, "offset": 0, "total": "true"}) or {}
        total = first.get("total")
        if isinstance(total, int) and total <= OFFSET_CAP and -(-total // PAGE_LIMIT) <= len(rest):
            everything = list(first.get(kind.plural) or [])
            page = first
            while page.get("more") and page.get(kind.plural) and len(everything) + PAGE_LIMIT <= OFFSET_CAP:
                page = client.get(kind.path, params={"limit": PAGE_LIMIT, "offset": len(everything)}) or {}
                everything += page.get(kind.plural) or []
            by_id = {obj["id"]: obj for obj in everything if obj.get("id")}
            for value in rest:
                found[value] = by_id.get(value) or one_match(kind, [obj for obj in everything if kind.key_matches(obj, value)], value)
            return found
    for value in rest:
        found[value] = find(client, kind, value)
    return found


def missing(kind, value, option):
    """The error for a reference that names no existing object."""
    return PagerDutyError(f"{option}: no {kind.label} with id or {kind.natural_key} {value!r} exists")


def require(client, kind, value, option):
    """The existing object named by a name/email or id; a missing one is an error naming it."""
    found = find(client, kind, value)
    if found is None:
        raise missing(kind, value, option)
    return found


def resolve_reference(client, kind, value, option):
    """Turn a name/email or id into the id of an existing object; a missing one is an error naming it."""
    return require(client, kind, value, option)["id"]


def resolve_references(client, kind, values, option):
    """The ids of the objects named (names/emails or ids), in their order, in as few requests as ``find_many`` needs;
    a missing one is an error naming the option."""
    found = find_many(client, kind, values)
    for value in values:
        if found.get(value) is None:
            raise missing(kind, value, option)
    return [found[value]["id"] for value in values]


def priorities(ctx):
    """The account's priorities (an empty list when the account has none), for ``ctx.remember``."""
    return ctx.client.list_all(KINDS["priority"].path, KINDS["priority"].plural)


def priority(ctx, value, option):
    """The priority named by ``value`` (its id or name); a missing one is an error naming the option and the account's
    priorities."""
    known = ctx.remember(priorities)
    for item in known:
        if value in (item.get("id"), item.get("name")):
            return item
    names = ", ".join(repr(item.get("name")) for item in known) or "none (priorities are off on this account)"
    raise PagerDutyError(f"{option}: no priority with id or name {value!r} exists; the account's priorities are: {names}")
