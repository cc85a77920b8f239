#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_account
short_description: Reconcile many PagerDuty teams, users, schedules, escalation policies and services in one task
version_added: 0.1.0
description:
  - Makes every object the task lists match it, idempotently, in one task. This is the engine of the
    C(oncall.pagerduty.account) role; use it directly for any part of an account.
  - Each item of O(teams), O(users), O(schedules), O(escalation_policies) and O(services) holds the options of the
    module of that kind (M(oncall.pagerduty.pd_team), M(oncall.pagerduty.pd_user), M(oncall.pagerduty.pd_schedule),
    M(oncall.pagerduty.pd_escalation_policy), M(oncall.pagerduty.pd_service)) without the connection options,
    and is compared, changed and reported exactly as that module does it.
  - Every item is checked before any request (its options, types, choices and the module's own checks); an object
    listed twice is refused. Nothing is written when one item is wrong.
  - Each kind needed is listed once, in parallel and within the token's rate budget, so finding an object or a
    reference it names costs no further request. A rerun with nothing to change reads those lists (and the member
    lists of the teams whose members or roles the items set) and writes nothing.
  - Objects are applied in dependency order (teams, users, schedules, escalation policies, services, business
    services, alert grouping settings, tags, webhook subscriptions, event orchestrations, service dependencies,
    orchestration documents, maintenance windows, schedule overrides); items with
    C(state=absent) are deleted after every other change, in reverse order.
  - In check mode, an object that would be created can be named by the items after it; its id shows as
    C((new KIND KEY)).
  - A failure stops the task at that object. The error names the item, and when objects before it were changed the
    result says C(changed=true) and lists them in RV(objects).
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  teams:
    description:
      - Teams, each item the options of M(oncall.pagerduty.pd_team) (such as C(name), C(description), C(members),
        C(state)).
    type: list
    elements: dict
    default: []
  users:
    description:
      - Users, each item the options of M(oncall.pagerduty.pd_user) (such as C(email), C(name), C(teams),
        C(contact_methods)).
    type: list
    elements: dict
    default: []
  schedules:
    description:
      - Schedules, each item the options of M(oncall.pagerduty.pd_schedule) (such as C(name), C(time_zone), C(layers)).
    type: list
    elements: dict
    default: []
  escalation_policies:
    description:
      - Escalation policies, each item the options of M(oncall.pagerduty.pd_escalation_policy) (such as C(name),
        C(rules)).
    type: list
    elements: dict
    default: []
  services:
    description:
      - Services, each item the options of M(oncall.pagerduty.pd_service) (such as C(name), C(escalation_policy),
        C(integrations)).
    type: list
    elements: dict
    default: []
  business_services:
    description:
      - Business services, each item the options of M(oncall.pagerduty.pd_business_service) (C(name), C(description),
        C(point_of_contact), C(team), C(subscribers)).
    type: list
    elements: dict
    default: []
  alert_grouping_settings:
    description:
      - Alert grouping settings, each item the options of M(oncall.pagerduty.pd_alert_grouping_setting) (C(name), C(type),
        C(config), C(services)).
    type: list
    elements: dict
    default: []
  tags:
    description:
      - Tags, each item the options of M(oncall.pagerduty.pd_tag) (C(label) and the C(users), C(teams) and
        C(escalation_policies) it is assigned to). Reading a tag's assignments costs one request per kind it sets.
    type: list
    elements: dict
    default: []
  webhook_subscriptions:
    description:
      - Webhook subscriptions, each item the options of M(oncall.pagerduty.pd_webhook_subscription).
    type: list
    elements: dict
    default: []
  event_orchestrations:
    description:
      - Global event orchestrations, each item the options of M(oncall.pagerduty.pd_event_orchestration) (C(name),
        C(description), C(team)).
    type: list
    elements: dict
    default: []
  service_dependencies:
    description:
      - Service dependencies, each item the options of M(oncall.pagerduty.pd_service_dependency) (the dependent
        C(service) or C(business_service), C(supporting_services), C(supporting_business_services), C(purge)). An item
        is found by its dependent service; never reported as undeclared.
    type: list
    elements: dict
    default: []
  event_orchestration_routers:
    description:
      - Orchestration routers, each item the options of M(oncall.pagerduty.pd_event_orchestration_router)
        (C(orchestration), C(rules), C(catch_all)).
    type: list
    elements: dict
    default: []
  event_orchestration_globals:
    description:
      - Global orchestration rules, each item the options of M(oncall.pagerduty.pd_event_orchestration_global).
    type: list
    elements: dict
    default: []
  event_orchestration_unrouted:
    description:
      - Unrouted orchestration rules, each item the options of M(oncall.pagerduty.pd_event_orchestration_unrouted).
    type: list
    elements: dict
    default: []
  service_orchestrations:
    description:
      - Service orchestrations, each item the options of M(oncall.pagerduty.pd_event_orchestration_service)
        (C(service), C(active), C(rules) or C(sets), C(catch_all)).
    type: list
    elements: dict
    default: []
  maintenance_windows:
    description:
      - Maintenance windows, each item the options of M(oncall.pagerduty.pd_maintenance_window) (such as C(services),
        C(start_time), C(end_time) or C(duration), C(description)). Applied after the services.
      - A window has no name; it is found by its services and time as that module finds it, so it is never reported
        as undeclared.
    type: list
    elements: dict
    default: []
  schedule_overrides:
    description:
      - Schedule overrides, each item the options of M(oncall.pagerduty.pd_schedule_override) (C(schedule), C(user),
        C(start), C(end) or C(duration)). Applied last; never reported as undeclared.
    type: list
    elements: dict
    default: []
  undeclared:
    description:
      - What to do with the objects the account holds that no item declares (drift), for each kind the task lists
        at least one item of (a kind left empty is not looked at).
      - V(report) lists them in RV(undeclared) and changes nothing.
      - V(remove) also deletes them, after every other change and in reverse dependency order (services first,
        teams last), through the kind's module as an item with C(state=absent) would. Review it with
        C(--check --diff) first. The account owner is never deleted (PagerDuty does not allow it).
    type: str
    choices: [report, remove]
    default: report
  keep_undeclared:
    description:
      - Names, emails or ids of objects that are neither reported nor removed as undeclared (compared
        case-insensitively), such as users managed by single sign-on or a team another repository owns.
    type: list
    elements: str
    default: []
notes:
  - The token needs the read and write access of every module whose kind the task lists.
seealso:
  - module: oncall.pagerduty.pd_team
  - module: oncall.pagerduty.pd_user
  - module: oncall.pagerduty.pd_schedule
  - module: oncall.pagerduty.pd_escalation_policy
  - module: oncall.pagerduty.pd_service
"""

EXAMPLES = r"""
- name: A team, its people, their rotation, the policy and the service it pages
  oncall.pagerduty.pd_account:
    from_email: admin@example.com
    teams:
      - name: Payments
        description: Checkout and billing
    users:
      - email: ana@example.com
        name: Ana Example
        teams: [{team: Payments, role: manager}]
      - email: ben@example.com
        name: Ben Example
        teams: [{team: Payments}]
    schedules:
      - name: Payments primary
        time_zone: Europe/Berlin
        teams: [Payments]
        layers:
          - name: Weekly
            rotation_turn_length: 1w
            users: [ana@example.com, ben@example.com]
    escalation_policies:
      - name: Payments escalation
        teams: [Payments]
        rules:
          - escalation_delay_in_minutes: 15
            targets: [{schedule: Payments primary}]
          - escalation_delay_in_minutes: 30
            targets: [{user: ana@example.com}]
    services:
      - name: Checkout
        escalation_policy: Payments escalation
        integrations: [{type: events_api_v2, name: Alerts}]
  register: account

- name: What each object did
  ansible.builtin.debug:
    msg: "{{ account.objects | selectattr('changed') | map(attribute='key') | list }}"

- name: Review what the account holds that the code does not declare, and what removing it would do
  oncall.pagerduty.pd_account:
    teams: "{{ account_teams }}"
    services: "{{ account_services }}"
    undeclared: remove
    keep_undeclared: [Platform]
  check_mode: true
  diff: true

- name: A service that is no longer wanted
  oncall.pagerduty.pd_account:
    services:
      - name: Legacy batch
        state: absent
"""

RETURN = r"""
objects:
  description:
    - One entry per item, in the order applied (deletions last).
  returned: always
  type: list
  elements: dict
  contains:
    kind:
      description: The kind, C(team), C(user), C(schedule), C(escalation_policy), C(service), C(maintenance_window) or
        C(schedule_override).
      type: str
    key:
      description:
        - The item's natural key (name, or email for users), or its id when it was given by id only.
        - For a maintenance window its description (else its services), for an override C(USER on SCHEDULE from START).
      type: str
    id:
      description: The object's id; C((new KIND KEY)) for one that would be created in check mode.
      type: str
    action:
      description: V(created), V(updated), V(deleted) or V(unchanged) (in check mode, what would be done).
      type: str
    changed:
      description: Whether the object changed (or would change).
      type: bool
    diff:
      description: With C(--diff), the object's diff as its own module reports it (C(before), C(after)).
      type: dict
      returned: when diff mode is on and the object changed
    undeclared:
      description: V(true) for an object no item declares, deleted because O(undeclared=remove).
      type: bool
      returned: for undeclared objects only
  sample:
    - {kind: team, key: Payments, id: PQ1Z2XA, action: unchanged, changed: false}
    - {kind: service, key: Checkout, id: PIJ90N7, action: updated, changed: true,
       diff: {before: {description: null}, after: {description: Payments API}}}
undeclared:
  description:
    - For each kind the task lists items of, the objects the account holds that no item declares (and
      O(keep_undeclared) does not name), sorted by natural key; with O(undeclared=remove), those deleted (or that
      would be), except the account owner.
  returned: always
  type: dict
  sample:
    teams: [{id: PT4KHLK, key: Old team}]
    services: []
summary:
  description: For each option, how many objects were V(created), V(updated), V(deleted) and V(unchanged).
  returned: always
  type: dict
  sample:
    teams: {created: 0, updated: 1, deleted: 0, unchanged: 2}
    users: {created: 1, updated: 0, deleted: 0, unchanged: 9}
diff:
  description:
    - With C(--diff), one entry per changed object, headed with its kind and key, as Ansible shows a list of diffs.
  returned: when diff mode is on
  type: list
  elements: dict
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._account import AccountModule


def main():
    AccountModule().run()


if __name__ == "__main__":
    main()
