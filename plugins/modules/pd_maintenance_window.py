#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_maintenance_window
short_description: Create and end PagerDuty maintenance windows, once
version_added: 0.1.0
description:
  - Puts services into maintenance for a time window, idempotently.
  - A window is identified by its services and its time. With an explicit O(start_time) the same services and the
    same start and end are the same window. With O(start_time=now) (the default) an open window of the same
    services with the same length is the same window, so rerunning the task does not create a second one.
  - With O(state=absent) the matching window is deleted if it is in the future, or ended if it is ongoing,
    as the API does. A window that has ended cannot be deleted and counts as absent (no change).
  - A window found by O(id) needs no times to change its description; O(end_time) or O(duration) is only
    needed to create a window.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  services:
    description: Services in the window, by name or id. Compared as a set.
    type: list
    elements: str
  id:
    description: PagerDuty id of an existing window, to end or delete it, or to change its description.
    type: str
  start_time:
    description:
      - Start of the window, ISO 8601 (any UTC offset), V(now), or relative to now such as V(+2h) or V(now+1d).
    type: str
    default: now
  end_time:
    description: End of the window, in the same forms as O(start_time).
    type: str
  duration:
    description: Length of the window instead of O(end_time), in seconds or as V(30m), V(2h), V(1d).
    type: str
  description:
    description: Description of the window, for example the change ticket.
    type: str
  state:
    description: V(present) creates the window when it does not exist; V(absent) deletes or ends it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Creating a window with an account-level API key needs O(from_email) (the C(From) header) set to the email of an
    existing PagerDuty user, who is shown as the window's creator; PagerDuty's API reference marks the header required.
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(services.read) and C(services.write).
seealso:
  - module: oncall.pagerduty.pd_maintenance_window_info
"""

EXAMPLES = r"""
- name: Two hours of maintenance for the database deploy, starting now (a rerun creates nothing)
  oncall.pagerduty.pd_maintenance_window:
    api_token: "{{ vault_pagerduty_token }}"
    from_email: release-bot@example.com
    services: [Checkout, Payments]
    duration: 2h
    description: CHG-1234 database upgrade

- name: A planned window
  oncall.pagerduty.pd_maintenance_window:
    services: [Checkout]
    start_time: "2030-12-24T22:00:00+01:00"
    end_time: "2030-12-25T02:00:00+01:00"
    description: Christmas freeze work

- name: Change only the description of a window found by its id
  oncall.pagerduty.pd_maintenance_window:
    id: PW98YIO
    description: CHG-1234 database upgrade, extended

- name: End it early
  oncall.pagerduty.pd_maintenance_window:
    services: [Checkout, Payments]
    duration: 2h
    state: absent
"""

RETURN = r"""
maintenance_window:
  description:
    - The maintenance window as PagerDuty returns it; in check mode the predicted window (C(id) V(null) for a new one).
    - With O(state=absent), the window that was ended or deleted, or V(null) when there was none.
  returned: always
  type: dict
  sample:
    id: PW98YIO
    type: maintenance_window
    start_time: "2026-12-24T21:00:00Z"
    end_time: "2026-12-25T01:00:00Z"
    description: Christmas freeze work
    services:
      - id: PIJ90N7
        type: service_reference
diff:
  description: The window before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._maintenance_window import MaintenanceWindowModule


def main():
    MaintenanceWindowModule().run()


if __name__ == "__main__":
    main()
