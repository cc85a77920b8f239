# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tags: pd_tag (with the users, teams and escalation policies it is assigned to) and pd_tag_info.

Private to this collection: not an API for other collections.

A tag has only its ``label``, and the API cannot change it (``/tags/{id}`` has GET and DELETE, no PUT).
Assignments are read from the tag, ``GET /tags/{id}/{entity_type}`` (one request per 100 entities of a type),
and written on the entity, ``POST /{entity_type}/{id}/change_tags`` with ``{"add": [...]}`` or
``{"remove": [...]}`` of tag references: managing them from the tag costs a few requests per tag, not one
per user.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import Field, InfoModule, ResourceModule, SubList, held_reference

# The entity types a tag is assigned to (the spec's entity_type enum): option and path segment, catalog kind.
ENTITY_TYPES = (("users", "user"), ("teams", "team"), ("escalation_policies", "escalation_policy"))


def read_assigned(ctx, tag_id, entity_type):
    """The references of the entities of one type the tag is assigned to."""
    return ctx.client.list_all(catalog.path("tag_assigned", tag_id, entity_type), entity_type)


def change_tags(client, entity_type, entity_id, change, tag_id):
    """Add the tag to one entity or remove it (``change``: "add" or "remove")."""
    client.post(catalog.path("change_tags", entity_type, entity_id), {change: [catalog.KINDS["tag"].reference(tag_id)]})


class TagAssignments(SubList):
    """The entities of one type (users, teams or escalation policies) that carry the tag, by id or natural key."""

    known_when_new = True  # a new tag is assigned to nothing

    def __init__(self, entity_type, kind_name):
        self.option = entity_type
        self.purge_option = f"purge_{entity_type}"
        self.kind = catalog.KINDS[kind_name]

    def read(self, ctx, owner):
        return ctx.remember(read_assigned, owner["id"], self.option)

    def desired(self, ctx, items):
        """The references named, those the tag already carries by id (or, for kinds with unique names, by the name
        the reference shows) without a request, the rest in as few requests as ``catalog.find_many`` needs."""
        held = self.read(ctx, ctx.existing) if ctx.existing_id else []
        known = {item: held_reference(self.kind, held, item) for item in items}
        found = catalog.find_many(ctx.client, self.kind, [item for item, object_id in known.items() if object_id is None])
        result = []
        for item in items:
            if known[item] is not None:
                reference = next(ref for ref in held if ref["id"] == known[item])
            else:
                if found.get(item) is None:
                    raise catalog.missing(self.kind, item, self.option)
                reference = found[item]
            result.append({"id": reference["id"], "type": self.kind.reference_type,
                           "summary": reference.get("summary") or reference.get(self.kind.natural_key)})
        return result

    def identity(self, item):
        return item["id"]

    def render(self, item):
        return item.get("summary") or item["id"]

    def add(self, ctx, owner, item):
        change_tags(ctx.client, self.option, item["id"], "add", owner["id"])

    def remove(self, ctx, owner, item):
        change_tags(ctx.client, self.option, item["id"], "remove", owner["id"])


def argument_spec():
    """The options of pd_tag (the connection options and state are added by the base)."""
    spec = dict(label=dict(type="str"), id=dict(type="str"))
    for entity_type, _kind in ENTITY_TYPES:
        spec[entity_type] = dict(type="list", elements="str")
        spec[f"purge_{entity_type}"] = dict(type="bool", default=False)
    return spec


class TagModule(ResourceModule):
    """pd_tag: a tag and the users, teams and escalation policies it is assigned to."""

    kind = "tag"
    argument_spec = staticmethod(argument_spec)
    fields = (Field("label"),)
    sublists = tuple(TagAssignments(entity_type, kind) for entity_type, kind in ENTITY_TYPES)

    def validate(self):
        label = self.params.get("label")
        if label is not None and not label.strip():
            self.fail_input("label: a tag's label may not be empty")
        if label is not None and len(label) > 191:
            self.fail_input(f"label: a tag's label has at most 191 characters, got {len(label)}")
        for entity_type, _kind in ENTITY_TYPES:
            if self.params.get(f"purge_{entity_type}") and self.params.get(entity_type) is None:
                self.fail_input(f"purge_{entity_type} needs {entity_type} (use an empty list to remove the tag from every one)")

    def update(self, existing, desired):
        label = desired.get("label")
        if label is not None and label != existing.get("label"):
            raise PagerDutyError(f"label: the tag {existing['id']} is labelled {existing.get('label')!r}; PagerDuty cannot rename a tag "
                                 f"(delete it and create one labelled {label!r} instead)")
        return super().update(existing, desired)


class TagInfoModule(InfoModule):
    """pd_tag_info, with each tag's assignments when ``assignments`` is true."""

    kind = "tag"

    def decorate(self, items):
        if self.params.get("assignments"):
            for item in items:
                for entity_type, _kind in ENTITY_TYPES:
                    item[entity_type] = read_assigned(self.ctx, item["id"], entity_type)
        return items
