# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""pd_event_orchestration_router: the router (which service an event goes to), on the path base of ``_orchestration_path``.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._orchestration_path import OrchestrationPathModule, document_options


def argument_spec():
    return dict(document_options(), orchestration=dict(type="str", required=True))


class OrchestrationRouterModule(OrchestrationPathModule):
    """pd_event_orchestration_router."""

    path_kind = "router"
    account_kind = catalog.Kind("event_orchestration_router", None, None, natural_key="orchestration", label="event orchestration router")
    argument_spec = staticmethod(argument_spec)
