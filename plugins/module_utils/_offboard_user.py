# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Offboarding: pd_offboard_user takes a person out of everything that pages them, then deletes or downgrades them.

Private to this collection: not an API for other collections.

Built on the account engine: schedules, escalation policies, teams and users are listed once; every
change is planned (and every rule or layer that would be left empty refused) before the first write, then
applied in order by the kinds' own module classes, headless: the schedules (``preserve_oncall``, so whoever
is on call now stays on call), the escalation policies, the user's teams, and the user.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils import _export as export
from ansible_collections.oncall.pagerduty.plugins.module_utils._account import AccountModule, Planned, listed_kinds
from ansible_collections.oncall.pagerduty.plugins.module_utils._base import InputError
from ansible_collections.oncall.pagerduty.plugins.module_utils._escalation_policy import EscalationPolicyModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._schedule import ScheduleModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._user import ROLE_CHOICES, UserModule

USER = catalog.KINDS["user"]
LISTED = {"user": [], "team": [], "schedule": ["schedule_layers"], "escalation_policy": [], "service": []}


def argument_spec():
    """The options of pd_offboard_user."""
    return dict(
        user=dict(type="str", required=True),
        replacement=dict(type="str"),
        action=dict(type="str", default="delete", choices=["delete", "downgrade", "keep"]),
        downgrade_role=dict(type="str", default="observer", choices=[role for role in ROLE_CHOICES if role != "owner"]),
    )


def without(values, person, replacement, where, problems):
    """``values`` without ``person``; when nothing would be left, the replacement, else a problem is noted."""
    kept = [value for value in values if value != person]
    if kept:
        return kept
    if replacement is not None:
        return [replacement]
    problems.append(where)
    return values


class OffboardUserModule(AccountModule):
    """pd_offboard_user: the steps of offboarding, planned before any write and applied by the kinds' modules."""

    argument_spec = staticmethod(argument_spec)

    @classmethod
    def declared_options(cls):
        return [("option", option) for option in ("user", "replacement", "action", "downgrade_role")]

    def validate(self):
        self.planned = []

    def execute(self):
        self.client.directory = directory = listed_kinds(self.params, self.client, LISTED)
        user = catalog.find(self.client, USER, self.params["user"])
        if user is None:  # gone already: nothing to do
            return {"changed": False, "user": None, "objects": [], "summary": self.report([], [])["summary"]}
        replacement = None
        if self.params.get("replacement"):
            replacement = catalog.require(self.client, USER, self.params["replacement"], "replacement")
            if replacement["id"] == user["id"]:
                raise InputError("replacement: the replacement must be someone else than the user offboarded")
        names = export.Names({name: {obj["id"]: obj for obj in directory.of_kind(catalog.KINDS[name])} for name in LISTED}, catalog.KINDS)
        person = names.of("user", user["id"])
        stand_in = names.of("user", replacement["id"]) if replacement else None
        problems = []
        order = self.schedule_steps(directory, names, person, stand_in, problems)
        order += self.policy_steps(directory, names, person, stand_in, problems)
        if problems:
            raise InputError(f"removing {person} would leave no one in {'; '.join(problems)}: set replacement to the user who takes their place")
        order.append(self.step("users", UserModule, {"id": user["id"], "teams": [], "purge_teams": True}, person, "teams"))
        if self.params["action"] == "delete":
            order.append(self.step("users", UserModule, {"id": user["id"], "state": "absent"}, person, "delete"))
        elif self.params["action"] == "downgrade":
            order.append(self.step("users", UserModule, {"id": user["id"], "role": self.params["downgrade_role"]}, person, "downgrade"))
        objects = self.apply(order, [])
        result = self.report(order, objects)
        result["user"] = {"id": user["id"], "email": user.get("email")}
        return result

    def step(self, option, module_class, item, key, why):
        params = self.checked(module_class, item, option)
        return Planned(option, None, self.headless(module_class, params), key=key, why=why)

    def schedule_steps(self, directory, names, person, stand_in, problems):
        """Each schedule with the person in a live layer: the layers without them (preserve_oncall keeps whoever
        is on call now on call)."""
        steps = []
        for schedule in sorted(directory.of_kind(catalog.KINDS["schedule"]), key=lambda obj: (obj.get("name") or "", obj["id"])):
            layers = export.export_schedule(schedule, names, self.ctx.now)["layers"]
            if not any(person in layer["users"] for layer in layers):
                continue
            for layer in layers:
                if person in layer["users"]:
                    layer["users"] = without(layer["users"], person, stand_in, f"schedule {schedule.get('name')} layer {layer['name']}", problems)
            steps.append(self.step("schedules", ScheduleModule, {"id": schedule["id"], "layers": layers, "preserve_oncall": True},
                                   schedule.get("name"), "offboarding"))
        return steps

    def policy_steps(self, directory, names, person, stand_in, problems):
        """Each escalation policy targeting the person: the rules without them."""
        steps = []
        target = {"user": person}
        for policy in sorted(directory.of_kind(catalog.KINDS["escalation_policy"]), key=lambda obj: (obj.get("name") or "", obj["id"])):
            rules = export.export_escalation_policy(policy, names)["rules"]
            if not any(target in rule["targets"] for rule in rules):
                continue
            for number, rule in enumerate(rules, 1):
                if target in rule["targets"]:
                    rule["targets"] = without(rule["targets"], target, {"user": stand_in} if stand_in else None,
                                              f"escalation policy {policy.get('name')} rule {number}", problems)
            steps.append(self.step("escalation_policies", EscalationPolicyModule, {"id": policy["id"], "rules": rules},
                                   policy.get("name"), "offboarding"))
        return steps
