# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Parallel paging against a fake client that serves a list of numbered items."""

from __future__ import annotations

import pytest

from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._paging import list_parallel, page_offsets


def services(fake_client, count, give_total=True, calls=None):
    """A client whose /services list holds ``count`` numbered services."""
    return fake_client({"/services": [{"id": f"P{n:06d}"} for n in range(count)]}, give_total=give_total, calls=calls)


def asked(calls):
    """The query parameters of each request."""
    return [params for _method, _path, params in calls]


@pytest.mark.parametrize("total, expected", [(0, []), (100, []), (101, [100]), (250, [100, 200]), (10000, list(range(100, 10000, 100)))])
def test_page_offsets(total, expected):
    assert page_offsets(total) == expected


def test_one_page_is_one_request(fake_client):
    client = services(fake_client, 42)
    assert len(list_parallel(client, "/services", "services")) == 42
    assert asked(client.calls) == [{"limit": 100, "offset": 0, "total": "true"}]


def test_pages_fetched_by_workers_each_with_its_own_client(fake_client):
    calls = []
    made = []

    def factory():
        made.append(services(fake_client, 1050, calls=calls))
        return made[-1]

    first = services(fake_client, 1050, calls=calls)
    items = list_parallel(first, "/services", "services", {"query": "x"}, workers=3, client_factory=factory)
    log = asked(calls)
    assert [item["id"] for item in items] == [f"P{int(n):06}" for n in range(1050)]
    assert len(log) == 11
    assert sorted(entry["offset"] for entry in log) == list(range(0, 1100, 100))
    assert all(entry["limit"] == 100 and entry["query"] == "x" for entry in log)
    assert "total" not in log[-1]
    assert 1 <= len(made) <= 3
    assert all(len(client.threads) == 1 for client in made)


def test_without_factory_pages_are_sequential(fake_client):
    client = services(fake_client, 250)
    assert len(list_parallel(client, "/services", "services", workers=4)) == 250
    assert [entry["offset"] for entry in asked(client.calls)] == [0, 100, 200]


def test_past_the_offset_cap_fails_after_one_request_with_advice(fake_client):
    client = services(fake_client, 10001)
    with pytest.raises(PagerDutyError) as err:
        list_parallel(client, "/services", "services", hint="use the teams option")
    assert "matches 10001 services, more than the 10000" in str(err.value)
    assert str(err.value).endswith("use the teams option")
    assert len(asked(client.calls)) == 1


def test_exactly_the_cap_is_fine(fake_client):
    client = services(fake_client, 10000)
    assert len(list_parallel(client, "/services", "services", workers=1)) == 10000
    assert asked(client.calls)[-1]["offset"] == 9900


def test_no_total_follows_more_and_stops_at_the_cap(fake_client):
    client = services(fake_client, 350, give_total=False)
    assert len(list_parallel(client, "/services", "services")) == 350
    assert [entry["offset"] for entry in asked(client.calls)] == [0, 100, 200, 300]
    with pytest.raises(PagerDutyError) as err:
        list_parallel(services(fake_client, 20000, give_total=False), "/services", "services")
    assert "more than 10000" in str(err.value)


def test_duplicates_from_a_shifting_list_are_dropped(fake_client):
    class Shifting(fake_client):
        def get(self, path, params=None):
            page = super().get(path, params)
            if params["offset"] == 100:
                page["services"][0] = {"id": "P000099"}
            return page

    items = list_parallel(Shifting({"/services": [{"id": f"P{n:06d}"} for n in range(150)]}), "/services", "services")
    assert len(items) == 149
