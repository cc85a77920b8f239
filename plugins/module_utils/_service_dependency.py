# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Service dependencies: pd_service_dependency (what one business or technical service depends on) and its info twin.

Private to this collection: not an API for other collections.

A dependency is a relationship between a supporting service and a dependent one, each a technical service or a
business service. The API reads the immediate dependencies of one service (``GET /service_dependencies/
business_services/{id}`` or ``.../technical_services/{id}``: those where it depends and those where it supports)
and writes lists of them: ``POST /service_dependencies/associate`` and ``.../disassociate``, each with
``relationships: [{"supporting_service": {"id", "type"}, "dependent_service": {"id", "type"}}]``. The module sends
all its additions in one associate request and all its removals in one disassociate request.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._base import PagerDutyModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import AppliedError

# The dependent service's option, its catalog kind and the path reading its dependencies.
DEPENDENTS = {"business_service": "business_service_dependencies", "service": "technical_service_dependencies"}
# The supporting services' options and their kinds.
SUPPORTING = (("supporting_services", "service"), ("supporting_business_services", "business_service"))
# A side's type as the API may write it, and the kind it names. Requests send the spec example's "service" and
# "business_service"; answers write "technical_service_reference" and "business_service_reference".
SIDE_KINDS = {
    "service": "service", "service_reference": "service", "technical_service_reference": "service",
    "business_service": "business_service", "business_service_reference": "business_service",
}


def read_relationships(ctx, kind_name, object_id):
    """The immediate dependencies of a service (either side), as the API returns them."""
    body = ctx.client.get(catalog.path(DEPENDENTS[kind_name], object_id)) or {}
    return [item for item in body.get("relationships") or [] if isinstance(item, dict)]


def side(relationship, name):
    """(kind name, id) of one side of a relationship, or None when it is not one."""
    value = relationship.get(name)
    if not isinstance(value, dict) or not value.get("id") or value.get("type") not in SIDE_KINDS:
        return None
    return SIDE_KINDS[value["type"]], value["id"]


def relationship_body(supporting, dependent):
    return {"supporting_service": {"id": supporting[1], "type": supporting[0]},
            "dependent_service": {"id": dependent[1], "type": dependent[0]}}


def dependent_option(params):
    """(option, kind name) of the dependent service the task names."""
    return next(((option, option) for option in DEPENDENTS if params.get(option)), ("service", "service"))


def find_dependent(client, params, required):
    """(kind name, the dependent service object or None); a missing one is an error when ``required``."""
    option, kind_name = dependent_option(params)
    kind = catalog.KINDS[kind_name]
    found = catalog.find(client, kind, params[option])
    if found is None and required:
        raise catalog.missing(kind, params[option], option)
    return kind_name, found


def argument_spec():
    """The options of pd_service_dependency (the connection options and state are added by the base)."""
    return dict(
        business_service=dict(type="str"),
        service=dict(type="str"),
        supporting_services=dict(type="list", elements="str"),
        supporting_business_services=dict(type="list", elements="str"),
        purge=dict(type="bool", default=False),
    )


def check_dependent(module):
    """Refuse a task whose dependent service option is empty."""
    if not any(f"{module.params.get(option) or ''}".strip() for option in DEPENDENTS):
        module.fail_input("one of business_service or service (the dependent service, by name or id) is required and may not be empty")


class ServiceDependencyModule(PagerDutyModule):
    """pd_service_dependency: the supporting services of one dependent service, added and removed in one request each."""

    has_state = True
    argument_spec = staticmethod(argument_spec)
    # The account engine takes these as documents (pd_account's service_dependencies): an item is found by its
    # dependent service, not listed beforehand, never undeclared.
    is_document = True
    result_key = "dependent"
    account_kind = catalog.Kind("service_dependency", None, None, natural_key="dependent", label="service dependencies")
    owner = None  # the dependent service's id, once found

    def setup(self, *args, **kwargs):
        super().setup(*args, **kwargs)
        self.kind = self.account_kind

    def account_key(self):
        option, _kind = dependent_option(self.params)
        return f"{option} {self.params.get(option)}"

    @classmethod
    def spec_rules(cls):
        return {"required_one_of": [tuple(DEPENDENTS)], "mutually_exclusive": [tuple(DEPENDENTS)]}

    @classmethod
    def declared_options(cls):
        return ([("the state option", "state"), ("purge option", "purge")] + [("dependent", option) for option in DEPENDENTS]
                + [("supporting list", option) for option, _kind in SUPPORTING])

    def validate(self):
        check_dependent(self)
        given = [name for name, _kind in SUPPORTING if self.params.get(name) is not None]
        if not given and not (self.params.get("purge") and self.params.get("state") == "present"):
            self.fail_input("give supporting_services or supporting_business_services (with state=present, purge=true and neither "
                            "list removes every dependency)")
        for name, _kind in SUPPORTING:
            for index, value in enumerate(self.params.get(name) or []):
                if value is None or not f"{value}".strip():
                    self.fail_input(f"{name}[{index}]: give a name or an id, not an empty string")

    def desired(self, required):
        """{(kind, id): name} of the supporting services the task lists, resolved before any write; a missing one is an
        error when ``required`` (to add), else left out (nothing to remove)."""
        wanted = {}
        for option, kind_name in SUPPORTING:
            values = self.params.get(option) or []
            if not values:
                continue
            kind = catalog.KINDS[kind_name]
            found = catalog.find_many(self.client, kind, values)
            for value in values:
                if found.get(value) is None:
                    if required:
                        raise catalog.missing(kind, value, option)
                    continue
                wanted[(kind_name, found[value]["id"])] = found[value].get("name") or found[value].get("summary") or value
        return wanted

    def names(self, keys, known):
        """{(kind, id): name} for ``keys``, looked up where ``known`` lacks them (an id when the service is gone)."""
        names = {key: known[key] for key in keys if key in known}
        for _option, kind_name in SUPPORTING:
            missing = [object_id for kind, object_id in keys if kind == kind_name and (kind, object_id) not in names]
            if missing:
                found = catalog.find_many(self.client, catalog.KINDS[kind_name], missing)
                for object_id in missing:
                    obj = found.get(object_id) or {}
                    names[(kind_name, object_id)] = obj.get("name") or obj.get("summary") or object_id
        return names

    def listing(self, keys, names):
        """{option: sorted names} of each supporting list the keys hold."""
        return {option: sorted(names[key] for key in keys if key[0] == kind_name) for option, kind_name in SUPPORTING}

    def execute(self):
        present = self.params["state"] == "present"
        kind_name, dependent = find_dependent(self.client, self.params, required=present)
        if dependent is None:
            return self.result(False, None, [], {}, {})
        wanted = self.desired(required=present)
        me = (kind_name, dependent["id"])
        self.owner = dependent["id"]
        # A dependent service this check-mode run would create (pd_account) has no dependencies yet.
        relationships = [] if catalog.is_planned(dependent["id"]) else self.ctx.remember(read_relationships, kind_name, dependent["id"])
        current = [side(item, "supporting_service") for item in relationships if side(item, "dependent_service") == me]
        current = list(dict.fromkeys(key for key in current if key is not None))
        if present:
            add = [key for key in wanted if key not in current]
            remove = [key for key in current if key not in wanted] if self.params["purge"] else []
        else:
            add, remove = [], [key for key in current if key in wanted]
        changed = bool(add or remove)
        before = after = {}
        if changed:
            names = self.names(current + add, wanted)
            final = [key for key in current if key not in remove] + add
            old, new = self.listing(current, names), self.listing(final, names)
            changed_options = [option for option in old if old[option] != new[option]]
            before = {option: old[option] for option in changed_options}
            after = {option: new[option] for option in changed_options}
        if changed and not self.check_mode:
            if remove:
                self.client.post(catalog.path("service_dependencies_disassociate"),
                                 {"relationships": [relationship_body(key, me) for key in remove]})
            if add:
                try:
                    self.client.post(catalog.path("service_dependencies_associate"),
                                     {"relationships": [relationship_body(key, me) for key in add]})
                except PagerDutyError as exc:
                    if not remove:
                        raise
                    removed = [f"removed the dependency on {kind_of} {object_id}" for kind_of, object_id in remove]
                    raise AppliedError(exc, catalog.KINDS[kind_name], dependent["id"], removed) from None
            self.ctx.forget(read_relationships)
            relationships = self.ctx.remember(read_relationships, kind_name, dependent["id"])
        elif changed:
            relationships = [item for item in relationships if side(item, "supporting_service") not in remove or side(item, "dependent_service") != me]
            relationships += [dict(relationship_body(key, me), id=None, type="service_dependency") for key in add]
        return self.result(changed, dependent, relationships, before, after)

    def result(self, changed, dependent, relationships, before, after):
        dependent_ref = None
        if dependent is not None:
            dependent_ref = {"id": dependent["id"], "type": dependent_option(self.params)[1], "name": dependent.get("name") or dependent.get("summary")}
        result = self.outcome("dependent", changed, dependent_ref, before, after)
        result["relationships"] = relationships
        return result


class ServiceDependencyInfoModule(PagerDutyModule):
    """pd_service_dependency_info: the immediate dependencies of one business or technical service."""

    @classmethod
    def spec_rules(cls):
        return {"required_one_of": [tuple(DEPENDENTS)], "mutually_exclusive": [tuple(DEPENDENTS)]}

    @classmethod
    def declared_options(cls):
        return [("service", option) for option in DEPENDENTS]

    def validate(self):
        check_dependent(self)

    def execute(self):
        kind_name, found = find_dependent(self.client, self.params, required=True)
        me = (kind_name, found["id"])
        relationships = read_relationships(self.ctx, kind_name, found["id"])
        supporting, dependents = [], []
        for item in relationships:
            supporting_side, dependent_side = side(item, "supporting_service"), side(item, "dependent_service")
            if dependent_side == me and supporting_side:
                supporting.append({"type": supporting_side[0], "id": supporting_side[1]})
            elif supporting_side == me and dependent_side:
                dependents.append({"type": dependent_side[0], "id": dependent_side[1]})
        return {"changed": False, "service": {"id": found["id"], "type": kind_name, "name": found.get("name") or found.get("summary")},
                "supporting": supporting, "dependents": dependents, "relationships": relationships}
