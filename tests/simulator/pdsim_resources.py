"""In-memory PagerDuty objects for the simulator: a store, resource kinds and their routes.

A new resource kind is a ``Resource`` subclass (how to build, update, render
and protect one object) listed in the server's resource list; the generic
handlers below give it list (classic pagination + ``query``, or a plain list),
create, show, update and delete routes with PagerDuty's paths and wrapper keys.
A resource with a ``parent`` is nested: ``/users/{id}/contact_methods/{id}``.
"""

import random
import re
import string

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_OFFSET_PLUS_LIMIT = 10000
HTML_BASE = 'https://simulator.pagerduty.invalid'

# (code, message) pairs from PagerDuty's "Errors" page (developer docs, REST API, Errors).
INTERNAL_ERROR = (2000, 'An internal error has occurred. PagerDuty team has been notified.')
INVALID_INPUT = (2001, 'Invalid Input Provided')
ARGUMENTS_CAUSED_ERROR = (2002, 'Arguments Caused Error')
AUTHENTICATION_FAILED = (2006, 'Authentication failed')
ACCESS_DENIED = (2010, 'Access Denied')
RATE_LIMIT_EXCEEDED = (2020, 'Rate Limit Exceeded')
NOT_FOUND = (2100, 'Not Found')
TEAM_HAS_ASSOCIATIONS = (6006, 'Team has existing associations')

OFFSET_LIMIT_MESSAGE = ('Offset+limit exceeds maximum allowed value of 10000. Please try to refine your search '
                        'to reduce the returned set of records below this number, like adding a date range.')


class ApiError(Exception):
    """An error answered in PagerDuty's shape: {"error": {"message", "code", "errors"}}."""

    def __init__(self, status, code_and_message, errors=None, headers=None):
        self.status = status
        self.code, self.message = code_and_message
        self.errors = list(errors or [])
        self.headers = dict(headers or {})
        super().__init__('%d %s: %s' % (status, self.message, '; '.join(self.errors)))

    def body(self):
        error = {'message': self.message, 'code': self.code}
        if self.errors:
            error['errors'] = self.errors
        return {'error': error}


def invalid_input(*errors):
    return ApiError(400, INVALID_INPUT, errors)


class Collection:
    """Objects of one kind in creation order, with an optional case-insensitive unique index
    and, for nested kinds, an index by parent id."""

    def __init__(self, unique_field=None, parent_field=None):
        self.items = {}
        self.unique_field = unique_field
        self.parent_field = parent_field
        self._unique = {}
        self._by_parent = {}

    def __len__(self):
        return len(self.items)

    def get(self, object_id):
        return self.items.get(object_id)

    def values(self):
        return list(self.items.values())

    def children(self, parent_id):
        return list(self._by_parent.get(parent_id, {}).values())

    def find_unique(self, value):
        if not isinstance(value, str):
            return None
        return self.items.get(self._unique.get(value.casefold()))

    def put(self, obj):
        old = self.items.get(obj['id'])
        if old is not None:
            # Keep the object's place in the lists: only drop index entries that change.
            if self.unique_field:
                self._unique.pop(str(old.get(self.unique_field)).casefold(), None)
            if self.parent_field and old.get(self.parent_field) != obj.get(self.parent_field):
                self._by_parent.get(old.get(self.parent_field), {}).pop(obj['id'], None)
        self.items[obj['id']] = obj
        if self.unique_field and isinstance(obj.get(self.unique_field), str):
            self._unique[obj[self.unique_field].casefold()] = obj['id']
        if self.parent_field:
            self._by_parent.setdefault(obj.get(self.parent_field), {})[obj['id']] = obj

    def remove(self, object_id):
        obj = self.items.pop(object_id, None)
        if obj is not None:
            self._unindex(obj)
        return obj

    def _unindex(self, obj):
        if self.unique_field:
            self._unique.pop(str(obj.get(self.unique_field)).casefold(), None)
        if self.parent_field:
            self._by_parent.get(obj.get(self.parent_field), {}).pop(obj['id'], None)


class Store:
    """All account state: one Collection per registered resource kind, plus team memberships."""

    def __init__(self, resources):
        self.collections = {}
        self._ids = set()
        # (team id, user id) -> team role, in the order the memberships were made
        self.memberships = {}
        for resource in resources:
            self.collections[resource.collection] = Collection(resource.unique_field, resource.parent_field)

    def __getitem__(self, name):
        return self.collections[name]

    def new_id(self):
        alphabet = string.ascii_uppercase + string.digits
        while True:
            candidate = 'P' + ''.join(random.choices(alphabet, k=6))
            if candidate not in self._ids:
                self._ids.add(candidate)
                return candidate

    def claim_id(self, object_id):
        if object_id in self._ids:
            raise invalid_input('Id %s is already in use' % object_id)
        self._ids.add(object_id)


class Context:
    """What a handler needs besides the request: the store and the simulator's base URL."""

    def __init__(self, store, base_url):
        self.store = store
        self.base_url = base_url
        self.request = None  # the API request being answered (None for the admin API)


class Resource:
    """One kind of PagerDuty object.  Subclasses fill in the class attributes and hooks."""

    collection = ''       # URL segment and list wrapper key: "teams"
    wrapper = ''          # single-object wrapper key: "team"
    type_name = ''        # the object's "type"
    unique_field = None   # case-insensitive unique field ("name"), if any
    query_field = 'name'  # what the list "query" parameter searches
    sort_field = 'name'   # list order (None: creation order)
    paginated = True      # classic pagination on the list; False: a plain {"<collection>": [...]}
    parent = None         # the parent Resource of a nested kind (contact methods of a user)
    parent_field = None   # where a nested object keeps its parent's id ("user_id")
    operations = ('list', 'create', 'show', 'update', 'delete')  # the routes the spec has for this kind

    def __init__(self, parent=None):
        if parent is not None:
            self.parent = parent
        # Callables (ctx, stored) -> list of strings naming what still references the object;
        # check_delete refuses the delete when any of them answers something.
        self.delete_guards = []

    # --- hooks for subclasses ---------------------------------------------

    def create(self, ctx, data, object_id=None, parent=None):
        raise NotImplementedError

    def update(self, ctx, stored, data):
        raise NotImplementedError

    def check_delete(self, ctx, stored):
        """Raise ApiError when the object may not be deleted."""
        references = [text for guard in self.delete_guards for text in guard(ctx, stored)]
        if references:
            raise invalid_input(*references)

    def on_delete(self, ctx, stored):
        """Forget what belongs to a deleted object (nested objects, memberships)."""

    def render(self, ctx, stored, includes=()):
        raise NotImplementedError

    def bulk_item(self, index):
        """The data for the index-th object of a bulk seed."""
        raise ValueError('%s cannot be bulk-seeded' % self.collection)

    def authorize_create(self, ctx, request):
        """Raise ApiError when the request may not create an object (e.g. the From rule)."""

    def filter_items(self, ctx, items, query):  # pylint: disable=unused-argument
        """Apply the list filters other than ``query`` (team_ids[], urgency, ...)."""
        return items

    def seed(self, ctx, item):
        """Create one object from the admin seed API; return the stored object."""
        if self.parent is not None:
            raise ValueError('%s are seeded inside their %s' % (self.collection, self.parent.wrapper))
        return self.create(ctx, item, object_id=item.pop('id', None))

    def initial_objects(self, ctx):
        """Create the objects every fresh account has (called at reset)."""

    def bulk_start(self, ctx):
        """The index of the next bulk-seeded object."""
        return len(ctx.store[self.collection]) + 1

    # --- generic behaviour ------------------------------------------------

    def path(self):
        """The list path template: /teams or /users/{id}/contact_methods."""
        if self.parent is None:
            return '/' + self.collection
        return '%s/{id}/%s' % (self.parent.path(), self.collection)

    def new_id(self, ctx, object_id=None):
        if object_id is None:
            return ctx.store.new_id()
        ctx.store.claim_id(object_id)
        return object_id

    def self_url(self, ctx, object_id, stored=None):
        if self.parent is not None:
            stored = stored or ctx.store[self.collection].get(object_id)
            return '%s/%s/%s' % (self.parent.self_url(ctx, stored[self.parent_field]), self.collection, object_id)
        return '%s/%s/%s' % (ctx.base_url, self.collection, object_id)

    def html_url(self, object_id):
        if self.parent is not None:
            return None
        return '%s/%s/%s' % (HTML_BASE, self.collection, object_id)

    def reference(self, ctx, stored):
        return {
            'id': stored['id'],
            'type': self.type_name + '_reference',
            'summary': stored.get(self.sort_field),
            'self': self.self_url(ctx, stored['id']),
        }

    def lookup(self, ctx, object_id, parent=None):
        stored = ctx.store[self.collection].get(object_id)
        if stored is None or (parent is not None and stored.get(self.parent_field) != parent['id']):
            raise ApiError(404, NOT_FOUND)
        return stored

    def scope(self, ctx, params):
        """The parent object named by the path parameters (404 when unknown), or None."""
        if self.parent is None:
            return None
        return self.parent.lookup(ctx, params[-1], self.parent.scope(ctx, params[:-1]))

    def children(self, ctx, parent):
        if parent is None:
            return ctx.store[self.collection].values()
        return ctx.store[self.collection].children(parent['id'])

    def remove(self, ctx, stored):
        self.on_delete(ctx, stored)
        ctx.store[self.collection].remove(stored['id'])

    def check_unique(self, ctx, value, own_id=None):
        existing = ctx.store[self.collection].find_unique(value)
        if existing is not None and existing['id'] != own_id:
            raise invalid_input('%s has already been taken' % self.unique_field.capitalize())

    def matches_query(self, stored, query):
        return query.casefold() in str(stored.get(self.query_field) or '').casefold()


def _first(query, name, default=None):
    values = query.get(name)
    return values[0] if values else default


def _int_parameter(query, name, default):
    raw = _first(query, name)
    if raw is None or raw == '':
        return default
    try:
        return int(raw)
    except ValueError:
        raise invalid_input('%s must be an integer' % name) from None


def paginate(items, query):
    """Classic pagination: limit (default 25, capped at 100), offset, more, total and the 10000 cap."""
    limit = _int_parameter(query, 'limit', DEFAULT_LIMIT)
    offset = _int_parameter(query, 'offset', 0)
    if limit < 1:
        raise invalid_input('limit must be greater than 0')
    if offset < 0:
        raise invalid_input('offset must not be negative')
    limit = min(limit, MAX_LIMIT)
    if offset + limit > MAX_OFFSET_PLUS_LIMIT:
        raise ApiError(400, ARGUMENTS_CAUSED_ERROR, [OFFSET_LIMIT_MESSAGE])
    page = items[offset:offset + limit]
    return page, {
        'limit': limit,
        'offset': offset,
        'more': offset + len(page) < len(items),
        'total': len(items) if _first(query, 'total') == 'true' else None,
    }


def wanted_includes(query):
    """The values of include[] (or include), as a set."""
    return set(query.get('include[]', []) + query.get('include', []))


def _wrapped(resource, body):
    if not isinstance(body, dict) or not isinstance(body.get(resource.wrapper), dict):
        raise invalid_input('The request body must be a JSON object with a %r object' % resource.wrapper)
    return body[resource.wrapper]


def list_handler(resource):
    def handle(ctx, request):
        parent = resource.scope(ctx, request.params)
        items = resource.children(ctx, parent)
        search = _first(request.query, 'query')
        if search:
            items = [item for item in items if resource.matches_query(item, search)]
        items = resource.filter_items(ctx, items, request.query)
        if resource.sort_field:
            items.sort(key=lambda item: (str(item.get(resource.sort_field) or '').casefold(), item['id']))
            if str(_first(request.query, 'sort_by', '')).endswith(':desc'):
                items.reverse()
        if resource.paginated:
            page, pagination = paginate(items, request.query)
        else:
            page, pagination = items, {}
        wanted = wanted_includes(request.query)
        result = {resource.collection: [resource.render(ctx, item, wanted) for item in page]}
        result.update(pagination)
        return 200, result
    return handle


def create_handler(resource):
    def handle(ctx, request):
        parent = resource.scope(ctx, request.params)
        resource.authorize_create(ctx, request)
        stored = resource.create(ctx, _wrapped(resource, request.body), parent=parent)
        return 201, {resource.wrapper: resource.render(ctx, stored)}
    return handle


def _member(resource, ctx, request):
    return resource.lookup(ctx, request.params[-1], resource.scope(ctx, request.params[:-1]))


def show_handler(resource):
    def handle(ctx, request):
        return 200, {resource.wrapper: resource.render(ctx, _member(resource, ctx, request), wanted_includes(request.query))}
    return handle


def update_handler(resource):
    def handle(ctx, request):
        stored = _member(resource, ctx, request)
        updated = resource.update(ctx, dict(stored), _wrapped(resource, request.body))
        ctx.store[resource.collection].put(updated)
        return 200, {resource.wrapper: resource.render(ctx, updated)}
    return handle


def delete_handler(resource):
    def handle(ctx, request):
        stored = _member(resource, ctx, request)
        resource.check_delete(ctx, stored)
        resource.remove(ctx, stored)
        return 204, None
    return handle


class Teams(Resource):
    collection = 'teams'
    wrapper = 'team'
    type_name = 'team'
    unique_field = 'name'
    default_roles = ('manager', 'none')

    def _check_fields(self, ctx, data, own_id=None):
        if 'name' in data:
            if not isinstance(data['name'], str) or not data['name'].strip():
                raise invalid_input("Name can't be blank")
            self.check_unique(ctx, data['name'], own_id)
        if 'description' in data and data['description'] is not None and not isinstance(data['description'], str):
            raise invalid_input('Description must be a string')
        if 'default_role' in data and data['default_role'] not in self.default_roles:
            raise invalid_input('Default role must be one of %s' % ', '.join(self.default_roles))
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
            raise invalid_input('Parent team %s not found' % parent['id'])
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
            reasons.append('Team has %d sub-team(s): %s' % (len(children), ', '.join(children)))
        reasons += [text for guard in self.delete_guards for text in guard(ctx, stored)]
        if reasons:
            raise ApiError(400, TEAM_HAS_ASSOCIATIONS, reasons)

    def on_delete(self, ctx, stored):
        for key in [key for key in ctx.store.memberships if key[0] == stored['id']]:
            del ctx.store.memberships[key]

    def render(self, ctx, stored, includes=()):
        parent = ctx.store[self.collection].get(stored['parent_id']) if stored.get('parent_id') else None
        return {
            'id': stored['id'],
            'type': self.type_name,
            'summary': stored['name'],
            'self': self.self_url(ctx, stored['id']),
            'html_url': self.html_url(stored['id']),
            'name': stored['name'],
            'description': stored['description'],
            'default_role': stored['default_role'],
            'parent': self.reference(ctx, parent) if parent else None,
        }

    def bulk_item(self, index):
        return {'name': 'Team %05d' % index}


TEAMS = Teams()


class Route:
    def __init__(self, method, template, handler):
        self.method = method
        self.template = template
        self.pattern = re.compile('^' + re.sub(r'{[^}/]+}', '([^/]+)', template) + '$')
        self.handler = handler


def build_routes(resources, extra_routes=()):
    routes = []
    for resource in resources:
        base = resource.path()
        member = base + '/{%s_id}' % resource.wrapper if resource.parent else base + '/{id}'
        routes += [route for operation, route in (
            ('list', Route('GET', base, list_handler(resource))),
            ('create', Route('POST', base, create_handler(resource))),
            ('show', Route('GET', member, show_handler(resource))),
            ('update', Route('PUT', member, update_handler(resource))),
            ('delete', Route('DELETE', member, delete_handler(resource))),
        ) if operation in resource.operations]
    return routes + list(extra_routes)


def find_route(routes, method, path):
    """Return (route, path parameters) or (None, None)."""
    for route in routes:
        if route.method != method:
            continue
        match = route.pattern.match(path)
        if match:
            return route, match.groups()
    return None, None
