#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_schedule
short_description: Manage PagerDuty on-call schedules and their layers, without false changes
version_added: 0.1.0
description:
  - Makes a PagerDuty schedule match the task, idempotently. The schedule is found by O(id) or by its O(name).
  - Layers are identified by their name. A layer removed from O(layers) is ended now, never deleted, so the
    schedule's history is kept; check mode and diff say which layers will be ended.
  - A rerun reports no change for what PagerDuty rewrites or reorders by itself. A layer C(start) in the past
    (PagerDuty replaces it with the time of the last update), layers returned in another order, the same instant
    written with another UTC offset, and V(1d) against V(86400) are all the same.
  - With O(preserve_oncall=true) (the default), changing the users of a layer keeps whoever is on call on that
    layer now on call until their turn ends, then the new order follows.
  - See the collection's C(docs/schedules.md) for the rules and examples.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  name:
    description: Name of the schedule, its natural key. Required to create one.
    type: str
  id:
    description: PagerDuty id of an existing schedule. Takes precedence over O(name) for finding it.
    type: str
  description:
    description: Description of the schedule.
    type: str
  time_zone:
    description:
      - Time zone of the schedule, in which restrictions are read. Required to create a schedule.
      - One of the IANA names PagerDuty accepts (for example V(Etc/UTC), not V(UTC)); checked before any request,
        with close matches suggested.
    type: str
  teams:
    description: Teams (names or ids) of the schedule. Compared as a set.
    type: list
    elements: str
  layers:
    description:
      - The layers of the schedule. Required to create a schedule.
      - When a schedule or a layer is created, a layer listed later has higher priority (it covers the layers
        before it where it has someone on call). The order of existing layers is kept; listing them in another
        order is not a change.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the layer, unique within the schedule. Identifies the layer.
        type: str
        required: true
      start:
        description:
          - When the layer starts, ISO 8601 with any offset, or V(now). Defaults to now for a new layer.
          - A start in the past is only used when the layer is created; PagerDuty moves it to the time of every
            later update, and that is not reported as a change.
        type: str
      end:
        description: When the layer ends, ISO 8601. Not set means it does not end.
        type: str
      rotation_virtual_start:
        description:
          - The moment the first user's turn starts (the rotation's anchor). Defaults to O(layers[].start) for a new layer.
          - Starts that differ by whole rotations (turn length times the number of users) are the same.
          - With O(preserve_oncall=true) it is only used for a new layer; for an existing layer the module keeps the
            rotation in step with who is on call.
        type: str
      rotation_turn_length:
        description: Length of each user's turn, in seconds or as V(12h), V(1d), V(1w). At most a year.
        type: str
        required: true
      users:
        description: The rotation order, users given by email or id. A user may appear more than once.
        type: list
        elements: str
        required: true
      restrictions:
        description:
          - When the layer is active. The rotation runs on underneath; restrictions only hide it.
          - Read in the schedule's O(time_zone).
        type: list
        elements: dict
        suboptions:
          type:
            description: V(daily) repeats every day, V(weekly) every week from O(layers[].restrictions[].start_day_of_week).
            type: str
            required: true
            choices: [daily, weekly]
          start_time_of_day:
            description: Start of the active window, C(HH:MM) or C(HH:MM:SS).
            type: str
            required: true
          duration:
            description: Length of the window, in seconds or as V(8h); at most one day (daily) or one week (weekly).
            type: str
            required: true
          start_day_of_week:
            description: Day the weekly window starts, V(1) (Monday) to V(7) (Sunday), or a weekday name.
            type: str
  preserve_oncall:
    description:
      - When the users of an existing layer change, keep whoever is on call on that layer now on call until their turn
        ends, by moving the layer's rotation start; the rest follows the new order. When that person is no longer in
        the layer, the new order starts with the current turn.
      - With V(false) the declared O(layers[].rotation_virtual_start) is used as given.
      - Either way a rerun is idempotent.
    type: bool
    default: true
  state:
    description:
      - V(present) creates or updates the schedule, V(absent) deletes it.
      - PagerDuty refuses to delete a schedule that escalation policies still use; the error names them.
    type: str
    choices: [present, absent]
    default: present
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(schedules.read), C(schedules.write),
    C(users.read) and C(teams.read).
seealso:
  - module: oncall.pagerduty.pd_schedule_info
  - module: oncall.pagerduty.pd_schedule_override
"""

EXAMPLES = r"""
- name: Weekly primary rotation in office hours, a night layer on top
  oncall.pagerduty.pd_schedule:
    api_token: "{{ vault_pagerduty_token }}"
    name: SRE primary
    time_zone: Europe/Berlin
    teams: [SRE]
    layers:
      - name: Office hours
        start: "2026-01-05T09:00:00+01:00"
        rotation_turn_length: 1w
        users: [alice@example.com, bob@example.com, carol@example.com]
        restrictions:
          - type: weekly
            start_day_of_week: monday
            start_time_of_day: "09:00"
            duration: 8h
          - type: weekly
            start_day_of_week: tuesday
            start_time_of_day: "09:00"
            duration: 8h
      - name: Nights
        rotation_turn_length: 1d
        users: [dave@example.com, erin@example.com]
        restrictions:
          - type: daily
            start_time_of_day: "17:00"
            duration: 16h

- name: Review what would change first
  oncall.pagerduty.pd_schedule:
    name: SRE primary
    layers:
      - name: Office hours
        rotation_turn_length: 1w
        users: [alice@example.com, bob@example.com, carol@example.com, frank@example.com]
  check_mode: true
  diff: true
"""

RETURN = r"""
schedule:
  description:
    - The schedule as PagerDuty returns it after the change, including its ended layers.
    - In check mode, the predicted schedule; a schedule that would be created has C(id) V(null).
    - With O(state=absent), the deleted schedule, or V(null) when there was none.
  returned: always
  type: dict
  sample:
    id: PI7DH85
    type: schedule
    name: SRE primary
    time_zone: Europe/Berlin
    schedule_layers:
      - id: PG68P1M
        name: Nights
        start: "2026-11-26T10:00:00+01:00"
        end: null
        rotation_virtual_start: "2026-11-26T10:00:00+01:00"
        rotation_turn_length_seconds: 86400
        users:
          - user: {id: PXPGF42, type: user_reference}
        restrictions:
          - type: daily_restriction
            start_time_of_day: "17:00:00"
            duration_seconds: 57600
diff:
  description:
    - The managed fields before and after, when run with C(--diff). For O(layers) only the layers that change are
      shown, and only their changed fields; a layer that will be ended shows C(layer NAME will be ended at TIME).
  returned: when diff mode is on
  type: dict
  sample:
    before:
      layers:
        Office hours:
          users: [PXPGF42, PAM4FGS]
    after:
      layers:
        Office hours:
          users: [PXPGF42, PAM4FGS, P0KQ2C3]
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._schedule import ScheduleModule


def main():
    ScheduleModule().run()


if __name__ == "__main__":
    main()
