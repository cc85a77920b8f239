"""In-memory PagerDuty objects for the simulator: a store, resource kinds and their routes.

A new resource kind is a ``Resource`` subclass (how to build, update, render
and protect one object) registered with ``register()``; the generic handlers
below give it list (classic pagination + ``query``), create, show, update and
delete routes with PagerDuty's paths and wrapper keys.
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
    """Objects of one kind in creation order, with an optional case-insensitive unique index."""

    def __init__(self, unique_field=None):
        self.items = {}
        self.unique_field = unique_field
        self._unique = {}

    def __len__(self):
        return len(self.items)

    def get(self, object_id):
        return self.items.get(object_id)

    def values(self):
        return list(self.items.values())

    def find_unique(self, value):
        if not isinstance(value, str):
            return None
        return self.items.get(self._unique.get(value.casefold()))

    def put(self, obj):
        old = self.items.get(obj['id'])
        if old is not None and self.unique_field:
            self._unique.pop(str(old.get(self.unique_field)).casefold(), None)
        self.items[obj['id']] = obj
        if self.unique_field and isinstance(obj.get(self.unique_field), str):
            self._unique[obj[self.unique_field].casefold()] = obj['id']

    def remove(self, object_id):
        obj = self.items.pop(object_id, None)
        if obj is not None and self.unique_field:
            self._unique.pop(str(obj.get(self.unique_field)).casefold(), None)
        return obj


class Store:
    """All account state: one Collection per registered resource kind."""

    def __init__(self, resources):
        self.collections = {}
        self._ids = set()
        for resource in resources:
            self.collections[resource.collection] = Collection(resource.unique_field)

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


class Resource:
    """One kind of PagerDuty object.  Subclasses fill in the class attributes and hooks."""

    collection = ''       # URL segment and list wrapper key: "teams"
    wrapper = ''          # single-object wrapper key: "team"
    type_name = ''        # the object's "type"
    unique_field = None   # case-insensitive unique field ("name"), if any
    query_field = 'name'  # what the list "query" parameter searches
    sort_field = 'name'

    def create(self, ctx, data, object_id=None):
        raise NotImplementedError

    def update(self, ctx, stored, data):
        raise NotImplementedError

    def check_delete(self, ctx, stored):
        """Raise ApiError when the object may not be deleted."""

    def render(self, ctx, stored):
        raise NotImplementedError

    def bulk_item(self, index):
        """The data for the index-th object of a bulk seed."""
        raise NotImplementedError

    def self_url(self, ctx, object_id):
        return '%s/%s/%s' % (ctx.base_url, self.collection, object_id)

    def html_url(self, object_id):
        return '%s/%s/%s' % (HTML_BASE, self.collection, object_id)

    def reference(self, ctx, stored):
        return {
            'id': stored['id'],
            'type': self.type_name + '_reference',
            'summary': stored.get(self.sort_field),
            'self': self.self_url(ctx, stored['id']),
        }

    def lookup(self, ctx, object_id):
        stored = ctx.store[self.collection].get(object_id)
        if stored is None:
            raise ApiError(404, NOT_FOUND)
        return stored

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


def _wrapped(resource, body):
    if not isinstance(body, dict) or not isinstance(body.get(resource.wrapper), dict):
        raise invalid_input('The request body must be a JSON object with a %r object' % resource.wrapper)
    return body[resource.wrapper]


def list_handler(resource):
    def handle(ctx, request):
        items = ctx.store[resource.collection].values()
        search = _first(request.query, 'query')
        if search:
            items = [item for item in items if resource.matches_query(item, search)]
        items.sort(key=lambda item: (str(item.get(resource.sort_field) or '').casefold(), item['id']))
        page, pagination = paginate(items, request.query)
        result = {resource.collection: [resource.render(ctx, item) for item in page]}
        result.update(pagination)
        return 200, result
    return handle


def create_handler(resource):
    def handle(ctx, request):
        stored = resource.create(ctx, _wrapped(resource, request.body))
        return 201, {resource.wrapper: resource.render(ctx, stored)}
    return handle


def show_handler(resource):
    def handle(ctx, request):
        return 200, {resource.wrapper: resource.render(ctx, resource.lookup(ctx, request.params[0]))}
    return handle


def update_handler(resource):
    def handle(ctx, request):
        stored = resource.lookup(ctx, request.params[0])
        updated = resource.update(ctx, dict(stored), _wrapped(resource, request.body))
        ctx.store[resource.collection].put(updated)
        return 200, {resource.wrapper: resource.render(ctx, updated)}
    return handle


def delete_handler(resource):
    def handle(ctx, request):
        stored = resource.lookup(ctx, request.params[0])
        resource.check_delete(ctx, stored)
        ctx.store[resource.collection].remove(stored['id'])
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

    def create(self, ctx, data, object_id=None):
        if 'name' not in data:
            raise invalid_input("Name can't be blank")
        self._check_fields(ctx, data)
        if object_id is None:
            object_id = ctx.store.new_id()
        else:
            ctx.store.claim_id(object_id)
        parent = data.get('parent')
        stored = {
            'id': object_id,
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
        children = [team['id'] for team in ctx.store[self.collection].values() if team.get('parent_id') == stored['id']]
        if children:
            raise ApiError(400, TEAM_HAS_ASSOCIATIONS, ['Team has %d sub-team(s): %s' % (len(children), ', '.join(children))])

    def render(self, ctx, stored):
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


RESOURCES = [Teams()]


class Route:
    def __init__(self, method, template, handler):
        self.method = method
        self.template = template
        self.pattern = re.compile('^' + re.sub(r'{[^}/]+}', '([^/]+)', template) + '$')
        self.handler = handler


def build_routes(resources):
    routes = []
    for resource in resources:
        base = '/' + resource.collection
        routes += [
            Route('GET', base, list_handler(resource)),
            Route('POST', base, create_handler(resource)),
            Route('GET', base + '/{id}', show_handler(resource)),
            Route('PUT', base + '/{id}', update_handler(resource)),
            Route('DELETE', base + '/{id}', delete_handler(resource)),
        ]
    return routes


def find_route(routes, method, path):
    """Return (route, path parameters) or (None, None)."""
    for route in routes:
        if route.method != method:
            continue
        match = route.pattern.match(path)
        if match:
            return route, match.groups()
    return None, None
