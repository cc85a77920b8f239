# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The resource engine: a module class declares its resource, the engine does the rest.

Private to this collection: not an API for other collections.

A kind's module class sets ``kind`` (a catalog kind name), ``fields`` (Field objects,
one per option mapped to an API field) and ``sublists`` (SubList objects); an info
class sets ``kind`` and ``filters``. Every hook receives the run's Context (``ctx``).

For ``state: present`` the engine resolves references, finds the existing object by
id or natural key, compares only the options the user set (after normalising both
sides), writes only what differs (never in check mode) and reports ``changed``,
the object and ``diff``. For ``state: absent`` it deletes when present.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._base import Context, PagerDutyModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyAPIError, PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._reconcile import reconcile


def is_taken(exc) -> bool:
    """Whether PagerDuty refused a create because the natural key is in use ("Name has already been taken")."""
    texts = [exc.message or ""] + [f"{error}" for error in exc.errors]
    return exc.status == 400 and any("already been taken" in text or "already exists" in text for text in texts)


def blank_is_none(value):
    """Strings: PagerDuty returns null for a description never set; treat "" the same."""
    return None if value == "" else value


def zero_is_none(value):
    """Timeouts: 0 and null both mean "disabled" (the API stores null)."""
    return None if value in (0, None) else value


def strip_none(value):
    """Drop the suboptions the user did not set, so that they are not compared."""
    if isinstance(value, dict):
        return {k: strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_none(v) for v in value]
    return value


def is_subset(desired, current) -> bool:
    """Whether everything set in desired has the same value in current (dicts recursively)."""
    if isinstance(desired, dict):
        return isinstance(current, dict) and all(is_subset(v, current.get(k)) for k, v in desired.items())
    if isinstance(desired, list):
        return isinstance(current, list) and len(desired) == len(current) and all(is_subset(d, c) for d, c in zip(desired, current))
    return desired == current


def held_reference(kind, references, value):
    """The id of the reference among ``references`` (those the object found holds) that ``value`` names,
    by id or, for kinds whose names are unique, by the name PagerDuty shows as its summary; else None."""
    for reference in references:
        if not reference.get("id"):
            continue
        if value == reference["id"]:
            return value
        if kind.unique and kind.natural_key == "name" and kind.key_matches({"name": reference.get("summary")}, value):
            return reference["id"]
    return None


class AppliedError(PagerDutyError):
    """A failure after some writes: the result says ``changed: true``, the object's id and what was applied."""

    def __init__(self, cause, kind, object_id, applied):
        self.cause = cause
        self.object_id = object_id
        self.applied = list(applied)
        self.result_key = kind.name
        super().__init__(f"{cause} (after these changes were applied: {'; '.join(applied)}; a rerun continues from there)")

    def to_result(self):
        result = self.cause.to_result() if isinstance(self.cause, PagerDutyError) else {}
        result.update(changed=True, applied=self.applied)
        result[self.result_key] = {"id": self.object_id}
        return result


# -- fields --------------------------------------------------------------------


class Field:
    """One module option mapped to one API field of the resource.

    ``kind`` makes the option a reference: the user gives a name (or email) or an
    id, the API gets ``{"id": ..., "type": "<kind>_reference"}``, and comparison
    is on the id.
    """

    def __init__(self, option: str, api: str | None = None, kind: str | None = None, normalize=blank_is_none, casefold: bool = False):
        self.option = option
        self.api = api or option
        self.kind = catalog.KINDS[kind] if kind else None
        self.normalize = normalize
        self.casefold = casefold

    def same(self, ctx: Context, current, desired) -> bool:
        """Whether two comparable values are equal (case-insensitively for casefold fields)."""
        if self.casefold and current is not None and desired is not None:
            return current.lower() == desired.lower()
        return current == desired

    def from_api(self, ctx: Context, obj: dict):
        """The comparable value of this field in an object read from the API."""
        value = obj.get(self.api)
        if self.kind is not None:
            return value.get("id") if isinstance(value, dict) else None
        return self.normalize(value)

    def from_option(self, ctx: Context, value):
        """The comparable value of the user's option (references resolved to ids; one the object found
        already holds costs no request)."""
        if self.kind is not None:
            if value in (None, ""):
                return None
            held = (ctx.existing or {}).get(self.api)
            return held_reference(self.kind, [held] if isinstance(held, dict) else [], value) or \
                catalog.resolve_reference(ctx.client, self.kind, value, self.option)
        return self.normalize(value)

    def to_api(self, ctx: Context, comparable):
        """The API value of a comparable value, as sent in a POST or PUT body."""
        if self.kind is not None and comparable is not None:
            return self.kind.reference(comparable)
        return comparable

    def diff(self, ctx: Context, current, desired) -> tuple:
        """(before, after) as shown in the diff of a changed field."""
        return current, desired


class ReferenceListField(Field):
    """A list of references given by name or id; compared as a set of ids."""

    def from_api(self, ctx, obj):
        return sorted(ref["id"] for ref in obj.get(self.api) or [] if isinstance(ref, dict) and ref.get("id"))

    def from_option(self, ctx, value):
        held = [ref for ref in (ctx.existing or {}).get(self.api) or [] if isinstance(ref, dict)]
        return sorted({held_reference(self.kind, held, item) or catalog.resolve_reference(ctx.client, self.kind, item, self.option)
                       for item in value})

    def to_api(self, ctx, comparable):
        return [self.kind.reference(object_id) for object_id in comparable]


class SubsetField(Field):
    """A nested object (such as a service's incident urgency rule): only what the user set is compared.

    When it differs, the user's value is sent as given and PagerDuty fills in the rest.
    """

    def from_api(self, ctx, obj):
        return obj.get(self.api)

    def from_option(self, ctx, value):
        return strip_none(value)

    def same(self, ctx, current, desired):
        return is_subset(desired, current)


# -- sub-lists -----------------------------------------------------------------


class SubList:
    """A list of sub-resources of the module's object, reconciled by identity.

    ``owner`` is the object the sub-list belongs to (a team, a user, a service).
    ``read`` returns the current items (API objects), ``desired`` the user's items
    in the same comparable shape. ``render`` is the compact form shown in diffs,
    ``public`` the form returned to the user. ``add``, ``update`` and ``remove``
    write one item.
    """

    option: str = None
    purge_option: str | None = None
    fields: tuple = ()
    reads_owner: bool = False  # read() takes the items from the owner object, which a change makes stale
    # The owner's field that include[]=<include> fills with the full items, and the remembered reader
    # (``reader(ctx, owner_id)``) that read() uses: the lookup asks for them, so read() costs no request.
    include: str | None = None
    reader = None
    # Whether a new owner's items are exactly assumed_for_new() (a new team has no members), so that none
    # are read after a create; a new user's default contact method has an id that must be read.
    known_when_new: bool = False

    def read(self, ctx: Context, owner: dict) -> list:  # pragma: no cover - abstract
        raise NotImplementedError

    def desired(self, ctx: Context, items: list) -> list:  # pragma: no cover - abstract
        raise NotImplementedError

    def identity(self, item: dict):  # pragma: no cover - abstract
        raise NotImplementedError

    def render(self, item: dict) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def public(self, item: dict) -> dict:
        return {k: v for k, v in item.items() if not k.startswith("_")}

    def assumed_for_new(self, ctx: Context) -> list:
        """What PagerDuty gives a new object by itself (used to predict a create in check mode)."""
        return []

    def add(self, ctx: Context, owner: dict, item: dict):  # pragma: no cover - abstract
        raise NotImplementedError

    def update(self, ctx: Context, owner: dict, old: dict, new: dict, changes: dict):  # pragma: no cover - abstract
        raise NotImplementedError

    def remove(self, ctx: Context, owner: dict, item: dict):  # pragma: no cover - abstract
        raise NotImplementedError


# -- the engines ---------------------------------------------------------------


class ResourceModule(PagerDutyModule):
    """Idempotent present/absent management of one resource kind.

    Subclasses set ``kind``, ``fields``, ``sublists``, ``create_requires`` and ``used_by`` as
    class attributes. Their argument spec must include ``id`` and the natural key (one of
    them is required); ``state`` is added by the base.
    """

    kind: str = None
    fields: tuple = ()
    sublists: tuple = ()
    create_requires: tuple = ()
    used_by: tuple = ()  # fields of the object listing what makes PagerDuty refuse its delete: ("services",)

    has_state = True
    # The account engine turns these off on its objects: it returns no full objects, so the sub-lists written
    # are not read back, and it settles the copies of all the objects of a kind it created at once.
    read_back = True
    settle_copies = True
    # Whether the account engine may tell the copies of a created object apart by the natural key alone (a webhook
    # subscription's URL is not enough: its filter counts too, and the module settles its copies itself).
    settled_by_key = True

    @classmethod
    def spec_rules(cls):
        return {"required_one_of": [(catalog.KINDS[cls.kind].natural_key, "id")]}

    def setup(self, *args, **kwargs):
        super().setup(*args, **kwargs)
        self.kind = catalog.KINDS[type(self).kind]
        self.by_option = {f.option: f for f in self.fields}
        self.wanted_items = {}
        self.applied = []  # what this run has written, for the report of a failure after a write

    @classmethod
    def declared_options(cls):
        kind = catalog.KINDS[cls.kind]
        declared = [("the id option", "id"), ("the state option", "state"), ("natural key", kind.natural_key)]
        declared += [("field", f.option) for f in cls.fields]
        declared += [("create_requires", option) for option in cls.create_requires]
        for sub in cls.sublists:
            declared.append(("sub-list", sub.option))
            if sub.purge_option:
                declared.append(("sub-list purge option", sub.purge_option))
        return declared

    # -- finding -------------------------------------------------------------

    def find_existing(self):
        """The object the task names (by id or natural key), or None; from the run's Directory when it holds the kind."""
        object_id = self.params.get("id")
        directory = catalog.listed(self.client, self.kind)
        if object_id:
            found = directory.by_id(self.kind, object_id) if directory else catalog.get_by_id(self.client, self.kind, object_id, self.find_params())
            if found is None and self.params.get("state") != "absent":
                raise PagerDutyError(f"no {self.kind.label} with id {object_id!r} exists (id is only used to find an existing {self.kind.label})")
        else:
            key = self.params.get(self.kind.natural_key)
            if not key:
                raise PagerDutyError(f"one of id or {self.kind.natural_key} is required")
            found = directory.by_key(self.kind, key) if directory else catalog.find_by_key(self.client, self.kind, key, self.find_params())
        if found is not None:
            for sub in self.included_sublists():
                items = found.get(sub.include)
                if isinstance(items, list) and all(isinstance(item, dict) and not f"{item.get('type')}".endswith("_reference") for item in items):
                    self.ctx.prime(type(sub).reader, (found["id"],), items)
        return found

    def included_sublists(self):
        """The sub-lists the task sets whose items the lookup can bring along with include[]."""
        if self.params.get("state") == "absent":
            return []
        return [sub for sub in self.sublists if sub.include and self.params.get(sub.option) is not None]

    def includes(self):
        """What the lookup asks the API to include (include[]): the items of the sub-lists the task sets, where
        the API offers it. The account engine lists the kind with the includes of all its objects."""
        return [sub.include for sub in self.included_sublists()]

    def find_params(self):
        """Query parameters of the lookup."""
        includes = self.includes()
        return {"include[]": includes} if includes else None

    # -- desired state -----------------------------------------------------

    def managed_fields(self):
        return [f for f in self.fields if self.params.get(f.option) is not None]

    def desired_state(self):
        """Comparable values, keyed by option, of every option the user set."""
        return {f.option: f.from_option(self.ctx, self.params[f.option]) for f in self.managed_fields()}

    def current_state(self, obj):
        return {f.option: f.from_api(self.ctx, obj) for f in self.managed_fields()}

    def api_body(self, values):
        body = {"type": self.kind.name} if self.kind.typed else {}
        for option, value in values.items():
            body[self.by_option[option].api] = self.by_option[option].to_api(self.ctx, value)
        return {self.kind.wrapper: body}

    # -- actions ---------------------------------------------------------------

    def execute(self):
        existing = self.ctx.existing = self.find_existing()
        if self.params.get("state") == "absent":
            return self.ensure_absent(existing)
        desired = self.desired_state()
        self.wanted_items = self.desired_sublists()
        if existing is None:
            return self.create(desired)
        return self.update(existing, desired)

    def desired_sublists(self) -> dict:
        """{option: desired items} of every sub-list the task sets, resolved before any write.

        An unknown reference, or an item listed twice (by email and by id, say), is an input
        error here, so nothing has been written when it is reported.
        """
        wanted = {}
        for sub in self.sublists:
            value = self.params.get(sub.option)
            if value is None:
                continue
            items = sub.desired(self.ctx, value)
            seen = set()
            for item in items:
                identity = sub.identity(item)
                if identity in seen:
                    raise PagerDutyError(f"{sub.option}: {sub.render(item)} is listed more than once")
                seen.add(identity)
            wanted[sub.option] = items
        return wanted

    def result(self, changed, obj, before, after):
        return self.outcome(self.kind.name, changed, obj, before, after)

    def create(self, desired):
        for option in (self.kind.natural_key,) + tuple(self.create_requires):
            if self.params.get(option) is None or f"{self.params[option]}".strip() == "":
                raise PagerDutyError(f"{option} is required to create a {self.kind.label}")
        body = self.api_body(desired)
        if self.check_mode:
            created = dict(body[self.kind.wrapper], id=None)
        else:
            key = self.params[self.kind.natural_key]
            try:
                created = catalog.create_once(lambda: self.client.post(self.kind.path, body)[self.kind.wrapper],
                                              lambda: catalog.find_by_key(self.client, self.kind, key))
                adopted = False
            except PagerDutyAPIError as exc:
                if exc.method != "POST":  # the lookup after a lost answer failed: nothing to explain
                    raise
                # The create was refused. Only a key taken a moment ago (by a concurrent run of the
                # same task, between our lookup and our POST) is recovered: that object is adopted.
                created = catalog.find_by_key(self.client, self.kind, key) if is_taken(exc) else None
                if created is None:
                    raise self.explain_create_error(exc)
                adopted = True
            if not adopted and not self.kind.unique and self.settle_copies:
                created, adopted = self.keep_or_adopt(created)
            if adopted:  # another run created it a moment ago: converge on that object
                self.ctx.existing = created
                return self.update(created, desired)
        after = {k: self.by_option[k].diff(self.ctx, None, v)[1] for k, v in desired.items()}
        return self.finish(True, created, {}, after)

    def keep_or_adopt(self, created):
        """(object, adopted) after creating an object whose natural key PagerDuty does not keep unique.

        Concurrent runs of one task may each have created one; they keep one copy
        (``catalog.keep_one_copy``) and a run whose own copy was not kept adopts the kept one.
        See docs/reliability.md for what the settle pause cannot cover.
        """
        key = self.params[self.kind.natural_key]
        kept = catalog.keep_one_copy(self.client, created, lambda: catalog.all_by_key(self.client, self.kind, key),
                                     lambda obj: self.kind.item_path(obj["id"]))
        if kept["id"] == created["id"]:
            return created, False
        return catalog.get_by_id(self.client, self.kind, kept["id"]) or kept, True

    def explain_create_error(self, exc):
        """Subclasses override this to add advice to a refused create."""
        return exc

    def update(self, existing, desired):
        current = self.current_state(existing)
        changes = {k: v for k, v in desired.items() if not self.by_option[k].same(self.ctx, current.get(k), v)}
        before, after = {}, {}
        for k in changes:
            before[k], after[k] = self.by_option[k].diff(self.ctx, current.get(k), changes[k])
        obj = existing
        if changes:
            body = self.api_body(changes)
            if self.check_mode:
                obj = dict(existing)
                obj.update(body[self.kind.wrapper])
            else:
                obj = self.client.put(self.kind.item_path(existing["id"]), body)[self.kind.wrapper]
        return self.finish(bool(changes), obj, before, after)

    # -- sub-resources -----------------------------------------------------------

    def finish(self, changed, obj, before, after):
        """Reconcile the sub-lists (if the resource has any), then build the result.

        A failure after a write is reported as such: ``changed: true``, the object's id and
        what was applied, so that the user knows a rerun continues from there.
        """
        if changed and not self.check_mode:
            self.applied.append(f"{'created' if not before else 'updated'} {self.kind.label} {obj.get('id')}: {', '.join(sorted(after))}")
        if self.sublists:
            try:
                changed = self.reconcile_sublists(obj, before, after) or changed
            except PagerDutyError as exc:
                if self.applied:
                    raise AppliedError(exc, self.kind, obj.get("id"), self.applied)
                raise
        return self.result(changed, obj, before, after)

    def reconcile_sublists(self, obj, before, after):
        """Plan the sub-lists the task sets, apply the plans, and attach those final lists to obj.

        A sub-list whose option is not given is neither read nor returned: the object keeps the
        field as PagerDuty returned it. Removals run first and in reverse order (a notification
        rule goes before the contact method it uses), then additions and updates in declaration
        order (a contact method exists before a rule that names it).
        """
        ctx = self.ctx
        plans = []
        for sub in self.sublists:
            if self.params.get(sub.option) is None:
                continue
            new = not obj.get("id") or (ctx.existing is None and sub.known_when_new)
            current = sub.assumed_for_new(ctx) if new else sub.read(ctx, obj)
            plan = reconcile(current, self.wanted_items[sub.option], sub.identity, sub.fields,
                             purge=bool(self.params.get(sub.purge_option)))
            plans.append((sub, plan))
            if plan.changed:
                before[sub.option], after[sub.option] = plan.diff(sub.render)
        changed = any(plan.changed for _sub, plan in plans)
        if changed and not self.check_mode:
            applied = self.applied
            for sub, plan in reversed(plans):
                for item in plan.remove:
                    sub.remove(ctx, obj, item)
                    applied.append(f"removed from {sub.option}: {sub.render(item)}")
            for sub, plan in plans:
                for item in plan.add:
                    self.add_item(sub, obj, item)
                    applied.append(f"added to {sub.option}: {sub.render(item)}")
                for old, new, changes in plan.update:
                    sub.update(ctx, obj, old, new, changes)
                    applied.append(f"updated in {sub.option}: {sub.render(new)}")
            # What was read about the object and the items written (a user's teams) is stale now.
            ctx.forget_about(obj["id"], *{item["id"] for _sub, plan in plans for item in plan.written() if isinstance(item.get("id"), str)})
            if self.read_back and any(plan.changed and sub.reads_owner for sub, plan in plans):
                obj.update(catalog.get_by_id(self.client, self.kind, obj["id"]) or {})
            # Read back only the sub-lists that changed: their new items get PagerDuty's ids.
            for sub, plan in plans:
                items = sub.read(ctx, obj) if plan.changed and self.read_back else plan.predict()
                obj[sub.option] = [sub.public(item) for item in items]
        else:
            for sub, plan in plans:
                obj[sub.option] = [sub.public(item) for item in plan.predict()]
        return changed

    def add_item(self, sub, owner, item):
        """Add one sub-list item; after a lost answer look it up, and add it once more only when it is not there."""
        def added():
            self.ctx.forget_about(owner["id"])
            return next((current for current in sub.read(self.ctx, owner) if sub.identity(current) == sub.identity(item)), None)

        catalog.create_once(lambda: sub.add(self.ctx, owner, item), added)

    def ensure_absent(self, existing):
        if existing is None:
            return self.result(False, None, {}, {})
        before = {f.option: f.from_api(self.ctx, existing) for f in self.fields}
        before["id"] = existing["id"]
        if not self.check_mode:
            try:
                self.client.delete(self.kind.item_path(existing["id"]))
            except PagerDutyAPIError as exc:
                raise self.explain_delete_error(exc, existing)
        return self.result(True, existing, before, {})

    def explain_delete_error(self, exc, existing):
        """A refused delete (HTTP 400) names what still uses the object, from the fields in ``used_by``."""
        for field in self.used_by:
            names = sorted(ref.get("summary") or ref.get("id") for ref in existing.get(field) or [])
            if exc.status == 400 and names:
                return exc.add_hint(f"The {self.kind.label} is still used by the {field.replace('_', ' ')}: {', '.join(names)}")
        return exc


class InfoModule(PagerDutyModule):
    """List objects of one kind, filtered by id, natural key or the API's query.

    ``id``, the natural key and ``query`` exclude each other, and ``id`` excludes every filter.

    ``filters`` maps an option naming another object (by name or id) to the list
    endpoint's parameter and that object's kind: ``{"team": ("team_ids[]", "team")}``.
    """

    kind: str = None
    filters: dict = {}

    def __init__(self, argument_spec, **kwargs):
        kind = catalog.KINDS[type(self).kind]
        finders = ("id", kind.natural_key, "query") if kind.natural_key in argument_spec else ("id", "query")
        kwargs.setdefault("mutually_exclusive", [finders] + [("id", option) for option in self.filters])
        super().__init__(argument_spec, **kwargs)
        self.kind = kind

    @classmethod
    def declared_options(cls):
        declared = [("the id option", "id"), ("the query option", "query")]
        return declared + [("filter", option) for option in cls.filters]

    def list_params(self):
        """List filters: options naming another object by name or id become the API's *_ids[] parameters."""
        params = {}
        for option, (param, kind_name) in self.filters.items():
            if self.params.get(option):
                params[param] = catalog.resolve_reference(self.client, catalog.KINDS[kind_name], self.params[option], option)
        return params

    def show_params(self):
        """Query parameters valid on both the list and the show endpoint (such as include[])."""
        return {}

    def decorate(self, items):
        """Add what the API does not return in one request; subclasses override this."""
        return items

    def execute(self):
        shown = self.show_params()
        params = dict(shown, **self.list_params())
        if self.params.get("id"):
            found = catalog.get_by_id(self.client, self.kind, self.params["id"], shown or None)
            items = [found] if found else []
        elif self.params.get(self.kind.natural_key):
            found = catalog.find_by_key(self.client, self.kind, self.params[self.kind.natural_key], params)
            items = [found] if found else []
        else:
            query = self.params.get("query")
            if query and self.kind.search_param:
                params[self.kind.search_param] = query
            items = list(catalog.iter_kind(self.client, self.kind, params))
            if query and not self.kind.search_param:  # the API cannot search this list: filter it here
                items = [item for item in items if query.lower() in f"{self.kind.key_of(item) or ''}".lower()]
        return {"changed": False, self.kind.plural: self.decorate(items)}
