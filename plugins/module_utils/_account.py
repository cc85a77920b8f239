# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The account engine: pd_account reconciles many objects of many kinds in one task.

Private to this collection: not an API for other collections.

Every kind the task needs is listed once, in parallel and within the token's rate budget, into a
``catalog.Directory`` set on the client. Each object is then planned and applied by its own kind's
module class, headless (the same fields, sub-lists, checks, writes and result as the per-object
module), in dependency order, with one memo shared by all of them: finding an object, resolving a
reference and reading a sub-list that a listing brought along cost no request, and a team's member
list is read once for the team and all its users. Only the differences are written.
"""

from __future__ import annotations

import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils import _export as export
from ansible_collections.oncall.pagerduty.plugins.module_utils._base import Context, InputError, PagerDutyModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._connection import client_factory
from ansible_collections.oncall.pagerduty.plugins.module_utils._alert_grouping_setting import AlertGroupingSettingModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._business_service import BusinessServiceModule, read_subscribers
from ansible_collections.oncall.pagerduty.plugins.module_utils._escalation_policy import EscalationPolicyModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._event_orchestration import EventOrchestrationModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._event_orchestration_global import OrchestrationGlobalModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._event_orchestration_router import OrchestrationRouterModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._event_orchestration_service import ServiceOrchestrationModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._event_orchestration_unrouted import OrchestrationUnroutedModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._maintenance_window import MaintenanceWindowModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._paging import DEFAULT_WORKERS, list_parallel
from ansible_collections.oncall.pagerduty.plugins.module_utils._schedule import ScheduleModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._schedule_override import OverrideModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._service import ServiceModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._service_dependency import DEPENDENTS, ServiceDependencyModule, read_relationships
from ansible_collections.oncall.pagerduty.plugins.module_utils._tag import ENTITY_TYPES, TagModule, read_assigned
from ansible_collections.oncall.pagerduty.plugins.module_utils._team import TeamModule, read_members
from ansible_collections.oncall.pagerduty.plugins.module_utils._timeutil import iso
from ansible_collections.oncall.pagerduty.plugins.module_utils._user import UserModule, license_allocations, read_handoff_rules, read_notification_rules
from ansible_collections.oncall.pagerduty.plugins.module_utils._webhook_subscription import WebhookSubscriptionModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._windowed import WindowedModule

# The options of pd_account and the module class of their items, in dependency order: every reference (a
# user's team, a schedule's users, a policy's schedules, a service's policy) exists before it is used.
KINDS_IN_ORDER = (
    ("teams", TeamModule),
    ("users", UserModule),
    ("schedules", ScheduleModule),
    ("escalation_policies", EscalationPolicyModule),
    ("services", ServiceModule),
    ("business_services", BusinessServiceModule),
    ("alert_grouping_settings", AlertGroupingSettingModule),
    ("tags", TagModule),
    ("webhook_subscriptions", WebhookSubscriptionModule),
    ("event_orchestrations", EventOrchestrationModule),
    # Documents of a service, a business service or an orchestration (found by their owner), and objects found by
    # their time window: not listed beforehand, never undeclared.
    ("service_dependencies", ServiceDependencyModule),
    ("event_orchestration_routers", OrchestrationRouterModule),
    ("event_orchestration_globals", OrchestrationGlobalModule),
    ("event_orchestration_unrouted", OrchestrationUnroutedModule),
    ("service_orchestrations", ServiceOrchestrationModule),
    ("maintenance_windows", MaintenanceWindowModule),
    ("schedule_overrides", OverrideModule),
)

# The kinds an object of each kind may name; they are listed too, so that references cost no request.
REFERS_TO = {
    "team": ("team", "user"),
    "user": ("team",),
    "schedule": ("user", "team"),
    "escalation_policy": ("user", "schedule", "team"),
    "service": ("escalation_policy",),
    "business_service": ("team", "user"),
    "service_dependency": ("service", "business_service"),
    "alert_grouping_setting": ("service",),
    "tag": ("user", "team", "escalation_policy"),
    "webhook_subscription": ("service", "team"),
    "event_orchestration": ("team",),
    "event_orchestration_router": ("event_orchestration", "service"),
    "event_orchestration_global": ("event_orchestration", "escalation_policy"),
    "event_orchestration_unrouted": ("event_orchestration",),
    "service_orchestration": ("service", "escalation_policy"),
    "maintenance_window": ("service",),
    "schedule_override": ("schedule", "user"),
}

ACTIONS = ("created", "updated", "deleted", "unchanged")


def argument_spec():
    """The options of pd_account: one list per kind, each item the options of that kind's module, and what to do
    with the objects no item declares."""
    spec = {option: dict(type="list", elements="dict", default=[]) for option, _cls in KINDS_IN_ORDER}
    spec.update(
        undeclared=dict(type="str", default="report", choices=["report", "remove"]),
        keep_undeclared=dict(type="list", elements="str", default=[]),
    )
    return spec


def in_parallel(params, client, work, jobs):
    """``work(client, job)`` for every job, by up to DEFAULT_WORKERS threads, each with its own client (sharing
    ``client``'s token and rate budget, so that parallel reads stay within the token's budget)."""
    if not jobs:
        return []
    make = client_factory(params, like=client)
    local = threading.local()
    made = []

    def run(job):
        worker = getattr(local, "client", None)
        if worker is None:
            worker = local.client = make()
            made.append(worker)
        return work(worker, job)

    try:
        with ThreadPoolExecutor(max_workers=min(len(jobs), DEFAULT_WORKERS)) as pool:
            return list(pool.map(run, jobs))
    finally:
        for worker in made:
            worker.session.close()


def listed_kinds(params, client, includes):
    """A Directory holding every object of each kind in ``includes`` ({kind name: include[] values}), each
    kind listed once, in parallel."""
    directory = catalog.Directory()

    def listing(worker, job):
        kind = catalog.KINDS[job[0]]
        if not kind.totals:  # a list that cannot count itself is read page by page
            return kind, list(catalog.iter_kind(worker, kind, {"include[]": job[1]} if job[1] else None))
        return kind, list_parallel(worker, kind.path, kind.plural, {"include[]": job[1]} if job[1] else None)

    for kind, objects in in_parallel(params, client, listing, sorted(includes.items())):
        directory.load(kind, objects)
    return directory


def member_lists(params, client, team_ids):
    """[(team id, its members as ``_team.read_members`` gives them)], read in parallel."""
    return in_parallel(params, client, lambda worker, team_id: (team_id, read_members(Context(worker, {}, False), team_id)), team_ids)


def unlisted(module):
    """Whether the engine takes items of this module (class) without listing its kind: objects found by their time
    window, and the documents of an orchestration or a service. Such items are never undeclared."""
    return getattr(module, "account_kind", None) is not None


class Planned:
    """One item of the task (or an undeclared object to remove): where it was given, its validated options and
    its headless module."""

    def __init__(self, option, index, module, key=None, why="undeclared"):
        self.option = option
        self.index = index
        self.module = module
        self.kind = module.kind
        self.params = module.params
        self.windowed = unlisted(module)
        self.key = key or (module.account_key() if hasattr(module, "account_key") else self.params.get(self.kind.natural_key) or self.params.get("id"))
        self.why = why  # for an object no item names: why it is changed

    @property
    def where(self):
        if self.index is None:
            return f"{self.option}, {self.why} ({self.key})"
        return f"{self.option}[{int(self.index)}] ({self.key})"

    @property
    def present(self):
        return self.params.get("state") != "absent"


class AccountError(PagerDutyError):
    """A failure on one object: the result names it and lists what the objects before it did."""

    def __init__(self, cause, planned, objects, wrote):
        self.cause = cause
        self.objects = objects
        self.wrote = wrote or bool(getattr(cause, "applied", None))
        tail = "; the objects before it were applied, a rerun continues from there" if self.wrote else ""
        super().__init__(f"{planned.where}: {cause}{tail}")

    def to_result(self):
        result = self.cause.to_result() if isinstance(self.cause, PagerDutyError) else {}
        result.update(changed=self.wrote, objects=self.objects)
        return result


def item_error(where, result):
    """The message for an item refused by its kind's argument spec."""
    texts = []
    for error in result.errors:
        text = f"{error}"
        if type(error).__name__ == "UnsupportedError":
            text = f"unsupported option {text}"
        texts.append(text)
    return f"{where}: {'; '.join(texts)}"


class AccountModule(PagerDutyModule):
    """pd_account: the whole account (or any part of it) in one task."""

    argument_spec = staticmethod(argument_spec)

    @classmethod
    def declared_options(cls):
        return [("kind option", option) for option, _cls in KINDS_IN_ORDER] + [("option", "undeclared"), ("option", "keep_undeclared")]

    # -- before any request ------------------------------------------------------

    def validate(self):
        """Every item checked against its kind's options and checks; a duplicate is refused."""
        self.planned = []
        for option, module_class in KINDS_IN_ORDER:
            kind = module_class.account_kind if unlisted(module_class) else catalog.KINDS[module_class.kind]
            seen = {}
            for index, item in enumerate(self.params.get(option) or []):
                module = self.headless(module_class, self.checked(module_class, item, f"{option}[{int(index)}]"))
                planned = Planned(option, index, module)
                identity = f"{planned.key}".lower() if kind.case_insensitive else planned.key
                if identity in seen and not isinstance(module, WindowedModule):
                    raise InputError(f"{planned.where} repeats {option}[{int(seen[identity])}]: each object is listed once")
                seen[identity] = index
                try:
                    module.validate()
                except InputError as exc:
                    raise InputError(f"{planned.where}: {exc}")
                self.planned.append(planned)

    @staticmethod
    def checked(module_class, item, where):
        """The item's options validated against its kind's options, with their defaults."""
        checked = ArgumentSpecValidator(module_class.own_spec(), **module_class.spec_rules()).validate(item)
        if checked.error_messages:
            raise InputError(item_error(where, checked))
        return checked.validated_parameters

    def headless(self, module_class, params):
        module = module_class.headless(params, self.client, self.check_mode, self.diff_mode, self.ctx.sharing(params))
        module.read_back = False  # the result lists what changed, not the objects: nothing written is read back
        module.settle_copies = False  # settle() keeps one copy of every object of the kind created, at once
        return module

    # -- reading -------------------------------------------------------------------

    def listings(self):
        """{kind name: sorted include[] values} of every kind to list: the kinds of the items and what they name."""
        wanted = {}
        for planned in self.planned:
            if not planned.windowed:
                includes = wanted.setdefault(planned.kind.name, set())
                if planned.present:
                    includes.update(planned.module.includes())
            for name in REFERS_TO[planned.kind.name]:
                wanted.setdefault(name, set())
        return {name: sorted(includes) for name, includes in wanted.items()}

    def prefetch(self):
        """List every kind needed into a Directory on the client, then the member lists of the teams the
        items read (a team's members, a user's role in a team), all in parallel."""
        self.client.directory = listed_kinds(self.params, self.client, self.listings())
        for team_id, found in member_lists(self.params, self.client, sorted(self.member_lists_read())):
            self.ctx.prime(read_members, (team_id,), found)

    def member_lists_read(self):
        """The ids of the existing teams whose member lists the items will read."""
        team_kind = catalog.KINDS["team"]
        ids = set()
        for planned in self.planned:
            params = planned.params
            reads = {"team": "members", "user": "teams"}.get(planned.kind.name)  # the option whose items need member lists
            if not planned.present or reads is None or params.get(reads) is None:
                continue
            try:  # an item that cannot be found or resolved fails later, where the error names it
                found = planned.module.find_existing()
                if found is None:
                    continue
                if planned.kind.name == "team":
                    ids.add(found["id"])
                elif planned.kind.name == "user":
                    held = {team.get("id") for team in found.get("teams") or [] if isinstance(team, dict)}
                    named = {team["id"] for team in (catalog.find(self.client, team_kind, item["team"]) for item in params["teams"]) if team}
                    ids.update(held if params.get("purge_teams") else held & named)
            except PagerDutyError:
                continue
        return ids

    # -- applying ------------------------------------------------------------------

    def execute(self):
        self.prefetch()
        self.refuse_twice_named()
        # Objects to delete go last and in reverse order (a service before its policy), after every update
        # that may stop using them.
        order = [planned for planned in self.planned if planned.present]
        order += sorted((planned for planned in self.planned if not planned.present),
                        key=lambda planned: -[option for option, _cls in KINDS_IN_ORDER].index(planned.option))
        objects = self.apply(order, [])
        undeclared = self.undeclared(objects)
        if self.params["undeclared"] == "remove":
            removals = [self.removal(option, obj) for option, found in reversed(list(undeclared.items())) for obj in found
                        if obj.get("role") != "owner"]  # PagerDuty cannot delete the account owner
            order += removals
            objects = self.apply(removals, objects)
        classes = dict(KINDS_IN_ORDER)
        result = self.report(order, objects)
        result["undeclared"] = {option: [{"id": obj["id"], "key": catalog.KINDS[classes[option].kind].key_of(obj)} for obj in found]
                                for option, found in undeclared.items()}
        return result

    def report(self, order, objects):
        """The result: changed, an entry per object, the count of each action per option, and the diffs."""
        summary = {option: {action: 0 for action in ACTIONS} for option, _cls in KINDS_IN_ORDER}
        for planned, entry in zip(order, objects):
            summary[planned.option][entry["action"]] += 1
        result = {"changed": any(entry["changed"] for entry in objects), "objects": objects, "summary": summary}
        if self.diff_mode:
            result["diff"] = [dict(entry["diff"], before_header=f"{planned.kind.label} {planned.key} (before)",
                                   after_header=f"{planned.kind.label} {planned.key} ({entry['action']})")
                              for planned, entry in zip(order, objects) if entry.get("diff")]
        return result

    def apply(self, order, objects):
        """Run each planned item in order; the entries of ``objects`` and then of these. A failure names the item."""
        objects = list(objects)
        for position, planned in enumerate(order):
            try:
                objects.append(self.record(planned, planned.module.execute()))
                following = order[position + 1] if position + 1 < len(order) else None
                if not planned.kind.unique and not planned.windowed and not self.check_mode and self.settles(planned) \
                        and (following is None or following.kind is not planned.kind):
                    self.settle(planned.kind, list(zip(order, objects[-position - 1:])))
            except PagerDutyError as exc:
                raise AccountError(exc, planned, objects, any(obj["changed"] for obj in objects) and not self.check_mode)
        return objects

    @staticmethod
    def settles(planned):
        """Whether settle() keeps one copy of the objects of this item's kind: those that PagerDuty does not keep unique,
        told apart by their natural key (alert grouping settings refuse a second copy; webhook subscriptions settle
        their own)."""
        module_class = type(planned.module)
        return module_class.settle_copies and module_class.settled_by_key

    def undeclared(self, objects):
        """{option: [objects]} that the account holds and no item declares, for every kind the task lists items of
        (in dependency order); those named in keep_undeclared (by name, email or id) are left out."""
        claimed = {entry["id"] for entry in objects}
        keep = {f"{value}".lower() for value in self.params.get("keep_undeclared") or []}
        found = {}
        for option, module_class in KINDS_IN_ORDER:
            if unlisted(module_class) or not self.params.get(option):
                continue
            kind = catalog.KINDS[module_class.kind]
            listed = self.client.directory.of_kind(kind)
            found[option] = sorted((obj for obj in listed if obj["id"] not in claimed and obj["id"].lower() not in keep
                                    and f"{kind.key_of(obj)}".lower() not in keep),
                                   key=lambda obj: (f"{kind.key_of(obj)}", obj["id"]))
        return found

    def removal(self, option, obj):
        """The plan that deletes an undeclared object, through its kind's module."""
        module_class = dict(KINDS_IN_ORDER)[option]
        kind = catalog.KINDS[module_class.kind]
        params = self.checked(module_class, {"id": obj["id"], "state": "absent"}, option)
        return Planned(option, None, self.headless(module_class, params), key=kind.key_of(obj) or obj["id"])

    def refuse_twice_named(self):
        """Two items that name one existing object (by id and by name, say) are an input error, before any write."""
        claimed = {}
        for planned in self.planned:
            if planned.windowed:
                continue
            try:
                found = planned.module.find_existing()
            except PagerDutyError:  # reported where the item runs, with its name
                continue
            if found is None:
                continue
            other = claimed.setdefault((planned.kind.name, found["id"]), planned)
            if other is not planned:
                raise InputError(f"{planned.where} and {other.where} are the same {planned.kind.label} ({found['id']}): each object is listed once")

    def settle(self, kind, applied):
        """Keep one copy of each object of a kind whose key PagerDuty does not keep unique (schedules) that this
        run created, as the per-object module does (``catalog.keep_one_copy``), with one pause and one listing for
        all of them: when concurrent runs each created one, the copy with the smallest id is kept, this run's
        other copy is deleted and the kept one converged on the item."""
        created = [(planned, entry) for planned, entry in applied if planned.kind is kind and entry["action"] == "created"]
        if not created:
            return
        time.sleep(catalog.SETTLE_SECONDS)
        listed = list(catalog.iter_kind(self.client, kind))
        for planned, entry in created:
            kept = catalog.kept_copy([obj for obj in listed if kind.key_matches(obj, planned.key)])
            if kept is None or kept["id"] == entry["id"]:
                continue
            self.client.delete(kind.item_path(entry["id"]))
            self.client.directory.drop(kind, entry["id"])
            self.client.directory.put(kind, catalog.get_by_id(self.client, kind, kept["id"]) or kept)
            entry["id"] = kept["id"]
            self.headless(type(planned.module), planned.params).execute()

    def record(self, planned, result):
        """The object's entry in the result, and the Directory kept current for the objects after it."""
        kind, directory = planned.kind, self.client.directory
        existing = planned.module.ctx.existing
        obj = result.get(getattr(planned.module, "result_key", None) or kind.name) or {}
        changed = bool(result.get("changed"))
        if not planned.present:
            action = "deleted" if changed else "unchanged"
            if changed and not planned.windowed:
                directory.drop(kind, existing["id"])
        else:
            action = "unchanged" if not changed else "updated" if existing or getattr(planned.module, "is_document", False) else "created"
            if getattr(planned.module, "is_document", False):
                obj = {"id": planned.module.owner}  # a document has no id of its own: its owner's
            elif obj.get("id") is None:  # created in check mode: later objects may name it
                obj = dict(obj, id=catalog.planned_id(kind, planned.key))
            if not planned.windowed:
                directory.put(kind, obj)
        entry = {"kind": kind.name, "key": planned.key, "id": obj.get("id") if planned.present else (existing or {}).get("id"),
                 "action": action, "changed": changed}
        if planned.index is None and planned.why == "undeclared":
            entry["undeclared"] = True
        if changed and "diff" in result:
            entry["diff"] = result["diff"]
        return entry


# What pd_account_info lists for each kind it exports, and how it exports one object.
EXPORTS = (
    ("teams", "team", ()),
    ("users", "user", ("contact_methods",)),
    ("schedules", "schedule", ("schedule_layers",)),
    ("escalation_policies", "escalation_policy", ()),
    ("services", "service", ("integrations",)),
    ("business_services", "business_service", ()),
    ("alert_grouping_settings", "alert_grouping_setting", ()),
    ("tags", "tag", ()),
    ("webhook_subscriptions", "webhook_subscription", ()),
    ("event_orchestrations", "event_orchestration", ()),
)


def tag_assignments(ctx, tag_id):
    """{entity type: [references]} of the users, teams and escalation policies a tag is assigned to."""
    return {entity_type: read_assigned(ctx, tag_id, entity_type) for entity_type, _kind in ENTITY_TYPES}


# The kinds whose export needs more than their listing: one read per object exported, done in parallel.
def user_rules(ctx, user_id):
    """A user's notification rules (all urgencies) and on-call handoff notification rules."""
    return read_notification_rules(ctx, user_id), read_handoff_rules(ctx, user_id)


EXPORT_READS = {
    "user": user_rules,
    "tag": tag_assignments,
    "business_service": read_subscribers,
}


# Exported too, each read in its own way: open maintenance windows, and the current and future overrides of
# each schedule (for OVERRIDES_AHEAD).
WINDOW_EXPORTS = ("maintenance_windows", "schedule_overrides")
# Read from each service and business service, grouped by the dependent one.
DEPENDENCY_EXPORT = "service_dependencies"
# The orchestration documents, each read on its own (option, path kind, owner option): those that hold something.
DOCUMENT_EXPORTS = (
    ("event_orchestration_routers", "router", "orchestration"),
    ("event_orchestration_globals", "global", "orchestration"),
    ("event_orchestration_unrouted", "unrouted", "orchestration"),
    ("service_orchestrations", "service", "service"),
)
OVERRIDES_AHEAD = datetime.timedelta(days=365)


def info_argument_spec():
    """The options of pd_account_info: which kinds, and which teams' objects."""
    options = [option for option, _kind, _includes in EXPORTS] + list(WINDOW_EXPORTS) + [DEPENDENCY_EXPORT]
    options += [option for option, _path, _owner in DOCUMENT_EXPORTS]
    return dict(
        kinds=dict(type="list", elements="str", choices=options, default=options),
        teams=dict(type="list", elements="str", default=[]),
    )


class AccountInfoModule(PagerDutyModule):
    """pd_account_info: the account as the variables of roles/account (pd_account's options)."""

    argument_spec = staticmethod(info_argument_spec)

    @classmethod
    def declared_options(cls):
        return [("option", "kinds"), ("option", "teams")]

    def execute(self):
        kinds = [entry for entry in EXPORTS if entry[0] in self.params["kinds"]]
        # Every kind is listed (references are named from the lists), with the includes of the kinds exported.
        directory = listed_kinds(self.params, self.client, {kind: list(includes) if option in self.params["kinds"] else []
                                                            for option, kind, includes in EXPORTS})
        objects = {kind: {obj["id"]: obj for obj in directory.of_kind(catalog.KINDS[kind])} for _option, kind, _includes in EXPORTS}
        names = export.Names(objects, catalog.KINDS)
        team_ids = self.team_filter(directory)

        def wanted(kind, obj):
            if not team_ids:
                return True
            if kind == "team":
                return obj["id"] in team_ids
            teams = obj.get("teams") or ([obj["team"]] if obj.get("team") else [])  # an orchestration has one team
            return any(isinstance(team, dict) and team.get("id") in team_ids for team in teams)

        chosen = {kind: [obj for obj in objects[kind].values() if wanted(kind, obj)] for _option, kind, _includes in kinds}
        users = chosen.get("user", [])
        roles = {}
        for team_id, members in member_lists(self.params, self.client, sorted({team["id"] for user in users for team in user.get("teams") or []
                                                                              if isinstance(team, dict) and team.get("id")})):
            for member in members:
                roles.setdefault(member["user"].get("id"), {})[team_id] = member.get("role")
        licenses = export.license_names(license_allocations(self.ctx)) if users else {}
        jobs = sorted((kind, obj["id"]) for kind, found in chosen.items() if kind in EXPORT_READS for obj in found)
        read = dict(in_parallel(self.params, self.client, lambda worker, job: (job, EXPORT_READS[job[0]](Context(worker, {}, False), job[1])), jobs))

        def exported_user(obj):
            rules, handoffs = read[("user", obj["id"])]
            return export.export_user(obj, names, rules, roles.get(obj["id"], {}), handoffs, licenses.get(obj["id"]))

        exporters = {
            "team": lambda obj: export.export_team(obj, names),
            "user": exported_user,
            "schedule": lambda obj: export.export_schedule(obj, names, self.ctx.now),
            "escalation_policy": lambda obj: export.export_escalation_policy(obj, names),
            "service": lambda obj: export.export_service(obj, names),
            "business_service": lambda obj: export.export_business_service(obj, names, read[("business_service", obj["id"])]),
            "alert_grouping_setting": lambda obj: export.export_alert_grouping_setting(obj, names),
            "tag": lambda obj: export.export_tag(obj, names, read[("tag", obj["id"])]),
            "webhook_subscription": lambda obj: export.export_webhook_subscription(obj, names),
            "event_orchestration": lambda obj: export.export_event_orchestration(obj, names),
        }
        account = {}
        for option, kind, _includes in kinds:
            key = catalog.KINDS[kind].natural_key
            account[f"account_{option}"] = export.sorted_items([exporters[kind](obj) for obj in chosen[kind]], key)
        if "maintenance_windows" in self.params["kinds"]:
            account["account_maintenance_windows"] = self.windows(names, wanted)
        if "schedule_overrides" in self.params["kinds"]:
            schedules = [obj for obj in objects["schedule"].values() if wanted("schedule", obj)]
            account["account_schedule_overrides"] = self.overrides(names, schedules)
        if DEPENDENCY_EXPORT in self.params["kinds"]:
            account[f"account_{DEPENDENCY_EXPORT}"] = self.dependencies(names, objects, wanted)
        account.update(self.documents(names, objects, wanted))
        return {"changed": False, "account": account, "counts": {name: len(items) for name, items in account.items()}}

    def documents(self, names, objects, wanted):
        """The orchestration documents asked for that hold something, read in parallel; a service's ``active`` with its
        document."""
        asked = [entry for entry in DOCUMENT_EXPORTS if entry[0] in self.params["kinds"]]
        if not asked:
            return {}
        priority_kind = catalog.KINDS["priority"]
        priority_names = {item["id"]: item.get("name") for item in self.client.list_all(priority_kind.path, priority_kind.plural)}
        jobs = []
        for option, path_kind, owner_option in asked:
            owner_kind = "service" if owner_option == "service" else "event_orchestration"
            jobs += [(option, path_kind, owner_option, obj["id"]) for obj in objects[owner_kind].values() if wanted(owner_kind, obj)]

        def read(worker, job):
            option, path_kind, owner_option, owner_id = job
            name = "service_orchestration" if path_kind == "service" else f"orchestration_{path_kind}"
            document = (worker.get(catalog.path(name, owner_id)) or {}).get("orchestration_path") or {}
            active = (worker.get(catalog.path("service_orchestration_active", owner_id)) or {}).get("active") if path_kind == "service" else None
            return job, document, active

        found = {option: [] for option, _path, _owner in asked}
        for (option, path_kind, owner_option, owner_id), document, active in in_parallel(self.params, self.client, read, jobs):
            owner = names.of("service" if owner_option == "service" else "event_orchestration", owner_id)
            item = export.export_path_document(path_kind, document, owner_option, owner, names, priority_names)
            if active:
                item = dict(item or {owner_option: owner}, active=True)
            if item is not None:
                found[option].append(item)
        owners = {option: owner_option for option, _path, owner_option in asked}
        return {f"account_{option}": sorted(items, key=lambda item, owner=owners[option]: f"{item[owner]}".lower()) for option, items in found.items()}

    def dependencies(self, names, objects, wanted):
        """The supporting services of every dependent service and business service (chosen), read from each of them in
        parallel (a read gives both directions; a dependency is kept once)."""
        jobs = [(kind_name, obj["id"]) for kind_name in DEPENDENTS for obj in objects[kind_name].values() if wanted(kind_name, obj)]
        found = in_parallel(self.params, self.client, lambda worker, job: read_relationships(Context(worker, {}, False), *job), sorted(jobs))
        return export.export_service_dependencies([item for relationships in found for item in relationships], names)

    def windows(self, names, wanted):
        """The open (ongoing and future) maintenance windows."""
        kind = catalog.KINDS["maintenance_window"]
        found = list_parallel(self.client, kind.path, kind.plural, {"filter": "open"})
        items = [export.export_maintenance_window(window, names) for window in found if wanted("maintenance_window", window)]
        return sorted(items, key=lambda item: (item["start_time"] or "", item.get("description") or "", item["services"]))

    def overrides(self, names, schedules):
        """The overrides of these schedules that have not ended (up to OVERRIDES_AHEAD from now), read in parallel."""
        query = {"since": iso(self.ctx.now), "until": iso(self.ctx.now + OVERRIDES_AHEAD), "overflow": "true"}

        def read(worker, schedule_id):
            return schedule_id, (worker.get(catalog.path("overrides", schedule_id), query) or {}).get("overrides") or []

        items = [export.export_override(override, schedule_id, names)
                 for schedule_id, found in in_parallel(self.params, self.client, read, sorted(obj["id"] for obj in schedules))
                 for override in found]
        return sorted(items, key=lambda item: (f"{item['schedule']}".lower(), item["start"] or "", f"{item['user']}".lower()))

    def team_filter(self, directory):
        """The ids of the teams the ``teams`` option names (by name or id); an unknown one is an error."""
        kind = catalog.KINDS["team"]
        ids = set()
        for value in self.params.get("teams") or []:
            found = directory.by_id(kind, value) or directory.by_key(kind, value)
            if found is None:
                raise catalog.missing(kind, value, "teams")
            ids.add(found["id"])
        return ids
