"""Teams: /teams and /teams/{id} (membership routes live with the users, in ``pdsim.users``).

A team may have a parent team (``parent_id``); a delete is refused (6006) while the team has
sub-teams or while a delete guard names something that still references it (escalation policies
and their services: wired in ``pdsim.api``).
"""

from pdsim.core import TEAM_HAS_ASSOCIATIONS, ApiError, Resource, invalid_input


class Teams(Resource):
    collection = 'teams'
    wrapper = 'team'
    type_name = 'team'
    unique_field = 'name'
    reference_html_url = False
    default_roles = ('manager', 'none')

    def _check_fields(self, ctx, data, own_id=None):
        if 'name' in data:
            if not isinstance(data['name'], str) or not data['name'].strip():
                raise invalid_input("Name can't be blank")
            self.check_unique(ctx, data['name'], own_id)
        if 'description' in data and data['description'] is not None and not isinstance(data['description'], str):
            raise invalid_input('Description must be a string')
        if 'default_role' in data and data['default_role'] not in self.default_roles:
            raise invalid_input(f"Default role must be one of {', '.join(self.default_roles)}")
        if data.get('parent') is not None:
            self._check_parent(ctx, data['parent'], own_id)

    def _check_parent(self, ctx, parent, own_id):
        if not isinstance(parent, dict) or not isinstance(parent.get('id'), str):
            raise invalid_input('Parent must be a team reference with an id')
        if parent.get('type', 'team_reference') not in ('team_reference', 'team'):
            raise invalid_input('Parent type must be team_reference')
        teams = ctx.store[self.collection]
        ancestor = teams.get(parent['id'])
        if ancestor is None:
            raise invalid_input(f"Parent team {parent['id']} not found")
        while ancestor is not None:
            if ancestor['id'] == own_id:
                raise invalid_input('A team cannot be its own parent or ancestor')
            ancestor = teams.get(ancestor.get('parent_id')) if ancestor.get('parent_id') else None

    def create(self, ctx, data, object_id=None, parent=None):
        if 'name' not in data:
            raise invalid_input("Name can't be blank")
        self._check_fields(ctx, data)
        parent = data.get('parent')
        stored = {
            'id': self.new_id(ctx, object_id),
            'name': data['name'],
            'description': data.get('description'),
            'default_role': data.get('default_role', 'manager'),
            'parent_id': parent['id'] if parent else None,
        }
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        self._check_fields(ctx, data, own_id=stored['id'])
        for field in ('name', 'description', 'default_role'):
            if field in data:
                stored[field] = data[field]
        if 'parent' in data:
            stored['parent_id'] = data['parent']['id'] if data['parent'] else None
        return stored

    def check_delete(self, ctx, stored):
        """Sub-teams, and whatever the delete guards name (escalation policies, services), block the delete with 6006."""
        reasons = []
        children = [team['id'] for team in ctx.store[self.collection].values() if team.get('parent_id') == stored['id']]
        if children:
            reasons.append(f"Team has {len(children)} sub-team(s): {', '.join(children)}")
        reasons += self.guard_texts(ctx, stored)
        if reasons:
            raise ApiError(400, TEAM_HAS_ASSOCIATIONS, reasons)

    def on_delete(self, ctx, stored):
        for key in [key for key in ctx.store.memberships if key[0] == stored['id']]:
            del ctx.store.memberships[key]

    def render(self, ctx, stored, includes=()):
        parent = ctx.store[self.collection].get(stored['parent_id']) if stored.get('parent_id') else None
        return {
            **self.header(ctx, stored),
            'name': stored['name'],
            'description': stored['description'],
            'default_role': stored['default_role'],
            'parent': self.reference(ctx, parent) if parent else None,
        }

    def bulk_item(self, index):
        return {'name': f'Team {index:05d}'}


TEAMS = Teams()
