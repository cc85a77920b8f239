#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_service_info
short_description: List PagerDuty services
version_added: 0.1.0
description:
  - Returns PagerDuty services, all of them or those matching O(id), O(name), O(query) or O(team),
    with their integrations (including C(integration_key)) when O(include_integrations=true).
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  id:
    description: Return the service with this id (an empty list when there is none).
    type: str
  name:
    description: Return the service with exactly this name (an empty list when there is none).
    type: str
  query:
    description: Return the services whose name contains this text.
    type: str
  team:
    description: Only services of this team, by name or id.
    type: str
  include_integrations:
    description: Return the integrations as full objects (with C(integration_key)) instead of references.
    type: bool
    default: false
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(services.read) (C(teams.read) for that filter).
seealso:
  - module: oncall.pagerduty.pd_service
"""

EXAMPLES = r"""
- name: The routing key of the Prometheus integration of Checkout
  oncall.pagerduty.pd_service_info:
    api_token: "{{ vault_pagerduty_token }}"
    name: Checkout
    include_integrations: true
  register: checkout

- name: Show it
  ansible.builtin.debug:
    msg: "{{ (checkout.services[0].integrations | selectattr('name', 'equalto', 'Prometheus') | first).integration_key }}"
"""

RETURN = r"""
services:
  description: The matching services, as PagerDuty returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: PIJ90N7
      type: service
      name: Checkout
      status: active
      escalation_policy:
        id: PANZZEQ
        type: escalation_policy_reference
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._service import ServiceInfoModule


def main():
    ServiceInfoModule(
        dict(id=dict(type="str"), name=dict(type="str"), query=dict(type="str"), team=dict(type="str"),
             include_integrations=dict(type="bool", default=False)),
    ).run()


if __name__ == "__main__":
    main()
