# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The rate budget: parallel work paces itself on ratelimit-remaining / ratelimit-reset instead of running into 429s."""

from __future__ import annotations

import time

from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyClient, RateBudget
from ansible_collections.oncall.pagerduty.plugins.module_utils._paging import list_parallel


class Clock:
    def __init__(self):
        self.now = 100.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_unknown_budget_never_waits():
    clock = Clock()
    budget = RateBudget(clock, clock.sleep)
    for dummy in range(5):
        budget.take()
    assert clock.sleeps == []


def test_a_spent_budget_waits_for_the_reset_then_goes_on():
    clock = Clock()
    budget = RateBudget(clock, clock.sleep)
    budget.update({"ratelimit-remaining": "2", "ratelimit-reset": "7"})
    budget.take()
    budget.take()
    assert clock.sleeps == []
    budget.take()  # the third request of the window waits until its reset
    assert clock.sleeps == [7.0]
    assert budget.remaining is None  # a new window: unknown until the next answer


def test_bad_headers_are_ignored_and_a_reset_is_capped():
    clock = Clock()
    budget = RateBudget(clock, clock.sleep)
    budget.update({"ratelimit-remaining": "soon", "ratelimit-reset": "1"})
    budget.update({"ratelimit-remaining": "0", "ratelimit-reset": "inf"})
    assert budget.remaining is None
    budget.update({"ratelimit-remaining": "0", "ratelimit-reset": "3600"})
    budget.take()
    assert clock.sleeps == [60.0]


def test_parallel_pages_stay_within_the_budget_against_the_simulator(sim):
    """25 pages read by 4 threads with a budget of 8 requests a 1 s window: no 429, the pace set by the budget."""
    sim.seed({"count_teams": 2500})
    sim.set_rate_limit(8, window=1)
    client = PagerDutyClient(api_token=sim.token, api_url=sim.url, max_retries=0)

    def factory():
        return PagerDutyClient(api_token=sim.token, api_url=sim.url, max_retries=0, rate_budget=client.rate_budget)

    started = time.monotonic()
    teams = list_parallel(client, "/teams", "teams", workers=4, client_factory=factory)
    elapsed = time.monotonic() - started
    assert len(teams) == 2500
    statuses = [entry["status"] for entry in sim.requests()]
    assert statuses == [200] * 25  # with max_retries=0 a 429 would have failed the listing
    assert client.rate_budget.waited > 0
    assert elapsed >= 2.0  # 25 requests at 8 a second take at least three windows
