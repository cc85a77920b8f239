# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which incident an incident key names: PagerDuty reuses a key once its incident is resolved."""

from __future__ import annotations

import pytest

from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._incident import pick_incident


def incident(number, status):
    return {"id": f"PINC{number:03d}", "incident_number": number, "status": status}


def test_the_open_one_wins_over_newer_resolved_ones():
    assert pick_incident([incident(1, "resolved"), incident(2, "acknowledged"), incident(3, "resolved")], "k")["id"] == "PINC002"


def test_without_an_open_one_the_newest_is_chosen():
    assert pick_incident([incident(4, "resolved"), incident(9, "resolved"), incident(7, "resolved")], "k")["id"] == "PINC009"


def test_no_incident_is_none():
    assert pick_incident([], "k") is None


def test_two_open_ones_are_an_error_naming_them():
    with pytest.raises(PagerDutyError) as err:
        pick_incident([incident(1, "triggered"), incident(2, "acknowledged")], "db/disk")
    assert str(err.value) == ("incident_key: 2 open incidents have the key 'db/disk' (PINC001, PINC002); name one with id, or add service")
