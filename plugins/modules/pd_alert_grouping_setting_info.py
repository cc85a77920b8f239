#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_alert_grouping_setting_info
short_description: List PagerDuty alert grouping settings
version_added: 0.1.0
description:
  - Returns PagerDuty alert grouping settings, all of them, those of some O(services), or those matching O(id),
    O(name) or O(query).
  - Follows the list's cursor through every page.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  id:
    description: Return the setting with this id (an empty list when there is none).
    type: str
  name:
    description:
      - Return the settings with exactly this name (PagerDuty does not keep names unique).
    type: str
  query:
    description:
      - Return the settings whose name contains this text, case-insensitively (the API cannot search the list, so the
        whole list is read and matched here).
    type: str
  services:
    description:
      - Return the settings of any of these services, by name or id (PagerDuty's C(service_ids[]) filter).
    type: list
    elements: str
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scope C(services.read).
seealso:
  - module: oncall.pagerduty.pd_alert_grouping_setting
"""

EXAMPLES = r"""
- name: All alert grouping settings
  oncall.pagerduty.pd_alert_grouping_setting_info:
    api_token: "{{ vault_pagerduty_token }}"
  register: all_settings

- name: How the alerts of Reports are grouped
  oncall.pagerduty.pd_alert_grouping_setting_info:
    services: [Reports]
  register: reports

- name: Show it
  ansible.builtin.debug:
    msg: "{{ reports.alert_grouping_settings[0].type }}"
  when: reports.alert_grouping_settings | length == 1

- name: A setting by name
  oncall.pagerduty.pd_alert_grouping_setting_info:
    name: Old grouping
"""

RETURN = r"""
alert_grouping_settings:
  description: The matching settings, as PagerDuty returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: PZC4OM1
      name: Old grouping
      description: null
      type: time
      config:
        timeout: 600
      services:
        - id: PIJ90N7
          type: service_reference
          summary: Reports
      created_at: "2030-01-06T10:00:00Z"
      updated_at: "2030-01-06T10:00:00Z"
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._alert_grouping_setting import AlertGroupingSettingInfoModule


def main():
    AlertGroupingSettingInfoModule(
        dict(id=dict(type="str"), name=dict(type="str"), query=dict(type="str"), services=dict(type="list", elements="str")),
    ).run()


if __name__ == "__main__":
    main()
