# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The attributes blocks of the collection's modules."""

    # Resource modules: they change things, in check mode they only predict.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in check mode and then reports what would change without sending any write request.
    support: full
  diff_mode:
    description: Returns the managed fields before and after the change when run with C(--diff).
    support: full
  action_group:
    description: Use C(group/oncall.pagerduty.pagerduty) in C(module_defaults) to set the connection options.
    support: full
    membership:
      - oncall.pagerduty.pagerduty
"""

    # Information modules: they only read.
    INFO_MODULE = r"""
attributes:
  check_mode:
    description: This module only reads, so it runs the same way in check mode.
    support: full
    details: This action does not modify state.
  diff_mode:
    description: This module changes nothing, so there is never a diff.
    support: N/A
    details: This action does not modify state.
  action_group:
    description: Use C(group/oncall.pagerduty.pagerduty) in C(module_defaults) to set the connection options.
    support: full
    membership:
      - oncall.pagerduty.pagerduty
"""

    # Events API modules: they send an event, an action rather than a state.
    EVENTS = r"""
attributes:
  check_mode:
    description: Can run in check mode and then sends nothing, and returns the event it would send.
    support: full
  diff_mode:
    description: Returns the event to send (without its routing key) as the diff's C(after) when run with C(--diff).
    support: full
  action_group:
    description: Use C(group/oncall.pagerduty.pagerduty) in C(module_defaults) to set the connection options.
    support: full
    membership:
      - oncall.pagerduty.pagerduty
"""
