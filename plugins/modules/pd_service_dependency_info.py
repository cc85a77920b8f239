#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_service_dependency_info
short_description: Read the dependencies of a PagerDuty business or technical service
version_added: 0.1.0
description:
  - Returns the immediate dependencies of one business service (O(business_service)) or technical service
    (O(service)), both the services it depends on and the services that depend on it.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  business_service:
    description:
      - The business service, by name or id. Exactly one of O(business_service) and O(service) is required.
    type: str
  service:
    description:
      - The technical service, by name or id. Exactly one of O(business_service) and O(service) is required.
    type: str
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scope C(services.read).
  - A service that does not exist is an error.
seealso:
  - module: oncall.pagerduty.pd_service_dependency
"""

EXAMPLES = r"""
- name: What Online shopping depends on
  oncall.pagerduty.pd_service_dependency_info:
    api_token: "{{ vault_pagerduty_token }}"
    business_service: Online shopping
  register: shop

- name: Show the ids of the services it depends on
  ansible.builtin.debug:
    msg: "{{ shop.supporting | map(attribute='id') | list }}"

- name: What depends on the Checkout service
  oncall.pagerduty.pd_service_dependency_info:
    service: Checkout
  register: checkout
"""

RETURN = r"""
service:
  description: The service asked about (C(id), C(type) V(business_service) or V(service), and C(name)).
  returned: always
  type: dict
  sample:
    id: PBZSHOP
    type: business_service
    name: Online shopping
supporting:
  description: The services it depends on, each with C(type) (V(service) or V(business_service)) and C(id).
  returned: always
  type: list
  elements: dict
  sample:
    - type: service
      id: PEXCHK1
dependents:
  description: The services that depend on it, each with C(type) (V(service) or V(business_service)) and C(id).
  returned: always
  type: list
  elements: dict
  sample: []
relationships:
  description: The immediate dependencies as PagerDuty returns them.
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
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._service_dependency import ServiceDependencyInfoModule


def main():
    ServiceDependencyInfoModule(dict(business_service=dict(type="str"), service=dict(type="str"))).run()


if __name__ == "__main__":
    main()
