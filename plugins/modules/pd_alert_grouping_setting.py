#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_alert_grouping_setting
short_description: Create, update and delete PagerDuty alert grouping settings
version_added: 0.1.0
description:
  - Makes a PagerDuty alert grouping setting match the task, idempotently. The setting is found by O(id) or by its
    O(name).
  - An alert grouping setting says how the alerts of its services are grouped into incidents. PagerDuty prefers it to
    a service's deprecated C(alert_grouping_parameters) (an option of M(oncall.pagerduty.pd_service)).
  - Only the options given are compared and changed; options left out are not managed.
  - The type, its O(config) and the number of O(services) are checked together before any request.
  - With O(state=absent) the setting is deleted if it exists.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  name:
    description:
      - Name of the setting, its natural key here. Matched exactly.
      - PagerDuty does not keep names unique; when several settings have the name, the task fails and asks for O(id).
      - When O(id) is given too, the setting is renamed to O(name).
    type: str
  id:
    description:
      - PagerDuty id of an existing setting. Takes precedence over O(name) for finding the setting.
    type: str
  description:
    description:
      - Description of the setting. An empty string clears it.
    type: str
  type:
    description:
      - How alerts are grouped.
      - V(content_based) groups alerts whose O(config.fields) match (O(config.aggregate)); the only type whose setting
        may hold several services (global grouping, up to 250).
      - V(content_based_intelligent) groups like V(content_based), then intelligently; one service.
      - V(intelligent) groups alerts by PagerDuty's machine learning; one service.
      - V(time) groups every alert arriving within O(config.timeout); one service.
      - Required to create a setting, and with O(config).
    type: str
    choices: [content_based, content_based_intelligent, intelligent, time]
  config:
    description:
      - The configuration of the O(type). Each suboption belongs to some types only; one given for another type is
        refused before any request.
      - Only the suboptions given are compared. When it differs, the setting's current config of the same type with
        these values over it is sent; for another type, these values alone.
    type: dict
    suboptions:
      aggregate:
        description:
          - V(content_based) and V(content_based_intelligent) (required there).
          - V(all) groups alerts when every field in O(config.fields) matches, V(any) when at least one does.
        type: str
        choices: [all, any]
      fields:
        description:
          - V(content_based) and V(content_based_intelligent) (required there).
          - The alert fields to match, such as V(summary), V(component) or V(custom_details.host).
        type: list
        elements: str
      time_window:
        description:
          - V(content_based), V(content_based_intelligent) and V(intelligent).
          - The most seconds allowed between two alerts of a group. V(0) uses PagerDuty's recommended window.
          - V(300) to V(3600); V(content_based) also takes V(86400) (24 hours).
        type: int
      iag_fields:
        description:
          - V(intelligent) only. The fields intelligent grouping looks at; PagerDuty's default is V([summary]).
        type: list
        elements: str
      timeout:
        description:
          - V(time) only. The seconds during which alerts are grouped, V(60) to V(86400); V(0) groups until the
            incident is resolved.
        type: int
  services:
    description:
      - The services of the setting, by name or id. The setting gets exactly these (compared as a set).
      - Required to create a setting. V(content_based) takes 1 to 250 services, the other types exactly one.
      - A service is in one setting at most; PagerDuty refuses a service that another setting holds.
    type: list
    elements: str
  state:
    description:
      - V(present) creates or updates the setting, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Alert grouping settings are available on some PagerDuty plans only.
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(services.read) and C(services.write).
seealso:
  - module: oncall.pagerduty.pd_alert_grouping_setting_info
  - module: oncall.pagerduty.pd_service
"""

EXAMPLES = r"""
- name: Group the alerts of Checkout and Payments by host
  oncall.pagerduty.pd_alert_grouping_setting:
    api_token: "{{ vault_pagerduty_token }}"
    name: Checkout and Payments by host
    description: One incident per host
    type: content_based
    config:
      aggregate: all
      fields: [summary, custom_details.host]
      time_window: 900
    services: [Checkout, Payments]

- name: Intelligent grouping for one service, with PagerDuty's recommended window
  oncall.pagerduty.pd_alert_grouping_setting:
    name: Legacy batch grouping
    type: intelligent
    config:
      time_window: 0
    services: [Legacy batch]

- name: Delete a setting
  oncall.pagerduty.pd_alert_grouping_setting:
    name: Old grouping
    state: absent
"""

RETURN = r"""
alert_grouping_setting:
  description:
    - The setting as PagerDuty returns it after the change.
    - In check mode, the predicted setting; a setting that would be created has C(id) V(null).
    - With O(state=absent), the deleted setting, or V(null) when there was none.
  returned: always
  type: dict
  sample:
    id: PZC4OM1
    name: Checkout and Payments by host
    description: One incident per host
    type: content_based
    config:
      aggregate: all
      fields: [summary, custom_details.host]
      time_window: 900
      recommended_time_window: 300
    services:
      - id: PIJ90N7
        type: service_reference
        summary: Checkout
    created_at: "2030-01-06T10:00:00Z"
    updated_at: "2030-01-06T10:00:00Z"
diff:
  description: The managed fields before and after, when run with C(--diff). Services show their ids.
  returned: when diff mode is on
  type: dict
  sample:
    before:
      config: {aggregate: all, fields: [summary], time_window: 900, recommended_time_window: 300}
    after:
      config: {aggregate: any, fields: [summary]}
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._alert_grouping_setting import AlertGroupingSettingModule


def main():
    AlertGroupingSettingModule().run()


if __name__ == "__main__":
    main()
