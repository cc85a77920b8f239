# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""pd_event_orchestration_unrouted: the unrouted orchestration (events the router sends to no service), on the path base of ``_orchestration_path``.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._orchestration_path import OrchestrationPathModule, document_options


def argument_spec():
    return dict(document_options(), orchestration=dict(type="str", required=True))


class OrchestrationUnroutedModule(OrchestrationPathModule):
    """pd_event_orchestration_unrouted."""

    path_kind = "unrouted"
    account_kind = catalog.Kind("event_orchestration_unrouted", None, None, natural_key="orchestration", label="unrouted event orchestration")
    argument_spec = staticmethod(argument_spec)
