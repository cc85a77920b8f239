# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reconcile a list of sub-resources (contact methods, rules, members, ...) with what the user declared.

Pure functions: no requests, no Ansible. Items are matched by a stable identity;
with ``purge`` false, items the user did not list are left alone.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations


class Plan:
    """What to do to make ``current`` match ``desired``."""

    def __init__(self):
        self.add = []       # desired items with no current match
        self.update = []    # (current item, desired item, {field: (old, new)})
        self.remove = []    # current items not desired (only with purge)
        self.keep = []      # current items that already match
        self.unlisted = []  # current items not desired, left alone (no purge)

    @property
    def changed(self):
        return bool(self.add or self.update or self.remove)

    def written(self):
        """Every item a write touches: added, updated (as it was) and removed."""
        return list(self.add) + [cur for cur, _new, _changes in self.update] + list(self.remove)

    def predict(self):
        """The list as it will be once the plan is applied (for check mode)."""
        predicted = list(self.keep)
        for cur, new, _changes in self.update:
            item = dict(cur)
            item.update((k, v) for k, v in new.items() if v is not None)
            predicted.append(item)
        return predicted + list(self.add) + list(self.unlisted)

    def diff(self, render):
        """(before, after) lists that show exactly the changes, each item through render()."""
        before = [render(cur) for cur, _new, _changes in self.update] + [render(cur) for cur in self.remove]
        after = [render(new) for _cur, new, _changes in self.update] + [render(new) for new in self.add]
        return before, after


def reconcile(current, desired, identity, fields=(), purge=False, current_value=None):
    """Plan the changes that make ``current`` hold every item of ``desired``.

    ``identity(item)`` gives the hashable key matching a current item to a desired
    one. ``fields`` are compared for matched items; a desired value of None means
    "not managed". ``current_value(item, field)`` reads a comparable value from a
    current item (default: ``item.get(field)``). Duplicate identities in
    ``desired`` raise ValueError naming the duplicate.
    """
    read = current_value or (lambda item, field: item.get(field))
    plan = Plan()
    wanted = {}
    order = []
    for item in desired:
        key = identity(item)
        if key in wanted:
            raise ValueError(f"listed twice: {key}")
        wanted[key] = item
        order.append(key)
    seen = set()
    for item in current:
        key = identity(item)
        if key not in wanted or key in seen:
            (plan.remove if purge else plan.unlisted).append(item)
            continue
        seen.add(key)
        new = wanted[key]
        changes = {}
        for field in fields:
            if new.get(field) is None:
                continue
            old = read(item, field)
            if old != new[field]:
                changes[field] = (old, new[field])
        if changes:
            plan.update.append((item, new, changes))
        else:
            plan.keep.append(item)
    plan.add = [wanted[key] for key in order if key not in seen]
    return plan
