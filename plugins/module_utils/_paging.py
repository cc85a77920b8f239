# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Listing a large collection in parallel pages, within the API's limits.

The first page is asked for with ``total=true``: then the number of pages is known
and the remaining offsets can be fetched at the same time by a few threads, each with
its own client (a requests.Session is not meant to be shared between threads). A
list longer than the API's offset cap is refused before anything else is fetched.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.oncall.pagerduty.plugins.module_utils._client import OFFSET_CAP, PAGE_LIMIT, PagerDutyError

DEFAULT_WORKERS = 4
MAX_WORKERS = 10


def too_many_error(path, wrapper, total, hint=None):
    count = total if total is not None else f"more than {OFFSET_CAP}"
    text = (f"GET {path} matches {count} {wrapper}, more than the {OFFSET_CAP} the PagerDuty API can page through "
            f"(offset + limit may not exceed {OFFSET_CAP})")
    return PagerDutyError(f"{text}; {hint or 'narrow the request (for example with a query or team filter)'}")


def page_offsets(total, limit=PAGE_LIMIT):
    """The offsets of every page after the first for a list of ``total`` items."""
    return list(range(limit, total, limit))


def _unique_by_id(items):
    seen = set()
    unique = []
    for item in items:
        key = item.get("id") if isinstance(item, dict) else None
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        unique.append(item)
    return unique


def list_parallel(client, path, wrapper, params=None, workers=DEFAULT_WORKERS, client_factory=None, hint=None):
    """Every item of a paginated list, the pages after the first fetched by up to ``workers`` threads.

    ``client_factory`` makes one client per worker thread; without it (or with one
    worker) the pages are fetched one after the other with ``client``. When the
    server gives no total, ``more`` is followed page by page. ``hint`` replaces the
    advice given when the list is longer than the offset cap.
    """
    query = dict(params or {})
    query.update({"limit": PAGE_LIMIT, "offset": 0, "total": "true"})
    first = client.get(path, params=query) or {}
    items = list(first.get(wrapper) or [])
    if not first.get("more") or not items:
        return items
    total = first.get("total")
    if total is None:
        return items + _follow_more(client, path, wrapper, query, len(items), hint)
    if total > OFFSET_CAP:
        raise too_many_error(path, wrapper, total, hint)
    offsets = page_offsets(total, PAGE_LIMIT)
    workers = max(1, min(int(workers or 1), MAX_WORKERS, len(offsets)))
    query.pop("total")

    if client_factory is None or workers == 1:
        for offset in offsets:
            items += _page(client, path, wrapper, query, offset)
        return _unique_by_id(items)

    local = threading.local()
    made = []
    lock = threading.Lock()

    def fetch(offset):
        worker_client = getattr(local, "client", None)
        if worker_client is None:
            worker_client = local.client = client_factory()
            with lock:
                made.append(worker_client)
        return _page(worker_client, path, wrapper, query, offset)

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for page in pool.map(fetch, offsets):
                items += page
    finally:
        for worker_client in made:
            session = getattr(worker_client, "session", None)
            if session is not None:
                session.close()
    return _unique_by_id(items)


def _page(client, path, wrapper, query, offset):
    page_query = dict(query, offset=offset)
    return list((client.get(path, params=page_query) or {}).get(wrapper) or [])


def _follow_more(client, path, wrapper, query, offset, hint):
    query = dict(query)
    query.pop("total", None)
    items = []
    while True:
        if offset + PAGE_LIMIT > OFFSET_CAP:
            raise too_many_error(path, wrapper, None, hint)
        query["offset"] = offset
        page = client.get(path, params=query) or {}
        found = list(page.get(wrapper) or [])
        items += found
        if not page.get("more") or not found:
            return items
        offset += len(found)
