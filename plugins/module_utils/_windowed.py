# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The base of objects that have no name and are found by their time window (maintenance windows, overrides).

Private to this collection: not an API for other collections.

A task gives a start (default now) and an end or a duration; the object with that
window (see ``_timeutil.Window.matches``) is the task's object, so a rerun creates
nothing. ``state: absent`` deletes it; a window that is already over counts as absent (PagerDuty
keeps it as history and refuses to delete it).
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._base import PagerDutyModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._timeutil import Window, parse_instant


class WindowedModule(PagerDutyModule):
    """Present/absent of one object found by its time window.

    Subclasses set ``result_key``, ``window_options`` (the options holding the start
    and the end; the duration is always ``duration``) and ``time_fields`` (the API
    fields of the start and the end), and implement ``matching``, ``new_object``,
    ``create``, ``item_path`` and ``shown``.
    """

    result_key: str = None
    window_options: tuple = ("start", "end")
    time_fields: tuple = ("start", "end")
    has_state = True

    # The kind as the account engine names it (a catalog.Kind: name, label; no natural key of its own).
    account_kind = None

    @classmethod
    def spec_rules(cls):
        return {"mutually_exclusive": [(cls.window_options[1], "duration")]}

    def setup(self, *args, **kwargs):
        super().setup(*args, **kwargs)
        self.kind = self.account_kind

    def includes(self):
        """Nothing to include: windows are found by their own request (the account engine lists no windows)."""
        return []

    @classmethod
    def declared_options(cls):
        return [("window option", option) for option in cls.window_options + ("duration", "state")]

    def validate(self):
        start, end = self.window_options
        try:
            self.window = Window(self.params.get(start), self.params.get(end), self.params.get("duration"), names=self.window_options)
            # Found by id, a window may be given without its times (to change its description, say);
            # it needs them only to be created, which execute() checks before any write.
            if self.params["state"] == "present" and not (self.params.get("id") and self.window.end is None):
                self.window.check()
        except ValueError as exc:
            self.fail_input(f"{exc}")

    def has_ended(self, obj: dict) -> bool:
        """Whether the object's window is over: PagerDuty keeps it as history and refuses to delete it."""
        return parse_instant(obj[self.time_fields[1]]) <= self.window.now

    def in_window(self, obj: dict) -> bool:
        """Whether an existing object's start and end make it this task's window."""
        start, end = self.time_fields
        return self.window.matches(parse_instant(obj[start]), parse_instant(obj[end]))

    def matching(self, every: bool = False) -> list:  # pragma: no cover - abstract
        """The existing objects that are this task's (resolving what the task names on the way).

        With ``every`` all of them, even where the task would find the choice ambiguous.
        """
        raise NotImplementedError

    def new_object(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def create(self, obj: dict) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def item_path(self, obj: dict) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    @staticmethod
    def shown(obj: dict) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def update(self, existing: dict) -> dict:
        """The result for an object that exists already; subclasses with updatable fields override this."""
        return self.result(False, existing, {}, {})

    def result(self, changed, obj, before, after):
        return self.outcome(self.result_key, changed, obj, before, after)

    def execute(self):
        matches = self.matching()
        self.ctx.existing = matches[0] if matches else None
        if self.params["state"] == "absent":
            matches = [obj for obj in matches if not self.has_ended(obj)]
            if not matches:
                return self.result(False, None, {}, {})
            if not self.check_mode:
                for obj in matches:
                    self.client.delete(self.item_path(obj))
            return self.result(True, matches[0], self.shown(matches[0]), {})
        if matches:
            return self.update(matches[0])
        try:
            self.window.check()
        except ValueError as exc:
            raise PagerDutyError(f"{exc} (to create a new one: nothing matches the task)") from None
        new = self.new_object()
        if self.check_mode:
            return self.result(True, dict(new, id=None), {}, self.shown(new))
        created = catalog.create_once(lambda: self.create(new), lambda: catalog.kept_copy(self.live_copies()))
        # Windows have no unique key: several runs at once may each have created one; they keep one.
        kept = catalog.keep_one_copy(self.client, created, self.live_copies, self.item_path)
        if kept["id"] != created["id"]:
            return self.update(kept)
        return self.result(True, created, {}, self.shown(created))

    def live_copies(self) -> list:
        """Every object that is this task's and has not ended (the copies concurrent runs may have made)."""
        return [obj for obj in self.matching(every=True) if not self.has_ended(obj)]
