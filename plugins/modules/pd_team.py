#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_team
short_description: Create, update and delete PagerDuty teams
version_added: 0.1.0
description:
  - Makes a PagerDuty team match the task, idempotently. The team is found by O(id) or by its O(name).
  - Only the options given are compared and changed; options left out are not managed.
  - With O(state=absent) the team is deleted if it exists.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  name:
    description:
      - Name of the team, its natural key. Matched exactly.
      - Required to create a team. When O(id) is given too, the team is renamed to O(name).
    type: str
  id:
    description:
      - PagerDuty id of an existing team. Takes precedence over O(name) for finding the team.
    type: str
  description:
    description:
      - Description of the team. An empty string clears it.
    type: str
  parent:
    description:
      - The parent team, by name or id, to make this team a sub-team.
      - Needs an account with the team hierarchy feature.
    type: str
  default_role:
    description:
      - Base role of account users who are not members of the team.
      - V(manager) makes the team public, V(none) makes it private.
    type: str
    choices: [manager, none]
  members:
    description:
      - Users of the team, with their role in it.
      - With O(purge_members=false) (the default) members not listed stay in the team.
    type: list
    elements: dict
    suboptions:
      user:
        description: Email or id of the user.
        type: str
        required: true
      role:
        description:
          - Role of the user in the team. When not set, an existing member keeps their role and a new one gets V(responder).
        type: str
        choices: [observer, responder, manager]
  purge_members:
    description: Remove members that O(members) does not list.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the team, V(absent) deletes it.
      - PagerDuty refuses to delete a team that still has escalation policies, services, schedules or sub-teams.
    type: str
    choices: [present, absent]
    default: present
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(teams.read), C(teams.write) and C(users.read) (members).
seealso:
  - module: oncall.pagerduty.pd_team_info
"""

EXAMPLES = r"""
- name: Manage the SRE team
  oncall.pagerduty.pd_team:
    api_token: "{{ vault_pagerduty_token }}"
    name: SRE
    description: Site reliability engineering
    default_role: manager

- name: A private sub-team, connection options from module_defaults
  module_defaults:
    group/oncall.pagerduty.pagerduty:
      api_token: "{{ vault_pagerduty_token }}"
      region: eu
  oncall.pagerduty.pd_team:
    name: SRE Databases
    parent: SRE
    default_role: none

- name: The SRE team and exactly these members
  oncall.pagerduty.pd_team:
    name: SRE
    members:
      - user: alice@example.com
        role: manager
      - user: bob@example.com
        role: responder
    purge_members: true

- name: Rename a team found by id
  oncall.pagerduty.pd_team:
    id: PQ9K7I8
    name: Platform SRE

- name: Delete a team
  oncall.pagerduty.pd_team:
    name: Legacy Ops
    state: absent
"""

RETURN = r"""
team:
  description:
    - The team as PagerDuty returns it after the change.
    - In check mode, the predicted team; a team that would be created has C(id) V(null).
    - With O(state=absent), the deleted team, or V(null) when there was none.
    - When the task sets O(members), C(members) lists the team's members (user reference and role); without it the
      members are not read (no request) and not returned.
  returned: always
  type: dict
  sample:
    id: PQ9K7I8
    type: team
    summary: SRE
    name: SRE
    description: Site reliability engineering
    default_role: manager
    parent: null
    self: https://api.pagerduty.com/teams/PQ9K7I8
    html_url: https://example.pagerduty.com/teams/PQ9K7I8
    members:
      - user:
          id: PXPGF42
          type: user_reference
          summary: Alice Example
        role: manager
diff:
  description: The managed fields before and after, when run with C(--diff). References show the id.
  returned: when diff mode is on
  type: dict
  sample:
    before:
      description: Old text
    after:
      description: Site reliability engineering
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._team import TeamModule


def main():
    TeamModule().run()


if __name__ == "__main__":
    main()
