#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_tag_info
short_description: List PagerDuty tags and what they are assigned to
version_added: 0.1.0
description:
  - Returns PagerDuty tags, all of them or those matching O(id), O(label) or O(query), with the users, teams and
    escalation policies each one is assigned to when O(assignments=true).
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  id:
    description: Return the tag with this id (an empty list when there is none).
    type: str
  label:
    description: Return the tag with exactly this label (an empty list when there is none).
    type: str
  query:
    description: Return the tags whose label matches this text (PagerDuty's C(query) filter).
    type: str
  assignments:
    description:
      - Also return, for each tag, the references of the users, teams and escalation policies it is assigned to
        (three more requests per tag, one per 100 entities of each type).
    type: bool
    default: false
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scope C(tags.read).
seealso:
  - module: oncall.pagerduty.pd_tag
"""

EXAMPLES = r"""
- name: All tags
  oncall.pagerduty.pd_tag_info:
    api_token: "{{ vault_pagerduty_token }}"
  register: all_tags

- name: Who carries the production tag?
  oncall.pagerduty.pd_tag_info:
    label: production
    assignments: true
  register: production

- name: Show the users
  ansible.builtin.debug:
    msg: "{{ production.tags[0].users | map(attribute='summary') | list }}"
  when: production.tags | length == 1

- name: Tags whose label contains "prod"
  oncall.pagerduty.pd_tag_info:
    query: prod
"""

RETURN = r"""
tags:
  description:
    - The matching tags, as PagerDuty returns them.
    - With O(assignments=true) each tag also has C(users), C(teams) and C(escalation_policies), the references of the
      entities of that type it is assigned to.
  returned: always
  type: list
  elements: dict
  sample:
    - id: P5IYCNZ
      type: tag
      summary: production
      label: production
      self: https://api.pagerduty.com/tags/P5IYCNZ
      html_url: null
      users:
        - id: PXPGF42
          type: user_reference
          summary: Alice Example
      teams: []
      escalation_policies: []
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._tag import TagInfoModule


def main():
    TagInfoModule(dict(id=dict(type="str"), label=dict(type="str"), query=dict(type="str"), assignments=dict(type="bool", default=False))).run()


if __name__ == "__main__":
    main()
