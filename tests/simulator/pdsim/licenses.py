"""Licenses: GET /licenses (the account's licenses, a plain list) and GET /license_allocations (which user holds
which, classic pagination) (``ROUTES``).

A fresh account has no licenses (licensing is a feature of some plans); seed them with
``{"licenses": [{"name": "Full User"}, {"name": "Stakeholder"}]}`` (``CATALOGUE`` fills in the rest of a known name)
or with every field given. Seed licenses before the users that hold them. Which user holds which license is kept on
the user (``license_id``): pdsim.users sets it through POST/PUT /users and answers GET /users/{id}/license.
"""

from pdsim.core import Resource, Route, invalid_input, is_int, paginated_answer

ROLE_GROUPS = ('FullUser', 'Stakeholder')
# The roles of each role group, as the spec's example licenses list them.
FULL_USER_ROLES = ('owner', 'admin', 'user', 'limited_user', 'observer', 'restricted_access')
STAKEHOLDER_ROLES = ('read_only_user', 'read_only_limited_user')

# The licenses a seed may name by name alone: role group, valid roles and description.
CATALOGUE = {
    'Full User': {'role_group': 'FullUser', 'valid_roles': list(FULL_USER_ROLES), 'description': ''},
    'Stakeholder': {'role_group': 'Stakeholder', 'valid_roles': list(STAKEHOLDER_ROLES), 'description': ''},
}

# PagerDuty's refusal of a license with no allocation left (terraform-provider-pagerduty#745 quotes it).
LICENSE_NOT_AVAILABLE = 'License is not available'


class Licenses(Resource):
    collection = 'licenses'
    wrapper = 'license'
    type_name = 'license'
    sort_field = None
    paginated = False
    operations = ('list',)

    def create(self, ctx, data, object_id=None, parent=None):
        """Seeding only (the API has no create): a known name takes its fields from CATALOGUE."""
        known = CATALOGUE.get(data.get('name'), {})
        name = data.get('name')
        if not isinstance(name, str) or not name.strip():
            raise invalid_input("Name can't be blank")
        role_group = data.get('role_group', known.get('role_group', 'FullUser'))
        if role_group not in ROLE_GROUPS:
            raise invalid_input(f"Role group must be one of {', '.join(ROLE_GROUPS)}")
        available = data.get('allocations_available')
        if available is not None and (not is_int(available) or available < 0):
            raise invalid_input('Allocations available must be null (no limit) or an integer of 0 or more')
        stored = {
            'id': self.new_id(ctx, object_id),
            'name': name,
            'description': data.get('description', known.get('description', '')),
            'role_group': role_group,
            'valid_roles': list(data.get('valid_roles') or known.get('valid_roles')
                                or (FULL_USER_ROLES if role_group == 'FullUser' else STAKEHOLDER_ROLES)),
            'capacity': available,  # None: no limit; else how many users may hold it at once
        }
        ctx.store[self.collection].put(stored)
        return stored

    def html_url(self, stored):
        return None  # the spec's examples: "html_url": null

    def self_url(self, ctx, stored):
        return None  # the spec's examples: "self": null

    def holders(self, ctx, stored):
        return [user for user in ctx.resource('users').children(ctx, None) if user.get('license_id') == stored['id']]

    def allocate(self, ctx, license_id, role, current_id=None):
        """The stored license a user with ``role`` is given (400 for an unknown one, a role it does not allow, or
        none left); ``current_id`` is the license the user holds now (keeping it takes no allocation)."""
        stored = ctx.store[self.collection].get(license_id)
        if stored is None:
            raise invalid_input(f'License {license_id} not found')
        if role not in stored['valid_roles']:
            raise invalid_input(f"The role {role} is not valid for the license {stored['name']}; "
                                f"its roles are {', '.join(stored['valid_roles'])}")
        if license_id != current_id and not self.has_room(ctx, stored):
            raise invalid_input(LICENSE_NOT_AVAILABLE)
        return stored

    def default_for(self, ctx, role):
        """The license PagerDuty gives a new user created without one: the first that allows the role and has an
        allocation left, or None (an account without licenses)."""
        return next((stored for stored in ctx.store[self.collection].values()
                     if role in stored['valid_roles'] and self.has_room(ctx, stored)), None)

    def has_room(self, ctx, stored):
        return stored['capacity'] is None or len(self.holders(ctx, stored)) < stored['capacity']

    def render(self, ctx, stored, includes=(), counts=True):
        rendered = {
            **self.header(ctx, stored),
            'name': stored['name'],
            'description': stored['description'],
            'valid_roles': list(stored['valid_roles']),
            'role_group': stored['role_group'],
        }
        if counts:
            used = len(self.holders(ctx, stored))
            rendered['current_value'] = used
            rendered['allocations_available'] = None if stored['capacity'] is None else max(stored['capacity'] - used, 0)
        return rendered


LICENSES = Licenses()


def list_license_allocations(ctx, request):
    """GET /license_allocations: {"license_allocations": [{"user", "license", "allocated_at"}]}, classic pagination."""
    users = ctx.resource('users')
    held = [user for user in users.children(ctx, None) if user.get('license_id')]
    return paginated_answer('license_allocations', held, request.query, lambda user: {
        'user': users.reference(ctx, user),
        'license': LICENSES.render(ctx, ctx.store[LICENSES.collection].get(user['license_id']), counts=False),
        'allocated_at': user['license_allocated_at'],
    })


ROUTES = [
    Route('GET', '/license_allocations', list_license_allocations),
]
