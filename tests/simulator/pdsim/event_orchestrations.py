"""Event Orchestrations: /event_orchestrations, their integrations (the routing keys), their router, unrouted and
global paths, the service orchestrations (/event_orchestrations/services/{service_id} and its active switch) and
the cache variables of both.

An orchestration is made with one integration and its three paths; each path is one stored document (the
``orchestration_paths`` collection, id ``<orchestration id>/<type>``) that a PUT replaces as a whole, keeping the
rule ids sent and giving new rules one.  Every service has a service orchestration: it is stored on first use
(``SERVICE_ORCHESTRATIONS.lookup``) and forgotten with the service (``drop_service_orchestration``, a delete
cascade wired in ``pdsim.api``).  Orchestration answers name users, teams and parents by ``{"id", "type", "self"}``
and write times as ``...Z``, like the spec's examples.
"""

import random
import re
import secrets
import string
import uuid

from pdsim.core import ApiError, Resource, Route, check_text, first, invalid_input, is_int, now, paginated_answer, seed_reference, wrapped_body
from pdsim.escalation_policies import ESCALATION_POLICIES
from pdsim.incidents import PRIORITIES
from pdsim.services import SERVICES
from pdsim.teams import TEAMS
from pdsim.users import USERS, acting_user

START_SET = 'start'
UNROUTED = 'unrouted'
ROUTER, GLOBAL, SERVICE = 'router', 'global', 'service'
ORCHESTRATION_PATH_TYPES = (ROUTER, UNROUTED, GLOBAL)
ROUTING_KEY_PREFIX = 'R0'
ROUTING_KEY_ALPHABET = string.ascii_uppercase + string.digits
ROUTING_KEY = re.compile(r'^[A-Za-z0-9]{32}$')
SORT_FIELDS = ('name', 'routes', 'created_at')
# The fields of each cache variable configuration type (those that must be given first) [S: the schemas].
CACHE_VARIABLE_FIELDS = {
    'recent_value': (('source', 'regex'), ()),
    'trigger_event_count': (('ttl_seconds',), ()),
    'external_data': (('ttl_seconds',), ('data_type',)),
}
# "The trigger_count and resetting_trigger_count operators are unsupported for Cache Variables" (the spec).
TRIGGER_COUNT = re.compile(r'\b(resetting_)?trigger_count\b')


def zulu(moment=None):
    """A time as the orchestration answers write it: 2021-11-18T16:42:01Z."""
    return (moment or now()).strftime('%Y-%m-%dT%H:%M:%SZ')


def uuid_id(ctx, object_id=None):
    """A UUID like the ids of the spec's examples; a seed may choose one."""
    if object_id is None:
        return str(uuid.uuid4())
    ctx.store.claim_id(object_id)
    return object_id


def author_id(ctx):
    """The user a write acts as, for created_by / updated_by: the From user or a user-level token's user.  These
    writes do not require From, so a request that names no user (or the admin API) writes null."""
    if ctx.request is None:
        return None
    try:
        user = acting_user(ctx, ctx.request)
    except ApiError:
        return None
    return user['id'] if user else None


def short_reference(ctx, resource, object_id):
    """{"id", "type", "self"}: how orchestration answers name users, teams and parents."""
    if object_id is None:
        return None
    return {'id': object_id, 'type': f'{resource.type_name}_reference', 'self': resource.self_url(ctx, {'id': object_id})}


def stamp(ctx, stored, creating=False, by_request=True):
    """The write's time and user (created_* too when ``creating``; no user unless ``by_request``) and a new opaque version."""
    moment, user_id = zulu(), author_id(ctx) if by_request else None
    if creating:
        stored.update(created_at=moment, created_by=user_id)
    stored.update(updated_at=moment, updated_by=user_id, version=secrets.token_urlsafe(24))


def rendered_stamps(ctx, stored):
    return {
        'created_at': stored['created_at'],
        'created_by': short_reference(ctx, USERS, stored['created_by']),
        'updated_at': stored['updated_at'],
        'updated_by': short_reference(ctx, USERS, stored['updated_by']),
    }


def _remove_all(ctx, resource, items):
    for item in items:
        resource.remove(ctx, item)


# --- orchestrations ------------------------------------------------------------------------

class EventOrchestrations(Resource):
    collection = 'event_orchestrations'
    wrapper = 'orchestration'
    type_name = 'event_orchestration'
    sort_field = None
    # The list is list_orchestrations: its items leave out the integrations.
    operations = ('create', 'show', 'update', 'delete')

    def new_id(self, ctx, object_id=None):
        return uuid_id(ctx, object_id)

    @staticmethod
    def _checked_team(ctx, data, stored):
        check_text(data, 'name', 'Name', required=stored is None or 'name' in data)
        check_text(data, 'description', 'Description', nullable=True)
        team = data.get('team')
        return TEAMS.existing_ids(ctx, [team])[0] if team is not None else None

    def create(self, ctx, data, object_id=None, parent=None):
        team_id = self._checked_team(ctx, data, None)
        stored = {'id': self.new_id(ctx, object_id), 'name': data['name'], 'description': data.get('description'), 'team_id': team_id}
        stamp(ctx, stored, creating=True)
        ctx.store[self.collection].put(stored)
        ORCHESTRATION_INTEGRATIONS.create(ctx, {'label': default_label(stored['name'])}, parent=stored)
        for path_type in ORCHESTRATION_PATH_TYPES:
            ORCHESTRATION_PATHS.create_initial(ctx, stored['id'], path_type)
        return stored

    def update(self, ctx, stored, data):
        team_id = self._checked_team(ctx, data, stored)
        if 'name' in data and data['name'] != stored['name']:
            ORCHESTRATION_INTEGRATIONS.rename_default(ctx, stored, data['name'])
        for field in ('name', 'description'):
            if field in data:
                stored[field] = data[field]
        if 'team' in data:
            stored['team_id'] = team_id
        stamp(ctx, stored)
        return stored

    def on_delete(self, ctx, stored):
        """An orchestration takes its integrations, paths and cache variables along."""
        for resource in (ORCHESTRATION_INTEGRATIONS, ORCHESTRATION_PATHS, ORCHESTRATION_CACHE_VARIABLES):
            _remove_all(ctx, resource, resource.children(ctx, stored))

    def seed(self, ctx, item):
        """A seeded orchestration may name its team by bare id, list its ``integrations`` (``label``, ``id``,
        ``routing_key``; they replace the default one) and carry ``router``, ``unrouted`` and ``global`` documents."""
        integrations = item.pop('integrations', None)
        documents = {path_type: item.pop(path_type) for path_type in ORCHESTRATION_PATH_TYPES if path_type in item}
        if isinstance(item.get('team'), str):
            item['team'] = seed_reference(item['team'], 'team_reference')
        stored = super().seed(ctx, item)
        if integrations is not None:
            _remove_all(ctx, ORCHESTRATION_INTEGRATIONS, ORCHESTRATION_INTEGRATIONS.children(ctx, stored))
            for integration in integrations:
                integration = dict(integration)
                ORCHESTRATION_INTEGRATIONS.create(ctx, integration, object_id=integration.pop('id', None), parent=stored,
                                                  routing_key=integration.get('routing_key'))
        for path_type, document in documents.items():
            ORCHESTRATION_PATHS.replace(ctx, ORCHESTRATION_PATHS.document(ctx, stored['id'], path_type), dict(document))
        return stored

    @staticmethod
    def routes(ctx, stored):
        """How many services the router sends events to (its rules' and its catch-all's route_to)."""
        router = ORCHESTRATION_PATHS.document(ctx, stored['id'], ROUTER)
        targets = {rule['actions'].get('route_to') for item in router['sets'] for rule in item['rules']}
        targets.add(router['catch_all']['actions'].get('route_to'))
        return len(targets - {None, UNROUTED})

    def sorted_items(self, ctx, query):
        """By sort_by (name:asc by default): name, routes or created_at, each :asc or :desc."""
        field, dummy, direction = (first(query, 'sort_by') or 'name:asc').partition(':')
        if field not in SORT_FIELDS or direction not in ('asc', 'desc'):
            raise invalid_input(f"sort_by must be one of {', '.join(SORT_FIELDS)}, with :asc or :desc")
        keys = {
            'name': lambda item: (item['name'].casefold(), item['id']),
            'routes': lambda item: self.routes(ctx, item),
            'created_at': lambda item: item['created_at'],
        }
        return sorted(ctx.store[self.collection].values(), key=keys[field], reverse=direction == 'desc')

    def render(self, ctx, stored, includes=(), listed=False):
        rendered = {
            'id': stored['id'],
            'self': self.self_url(ctx, stored),
            'name': stored['name'],
            'description': stored['description'],
            'team': short_reference(ctx, TEAMS, stored['team_id']),
        }
        if not listed:
            rendered['integrations'] = [ORCHESTRATION_INTEGRATIONS.render(ctx, item) for item in ORCHESTRATION_INTEGRATIONS.children(ctx, stored)]
        rendered['routes'] = self.routes(ctx, stored)
        rendered.update(rendered_stamps(ctx, stored))
        rendered['version'] = stored['version']
        return rendered


def default_label(name):
    return f'{name} Default Integration'


def list_orchestrations(ctx, request):
    """GET /event_orchestrations: classic pagination, items without their integrations."""
    items = EVENT_ORCHESTRATIONS.sorted_items(ctx, request.query)
    return paginated_answer('orchestrations', items, request.query, lambda item: EVENT_ORCHESTRATIONS.render(ctx, item, listed=True))


# --- integrations (routing keys) -------------------------------------------------------------

class OrchestrationIntegrations(Resource):
    collection = 'orchestration_integrations'
    segment = 'integrations'
    wrapper = 'integration'
    type_name = 'event_orchestration_integration'
    parent_field = 'orchestration_id'
    sort_field = None
    paginated = False
    list_total = True

    def new_id(self, ctx, object_id=None):
        return uuid_id(ctx, object_id)

    def _new_routing_key(self, ctx, given=None):
        """32 characters like the spec's examples (R0 and 30 upper-case letters and digits); a seed may choose one."""
        taken = {item['routing_key'] for item in ctx.store[self.collection].values()}
        if given is not None:
            if not isinstance(given, str) or not ROUTING_KEY.match(given) or given in taken:
                raise invalid_input('A routing key must be 32 letters and digits, not used by another integration')
            return given
        while True:
            key = ROUTING_KEY_PREFIX + ''.join(random.choices(ROUTING_KEY_ALPHABET, k=30))
            if key not in taken:
                return key

    def create(self, ctx, data, object_id=None, parent=None, routing_key=None):
        if parent is None:
            raise ValueError('an integration needs its orchestration')
        check_text(data, 'label', 'Label', required=True)
        stored = {'id': self.new_id(ctx, object_id), 'orchestration_id': parent['id'], 'label': data['label'],
                  'routing_key': self._new_routing_key(ctx, routing_key)}
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        check_text(data, 'label', 'Label', required=True)
        stored['label'] = data['label']
        return stored

    def rename_default(self, ctx, orchestration, name):
        """An integration still labelled "<old name> Default Integration" follows a renamed orchestration."""
        for item in self.children(ctx, orchestration):
            if item['label'] == default_label(orchestration['name']):
                ctx.store[self.collection].put(dict(item, label=default_label(name)))

    def find(self, ctx, routing_key):
        """The integration with this routing key, or None."""
        return next((item for item in ctx.store[self.collection].values() if item['routing_key'] == routing_key), None)

    def render(self, ctx, stored, includes=()):
        return {'id': stored['id'], 'label': stored['label'], 'parameters': {'routing_key': stored['routing_key'], 'type': 'global'}}


# --- orchestration paths ---------------------------------------------------------------------

def _check_set_ids(sets):
    """The set ids in order: the first is "start", none repeats."""
    if not isinstance(sets, list) or not sets:
        raise invalid_input('sets must contain the "start" set')
    ids = []
    for item in sets:
        if not isinstance(item, dict) or not isinstance(item.get('id'), str) or not item['id'].strip():
            raise invalid_input('Every set needs an id')
        if item['id'] in ids:
            raise invalid_input(f"Set {item['id']} is given more than once")
        ids.append(item['id'])
    if ids[0] != START_SET:
        raise invalid_input(f'The first set must be the "start" set, not {ids[0]}')
    return ids


def _new_rule_id(taken):
    """8 hex digits, like the rule ids of the spec's examples, not yet used in the document."""
    while True:
        rule_id = secrets.token_hex(4)
        if rule_id not in taken:
            return rule_id


def _with_rule_ids(sets):
    """The sets with every rule carrying an id: a given one is kept, a rule without one gets 8 new hex digits."""
    given = [rule.get('id') for item in sets for rule in item.get('rules') or [] if isinstance(rule, dict) and rule.get('id') is not None]
    repeated = sorted({rule_id for rule_id in given if given.count(rule_id) > 1})
    if repeated:
        raise invalid_input(f"Rule id {repeated[0]} is given more than once")
    taken = set(given)
    result = []
    for item in sets:
        rules = []
        for rule in item.get('rules') or []:
            if not isinstance(rule, dict):
                raise invalid_input(f"Set {item['id']}: every rule must be an object")
            rule_id = rule.get('id')
            if rule_id is not None and (not isinstance(rule_id, str) or not rule_id):
                raise invalid_input(f"Set {item['id']}: a rule id must be a non-empty string")
            if rule_id is None:
                rule_id = _new_rule_id(taken)
            taken.add(rule_id)
            head = {'label': rule['label']} if 'label' in rule else {}
            rules.append({**head, 'id': rule_id, **{key: value for key, value in rule.items() if key not in ('label', 'id')}})
            rules[-1].setdefault('actions', {})
        result.append({'id': item['id'], 'rules': rules})
    return result


class OrchestrationPaths(Resource):
    """The router, unrouted and global paths of orchestrations; ``ServiceOrchestrations`` are the service paths."""

    collection = 'orchestration_paths'
    wrapper = 'orchestration_path'
    parent_field = 'parent_id'
    sort_field = None
    operations = ()

    @staticmethod
    def document_id(parent_id, path_type):
        return f'{parent_id}/{path_type}'

    def document(self, ctx, orchestration_id, path_type):
        return ctx.store[self.collection].get(self.document_id(orchestration_id, path_type))

    def create_initial(self, ctx, parent_id, path_type, by_request=True):
        """A fresh path: an empty start set; the router's catch-all sends events to the unrouted path."""
        stored = {
            'id': self.document_id(parent_id, path_type),
            'parent_id': parent_id,
            'type': path_type,
            'sets': [{'id': START_SET, 'rules': []}],
            'catch_all': {'actions': {'route_to': UNROUTED} if path_type == ROUTER else {}},
        }
        if path_type == SERVICE:
            stored['active'] = False
        stamp(ctx, stored, creating=True, by_request=by_request)
        ctx.store[self.collection].put(stored)
        return stored

    def replace(self, ctx, stored, data):
        """A PUT: the sets and catch-all sent replace the document (omitted rules are gone), checked as a whole."""
        set_ids = _check_set_ids(data.get('sets'))
        sets = _with_rule_ids(data['sets'])
        catch_all = data.get('catch_all')
        catch_all = {'actions': dict((catch_all or {}).get('actions') or {})}
        if stored['type'] == ROUTER:
            catch_all['actions'].setdefault('route_to', UNROUTED)
            self._check_router(ctx, sets, catch_all)
        else:
            self._check_rules(ctx, stored['type'], sets, set_ids, catch_all)
        updated = dict(stored, sets=sets, catch_all=catch_all)
        stamp(ctx, updated)
        ctx.store[self.collection].put(updated)
        return updated

    @staticmethod
    def _check_router(ctx, sets, catch_all):
        services = ctx.store[SERVICES.collection]
        for index, rule in enumerate(sets[0]['rules']):
            actions = rule['actions']
            if 'dynamic_route_to' in actions:
                if index != 0:
                    raise invalid_input(f"Rule {rule['id']}: only the first rule of the router may use dynamic_route_to")
                if rule.get('conditions') or 'route_to' in actions:
                    raise invalid_input(f"Rule {rule['id']}: a rule with dynamic_route_to cannot have conditions or a route_to action")
            target = actions.get('route_to')
            if target is not None and services.get(target) is None:
                raise invalid_input(f"Rule {rule['id']}: route_to {target} is not a service")
        target = catch_all['actions']['route_to']
        if target != UNROUTED and services.get(target) is None:
            raise invalid_input(f'Catch-all: route_to must be "unrouted" or a service; {target} is not a service')

    @staticmethod
    def _check_rules(ctx, path_type, sets, set_ids, catch_all):
        """Unrouted, global and service rules route to sets of the document; global and service actions name
        escalation policies and priorities that exist."""
        checked = [(f"Rule {rule['id']}", rule['actions']) for item in sets for rule in item['rules']]
        for label, actions in checked:
            target = actions.get('route_to')
            if target is not None and target not in set_ids:
                raise invalid_input(f'{label}: route_to {target} is not a set of this orchestration path')
        if path_type == UNROUTED:
            return
        for label, actions in checked + [('Catch-all', catch_all['actions'])]:
            for field, resource, name in (('escalation_policy', ESCALATION_POLICIES, 'escalation policy'), ('priority', PRIORITIES, 'priority')):
                value = actions.get(field)
                if value is not None and ctx.store[resource.collection].get(value) is None:
                    raise invalid_input(f'{label}: {name} {value} not found')

    def parent_reference(self, ctx, stored):
        return short_reference(ctx, EVENT_ORCHESTRATIONS, stored['parent_id'])

    def path_url(self, ctx, stored):
        return f"{EVENT_ORCHESTRATIONS.self_url(ctx, {'id': stored['parent_id']})}/{stored['type']}"

    def render(self, ctx, stored, includes=()):
        rendered = {
            'type': stored['type'],
            'parent': self.parent_reference(ctx, stored),
            'self': self.path_url(ctx, stored),
            'sets': stored['sets'],
            'catch_all': stored['catch_all'],
        }
        rendered.update(rendered_stamps(ctx, stored))
        rendered['version'] = stored['version']
        return rendered


class ServiceOrchestrations(OrchestrationPaths):
    """The service orchestration of every service, stored by service id on first use."""

    collection = 'service_orchestrations'
    segment = 'event_orchestrations/services'
    parent_field = None

    def lookup(self, ctx, object_id, parent=None):
        """The service's orchestration (made now, by no user, if the service has none yet); 404 for an unknown service."""
        service = SERVICES.lookup(ctx, object_id)
        stored = ctx.store[self.collection].get(service['id'])
        return stored if stored is not None else self.create_initial(ctx, service['id'], SERVICE, by_request=False)

    @staticmethod
    def document_id(parent_id, path_type):
        return parent_id

    def seed(self, ctx, item):
        """{"service": id, "sets": [...], "catch_all": {...}, "active": true|false} (each but service optional)."""
        stored = self.lookup(ctx, item.pop('service'))
        if 'sets' in item or 'catch_all' in item:
            stored = self.replace(ctx, stored, dict(item, sets=item.get('sets', stored['sets'])))
        if 'active' in item:
            stored = dict(stored, active=bool(item['active']))
            ctx.store[self.collection].put(stored)
        return stored

    def parent_reference(self, ctx, stored):
        return short_reference(ctx, SERVICES, stored['parent_id'])

    def path_url(self, ctx, stored):
        return self.self_url(ctx, {'id': stored['parent_id']})


def _path_document(ctx, request):
    """The document a path route names: /event_orchestrations/services/{id} or /event_orchestrations/{id}/<type>."""
    if request.path.startswith(SERVICE_ORCHESTRATIONS.path() + '/'):
        return SERVICE_ORCHESTRATIONS, SERVICE_ORCHESTRATIONS.lookup(ctx, request.params[0])
    orchestration = EVENT_ORCHESTRATIONS.lookup(ctx, request.params[0])
    return ORCHESTRATION_PATHS, ORCHESTRATION_PATHS.document(ctx, orchestration['id'], request.path.rsplit('/', 1)[-1])


def show_path(ctx, request):
    resource, stored = _path_document(ctx, request)
    return 200, {'orchestration_path': resource.render(ctx, stored)}


def update_path(ctx, request):
    """PUT of a path: the document and the plan's warnings (none: the simulated account has every feature)."""
    resource, stored = _path_document(ctx, request)
    updated = resource.replace(ctx, stored, wrapped_body(resource, request.body))
    return 200, {'orchestration_path': resource.render(ctx, updated), 'warnings': []}


def show_active(ctx, request):
    return 200, {'active': SERVICE_ORCHESTRATIONS.lookup(ctx, request.params[0])['active']}


def update_active(ctx, request):
    stored = SERVICE_ORCHESTRATIONS.lookup(ctx, request.params[0])
    if not isinstance(request.body, dict) or not isinstance(request.body.get('active'), bool):
        raise invalid_input('The request body must be {"active": true} or {"active": false}')
    ctx.store[SERVICE_ORCHESTRATIONS.collection].put(dict(stored, active=request.body['active']))
    return 200, {'active': request.body['active']}


# --- cache variables -------------------------------------------------------------------------

class CacheVariables(Resource):
    """The cache variables of an orchestration or of a service orchestration (``parent``)."""

    segment = 'cache_variables'
    wrapper = 'cache_variable'
    type_name = 'cache_variable'
    sort_field = None
    paginated = False
    list_total = True
    create_status = 200   # the spec's answer to the POST

    def __init__(self, parent, collection, parent_field):
        super().__init__(parent)
        self.collection = collection
        self.parent_field = parent_field

    def new_id(self, ctx, object_id=None):
        return uuid_id(ctx, object_id)

    def _check(self, ctx, data, parent_id, stored=None):
        if stored is None or 'name' in data:
            check_text(data, 'name', 'Name', required=True)
            if any(item['name'] == data['name'] and item['id'] != (stored or {}).get('id') for item in ctx.store[self.collection].children(parent_id)):
                raise invalid_input('Name has already been taken')
        if 'disabled' in data and not isinstance(data['disabled'], bool):
            raise invalid_input('Disabled must be true or false')
        for condition in data.get('conditions') or []:
            if not isinstance(condition, dict) or not isinstance(condition.get('expression'), str):
                raise invalid_input('Every condition needs an expression')
            if TRIGGER_COUNT.search(condition['expression']):
                raise invalid_input('The trigger_count and resetting_trigger_count operators cannot be used in cache variable conditions')
        if stored is not None and 'configuration' not in data:
            return stored['configuration']
        return self._configuration(data.get('configuration'))

    @staticmethod
    def _configuration(configuration):
        """The configuration with the fields of its type only."""
        kind = (configuration or {}).get('type')
        if kind not in CACHE_VARIABLE_FIELDS:
            raise invalid_input(f"Configuration type must be one of {', '.join(CACHE_VARIABLE_FIELDS)}")
        required, optional = CACHE_VARIABLE_FIELDS[kind]
        missing = [field for field in required if configuration.get(field) is None]
        if missing:
            raise invalid_input(f"Configuration of type {kind} needs {' and '.join(missing)}")
        ttl = configuration.get('ttl_seconds')
        if ttl is not None and (not is_int(ttl) or ttl < 1):
            raise invalid_input('Configuration ttl_seconds must be a positive integer')
        return {'type': kind, **{field: configuration[field] for field in required + optional if configuration.get(field) is not None}}

    def create(self, ctx, data, object_id=None, parent=None):
        if parent is None:
            raise ValueError('a cache variable needs its orchestration')
        configuration = self._check(ctx, data, parent['id'])
        stored = {'id': self.new_id(ctx, object_id), self.parent_field: parent['id'], 'name': data['name'],
                  'disabled': data.get('disabled', False), 'conditions': list(data.get('conditions') or []), 'configuration': configuration}
        stamp(ctx, stored, creating=True)
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        stored['configuration'] = self._check(ctx, data, stored[self.parent_field], stored)
        for field in ('name', 'disabled', 'conditions'):
            if field in data and data[field] is not None:
                stored[field] = data[field]
        stamp(ctx, stored)
        return stored

    def render(self, ctx, stored, includes=()):
        rendered = {'id': stored['id'], 'name': stored['name'], 'disabled': stored['disabled'], 'conditions': stored['conditions'],
                    'configuration': stored['configuration']}
        rendered.update(rendered_stamps(ctx, stored))
        if stored['configuration']['type'] == 'external_data':
            rendered['data_endpoint'] = self.self_url(ctx, stored) + '/data'
        return rendered


EVENT_ORCHESTRATIONS = EventOrchestrations()
ORCHESTRATION_INTEGRATIONS = OrchestrationIntegrations(parent=EVENT_ORCHESTRATIONS)
ORCHESTRATION_PATHS = OrchestrationPaths()
SERVICE_ORCHESTRATIONS = ServiceOrchestrations()
ORCHESTRATION_CACHE_VARIABLES = CacheVariables(EVENT_ORCHESTRATIONS, 'orchestration_cache_variables', 'orchestration_id')
SERVICE_CACHE_VARIABLES = CacheVariables(SERVICE_ORCHESTRATIONS, 'service_cache_variables', 'service_id')


def drop_service_orchestration(ctx, service):
    """Services (a delete cascade): a deleted service's orchestration and cache variables go with it."""
    _remove_all(ctx, SERVICE_CACHE_VARIABLES, ctx.store[SERVICE_CACHE_VARIABLES.collection].children(service['id']))
    ctx.store[SERVICE_ORCHESTRATIONS.collection].remove(service['id'])


def router_target(ctx, routing_key):
    """For the Events API: (the orchestration integration of the routing key or None, the service id its router sends
    an event to or None).  Only rules without conditions are evaluated (they always match); a rule with conditions,
    a disabled rule or dynamic routing is passed over, and the catch-all applies last."""
    integration = ORCHESTRATION_INTEGRATIONS.find(ctx, routing_key)
    if integration is None:
        return None, None
    router = ORCHESTRATION_PATHS.document(ctx, integration['orchestration_id'], ROUTER)
    for rule in router['sets'][0]['rules']:
        if not rule.get('conditions') and not rule.get('disabled') and rule['actions'].get('route_to'):
            return integration, rule['actions']['route_to']
    target = router['catch_all']['actions'].get('route_to')
    return integration, None if target == UNROUTED else target


ROUTES = [
    Route('GET', '/event_orchestrations', list_orchestrations),
    Route('GET', '/event_orchestrations/services/{service_id}', show_path),
    Route('PUT', '/event_orchestrations/services/{service_id}', update_path),
    Route('GET', '/event_orchestrations/services/{service_id}/active', show_active),
    Route('PUT', '/event_orchestrations/services/{service_id}/active', update_active),
] + [Route(method, f'/event_orchestrations/{{id}}/{path_type}', handler)
     for path_type in ORCHESTRATION_PATH_TYPES for method, handler in (('GET', show_path), ('PUT', update_path))]
