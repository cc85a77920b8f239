#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_user_info
short_description: List PagerDuty users, with their contact methods, notification rules and team roles
version_added: 0.1.0
description:
  - Returns PagerDuty users, all of them or those matching O(id), O(email), O(query) or O(team).
  - With O(include), each user carries full contact methods, notification rules, teams with the user's role in each,
    on-call handoff notification rules or the license.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  id:
    description: Return the user with this id (an empty list when there is none).
    type: str
  email:
    description: Return the user with this login email, compared case-insensitively (an empty list when there is none).
    type: str
  query:
    description: Return the users whose name or email contains this text (PagerDuty's C(query) filter).
    type: str
  team:
    description: Only users who are members of this team, by name or id. Not used with O(id).
    type: str
  include:
    description:
      - What to add to each user.
      - V(contact_methods) and V(notification_rules) replace the references with the full objects.
      - V(teams) adds the user's C(role) to each team reference (one request per team).
      - V(handoff_notification_rules) adds the user's on-call handoff notification rules (one request per user).
      - V(license) adds the user's C(license) (V(null) for none), with one request for one user, else one list of
        every license allocation.
    type: list
    elements: str
    choices: [contact_methods, notification_rules, teams, handoff_notification_rules, license]
    default: []
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(users.read) (C(users:contact_methods.read),
    C(teams.read) and C(licenses.read) for what include asks for).
seealso:
  - module: oncall.pagerduty.pd_user
"""

EXAMPLES = r"""
- name: One user with everything
  oncall.pagerduty.pd_user_info:
    api_token: "{{ vault_pagerduty_token }}"
    email: Alice@Example.com
    include: [contact_methods, notification_rules, teams, handoff_notification_rules, license]
  register: alice

- name: Everyone in the SRE team
  oncall.pagerduty.pd_user_info:
    team: SRE
  register: sre_members

- name: Their emails
  ansible.builtin.debug:
    msg: "{{ sre_members.users | map(attribute='email') | list }}"
"""

RETURN = r"""
users:
  description: The matching users, as PagerDuty returns them, with what O(include) asked for.
  returned: always
  type: list
  elements: dict
  sample:
    - id: PXPGF42
      type: user
      name: Alice Example
      email: alice@example.com
      role: limited_user
      time_zone: Europe/Berlin
      teams:
        - id: PQ9K7I8
          type: team_reference
          summary: SRE
          role: manager
      contact_methods:
        - id: PTDVERC
          type: email_contact_method
          address: alice@example.com
          label: Default
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._user import UserInfoModule


def main():
    UserInfoModule(
        dict(
            id=dict(type="str"),
            email=dict(type="str"),
            query=dict(type="str"),
            team=dict(type="str"),
            include=dict(type="list", elements="str", default=[],
                         choices=["contact_methods", "notification_rules", "teams", "handoff_notification_rules", "license"]),
        ),
    ).run()


if __name__ == "__main__":
    main()
