# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The resource engine: a module declares its resource, the engine does the rest.

For ``state: present`` the engine resolves references, finds the existing object by
id or natural key, compares only the options the user set (after normalising both
sides), writes only what differs (never in check mode) and reports ``changed``,
the object and ``diff``. For ``state: absent`` it deletes when present.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib
from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION

from ansible_collections.oncall.pagerduty.plugins.module_utils.client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    PagerDutyAPIError,
    PagerDutyClient,
    PagerDutyError,
)
from ansible_collections.oncall.pagerduty.plugins.module_utils import catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils.sublists import reconcile


def connection_argument_spec():
    """The connection options every module takes (documented in the connection doc fragment)."""
    return dict(
        api_token=dict(type="str", no_log=True, fallback=(env_fallback, ["PAGERDUTY_API_TOKEN"])),
        auth_type=dict(type="str", default="token", choices=["token", "bearer"], fallback=(env_fallback, ["PAGERDUTY_AUTH_TYPE"])),
        region=dict(type="str", default="us", choices=["us", "eu"], fallback=(env_fallback, ["PAGERDUTY_REGION"])),
        api_url=dict(type="str", fallback=(env_fallback, ["PAGERDUTY_API_URL"])),
        from_email=dict(type="str", fallback=(env_fallback, ["PAGERDUTY_FROM_EMAIL"])),
        validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["PAGERDUTY_VALIDATE_CERTS"])),
        ca_path=dict(type="path", fallback=(env_fallback, ["PAGERDUTY_CA_PATH"])),
        timeout=dict(type="float", default=30),
        max_retries=dict(type="int", default=5),
    )


CONNECTION_OPTIONS = tuple(connection_argument_spec())


def client_from_options(options):
    """A client from a dict holding the connection options (module params or plugin options)."""
    return PagerDutyClient(
        user_agent_extra="ansible-core/%s" % ANSIBLE_VERSION,
        **dict((name, options.get(name)) for name in CONNECTION_OPTIONS if options.get(name) is not None)
    )


def blank_is_none(value):
    """Strings: PagerDuty returns null for a description never set; treat "" the same."""
    if value == "":
        return None
    return value


class Field(object):
    """One module option mapped to one API field of the resource.

    ``kind`` makes the option a reference: the user gives a name (or email) or an
    id, the API gets ``{"id": ..., "type": "<kind>_reference"}``, and comparison
    is on the id.
    """

    def __init__(self, option, api=None, kind=None, normalize=blank_is_none, casefold=False):
        self.option = option
        self.api = api or option
        self.kind = catalog.KINDS[kind] if kind else None
        self.normalize = normalize
        self.casefold = casefold

    def same(self, current, desired):
        """Whether two comparable values are equal (case-insensitively for casefold fields)."""
        if self.casefold and current is not None and desired is not None:
            return current.lower() == desired.lower()
        return current == desired

    def from_api(self, obj):
        """The comparable value of this field in an object read from the API."""
        value = obj.get(self.api)
        if self.kind is not None:
            return value.get("id") if isinstance(value, dict) else None
        return self.normalize(value)

    def from_option(self, client, value):
        """The comparable value of the user's option (references resolved to ids)."""
        if self.kind is not None:
            if value in (None, ""):
                return None
            return catalog.resolve_reference(client, self.kind, value, self.option)
        return self.normalize(value)

    def to_api(self, comparable):
        if self.kind is not None and comparable is not None:
            return self.kind.reference(comparable)
        return comparable

    def diff(self, current, desired):
        """(before, after) as shown in the diff of a changed field."""
        return current, desired


def zero_is_none(value):
    """Timeouts: 0 and null both mean "disabled" (the API stores null)."""
    return None if value in (0, None) else value


def strip_none(value):
    """Drop the suboptions the user did not set, so that they are not compared."""
    if isinstance(value, dict):
        return dict((k, strip_none(v)) for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return [strip_none(v) for v in value]
    return value


def is_subset(desired, current):
    """Whether everything set in desired has the same value in current (dicts recursively)."""
    if isinstance(desired, dict):
        return isinstance(current, dict) and all(is_subset(v, current.get(k)) for k, v in desired.items())
    if isinstance(desired, list):
        return isinstance(current, list) and len(desired) == len(current) and all(is_subset(d, c) for d, c in zip(desired, current))
    return desired == current


class ReferenceListField(Field):
    """A list of references given by name or id; compared as a set of ids."""

    def from_api(self, obj):
        return sorted(ref["id"] for ref in obj.get(self.api) or [] if isinstance(ref, dict) and ref.get("id"))

    def from_option(self, client, value):
        return sorted(set(catalog.resolve_reference(client, self.kind, item, self.option) for item in value))

    def to_api(self, comparable):
        return [self.kind.reference(object_id) for object_id in comparable]


class SubsetField(Field):
    """A nested object (such as a service's incident urgency rule): only what the user set is compared.

    When it differs, the user's value is sent as given and PagerDuty fills in the rest.
    """

    def from_api(self, obj):
        return obj.get(self.api)

    def from_option(self, client, value):
        return strip_none(value)

    def same(self, current, desired):
        return is_subset(desired, current)


class PagerDutyModule(object):
    """An AnsibleModule with the connection options, a client and PagerDuty error handling."""

    def __init__(self, argument_spec, **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec)
        kwargs.setdefault("supports_check_mode", True)
        self.ansible = AnsibleModule(argument_spec=spec, **kwargs)
        self.params = self.ansible.params
        if not HAS_REQUESTS:
            self.ansible.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        try:
            self.client = client_from_options(self.params)
        except PagerDutyError as exc:
            self.fail(exc)

    @property
    def check_mode(self):
        return self.ansible.check_mode

    def fail(self, exc, **extra):
        result = exc.to_result() if isinstance(exc, PagerDutyError) else {}
        result.update(extra)
        self.ansible.fail_json(msg="%s" % exc, **result)

    def validate(self):
        """Checks that need no request; modules override this and call self.fail_input()."""

    def fail_input(self, msg):
        self.ansible.fail_json(msg=msg)

    def outcome(self, key, changed, obj, before, after):
        """The module result: changed, the object under its key, and the diff when --diff is on."""
        result = {"changed": changed, key: obj}
        if self.ansible._diff:
            result["diff"] = {"before": before, "after": after}
        return result

    def execute(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def run(self):
        self.validate()
        try:
            result = self.execute()
        except PagerDutyError as exc:
            self.fail(exc)
        self.ansible.exit_json(**result)


class ResourceModule(PagerDutyModule):
    """Idempotent present/absent management of one resource kind.

    Subclasses (or callers) give ``kind`` (a catalog kind name) and ``fields``
    (a list of Field). The module's own options must include ``id``, ``state``
    and the natural key.
    """

    kind = None
    fields = ()
    create_requires = ()

    def __init__(self, argument_spec, kind=None, fields=None, sublists=None, **kwargs):
        super(ResourceModule, self).__init__(argument_spec, **kwargs)
        self.kind = catalog.KINDS[kind or self.kind]
        if fields is not None:
            self.fields = fields
        if sublists is not None:
            self.sublists = sublists
        self.existing = None
        self.memo = {}

    def existing_id(self):
        return self.existing["id"] if self.existing else None

    # -- finding -------------------------------------------------------------

    def find_existing(self):
        object_id = self.params.get("id")
        if object_id:
            found = catalog.get_by_id(self.client, self.kind, object_id)
            if found is None and self.params.get("state") != "absent":
                raise PagerDutyError("no %s with id %r exists (id is only used to find an existing %s)"
                                     % (self.kind.label, object_id, self.kind.label))
            return found
        key = self.params.get(self.kind.natural_key)
        if not key:
            raise PagerDutyError("one of id or %s is required" % self.kind.natural_key)
        return catalog.find_by_key(self.client, self.kind, key)

    # -- desired state -----------------------------------------------------

    def managed_fields(self):
        return [f for f in self.fields if self.params.get(f.option) is not None]

    def desired_state(self):
        """Comparable values, keyed by option, of every option the user set."""
        return dict((f.option, f.from_option(self.client, self.params[f.option])) for f in self.managed_fields())

    def current_state(self, obj):
        return dict((f.option, f.from_api(obj)) for f in self.managed_fields())

    def api_body(self, values):
        fields = dict((f.option, f) for f in self.fields)
        body = {"type": self.kind.name}
        for option, value in values.items():
            body[fields[option].api] = fields[option].to_api(value)
        return {self.kind.name: body}

    # -- actions ---------------------------------------------------------------

    def execute(self):
        existing = self.existing = self.find_existing()
        if self.params.get("state") == "absent":
            return self.ensure_absent(existing)
        desired = self.desired_state()
        if existing is None:
            return self.create(desired)
        return self.update(existing, desired)

    def result(self, changed, obj, before, after):
        return self.outcome(self.kind.name, changed, obj, before, after)

    def create(self, desired):
        for option in (self.kind.natural_key,) + tuple(self.create_requires):
            if self.params.get(option) is None:
                raise PagerDutyError("%s is required to create a %s" % (option, self.kind.label))
        body = self.api_body(desired)
        if self.check_mode:
            created = dict(body[self.kind.name], id=None)
        else:
            try:
                created = self.client.post(self.kind.path, body)[self.kind.name]
            except PagerDutyError as exc:
                created = self.recover_create(exc)
        fields = dict((f.option, f) for f in self.fields)
        return self.finish(True, created, {}, dict((k, fields[k].diff(None, v)[1]) for k, v in desired.items()))

    def recover_create(self, exc):
        """A POST that failed without a clear answer may still have created the object.

        The client never resends a POST blindly; look it up once more instead, so a
        retry never creates a duplicate.
        """
        if isinstance(exc, PagerDutyAPIError) and exc.status < 500:
            raise self.explain_create_error(exc)
        found = catalog.find_by_key(self.client, self.kind, self.params[self.kind.natural_key])
        if found is None:
            raise exc
        return found

    def explain_create_error(self, exc):
        """Modules override this to add advice to a refused create."""
        return exc

    def update(self, existing, desired):
        current = self.current_state(existing)
        fields = dict((f.option, f) for f in self.fields)
        changes = dict((k, v) for k, v in desired.items() if not fields[k].same(current.get(k), v))
        before, after = {}, {}
        for k in changes:
            before[k], after[k] = fields[k].diff(current.get(k), changes[k])
        obj = existing
        if changes:
            body = self.api_body(changes)
            if self.check_mode:
                obj = dict(existing)
                obj.update(body[self.kind.name])
            else:
                obj = self.client.put(self.kind.item_path(existing["id"]), body)[self.kind.name]
        return self.finish(bool(changes), obj, before, after)

    # -- sub-resources -----------------------------------------------------------

    sublists = ()

    def finish(self, changed, obj, before, after):
        """Reconcile the sub-lists (if the resource has any), then build the result."""
        if self.sublists:
            changed = self.reconcile_sublists(obj, before, after) or changed
        return self.result(changed, obj, before, after)

    def reconcile_sublists(self, obj, before, after):
        """Plan every sub-list, apply the plans, and attach the final lists to obj.

        Removals run first and in reverse order (a notification rule goes before
        the contact method it uses), then additions and updates in declaration
        order (a contact method exists before a rule that names it).
        """
        self.memo = {}
        plans = []
        for sub in self.sublists:
            current = sub.read(self, obj) if obj.get("id") else sub.assumed_for_new(self)
            value = self.params.get(sub.option)
            if value is None:
                plans.append((sub, current, None))
                continue
            plan = reconcile(current, sub.desired(self, value), sub.identity, sub.fields,
                             purge=bool(self.params.get(sub.purge_option)))
            plans.append((sub, current, plan))
            if plan.changed:
                before[sub.option], after[sub.option] = plan.diff(sub.render)
        changed = any(plan is not None and plan.changed for _sub, _current, plan in plans)
        if changed and not self.check_mode:
            for sub, _current, plan in reversed(plans):
                for item in plan.remove if plan else ():
                    sub.remove(self, obj, item)
            for sub, _current, plan in plans:
                for item in plan.add if plan else ():
                    sub.add(self, obj, item)
                for old, new, changes in plan.update if plan else ():
                    sub.update(self, obj, old, new, changes)
            obj.update(catalog.get_by_id(self.client, self.kind, obj["id"]) or {})
            self.memo = {}
            for sub in self.sublists:
                obj[sub.option] = [sub.public(item) for item in sub.read(self, obj)]
        else:
            for sub, current, plan in plans:
                obj[sub.option] = [sub.public(item) for item in (plan.predict() if plan else current)]
        return changed

    def remember(self, key, compute):
        """Per-run cache for lookups that several sub-lists need."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def ensure_absent(self, existing):
        if existing is None:
            return self.result(False, None, {}, {})
        before = dict((f.option, f.from_api(existing)) for f in self.fields)
        before["id"] = existing["id"]
        if not self.check_mode:
            try:
                self.client.delete(self.kind.item_path(existing["id"]))
            except PagerDutyAPIError as exc:
                raise self.explain_delete_error(exc, existing)
        return self.result(True, existing, before, {})

    def explain_delete_error(self, exc, existing):
        """Modules override this to say what still references a refused delete."""
        return exc


class InfoModule(PagerDutyModule):
    """List objects of one kind, filtered by id, natural key or the API's query."""

    kind = None

    def __init__(self, argument_spec, kind=None, filters=None, **kwargs):
        kwargs.setdefault("mutually_exclusive", [("id", catalog.KINDS[kind or self.kind].natural_key, "query")])
        super(InfoModule, self).__init__(argument_spec, **kwargs)
        self.kind = catalog.KINDS[kind or self.kind]
        # option -> (API list parameter, kind of object it names): {"team": ("team_ids[]", "team")}
        self.filters = filters or {}

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
        """Add what the API does not return in one request; modules override this."""
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
            if self.params.get("query"):
                params[self.kind.search_param] = self.params["query"]
            items = self.client.list_all(self.kind.path, self.kind.plural, params)
        return {"changed": False, self.kind.plural: self.decorate(items)}
