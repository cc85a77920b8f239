#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_business_service_info
short_description: List PagerDuty business services
version_added: 0.1.0
description:
  - Returns PagerDuty business services, all of them or those matching O(id), O(name) or O(query), with their
    subscribers when O(include_subscribers=true).
  - Pages through the whole list; fails with a clear message rather than truncating when the
    list is longer than the API can page through.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  id:
    description: Return the business service with this id (an empty list when there is none).
    type: str
  name:
    description: Return the business service with exactly this name (an empty list when there is none).
    type: str
  query:
    description:
      - Return the business services whose name contains this text, in any letter case.
      - PagerDuty's list of business services cannot be searched, so the whole list is read and filtered here.
    type: str
  include_subscribers:
    description: Add each business service's C(subscribers) (one more request per business service).
    type: bool
    default: false
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(services.read)
    (and C(subscribers.read) for O(include_subscribers)).
seealso:
  - module: oncall.pagerduty.pd_business_service
  - module: oncall.pagerduty.pd_service_dependency_info
"""

EXAMPLES = r"""
- name: All business services
  oncall.pagerduty.pd_business_service_info:
    api_token: "{{ vault_pagerduty_token }}"
  register: all_business_services

- name: Online shopping and who is subscribed to it
  oncall.pagerduty.pd_business_service_info:
    name: Online shopping
    include_subscribers: true
  register: shop

- name: Show its subscribers
  ansible.builtin.debug:
    msg: "{{ shop.business_services[0].subscribers }}"
  when: shop.business_services | length == 1

- name: Business services whose name contains "shop"
  oncall.pagerduty.pd_business_service_info:
    query: shop
"""

RETURN = r"""
business_services:
  description:
    - The matching business services, as PagerDuty returns them.
    - With O(include_subscribers=true) each has C(subscribers), a list of C(subscriber_type) (V(user) or V(team))
      and C(subscriber_id).
  returned: always
  type: list
  elements: dict
  sample:
    - id: PBZSHOP
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
        - subscriber_type: team
          subscriber_id: PQ9K7I8
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._business_service import BusinessServiceInfoModule


def main():
    BusinessServiceInfoModule(dict(id=dict(type="str"), name=dict(type="str"), query=dict(type="str"),
                                   include_subscribers=dict(type="bool", default=False))).run()


if __name__ == "__main__":
    main()
