#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_service_dependency
short_description: Declare what a PagerDuty business or technical service depends on
version_added: 0.1.0
description:
  - Manages the supporting services of one dependent service, idempotently. The dependent service is a business
    service (O(business_service)) or a technical service (O(service)); the services it depends on are technical
    services (O(supporting_services)) and business services (O(supporting_business_services)).
  - With O(state=present) the listed dependencies are added when missing; those not listed stay unless O(purge=true).
  - With O(state=absent) the listed dependencies are removed when present.
  - All additions are sent in one request, all removals in another.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  business_service:
    description:
      - The dependent business service, by name or id. Exactly one of O(business_service) and O(service) is required.
    type: str
  service:
    description:
      - The dependent technical service, by name or id. Exactly one of O(business_service) and O(service) is required.
    type: str
  supporting_services:
    description:
      - Technical services the dependent service depends on, by name or id.
    type: list
    elements: str
  supporting_business_services:
    description:
      - Business services the dependent service depends on, by name or id.
    type: list
    elements: str
  purge:
    description:
      - With O(state=present), remove every supporting dependency of the dependent service, technical or business,
        that O(supporting_services) and O(supporting_business_services) do not list (a list left out counts as empty).
      - With neither list, O(purge=true) removes every dependency of the dependent service.
      - Not used with O(state=absent).
    type: bool
    default: false
  state:
    description:
      - V(present) adds the listed dependencies, V(absent) removes them.
      - At least one of O(supporting_services) and O(supporting_business_services) is required, except with
        O(state=present) and O(purge=true).
      - With V(absent), a dependent or supporting service that does not exist has no dependency to remove.
    type: str
    choices: [present, absent]
    default: present
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(services.read) and C(services.write).
  - Dependencies on the dependent service (where it supports others) are never changed by this module.
seealso:
  - module: oncall.pagerduty.pd_service_dependency_info
  - module: oncall.pagerduty.pd_business_service
"""

EXAMPLES = r"""
- name: Online shopping depends on the Checkout and Payments services
  oncall.pagerduty.pd_service_dependency:
    api_token: "{{ vault_pagerduty_token }}"
    business_service: Online shopping
    supporting_services:
      - Checkout
      - Payments

- name: Online shopping also depends on the Payments platform business service
  oncall.pagerduty.pd_service_dependency:
    business_service: Online shopping
    supporting_business_services:
      - Payments platform

- name: The Checkout technical service depends on Payments, and on nothing else
  oncall.pagerduty.pd_service_dependency:
    service: Checkout
    supporting_services:
      - Payments
    purge: true

- name: Online shopping no longer depends on Payments
  oncall.pagerduty.pd_service_dependency:
    business_service: Online shopping
    supporting_services:
      - Payments
    state: absent
"""

RETURN = r"""
dependent:
  description: The dependent service (C(id), C(type) V(business_service) or V(service), and C(name)), or V(null) with
    O(state=absent) when it does not exist.
  returned: always
  type: dict
  sample:
    id: PBZSHOP
    type: business_service
    name: Online shopping
relationships:
  description:
    - The dependent service's immediate dependencies, as PagerDuty returns them after the change (those where it
      depends and those where it supports). In check mode, the predicted list; a dependency that would be added
      has C(id) V(null).
  returned: always
  type: list
  elements: dict
  sample:
    - id: D3PG0QVACE87RNE6
      type: service_dependency
      supporting_service:
        id: PEXCHK1
        type: technical_service_reference
      dependent_service:
        id: PBZSHOP
        type: business_service_reference
diff:
  description: When something changed and run with C(--diff), the names of the supporting services of each changed
    list, before and after.
  returned: when diff mode is on
  type: dict
  sample:
    before:
      supporting_services: [Checkout]
    after:
      supporting_services: [Checkout, Payments]
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._service_dependency import ServiceDependencyModule


def main():
    ServiceDependencyModule().run()


if __name__ == "__main__":
    main()
