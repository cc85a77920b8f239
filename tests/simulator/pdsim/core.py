"""The simulator's core: errors, the in-memory store and its ids, and the ``Resource`` base class
with its generic routes and the rendering every object shares (header, references, includes).

A resource kind is a ``Resource`` subclass (how to build, update, render and protect one object);
the generic handlers below give it list (classic pagination + ``query``, or a plain list), create,
show, update and delete routes with PagerDuty's paths and wrapper keys.  A resource with a
``parent`` is nested: ``/users/{id}/contact_methods/{contact_method_id}``.  Nothing here knows an
API area: those live in one module each and are assembled in ``pdsim.api``.
"""

import datetime
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


# --- errors --------------------------------------------------------------------------------

class ApiError(Exception):
    """An error answered in PagerDuty's shape: {"error": {"message", "code", "errors"}}."""

    def __init__(self, status, code_and_message, errors=None, headers=None):
        self.status = status
        self.code, self.message = code_and_message
        self.errors = list(errors or [])
        self.headers = dict(headers or {})
        super().__init__(f"{status} {self.message}: {'; '.join(self.errors)}")

    def body(self):
        error = {'message': self.message, 'code': self.code}
        if self.errors:
            error['errors'] = self.errors
        return {'error': error}


def invalid_input(*errors):
    return ApiError(400, INVALID_INPUT, errors)


# --- small helpers the API areas share -----------------------------------------------------

def now():
    """The current time in UTC, to the second."""
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def utc_text(moment):
    """ISO 8601 in UTC with a ``+00:00`` offset (created_at, maintenance window times)."""
    return moment.astimezone(datetime.timezone.utc).isoformat()


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def check_text(data, field, label, required=False, nullable=False):
    """A string field: required ones may not be blank, nullable ones may be null."""
    if field not in data:
        if required:
            raise invalid_input(f"{label} can't be blank")
        return
    value = data[field]
    if value is None and nullable:
        return
    if not isinstance(value, str) or (required and not value.strip()):
        raise invalid_input(f"{label} can't be blank" if required else f'{label} must be a string')


def reference_id(value, label, types):
    """The id of a reference {"id": ..., "type": ...}; the type, when given, must be one of ``types``."""
    if not isinstance(value, dict) or not isinstance(value.get('id'), str) or not value['id']:
        raise invalid_input(f'{label} must be a reference with an id')
    if 'type' in value and value['type'] not in types:
        raise invalid_input(f"{label} must be of type {' or '.join(types)}, got {value['type']!r}")
    return value['id']


def seed_reference(value, kind):
    """Seed data may name an object by its bare id."""
    return {'id': value, 'type': kind} if isinstance(value, str) else dict(value)


def first(query, name, default=None):
    """The first value of a query parameter."""
    values = query.get(name)
    return values[0] if values else default


# PagerDuty's "Types" page: in query strings "1" and "true" are truthy, "0" and "false" falsy.
TRUE_TEXTS = ('true', '1')
FALSE_TEXTS = ('false', '0')


def is_true(value):
    """Whether a query parameter's text means true."""
    return value in TRUE_TEXTS


def wanted_ids(query, name):
    """The values of ``name[]`` (or ``name``), as a set: team_ids[], include[], ..."""
    return set(query.get(f'{name}[]', []) + query.get(name, []))


def wanted_includes(query):
    """The values of include[] (or include), as a set."""
    return wanted_ids(query, 'include')


# --- the store -----------------------------------------------------------------------------

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
        self.collections = {resource.collection: Collection(resource.unique_field, resource.parent_field) for resource in resources}
        self._ids = set()
        # (team id, user id) -> team role, in the order the memberships were made
        self.memberships = {}
        # the account's abilities (GET /abilities), set by pdsim.abilities and the admin API
        self.abilities = []
        # name -> the last number handed out by next_number (incident numbers)
        self.sequences = {}

    def __getitem__(self, name):
        return self.collections[name]

    def new_id(self):
        alphabet = string.ascii_uppercase + string.digits
        while True:
            candidate = 'P' + ''.join(random.choices(alphabet, k=6))
            if candidate not in self._ids:
                self._ids.add(candidate)
                return candidate

    def next_number(self, name):
        """1, 2, 3, ... per name: the account-wide numbers of a kind (incident_number)."""
        self.sequences[name] = self.sequences.get(name, 0) + 1
        return self.sequences[name]

    def claim_id(self, object_id):
        if object_id in self._ids:
            raise invalid_input(f'Id {object_id} is already in use')
        self._ids.add(object_id)


class Context:
    """What a handler needs besides the request: the store, the simulator's base URL and the
    resource kinds by collection (``resource()``: how an area reaches an area it does not import)."""

    def __init__(self, store, base_url, resources):
        self.store = store
        self.base_url = base_url
        self.resources = resources
        self.request = None  # the API request being answered (None for the admin API)

    def resource(self, collection):
        return self.resources[collection]

    def query_value(self, name):
        """The first value of a query parameter of the request being answered, or None."""
        return first(self.request.query, name) if self.request is not None else None

    def query_flag(self, name):
        """Whether a boolean query parameter of the request being answered is true ("true" or "1")."""
        return is_true(self.query_value(name))


# --- resources -----------------------------------------------------------------------------

class Resource:
    """One kind of PagerDuty object.  Subclasses fill in the class attributes and hooks."""

    collection = ''       # store name, URL segment and list wrapper key: "teams"
    segment = None        # URL segment and list wrapper key when they differ from the collection ("integrations")
    wrapper = ''          # single-object wrapper key: "team"
    type_name = ''        # the object's "type"
    unique_field = None   # case-insensitive unique field ("name"), if any
    query_field = 'name'  # what the list "query" parameter searches
    sort_field = 'name'   # list order (None: creation order)
    summary_field = 'name'  # what "summary" shows
    reference_html_url = True  # whether a reference carries html_url (team references do not)
    paginated = True      # classic pagination on the list; False: a plain {"<collection>": [...]}
    list_total = False    # a plain list that also carries its "total": {"integrations": [...], "total": 2}
    create_status = 201   # what a create answers (the spec gives 200 for some kinds)
    parent = None         # the parent Resource of a nested kind (contact methods of a user)
    parent_field = None   # where a nested object keeps its parent's id ("user_id")
    operations = ('list', 'create', 'show', 'update', 'delete')  # the routes the spec has for this kind

    def __init__(self, parent=None):
        if parent is not None:
            self.parent = parent
        # Callables (ctx, stored) -> list of strings naming what still references the object;
        # check_delete refuses the delete when any of them answers something.  pdsim.api wires them.
        self.delete_guards = []
        # Callables (ctx, stored) that forget what another area keeps for a deleted object (after on_delete).
        self.delete_cascades = []

    # --- hooks for subclasses ---------------------------------------------

    def create(self, ctx, data, object_id=None, parent=None):
        raise NotImplementedError

    def update(self, ctx, stored, data):
        raise NotImplementedError

    def check_delete(self, ctx, stored):
        """Raise ApiError when the object may not be deleted."""
        references = self.guard_texts(ctx, stored)
        if references:
            raise invalid_input(*references)

    def on_delete(self, ctx, stored):
        """Forget what belongs to a deleted object (nested objects, memberships)."""

    def render(self, ctx, stored, includes=()):
        raise NotImplementedError

    def bulk_item(self, index):
        """The data for the index-th object of a bulk seed."""
        raise ValueError(f'{self.collection} cannot be bulk-seeded')

    def authorize_create(self, ctx, request):
        """Raise ApiError when the request may not create an object (e.g. the From rule)."""

    def filter_items(self, ctx, items, query):  # pylint: disable=unused-argument
        """Apply the list filters other than ``query`` (team_ids[], urgency, ...)."""
        return items

    def seed(self, ctx, item):
        """Create one object from the admin seed API; return the stored object."""
        if self.parent is not None:
            raise ValueError(f'{self.collection} are seeded inside their {self.parent.wrapper}')
        return self.create(ctx, item, object_id=item.pop('id', None))

    def initial_objects(self, ctx):
        """Create the objects every fresh account has (called at reset)."""

    def bulk_start(self, ctx):
        """The index of the next bulk-seeded object."""
        return len(ctx.store[self.collection]) + 1

    def object_type(self, stored):  # pylint: disable=unused-argument
        """The object's "type" (contact methods and integrations have one per kind)."""
        return self.type_name

    def summary(self, stored):
        return stored.get(self.summary_field)

    def html_url(self, stored):
        if self.parent is not None:
            return None
        return f"{HTML_BASE}/{self.collection}/{stored['id']}"

    # --- generic behaviour ------------------------------------------------

    def url_segment(self):
        """The kind's URL segment, also the key of its list answer: "teams", "integrations"."""
        return self.segment or self.collection

    def path(self):
        """The list path template: /teams or /users/{id}/contact_methods."""
        if self.parent is None:
            return '/' + self.url_segment()
        return f'{self.parent.path()}/{{id}}/{self.url_segment()}'

    def new_id(self, ctx, object_id=None):
        if object_id is None:
            return ctx.store.new_id()
        ctx.store.claim_id(object_id)
        return object_id

    def self_url(self, ctx, stored):
        """The object's API URL: <base>/teams/P1 or <base>/users/P1/contact_methods/P2."""
        prefix = ctx.base_url if self.parent is None else self.parent.self_url(ctx, {'id': stored[self.parent_field]})
        return f"{prefix}/{self.url_segment()}/{stored['id']}"

    def header(self, ctx, stored, reference=False):
        """The fields every object and reference starts with: id, type, summary, self, html_url."""
        header = {
            'id': stored['id'],
            'type': self.object_type(stored) + ('_reference' if reference else ''),
            'summary': self.summary(stored),
            'self': self.self_url(ctx, stored),
        }
        if not reference or self.reference_html_url:
            header['html_url'] = self.html_url(stored)
        return header

    def reference(self, ctx, stored):
        return self.header(ctx, stored, reference=True)

    def reference_by_id(self, ctx, object_id):
        """The reference of a stored object; an id the store lacks gets null summary, self and html_url."""
        stored = ctx.store[self.collection].get(object_id)
        if stored is not None:
            return self.reference(ctx, stored)
        return {'id': object_id, 'type': self.type_name + '_reference', 'summary': None, 'self': None, 'html_url': None}

    def expand_id(self, ctx, object_id, full=False):
        """By id: the full object when ``full``, else its reference (``reference_by_id`` when the store lacks it); None for no id."""
        if object_id is None:
            return None
        stored = ctx.store[self.collection].get(object_id)
        if stored is None:
            return self.reference_by_id(ctx, object_id)
        return self.render(ctx, stored) if full else self.reference(ctx, stored)

    def expand(self, ctx, stored, includes):
        """The full object when include[] names this collection, else its reference."""
        return self.render(ctx, stored) if self.collection in includes else self.reference(ctx, stored)

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
        for cascade in self.delete_cascades:
            cascade(ctx, stored)
        ctx.store[self.collection].remove(stored['id'])

    def guard_texts(self, ctx, stored):
        """What the delete guards name as still referencing the object."""
        return [text for guard in self.delete_guards for text in guard(ctx, stored)]

    def check_named(self, ctx, data, stored=None):
        """What kinds with a unique name check first: the name (required on create), the type, the description."""
        if stored is None or 'name' in data:
            if not isinstance(data.get('name'), str) or not data['name'].strip():
                raise invalid_input("Name can't be blank")
            self.check_unique(ctx, data['name'], None if stored is None else stored['id'])
        if data.get('type', self.type_name) != self.type_name:
            raise invalid_input(f'Type must be {self.type_name}')
        check_text(data, 'description', 'Description', nullable=True)

    def existing_ids(self, ctx, references):
        """The ids of references to stored objects of this kind, in order and without repeats; 400 for an unknown one."""
        label = self.type_name.capitalize()
        ids = []
        for reference in references:
            object_id = reference_id(reference, label, (f'{self.type_name}_reference', self.type_name))
            if ctx.store[self.collection].get(object_id) is None:
                raise invalid_input(f'{label} {object_id} not found')
            if object_id not in ids:
                ids.append(object_id)
        return ids

    def check_unique(self, ctx, value, own_id=None):
        existing = ctx.store[self.collection].find_unique(value)
        if existing is not None and existing['id'] != own_id:
            raise invalid_input(f'{self.unique_field.capitalize()} has already been taken')

    def matches_query(self, stored, query):
        return query.casefold() in str(stored.get(self.query_field) or '').casefold()


# --- lists and the generic handlers --------------------------------------------------------

def _int_parameter(query, name, default):
    raw = first(query, name)
    if raw is None or raw == '':
        return default
    try:
        return int(raw)
    except ValueError:
        raise invalid_input(f'{name} must be an integer') from None


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
        'total': len(items) if is_true(first(query, 'total')) else None,
    }


def paginated_answer(key, items, query, render):
    """A classic-paginated list answer: {key: [render(item) for the page], limit, offset, more, total}."""
    page, pagination = paginate(items, query)
    return 200, {key: [render(item) for item in page], **pagination}


def wrapped_body(resource, body):
    """The object under the resource's wrapper key of a request body ({"team": {...}}), or 400."""
    if not isinstance(body, dict) or not isinstance(body.get(resource.wrapper), dict):
        raise invalid_input(f'The request body must be a JSON object with a {resource.wrapper!r} object')
    return body[resource.wrapper]


def _member(resource, ctx, request):
    return resource.lookup(ctx, request.params[-1], resource.scope(ctx, request.params[:-1]))


def list_handler(resource):
    def handle(ctx, request):
        items = resource.children(ctx, resource.scope(ctx, request.params))
        search = first(request.query, 'query')
        if search:
            items = [item for item in items if resource.matches_query(item, search)]
        items = resource.filter_items(ctx, items, request.query)
        if resource.sort_field:
            items.sort(key=lambda item: (str(item.get(resource.sort_field) or '').casefold(), item['id']))
            if str(first(request.query, 'sort_by', '')).endswith(':desc'):
                items.reverse()
        wanted = wanted_includes(request.query)
        if resource.paginated:
            return paginated_answer(resource.url_segment(), items, request.query, lambda item: resource.render(ctx, item, wanted))
        answer = {resource.url_segment(): [resource.render(ctx, item, wanted) for item in items]}
        if resource.list_total:
            answer['total'] = len(items)
        return 200, answer
    return handle


def create_handler(resource):
    def handle(ctx, request):
        parent = resource.scope(ctx, request.params)
        resource.authorize_create(ctx, request)
        stored = resource.create(ctx, wrapped_body(resource, request.body), parent=parent)
        return resource.create_status, {resource.wrapper: resource.render(ctx, stored)}
    return handle


def show_handler(resource):
    def handle(ctx, request):
        return 200, {resource.wrapper: resource.render(ctx, _member(resource, ctx, request), wanted_includes(request.query))}
    return handle


def update_handler(resource):
    def handle(ctx, request):
        stored = _member(resource, ctx, request)
        updated = resource.update(ctx, dict(stored), wrapped_body(resource, request.body))
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


# --- routes --------------------------------------------------------------------------------

class Route:
    def __init__(self, method, template, handler):
        self.method = method
        self.template = template
        self.pattern = re.compile('^' + re.sub(r'{[^}/]+}', '([^/]+)', template) + '$')
        self.handler = handler


def build_routes(resources, extra_routes=()):
    """``extra_routes``, then the generic routes of every resource (those its ``operations`` name): an extra
    route with a literal segment (GET /users/me) must win over a generic one (GET /users/{id})."""
    routes = list(extra_routes)
    for resource in resources:
        base = resource.path()
        member = f'{base}/{{{resource.wrapper}_id}}' if resource.parent else f'{base}/{{id}}'
        routes += [route for operation, route in (
            ('list', Route('GET', base, list_handler(resource))),
            ('create', Route('POST', base, create_handler(resource))),
            ('show', Route('GET', member, show_handler(resource))),
            ('update', Route('PUT', member, update_handler(resource))),
            ('delete', Route('DELETE', member, delete_handler(resource))),
        ) if operation in resource.operations]
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
