# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Teams: pd_team (with its members) and pd_team_info, and team membership for pd_user's teams.

Private to this collection: not an API for other collections.

The API has one write for membership, seen from the team or from the user:
``PUT /teams/{id}/users/{user_id}`` with a bare ``{"role": ...}`` body, and ``DELETE``
of the same path.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import Field, InfoModule, ResourceModule, SubList

TEAM_ROLES = ("observer", "responder", "manager")
DEFAULT_ROLE = "responder"


def set_role(client, team_id, user_id, role):
    client.put(catalog.path("team_user", team_id, user_id), {"role": role or DEFAULT_ROLE})


def remove_member(client, team_id, user_id):
    client.delete(catalog.path("team_user", team_id, user_id))


def read_members(ctx, team_id):
    """A team's members, each user as a reference (its email kept aside as ``_email``), from one listing
    with ``include[]=users``."""
    members = []
    for member in ctx.client.iter_pages(catalog.path("team_members", team_id), "members", {"include[]": "users"}):
        user = member.get("user") or {}
        reference = {key: user[key] for key in ("id", "type", "summary", "self", "html_url") if key in user}
        reference["type"] = "user_reference"
        reference.setdefault("summary", user.get("name"))
        members.append({"user": reference, "role": member.get("role"), "_email": user.get("email")})
    return members


class TeamMembers(SubList):
    """pd_team's ``members``: the users of one team, with their role."""

    known_when_new = True  # PagerDuty gives a new one none
    option = "members"
    purge_option = "purge_members"
    fields = ("role",)

    def read(self, ctx, owner):
        return ctx.remember(read_members, owner["id"])

    def desired(self, ctx, items):
        # Members are usually given by email: the team's member list (one request per 100 members, which the
        # reconcile needs anyway) names them, so only users who are not members yet are looked up one by one.
        known = {}
        for member in (ctx.remember(read_members, ctx.existing_id) if ctx.existing_id else []):
            known[member["user"]["id"]] = known[(member.get("_email") or "").lower()] = member["user"]
        result = []
        for item in items:
            user = known.get(item["user"]) or known.get(f"{item['user']}".lower())
            if user is None:
                found = catalog.require(ctx.client, catalog.KINDS["user"], item["user"], "members")
                user = {"id": found["id"], "type": "user_reference", "summary": found.get("summary") or found.get("name")}
            result.append({"user": user, "role": item.get("role")})
        return result

    def identity(self, item):
        return item["user"]["id"]

    def render(self, item):
        return {"user": item["user"].get("summary") or item["user"]["id"], "role": item.get("role")}

    def public(self, item):
        return {"user": item["user"], "role": item.get("role") or DEFAULT_ROLE}

    def add(self, ctx, owner, item):
        set_role(ctx.client, owner["id"], item["user"]["id"], item.get("role"))

    def update(self, ctx, owner, old, new, changes):
        set_role(ctx.client, owner["id"], old["user"]["id"], new["role"])

    def remove(self, ctx, owner, item):
        remove_member(ctx.client, owner["id"], item["user"]["id"])


def argument_spec():
    """The options of pd_team (the connection options and state are added by the base)."""
    return dict(
        name=dict(type="str"),
        id=dict(type="str"),
        description=dict(type="str"),
        parent=dict(type="str"),
        default_role=dict(type="str", choices=["manager", "none"]),
        members=dict(type="list", elements="dict", options=dict(
            user=dict(type="str", required=True),
            role=dict(type="str", choices=list(TEAM_ROLES)),
        )),
        purge_members=dict(type="bool", default=False),
    )


class TeamModule(ResourceModule):
    """pd_team: the team's fields and its members."""

    kind = "team"
    argument_spec = staticmethod(argument_spec)
    fields = (Field("name"), Field("description"), Field("parent", kind="team"), Field("default_role"))
    sublists = (TeamMembers(),)


class TeamInfoModule(InfoModule):
    """pd_team_info."""

    kind = "team"
