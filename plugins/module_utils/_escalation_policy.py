# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Escalation policies: pd_escalation_policy (rules with targets by email or name) and pd_escalation_policy_info.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import Field, InfoModule, ReferenceListField, ResourceModule

# PagerDuty accepts at most 5 targets in one escalation rule.
MAX_TARGETS = 5
TARGET_KINDS = ("user", "schedule")
STRATEGIES = ("assign_to_everyone", "round_robin")


def rule_target_errors(rules):
    """Problems in the rules that need no request to find, each naming the rule."""
    errors = []
    for index, rule in enumerate(rules or []):
        targets = rule.get("targets") or []
        if not targets:
            errors.append(f"rules[{int(index)}]: a rule needs at least one target")
        if len(targets) > MAX_TARGETS:
            errors.append(f"rules[{int(index)}]: {len(targets)} targets given, PagerDuty allows at most {int(MAX_TARGETS)} in one rule")
        for position, target in enumerate(targets):
            given = [kind for kind in TARGET_KINDS if target.get(kind)]
            if len(given) != 1:
                errors.append(f"rules[{int(index)}].targets[{int(position)}]: give exactly one of user (email or id) or schedule (name or id)")
    return errors


def _strategy(value):
    if isinstance(value, dict):
        return value.get("type")
    return value


class EscalationRulesField(Field):
    """``rules`` <-> ``escalation_rules``.

    Rule order matters (it is the escalation order); the order of targets within a
    rule does not, so targets are compared sorted. The assignment strategy is sent
    as an object, as the API expects.
    """

    def __init__(self):
        super().__init__("rules", api="escalation_rules")

    def from_api(self, ctx, obj):
        rules = []
        for rule in obj.get(self.api) or []:
            rules.append({
                "escalation_delay_in_minutes": rule.get("escalation_delay_in_minutes"),
                "targets": sorted([target.get("type", "").replace("_reference", ""), target.get("id")] for target in rule.get("targets") or []),
                "assignment_strategy": _strategy(rule.get("escalation_rule_assignment_strategy")),
            })
        return rules

    def from_option(self, ctx, value):
        # Every target resolved at once: ids the policy already targets cost nothing, many names one list.
        held = [target.get("id") for rule in (ctx.existing or {}).get(self.api) or [] for target in rule.get("targets") or []]
        found = {}
        for kind_name in ("user", "schedule"):
            given = [target[kind_name] for rule in value for target in rule["targets"] if target.get(kind_name)]
            found[kind_name] = catalog.find_many(ctx.client, catalog.KINDS[kind_name], given, held) if given else {}
        rules = []
        for index, rule in enumerate(value):
            targets = []
            for position, target in enumerate(rule["targets"]):
                kind_name = "user" if target.get("user") else "schedule"
                obj = found[kind_name].get(target[kind_name])
                if obj is None:
                    raise catalog.missing(catalog.KINDS[kind_name], target[kind_name], f"rules[{int(index)}].targets[{int(position)}].{kind_name}")
                targets.append([kind_name, obj["id"]])
            rules.append({
                "escalation_delay_in_minutes": rule["escalation_delay_in_minutes"],
                "targets": sorted(targets),
                "assignment_strategy": rule.get("assignment_strategy"),
            })
        return rules

    def same(self, ctx, current, desired):
        if current is None or len(current) != len(desired):
            return False
        for have, want in zip(current, desired):
            if have["escalation_delay_in_minutes"] != want["escalation_delay_in_minutes"] or have["targets"] != want["targets"]:
                return False
            if want["assignment_strategy"] is not None and have["assignment_strategy"] != want["assignment_strategy"]:
                return False
        return True

    def to_api(self, ctx, comparable):
        rules = []
        for rule in comparable:
            sent = {
                "escalation_delay_in_minutes": rule["escalation_delay_in_minutes"],
                "targets": [{"id": object_id, "type": f"{kind}_reference"} for kind, object_id in rule["targets"]],
            }
            if rule.get("assignment_strategy"):
                sent["escalation_rule_assignment_strategy"] = {"type": rule["assignment_strategy"]}
            rules.append(sent)
        return rules


def argument_spec():
    """The options of pd_escalation_policy (the connection options and state are added by the base)."""
    return dict(
        name=dict(type="str"),
        id=dict(type="str"),
        description=dict(type="str"),
        num_loops=dict(type="int"),
        on_call_handoff_notifications=dict(type="str", choices=["if_has_services", "always"]),
        teams=dict(type="list", elements="str"),
        rules=dict(type="list", elements="dict", options=dict(
            escalation_delay_in_minutes=dict(type="int", required=True),
            targets=dict(type="list", elements="dict", required=True, options=dict(
                user=dict(type="str"),
                schedule=dict(type="str"),
            )),
            assignment_strategy=dict(type="str", choices=list(STRATEGIES)),
        )),
    )


class EscalationPolicyModule(ResourceModule):
    """pd_escalation_policy: rules are checked before any request; a refused delete names the services."""

    kind = "escalation_policy"
    argument_spec = staticmethod(argument_spec)
    fields = (
        Field("name"),
        Field("description"),
        Field("num_loops"),
        Field("on_call_handoff_notifications"),
        ReferenceListField("teams", kind="team"),
        EscalationRulesField(),
    )
    create_requires = ("rules",)
    used_by = ("services",)

    def validate(self):
        errors = rule_target_errors(self.params.get("rules"))
        if errors:
            self.fail_input("; ".join(errors))
        if self.params.get("num_loops") is not None and self.params["num_loops"] < 0:
            self.fail_input(f"num_loops must be 0 or more, got {int(self.params['num_loops'])}")


class EscalationPolicyInfoModule(InfoModule):
    """pd_escalation_policy_info: filtered by team or user."""

    kind = "escalation_policy"
    filters = {"team": ("team_ids[]", "team"), "user": ("user_ids[]", "user")}
