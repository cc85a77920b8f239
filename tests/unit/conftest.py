# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fixtures for every unit test: the PagerDuty simulator (tests/simulator), started once per session.

tests/simulator is put on sys.path here, so a test module may simply ``import control`` (the
simulator's client) or ``from pdsim import render``.

- ``simulator`` (session): a plain-HTTP ``control.Simulator``, started at its first use and stopped
  at the end of the session (one per pytest-xdist worker). Its state is whatever the last test left.
- ``sim`` (function): the same simulator, reset first: no objects but the account owner, an empty
  request log, no faults, only the default tokens, no rate limit.
- ``@pytest.mark.needs_spec``: skip the test when the OpenAPI document the simulator validates
  against is missing.

A test that needs TLS, a rate limit from the start or other flags starts its own ``Simulator``.
"""

from __future__ import annotations

import os
import sys

import pytest

SIMULATOR_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "simulator"))
if SIMULATOR_DIR not in sys.path:
    sys.path.insert(0, SIMULATOR_DIR)

from control import Simulator  # noqa: E402  pylint: disable=wrong-import-position,import-error
from pdsim.validator import default_spec_path  # noqa: E402  pylint: disable=wrong-import-position,import-error


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_spec: skip unless the OpenAPI spec the simulator validates against exists")


def pytest_collection_modifyitems(config, items):  # pylint: disable=unused-argument
    spec = default_spec_path()
    if os.path.isfile(spec):
        return
    skip = pytest.mark.skip(reason=f"OpenAPI spec not found at {spec}")
    for item in items:
        if item.get_closest_marker("needs_spec"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def simulator():
    with Simulator() as started:
        yield started


@pytest.fixture
def sim(simulator):  # pylint: disable=redefined-outer-name
    simulator.reset()
    simulator.set_rate_limit(None)
    return simulator
