# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.oncall.pagerduty.plugins.module_utils._reconcile import reconcile


def by_address(item):
    return (item["type"], item["address"].lower())


CURRENT = [
    {"id": "PC1", "type": "email", "address": "Alice@Example.com", "label": "Default"},
    {"id": "PC2", "type": "phone", "address": "5550100", "label": "Mobile"},
]


@pytest.mark.parametrize("desired, purge, add, update, remove, keep", [
    # nothing declared, no purge: nothing to do
    ([], False, [], [], [], []),
    # nothing declared, purge: everything goes
    ([], True, [], [], ["PC1", "PC2"], []),
    # identity is case-insensitive here; unmanaged label (None) is not compared
    ([{"type": "email", "address": "alice@example.com", "label": None}], False, [], [], [], ["PC1"]),
    # a changed field is an update, listing only that field
    ([{"type": "phone", "address": "5550100", "label": "Work"}], False, [], [("PC2", {"label": ("Mobile", "Work")})], [], []),
    # a new item is an add; unlisted items stay without purge
    ([{"type": "sms", "address": "5550100", "label": "SMS"}], False, ["sms"], [], [], []),
    # with purge, the unlisted one is removed, the listed one kept
    ([{"type": "phone", "address": "5550100", "label": "Mobile"}], True, [], [], ["PC1"], ["PC2"]),
])
def test_reconcile_table(desired, purge, add, update, remove, keep):
    plan = reconcile(CURRENT, desired, by_address, fields=("label",), purge=purge)
    assert [item["type"] for item in plan.add] == add
    assert [(cur["id"], changes) for cur, _new, changes in plan.update] == update
    assert [item["id"] for item in plan.remove] == remove
    assert [item["id"] for item in plan.keep] == keep
    assert plan.changed == bool(add or update or remove)


def test_add_keeps_declared_order():
    desired = [{"type": "sms", "address": "2"}, {"type": "sms", "address": "1"}, {"type": "push", "address": "3"}]
    plan = reconcile([], desired, by_address)
    assert [i["address"] for i in plan.add] == ["2", "1", "3"]


def test_duplicates_in_desired_are_refused():
    with pytest.raises(ValueError) as err:
        reconcile([], [{"type": "sms", "address": "1"}, {"type": "SMS".lower(), "address": "1"}], by_address)
    assert str(err.value) == "listed twice: ('sms', '1')"


def test_duplicate_current_items_are_removed_with_purge_only():
    current = CURRENT + [dict(CURRENT[0], id="PC3")]
    desired = [{"type": "email", "address": "alice@example.com"}]
    assert [i["id"] for i in reconcile(current, desired, by_address).remove] == []
    assert [i["id"] for i in reconcile(current, desired, by_address, purge=True).remove] == ["PC2", "PC3"]


def test_custom_reader_for_nested_values():
    current = [{"id": "M1", "user": {"id": "PU1"}, "role": "observer"}]
    desired = [{"user": "PU1", "role": "manager"}]
    plan = reconcile(current, desired, lambda i: i["user"]["id"] if isinstance(i["user"], dict) else i["user"], fields=("role",))
    assert [(c["id"], ch) for c, _n, ch in plan.update] == [("M1", {"role": ("observer", "manager")})]


def test_diff_shows_only_changes():
    desired = [{"type": "phone", "address": "5550100", "label": "Work"}, {"type": "sms", "address": "9", "label": "x"}]
    plan = reconcile(CURRENT, desired, by_address, fields=("label",), purge=True)
    before, after = plan.diff(lambda i: f"{i['type']}:{i['address']}:{i['label']}")
    assert before == ["phone:5550100:Mobile", "email:Alice@Example.com:Default"]
    assert after == ["phone:5550100:Work", "sms:9:x"]


def test_predict_is_the_list_after_the_plan():
    desired = [{"type": "phone", "address": "5550100", "label": "Work"}, {"type": "sms", "address": "9", "label": "x"}]
    kept = reconcile(CURRENT, desired, by_address, fields=("label",))
    assert [(i.get("id"), i["type"], i["label"]) for i in kept.predict()] == [
        ("PC2", "phone", "Work"), (None, "sms", "x"), ("PC1", "email", "Default")]
    purged = reconcile(CURRENT, desired, by_address, fields=("label",), purge=True)
    assert [(i.get("id"), i["type"], i["label"]) for i in purged.predict()] == [("PC2", "phone", "Work"), (None, "sms", "x")]
