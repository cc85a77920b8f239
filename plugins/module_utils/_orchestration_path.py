# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The base of the four orchestration path modules (router, unrouted, global, service).

Private to this collection: not an API for other collections.

A path document is read, the task's sets and catch-all are checked (``_orchestration_rules``) before any request,
the services, escalation policies and priorities they name are resolved to ids, and the whole document is written
with one PUT only when a rule or the catch-all differs. The diff names the rules that change.
"""

from __future__ import annotations

import copy

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils import _orchestration_rules as rules
from ansible_collections.oncall.pagerduty.plugins.module_utils._base import PagerDutyModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import AppliedError

WRAPPER = "orchestration_path"
RULE_OPTIONS = dict(
    label=dict(type="str"),
    conditions=dict(type="list", elements="raw"),
    actions=dict(type="dict"),
    disabled=dict(type="bool"),
)


def document_options():
    """The options every path module takes: the rules (of the start set, or sets of rules) and the catch-all."""
    return dict(
        rules=dict(type="list", elements="dict", options=RULE_OPTIONS),
        sets=dict(type="list", elements="dict", options=dict(
            id=dict(type="str", required=True),
            rules=dict(type="list", elements="dict", options=RULE_OPTIONS, default=[]),
        )),
        catch_all=dict(type="dict"),
    )


def cache_variable_options():
    """The cache variable options of the global and service paths."""
    return dict(
        cache_variables=dict(type="list", elements="dict", options=dict(
            name=dict(type="str", required=True),
            configuration=dict(type="dict", required=True),
            conditions=dict(type="list", elements="raw"),
            disabled=dict(type="bool"),
        )),
        purge_cache_variables=dict(type="bool", default=False),
    )


class OrchestrationPathModule(PagerDutyModule):
    """One path document of an orchestration or a service: subclasses set ``path_kind`` and ``owner_option``."""

    path_kind = None  # a key of _orchestration_rules.PATH_KINDS
    owner_option = "orchestration"
    cache_variables_path = None  # the PATHS name of the owner's cache variables, for the paths that take them

    @classmethod
    def spec_rules(cls):
        return {"mutually_exclusive": [("rules", "sets")]}

    @classmethod
    def declared_options(cls):
        return [("the owner", cls.owner_option), ("the document", "rules"), ("the document", "sets"), ("the document", "catch_all")]

    # The account engine takes these documents as items (pd_account): an item is found by its owner, not listed
    # beforehand, never undeclared and never deleted.
    is_document = True
    result_key = WRAPPER
    account_kind = None  # a catalog.Kind naming the item's kind for the account engine (set by each subclass)
    owner = None  # the owner's id, once found

    def setup(self, *args, **kwargs):
        super().setup(*args, **kwargs)
        self.kind = self.account_kind

    @property
    def path(self):
        return rules.PATH_KINDS[self.path_kind]

    def includes(self):
        return []

    def account_key(self):
        return self.params[self.owner_option]

    def task_sets(self):
        if self.params.get("rules") is not None:
            return [{"id": rules.START, "rules": self.params["rules"]}]
        return self.params.get("sets")

    def validate(self):
        errors = rules.check_document(self.path, self.task_sets(), self.params.get("catch_all"))
        if self.cache_variables_path and self.params.get("cache_variables"):
            errors += rules.check_cache_variables(self.params["cache_variables"])
        if errors:
            self.fail_input("; ".join(errors))

    # -- the owner and its document ---------------------------------------------

    def owner_id(self):
        value = self.params[self.owner_option]
        return catalog.resolve_reference(self.client, catalog.KINDS["event_orchestration"], value, self.owner_option)

    def document_path(self, owner_id):
        return catalog.path(f"orchestration_{self.path_kind}", owner_id)

    def read(self, owner_id):
        if catalog.is_planned(owner_id):  # its owner is created by this check-mode run: it has the documents of a new one
            return {}
        return (self.client.get(self.document_path(owner_id)) or {}).get(WRAPPER) or {}

    # -- names to ids ----------------------------------------------------------------

    def resolved(self, sets, catch_all):
        """The task's sets and catch-all with the services, escalation policies and priorities named by id."""
        places = []  # (where, actions dictionary, action name, kind name)
        for index, item in enumerate(sets or []):
            for number, rule in enumerate(item.get("rules") or []):
                places += self.references(f"sets[{index}].rules[{number}].actions", rule.get("actions") or {})
        if catch_all is not None:
            places += self.references("catch_all", catch_all)
        for kind_name in ("service", "escalation_policy"):
            wanted = [actions[name] for where, actions, name, kind in places if kind == kind_name]
            if not wanted:
                continue
            found = catalog.find_many(self.client, catalog.KINDS[kind_name], wanted)
            for where, actions, name, kind in places:
                if kind == kind_name:
                    if found.get(actions[name]) is None:
                        raise catalog.missing(catalog.KINDS[kind_name], actions[name], f"{where}.{name}")
                    actions[name] = found[actions[name]]["id"]
        for where, actions, name, kind in places:
            if kind == "priority":
                actions[name] = catalog.priority(self.ctx, actions[name], f"{where}.{name}")["id"]
        return sets, catch_all

    def references(self, where, actions):
        found = []
        if self.path.routes_to_services:
            if actions.get("route_to") not in (None, rules.UNROUTED):
                found.append((where, actions, "route_to", "service"))
            return found
        for name in ("escalation_policy", "priority"):
            if actions.get(name):
                found.append((where, actions, name, name))
        return found

    # -- the run -------------------------------------------------------------------------

    def planned_cache_variables(self, owner_id, before, after):
        """The writes that reconcile the owner's cache variables by name, [(method, path, item)], their diff added to
        ``before`` and ``after``."""
        wanted = self.params.get("cache_variables")
        if not self.cache_variables_path or (wanted is None and not self.params.get("purge_cache_variables")):
            return []
        path = catalog.path(self.cache_variables_path, owner_id)
        current = [] if catalog.is_planned(owner_id) else (self.client.get(path) or {}).get("cache_variables") or []
        by_name = {item.get("name"): item for item in current}
        writes = []
        for item in wanted or []:
            old = by_name.get(item["name"])
            if old is not None and rules.canonical_cache_variable(old) == rules.canonical_cache_variable(item):
                continue
            key = f"cache variable {item['name']}"
            if old is not None:
                before[key] = rules.canonical_cache_variable(old)
            after[key] = rules.canonical_cache_variable(item)
            writes.append(("PUT", f"{path}/{old['id']}", item) if old is not None else ("POST", path, item))
        if self.params.get("purge_cache_variables"):
            kept = {item["name"] for item in wanted or []}
            for old in current:
                if old.get("name") not in kept:
                    before[f"cache variable {old.get('name')}"] = rules.canonical_cache_variable(old)
                    writes.append(("DELETE", f"{path}/{old['id']}", None))
        return writes

    def write(self, owner_id, applied, method, path, body=None):
        """One write (its answer); a failure after earlier writes of this task says what was applied (``changed: true``)."""
        try:
            answer = self.client.request(method, path, json_body=body)
        except PagerDutyError as exc:
            if applied:
                raise AppliedError(exc, self.kind, owner_id, applied) from None
            raise
        applied.append(f"{method} {path}")
        return answer

    def execute(self):
        owner_id = self.owner = self.owner_id()
        current = self.read(owner_id)
        sets, catch_all = self.resolved(copy.deepcopy(self.task_sets()), copy.deepcopy(self.params.get("catch_all")))
        desired = rules.merged(self.path, current, rules.document_from_task(sets, catch_all))
        before, after = rules.changes(self.path, current, desired)
        document_changed = bool(before or after)
        variable_writes = self.planned_cache_variables(owner_id, before, after)
        document = dict(current, **desired) if document_changed else current
        applied = []
        if not self.check_mode:
            # Cache variables first: the document's conditions may use them.
            for method, path, item in variable_writes:
                self.write(owner_id, applied, method, path, None if item is None else {"cache_variable": rules.cache_variable_body(item)})
            if document_changed:
                document = (self.write(owner_id, applied, "PUT", self.document_path(owner_id), {WRAPPER: desired}) or {}).get(WRAPPER) or document
        changed = document_changed or bool(variable_writes)
        changed, document, before, after = self.finish(owner_id, applied, changed, document, before, after)
        return self.outcome(WRAPPER, changed, document, before, after)

    def finish(self, owner_id, applied, changed, document, before, after):
        """What a subclass changes besides the document (a service's active switch), through ``write``."""
        return changed, document, before, after
