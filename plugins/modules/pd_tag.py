#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_tag
short_description: Create and delete PagerDuty tags and assign them to users, teams and escalation policies
version_added: 0.1.0
description:
  - Makes a PagerDuty tag match the task, idempotently. The tag is found by O(id) or by its O(label).
  - The tag's assignments are managed from the tag, for the entity types the task sets (O(users), O(teams),
    O(escalation_policies)); the types left out are neither read nor changed.
  - A no-op costs one request to find the tag and one per 100 assigned entities of each type the task sets, plus
    the lookups of the entities named by email or name that the tag does not carry yet (ids and, for teams and
    escalation policies, names the tag already carries cost nothing).
  - With O(state=absent) the tag is deleted if it exists, which also removes it from everything it is assigned to.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  label:
    description:
      - Label of the tag, its natural key. Matched exactly. At most 191 characters.
      - Required to create a tag.
      - PagerDuty cannot rename a tag; with O(id) and another label the task fails before any write.
    type: str
  id:
    description:
      - PagerDuty id of an existing tag. Takes precedence over O(label) for finding the tag.
    type: str
  users:
    description:
      - Users (email or id) the tag is assigned to.
      - With O(purge_users=false) (the default) users not listed keep the tag.
    type: list
    elements: str
  purge_users:
    description: Remove the tag from the users that O(users) does not list. Needs O(users).
    type: bool
    default: false
  teams:
    description:
      - Teams (name or id) the tag is assigned to.
      - With O(purge_teams=false) (the default) teams not listed keep the tag.
    type: list
    elements: str
  purge_teams:
    description: Remove the tag from the teams that O(teams) does not list. Needs O(teams).
    type: bool
    default: false
  escalation_policies:
    description:
      - Escalation policies (name or id) the tag is assigned to.
      - With O(purge_escalation_policies=false) (the default) policies not listed keep the tag.
    type: list
    elements: str
  purge_escalation_policies:
    description: Remove the tag from the escalation policies that O(escalation_policies) does not list. Needs O(escalation_policies).
    type: bool
    default: false
  state:
    description:
      - V(present) creates the tag and assigns it, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Each assignment added or removed is one C(POST /{entity_type}/{id}/change_tags) request on that user, team or policy.
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(tags.read), C(tags.write) and, to find
    what is named by email or name, C(users.read), C(teams.read) and C(escalation_policies.read).
seealso:
  - module: oncall.pagerduty.pd_tag_info
"""

EXAMPLES = r"""
- name: A tag on two users, a team and an escalation policy
  oncall.pagerduty.pd_tag:
    api_token: "{{ vault_pagerduty_token }}"
    label: production
    users:
      - alice@example.com
      - bob@example.com
    teams:
      - SRE
    escalation_policies:
      - SRE escalation

- name: Exactly these users carry the tag (it is taken off the others); its teams are left alone
  oncall.pagerduty.pd_tag:
    label: production
    users:
      - alice@example.com
    purge_users: true

- name: Take the tag off every team
  oncall.pagerduty.pd_tag:
    label: production
    teams: []
    purge_teams: true

- name: Delete a tag (and so every assignment of it)
  oncall.pagerduty.pd_tag:
    label: legacy
    state: absent
"""

RETURN = r"""
tag:
  description:
    - The tag as PagerDuty returns it.
    - In check mode, the predicted tag; a tag that would be created has C(id) V(null).
    - With O(state=absent), the deleted tag, or V(null) when there was none.
    - For each of O(users), O(teams) and O(escalation_policies) the task sets, the key of that name lists the references
      of the entities of that type that carry the tag, including those the task does not list when the purge option is
      false; the types the task does not set are not read (no request) and not returned.
  returned: always
  type: dict
  sample:
    id: P5IYCNZ
    type: tag
    summary: production
    label: production
    self: https://api.pagerduty.com/tags/P5IYCNZ
    html_url: null
    users:
      - id: PXPGF42
        type: user_reference
        summary: Alice Example
    teams:
      - id: PQ9K7I8
        type: team_reference
        summary: SRE
diff:
  description:
    - The label and the assignments before and after, when run with C(--diff). An assignment shows the entity's name
      (a user's name) or id.
  returned: when diff mode is on
  type: dict
  sample:
    before:
      users: [Bob Example]
    after:
      users: [Alice Example]
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._tag import TagModule


def main():
    TagModule().run()


if __name__ == "__main__":
    main()
