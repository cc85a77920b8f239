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
- ``fake_client`` (function): the ``FakeClient`` class, the one in-memory stand-in for the REST
  client, for tests of module_utils logic that need no HTTP.

A test that needs TLS, a rate limit from the start or other flags starts its own ``Simulator``.
"""

from __future__ import annotations

import copy
import os
import sys
import threading

import pytest

from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyAPIError

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
    with Simulator(strict=True) as started:
        yield started


@pytest.fixture
def sim(simulator):  # pylint: disable=redefined-outer-name
    simulator.reset()
    simulator.set_rate_limit(None)
    return simulator


@pytest.fixture
def api_from():
    """The From header of the ``api`` session (a test module overrides this fixture for another user)."""
    return 'owner@example.com'


@pytest.fixture
def api(sim, api_from):  # pylint: disable=redefined-outer-name
    """A requests session for the fresh simulator: its write token, the v2 Accept header and ``api_from`` as From."""
    import requests  # pylint: disable=import-outside-toplevel

    with requests.Session() as session:
        session.trust_env = False
        session.headers.update(sim.headers())
        session.headers['From'] = api_from
        yield session


# -- the one in-memory client ---------------------------------------------------------------------


class FakeClient:
    """An in-memory stand-in for PagerDutyClient: objects kept by collection path, every call recorded.

    ``FakeClient({"/teams": [team, ...], "/oncalls": [entry, ...]})``. ``calls`` holds
    ``(method, path, params or body)`` in order (pass ``calls=`` to share one list between
    clients). A GET of a collection answers one classic page (``offset``, ``limit``, ``more``,
    and ``total`` when asked for and ``give_total``); ``iter_pages`` yields, by id, every object whose
    ``name`` or ``email`` contains the ``query`` parameter (case-insensitively); a GET of ``/<collection>/<id>``
    answers the object under its kind's key or raises a 404. POST, PUT and DELETE change the store;
    ``fail_next_post`` (a function returning an exception, or a list of them for the next
    POSTs) makes the next POST raise it.
    """

    def __init__(self, collections=None, give_total=True, calls=None):
        self.collections = {path: [copy.deepcopy(obj) for obj in objs] for path, objs in (collections or {}).items()}
        self.give_total = give_total
        self.calls = calls if calls is not None else []
        self.threads = set()
        self.fail_next_post = None

    def by_id(self, path):
        """{id: object} of a collection: the stored objects themselves, so a test may change them."""
        return {obj["id"]: obj for obj in self.collections.get(path, [])}

    def add(self, path, obj):
        self.collections.setdefault(path, []).append(obj)

    def writes(self):
        return [call for call in self.calls if call[0] != "GET"]

    @staticmethod
    def _wrapper(collection):
        """The key of one object of a collection: "/escalation_policies" -> "escalation_policy"."""
        name = collection.rsplit("/", 1)[-1]
        return name[:-3] + "y" if name.endswith("ies") else name[:-1]

    def _item(self, path, method="GET"):
        collection, _sep, object_id = path.rpartition("/")
        for obj in self.collections.get(collection, []):
            if obj.get("id") == object_id:
                return collection, obj
        raise PagerDutyAPIError(method, path, 404, 2100, "Not Found")

    def get(self, path, params=None):
        self.calls.append(("GET", path, dict(params) if params is not None else None))
        self.threads.add(threading.current_thread().name)
        if path not in self.collections:
            collection, obj = self._item(path)
            return {self._wrapper(collection): copy.deepcopy(obj)}
        items = self.collections[path]
        offset, limit = (params or {}).get("offset", 0), (params or {}).get("limit", 100)
        page = copy.deepcopy(items[offset:offset + limit])
        total = len(items) if self.give_total and (params or {}).get("total") == "true" else None
        return {path.rsplit("/", 1)[-1]: page, "more": offset + len(page) < len(items), "total": total, "limit": limit, "offset": offset}

    def iter_pages(self, path, wrapper, params=None):
        self.calls.append(("GET", path, dict(params) if params is not None else None))
        query = (params or {}).get("query", "").lower()
        for obj in sorted(self.collections.get(path, []), key=lambda obj: obj.get("id") or ""):
            if query in (obj.get("name") or "").lower() or query in (obj.get("email") or "").lower():
                yield copy.deepcopy(obj)

    def list_all(self, path, wrapper, params=None):
        return list(self.iter_pages(path, wrapper, params))

    def post(self, path, body):
        self.calls.append(("POST", path, body))
        if self.fail_next_post:
            if isinstance(self.fail_next_post, list):
                make_error = self.fail_next_post.pop(0)
            else:
                make_error, self.fail_next_post = self.fail_next_post, None
            raise make_error()
        items = self.collections.setdefault(path, [])
        wrapper = self._wrapper(path)
        obj = dict(body[wrapper], id=f"PNEW{len(items):03d}")
        items.append(obj)
        return {wrapper: copy.deepcopy(obj)}

    def put(self, path, body):
        self.calls.append(("PUT", path, body))
        collection, obj = self._item(path, "PUT")
        obj.update(body[self._wrapper(collection)])
        return {self._wrapper(collection): copy.deepcopy(obj)}

    def delete(self, path, params=None):
        self.calls.append(("DELETE", path, params))
        collection, obj = self._item(path, "DELETE")
        self.collections[collection].remove(obj)


@pytest.fixture(name="fake_client")
def fake_client_class():
    """The FakeClient class: ``client = fake_client({"/teams": [...]})``."""
    return FakeClient
