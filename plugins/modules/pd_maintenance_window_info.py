#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_maintenance_window_info
short_description: List PagerDuty maintenance windows
version_added: 0.1.0
description:
  - Returns PagerDuty maintenance windows, filtered by O(id), O(service), O(team), O(query) and O(filter).
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  id:
    description: Return the window with this id (an empty list when there is none).
    type: str
  query:
    description: Return the windows whose description contains this text.
    type: str
  service:
    description: Only windows of this service, by name or id.
    type: str
  team:
    description: Only windows of services of this team, by name or id.
    type: str
  filter:
    description: Only windows in this state. V(open) is future and ongoing together.
    type: str
    choices: [past, future, ongoing, open, all]
    default: open
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(services.read) (C(teams.read) for that filter).
seealso:
  - module: oncall.pagerduty.pd_maintenance_window
"""

EXAMPLES = r"""
- name: Is Checkout in maintenance now?
  oncall.pagerduty.pd_maintenance_window_info:
    api_token: "{{ vault_pagerduty_token }}"
    service: Checkout
    filter: ongoing
  register: windows
"""

RETURN = r"""
maintenance_windows:
  description: The matching maintenance windows, as PagerDuty returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: PW98YIO
      type: maintenance_window
      start_time: "2026-12-24T21:00:00Z"
      end_time: "2026-12-25T01:00:00Z"
      services:
        - id: PIJ90N7
          type: service_reference
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._maintenance_window import MaintenanceWindowInfoModule


def main():
    MaintenanceWindowInfoModule(
        dict(id=dict(type="str"), query=dict(type="str"), service=dict(type="str"), team=dict(type="str"),
             filter=dict(type="str", default="open", choices=["past", "future", "ongoing", "open", "all"])),
    ).run()


if __name__ == "__main__":
    main()
