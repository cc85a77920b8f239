# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Team membership, seen from the user (pd_user's teams) or from the team (pd_team's members).

The API has one write for both: ``PUT /teams/{id}/users/{user_id}`` with a bare
``{"role": ...}`` body, and ``DELETE`` of the same path.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils.sublists import SubList

TEAM_ROLES = ("observer", "responder", "manager")
DEFAULT_ROLE = "responder"


def members_by_user(client, team_id):
    """{user id: role} of a team's members."""
    return dict(((member.get("user") or {}).get("id"), member.get("role"))
                for member in client.iter_pages("/teams/%s/members" % team_id, "members"))


def set_role(client, team_id, user_id, role):
    client.put("/teams/%s/users/%s" % (team_id, user_id), {"role": role or DEFAULT_ROLE})


def remove_member(client, team_id, user_id):
    client.delete("/teams/%s/users/%s" % (team_id, user_id))


class TeamRoles(SubList):
    """pd_user's ``teams``: the teams of one user, with the user's role in each."""

    option = "teams"
    purge_option = "purge_teams"
    fields = ("role",)

    def read(self, engine, user):
        return [dict(team, role=members_by_user(engine.client, team["id"]).get(user["id"])) for team in user.get("teams") or []]

    def desired(self, engine, items):
        result = []
        for item in items:
            team = catalog.require(engine.client, catalog.KINDS["team"], item["team"], "teams")
            result.append({"id": team["id"], "type": "team_reference", "summary": team.get("summary") or team.get("name"),
                           "role": item.get("role")})
        return result

    def identity(self, item):
        return item["id"]

    def render(self, item):
        return {"team": item.get("summary") or item["id"], "role": item.get("role")}

    def public(self, item):
        return dict(item, role=item.get("role") or DEFAULT_ROLE)

    def add(self, engine, user, item):
        set_role(engine.client, item["id"], user["id"], item.get("role"))

    def update(self, engine, user, old, new, changes):
        set_role(engine.client, old["id"], user["id"], new["role"])

    def remove(self, engine, user, item):
        remove_member(engine.client, item["id"], user["id"])


class TeamMembers(SubList):
    """pd_team's ``members``: the users of one team, with their role."""

    option = "members"
    purge_option = "purge_members"
    fields = ("role",)

    def read(self, engine, team):
        return list(engine.client.iter_pages("/teams/%s/members" % team["id"], "members"))

    def desired(self, engine, items):
        result = []
        for item in items:
            user = catalog.require(engine.client, catalog.KINDS["user"], item["user"], "members")
            result.append({"user": {"id": user["id"], "type": "user_reference", "summary": user.get("summary") or user.get("name")}, "role": item.get("role")})
        return result

    def identity(self, item):
        return item["user"]["id"]

    def render(self, item):
        return {"user": item["user"].get("summary") or item["user"]["id"], "role": item.get("role")}

    def public(self, item):
        return dict(item, role=item.get("role") or DEFAULT_ROLE)

    def add(self, engine, team, item):
        set_role(engine.client, team["id"], item["user"]["id"], item.get("role"))

    def update(self, engine, team, old, new, changes):
        set_role(engine.client, team["id"], old["user"]["id"], new["role"])

    def remove(self, engine, team, item):
        remove_member(engine.client, team["id"], item["user"]["id"])
