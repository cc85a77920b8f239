"""The simulator's latency (``run.py --latency``, ``POST /__sim__/config {"latency": S}``, ``Simulator(latency=...)``):
every API request waits before its answer, the admin API does not, and a reset restores the start-up value."""

import time

import pytest
import requests

# tests/unit/conftest.py puts tests/simulator on sys.path.
import control  # pylint: disable=import-error

LATENCY = 0.2


@pytest.fixture(name='http')
def http_fixture():
    with requests.Session() as session:
        session.trust_env = False  # loopback only
        yield session


def timed_get(sim, http, path):
    started = time.monotonic()
    answer = http.get(sim.url + path, headers=sim.headers())
    return answer, time.monotonic() - started


def timed_admin(sim, method, name):
    started = time.monotonic()
    sim.admin(method, name)
    return time.monotonic() - started


def test_latency_from_the_start_delays_api_requests_only_and_survives_a_reset(http):
    with control.Simulator(strict=True, latency=LATENCY) as sim:
        answer, seconds = timed_get(sim, http, '/teams')
        assert answer.status_code == 200
        assert seconds >= LATENCY
        assert timed_admin(sim, 'GET', 'requests') < LATENCY
        assert timed_admin(sim, 'POST', 'reset') < LATENCY
        assert sim.state()['latency'] == LATENCY
        assert timed_get(sim, http, '/teams')[1] >= LATENCY


def test_latency_set_at_run_time_until_the_reset(sim, http):
    assert sim.set_latency(LATENCY)['latency'] == LATENCY
    try:
        answer, seconds = timed_get(sim, http, '/users')
        assert answer.status_code == 200
        assert seconds >= LATENCY
        assert timed_admin(sim, 'GET', 'state') < LATENCY
    finally:
        sim.reset()
    assert sim.state()['latency'] == 0
    assert timed_get(sim, http, '/users')[1] < LATENCY


@pytest.mark.parametrize('value', [-1, 11, True, 'slow'])
def test_latency_out_of_range_is_refused(sim, value):
    with pytest.raises(control.SimulatorError, match='latency must be a number of seconds from 0 to 10'):
        sim.set_latency(value)
