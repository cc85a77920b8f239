# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.oncall.pagerduty.plugins.module_utils import _user as users
from ansible_collections.oncall.pagerduty.plugins.module_utils._timezones import ACCEPTED_TIME_ZONES, time_zone_error


@pytest.mark.parametrize("given, api", [
    ("global_admin", "admin"), ("manager", "user"), ("responder", "limited_user"), ("observer", "observer"),
    ("stakeholder", "read_only_user"), ("limited_stakeholder", "read_only_limited_user"),
    ("restricted_access", "restricted_access"), ("admin", "admin"), ("user", "user"), ("limited_user", "limited_user"),
    ("read_only_user", "read_only_user"), ("read_only_limited_user", "read_only_limited_user"), (None, None),
])
def test_api_role(given, api):
    assert users.api_role(given) == api


def test_role_choices_cover_both_vocabularies_and_owner():
    assert set(users.ROLE_CHOICES) == set(users.API_ROLES) | set(users.UI_ROLES) | {"owner"}


@pytest.mark.parametrize("kind, a, b, same", [
    ("email", "Alice@Example.com", "alice@example.com ", True),
    ("email", "alice@example.com", "alice@example.org", False),
    ("phone", "555-0100", "(555) 0100", True),
    ("sms", "5550100", "5550101", False),
    ("whatsapp", "+1 555 0100", "15550100", True),
])
def test_contact_key(kind, a, b, same):
    assert (users.contact_key(kind, a) == users.contact_key(kind, b)) is same


def test_api_contact_key_uses_short_type():
    assert users.api_contact_key({"type": "sms_contact_method", "address": "555-0100"}) == ("sms", "5550100")


@pytest.mark.parametrize("value, message", [
    ("Etc/UTC", None),
    ("Europe/Berlin", None),
    ("UTC", "time_zone: 'UTC' is not a time zone PagerDuty accepts; did you mean Etc/UTC?"),
    ("Berlin", "time_zone: 'Berlin' is not a time zone PagerDuty accepts; did you mean Europe/Berlin?"),
    ("Asia/Calcutta", "time_zone: 'Asia/Calcutta' is not a time zone PagerDuty accepts; did you mean Asia/Kolkata, "),
    ("Mars/Olympus", "time_zone: 'Mars/Olympus' is not a time zone PagerDuty accepts (use an IANA name such as Etc/UTC, "),
])
def test_time_zone_error(value, message):
    result = time_zone_error("time_zone", value)
    if message is None:
        assert result is None
    else:
        assert result.startswith(message)


def test_accepted_time_zones_are_iana_names():
    assert "UTC" not in ACCEPTED_TIME_ZONES
    assert all("/" in name for name in ACCEPTED_TIME_ZONES)
    assert len(ACCEPTED_TIME_ZONES) > 100
