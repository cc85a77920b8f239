#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_team_info
short_description: List PagerDuty teams
version_added: 0.1.0
description:
  - Returns PagerDuty teams, all of them or those matching O(id), O(name) or O(query).
  - Pages through the whole list; fails with a clear message rather than truncating when the
    list is longer than the API can page through.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  id:
    description: Return the team with this id (an empty list when there is none).
    type: str
  name:
    description: Return the team with exactly this name (an empty list when there is none).
    type: str
  query:
    description: Return the teams whose name contains this text (PagerDuty's C(query) filter).
    type: str
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(teams.read).
seealso:
  - module: oncall.pagerduty.pd_team
"""

EXAMPLES = r"""
- name: All teams
  oncall.pagerduty.pd_team_info:
    api_token: "{{ vault_pagerduty_token }}"
  register: all_teams

- name: The id of the SRE team
  oncall.pagerduty.pd_team_info:
    name: SRE
  register: sre

- name: Use it
  ansible.builtin.debug:
    msg: "SRE is {{ sre.teams[0].id }}"
  when: sre.teams | length == 1

- name: Teams whose name contains "ops"
  oncall.pagerduty.pd_team_info:
    query: ops
"""

RETURN = r"""
teams:
  description: The matching teams, as PagerDuty returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: PQ9K7I8
      type: team
      summary: SRE
      name: SRE
      description: Site reliability engineering
      default_role: manager
      parent: null
      self: https://api.pagerduty.com/teams/PQ9K7I8
      html_url: https://example.pagerduty.com/teams/PQ9K7I8
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._team import TeamInfoModule


def main():
    TeamInfoModule(dict(id=dict(type="str"), name=dict(type="str"), query=dict(type="str"))).run()


if __name__ == "__main__":
    main()
