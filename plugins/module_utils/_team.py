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


def members_by_user(client, team_id) -> dict:
    """{user id: role} of a team's members."""
    return {(member.get("user") or {}).get("id"): member.get("role")
            for member in client.iter_pages(catalog.path("team_members", team_id), "members")}


def set_role(client, team_id, user_id, role):
    client.put(catalog.path("team_user", team_id, user_id), {"role": role or DEFAULT_ROLE})


def remove_member(client, team_id, user_id):
    client.delete(catalog.path("team_user", team_id, user_id))


class TeamMembers(SubList):
    """pd_team's ``members``: the users of one team, with their role."""

    option = "members"
    purge_option = "purge_members"
    fields = ("role",)

    def read(self, ctx, owner):
        return list(ctx.client.iter_pages(catalog.path("team_members", owner["id"]), "members"))

    def desired(self, ctx, items):
        result = []
        for item in items:
            user = catalog.require(ctx.client, catalog.KINDS["user"], item["user"], "members")
            result.append({"user": {"id": user["id"], "type": "user_reference", "summary": user.get("summary") or user.get("name")},
                           "role": item.get("role")})
        return result

    def identity(self, item):
        return item["user"]["id"]

    def render(self, item):
        return {"user": item["user"].get("summary") or item["user"]["id"], "role": item.get("role")}

    def public(self, item):
        return dict(item, role=item.get("role") or DEFAULT_ROLE)

    def add(self, ctx, owner, item):
        set_role(ctx.client, owner["id"], item["user"]["id"], item.get("role"))

    def update(self, ctx, owner, old, new, changes):
        set_role(ctx.client, owner["id"], old["user"]["id"], new["role"])

    def remove(self, ctx, owner, item):
        remove_member(ctx.client, owner["id"], item["user"]["id"])


class TeamModule(ResourceModule):
    """pd_team: the team's fields and its members."""

    kind = "team"
    fields = (Field("name"), Field("description"), Field("parent", kind="team"), Field("default_role"))
    sublists = (TeamMembers(),)


class TeamInfoModule(InfoModule):
    """pd_team_info."""

    kind = "team"
