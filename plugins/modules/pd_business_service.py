#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_business_service
short_description: Create, update and delete PagerDuty business services and their subscribers
version_added: 0.1.0
description:
  - Makes a PagerDuty business service match the task, idempotently. The business service is found by O(id) or by its
    O(name).
  - Only the options given are compared and changed; options left out are not managed.
  - O(subscribers) are the users and teams that PagerDuty notifies about the business service.
  - With O(state=absent) the business service is deleted if it exists; its dependencies go with it.
  - The dependencies between business services and technical services are managed with M(oncall.pagerduty.pd_service_dependency).
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  name:
    description:
      - Name of the business service, its natural key. Matched exactly.
      - Required to create a business service. When O(id) is given too, the business service is renamed to O(name).
      - PagerDuty's list of business services cannot be searched, so finding one by name reads the whole list
        (one request per 100 business services).
    type: str
  id:
    description:
      - PagerDuty id of an existing business service. Takes precedence over O(name) for finding it.
    type: str
  description:
    description:
      - Description of the business service. An empty string clears it.
    type: str
  point_of_contact:
    description:
      - Who owns the business service, as free text (a person, a team or a channel). An empty string clears it.
    type: str
  team:
    description:
      - The team that owns the business service, by name or id.
      - Once set it can be changed to another team, not removed, by this module.
    type: str
  subscribers:
    description:
      - Users and teams subscribed to the business service's notifications. Each item names one user or one team.
      - With O(purge_subscribers=false) (the default) subscribers not listed stay subscribed.
    type: list
    elements: dict
    suboptions:
      user:
        description: Email or id of a user. Exactly one of O(subscribers[].user) and O(subscribers[].team) is required.
        type: str
      team:
        description: Name or id of a team. Exactly one of O(subscribers[].user) and O(subscribers[].team) is required.
        type: str
  purge_subscribers:
    description: Unsubscribe the users and teams that O(subscribers) does not list.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the business service, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(services.read), C(services.write),
    C(teams.read) (O(team), team subscribers), C(users.read) (user subscribers), and C(subscribers.read) and
    C(subscribers.write) (O(subscribers)).
  - Each subscriber added or removed is one request.
seealso:
  - module: oncall.pagerduty.pd_business_service_info
  - module: oncall.pagerduty.pd_service_dependency
"""

EXAMPLES = r"""
- name: The Online shopping business service, owned by SRE
  oncall.pagerduty.pd_business_service:
    api_token: "{{ vault_pagerduty_token }}"
    name: Online shopping
    description: Everything a customer needs to buy from the web shop
    point_of_contact: "#shop-oncall on Slack"
    team: SRE

- name: Notify Alice and the Payments team about it
  oncall.pagerduty.pd_business_service:
    name: Online shopping
    subscribers:
      - user: alice@example.com
      - team: Payments

- name: Exactly these subscribers
  oncall.pagerduty.pd_business_service:
    name: Online shopping
    subscribers:
      - team: SRE
    purge_subscribers: true

- name: Rename a business service found by id
  oncall.pagerduty.pd_business_service:
    id: PBZSHOP
    name: Web shop

- name: Delete a business service
  oncall.pagerduty.pd_business_service:
    name: Legacy storefront
    state: absent
"""

RETURN = r"""
business_service:
  description:
    - The business service as PagerDuty returns it after the change.
    - In check mode, the predicted business service; one that would be created has C(id) V(null).
    - With O(state=absent), the deleted business service, or V(null) when there was none.
    - When the task sets O(subscribers), C(subscribers) lists them (C(subscriber_type) V(user) or V(team) and
      C(subscriber_id)); without it they are not read (no request) and not returned.
  returned: always
  type: dict
  sample:
    id: PBZSHOP
    type: business_service
    summary: Online shopping
    name: Online shopping
    description: Everything a customer needs to buy from the web shop
    point_of_contact: "#shop-oncall on Slack"
    team:
      id: PQ9K7I8
      type: team_reference
      self: https://api.pagerduty.com/teams/PQ9K7I8
    self: https://api.pagerduty.com/business_services/PBZSHOP
    html_url: null
    subscribers:
      - subscriber_type: user
        subscriber_id: PXPGF42
diff:
  description:
    - The managed fields before and after, when run with C(--diff). The team shows its id.
    - C(subscribers) shows the subscribers added (in C(after)) and removed (in C(before)), each as C(user) or C(team)
      with the name or email given in the task, or the id.
  returned: when diff mode is on
  type: dict
  sample:
    before:
      point_of_contact: null
      subscribers: []
    after:
      point_of_contact: "#shop-oncall on Slack"
      subscribers:
        - user: alice@example.com
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._business_service import BusinessServiceModule


def main():
    BusinessServiceModule().run()


if __name__ == "__main__":
    main()
