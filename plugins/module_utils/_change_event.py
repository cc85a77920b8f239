# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Change events: pd_change_event, on the Events API v2 module base of ``_event``.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils._event import EventModule, routing_options
from ansible_collections.oncall.pagerduty.plugins.module_utils._events import CHANGE_PATH


class ChangeEventModule(EventModule):
    """pd_change_event: one change event (a deploy marker, a configuration change)."""

    path = CHANGE_PATH

    @staticmethod
    def argument_spec():
        spec = routing_options()
        spec["summary"]["required"] = True
        return spec

    def event(self):
        return self.context_lists({"payload": self.payload_fields(("summary", "source", "timestamp", "custom_details"))})
