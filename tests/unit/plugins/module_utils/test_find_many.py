# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""catalog.find_many: many references resolved in as few requests as the API allows."""

from __future__ import annotations

import pytest

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError

USER = catalog.KINDS["user"]


def users(count):
    return [{"id": f"PU{index:05d}", "type": "user", "name": f"User {index}", "email": f"user{index}@example.com"} for index in range(count)]


def paths(client):
    return [(method, path) for method, path, _params in client.calls]


def test_held_ids_cost_nothing_and_few_values_are_looked_up_one_by_one(fake_client):
    client = fake_client({"/users": users(250)})
    found = catalog.find_many(client, USER, ["PU00001", "user2@example.com", "USER3@example.com", "nobody@example.com"], held=["PU00001"])
    assert {value: (obj or {}).get("id") for value, obj in found.items()} == {
        "PU00001": "PU00001", "user2@example.com": "PU00002", "USER3@example.com": "PU00003", "nobody@example.com": None}
    assert paths(client) == [("GET", "/users")] * 3  # the held id is not looked up


def test_many_values_read_a_short_list_once(fake_client):
    client = fake_client({"/users": users(150)})
    wanted = [f"user{index}@example.com" for index in (5, 17, 120, 149)] + ["PU00042", "missing@example.com"]
    found = catalog.find_many(client, USER, wanted)
    assert [(found[value] or {}).get("id") for value in wanted] == ["PU00005", "PU00017", "PU00120", "PU00149", "PU00042", None]
    # one page with total (150 users: 2 pages <= 6 lookups), then the second page
    assert client.calls == [("GET", "/users", {"limit": 100, "offset": 0, "total": "true"}), ("GET", "/users", {"limit": 100, "offset": 100})]


def test_many_values_in_a_long_list_are_looked_up_one_by_one(fake_client):
    client = fake_client({"/users": users(1000)})
    wanted = [f"user{index}@example.com" for index in range(5)]
    found = catalog.find_many(client, USER, wanted)
    assert [found[value]["id"] for value in wanted] == [f"PU{index:05d}" for index in range(5)]
    assert len(client.calls) == 1 + 5  # the size (10 pages > 5 lookups), then one lookup each


def test_a_name_twice_in_the_list_is_an_error(fake_client):
    twins = users(6) + [{"id": "PTWIN01", "type": "user", "name": "Twin", "email": "twin@example.com"},
                        {"id": "PTWIN02", "type": "user", "name": "Twin", "email": "TWIN@example.com"}]
    client = fake_client({"/users": twins})
    with pytest.raises(PagerDutyError, match=r"2 users have the email 'twin@example.com' \(ids: PTWIN01, PTWIN02\); give id instead"):
        catalog.find_many(client, USER, ["twin@example.com", "user1@example.com", "user2@example.com", "user3@example.com"])
