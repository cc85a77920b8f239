#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_account_info
short_description: Export a PagerDuty account as the variables of the account role
version_added: 0.1.0
description:
  - Reads the teams, users, schedules, escalation policies and services of an account and returns them as the
    variables the C(oncall.pagerduty.account) role takes (the options of M(oncall.pagerduty.pd_account)), so an
    existing account can be brought under code. The C(oncall.pagerduty.export) playbook writes them to a file.
  - Applied back to the same account, the export changes nothing. Applied to an empty account it creates the same
    objects.
  - References are names and emails; where a name or email is shared by several objects, the item carries its
    C(id) and references to it use the id.
  - Items are sorted by name (or email) and lists whose order PagerDuty ignores are sorted too, so an export diffs
    cleanly in git. Only what the modules compare is exported, and never a secret (integration keys are left out).
  - Users carry every contact method and notification rule with C(purge_contact_methods) and
    C(purge_notification_rules) set, so that the export describes them exactly; contact methods only PagerDuty's
    mobile app can create (push) are left out. The account owner is exported without a role (the API cannot give
    that role). Ended schedule layers are history and are left out; C(auto_resolve_timeout) and
    C(acknowledgement_timeout) are exported as V(0) where PagerDuty stores none.
  - Costs one listing per kind (one request per 100 objects), one member list per team of the users exported,
    one request per user for their notification rules and one per schedule for its overrides, read in parallel
    within the token's rate budget.
  - Event orchestrations are exported with their router, global and unrouted documents, and services with their
    orchestration when it holds a rule or a catch-all action, or is active (one request per document, two per service,
    and one for the priorities, which documents name by name).
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  kinds:
    description: The kinds to export, as the role's variables are named after them.
    type: list
    elements: str
    choices: [teams, users, schedules, escalation_policies, services, business_services, alert_grouping_settings, tags,
              webhook_subscriptions, event_orchestrations, maintenance_windows, schedule_overrides, service_dependencies,
              event_orchestration_routers, event_orchestration_globals, event_orchestration_unrouted, service_orchestrations]
    default: [teams, users, schedules, escalation_policies, services, business_services, alert_grouping_settings, tags,
              webhook_subscriptions, event_orchestrations, maintenance_windows, schedule_overrides, service_dependencies,
              event_orchestration_routers, event_orchestration_globals, event_orchestration_unrouted, service_orchestrations]
  teams:
    description:
      - Export only these teams (names or ids) and the users, schedules, escalation policies, services, business
        services and event orchestrations that belong to one of them (with the dependencies of those services). Tags,
        webhook subscriptions and alert grouping settings belong to no team and are left out. Empty exports the whole
        account.
    type: list
    elements: str
    default: []
notes:
  - Tags are exported with whom they are assigned to (three requests per tag), business services with their
    subscribers (one request each) and service dependencies read from every service and business service (one request
    each). Webhook subscriptions are exported without their custom headers, whose values PagerDuty never shows.
  - Maintenance windows are exported when open (ongoing or future), with their explicit times; schedule overrides
    when they have not ended and start within a year. An ongoing window or override applied to another account
    starts in the past there, which PagerDuty may refuse.
seealso:
  - module: oncall.pagerduty.pd_account
"""

EXAMPLES = r"""
- name: Read the whole account
  oncall.pagerduty.pd_account_info:
  register: export

- name: Write it as the account role's variables
  ansible.builtin.copy:
    dest: account.yml
    content: "{{ export.account | to_nice_yaml(indent=2, sort_keys=true) }}"
    mode: "0644"

- name: Only the objects of two teams, and no users
  oncall.pagerduty.pd_account_info:
    teams: [Payments, Search]
    kinds: [teams, schedules, escalation_policies, services]
  register: two_teams
"""

RETURN = r"""
account:
  description: The role's variables, one list per exported kind (C(account_teams), C(account_users), ...).
  returned: success
  type: dict
  sample:
    account_teams:
      - {name: Payments, description: Checkout and billing}
    account_services:
      - name: Checkout
        escalation_policy: Payments escalation
        acknowledgement_timeout: 0
        auto_resolve_timeout: 14400
        status: active
        integrations: [{type: events_api_v2, name: Alerts}]
counts:
  description: How many items each list holds.
  returned: success
  type: dict
  sample: {account_teams: 1, account_services: 1}
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._account import AccountInfoModule


def main():
    AccountInfoModule().run()


if __name__ == "__main__":
    main()
