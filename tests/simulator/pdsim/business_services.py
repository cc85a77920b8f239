"""Business services, their notification subscribers, and service dependencies.

- /business_services and /business_services/{id}: the generic five (the spec's create answers 200); a business
  service has a unique name, a description, a ``point_of_contact`` text and an owning team (``{"id"}``).
- /business_services/{id}/subscribers (GET: every subscriber in one answer, the spec gives the list no limit or
  offset; POST: subscribe users and teams) and /business_services/{id}/unsubscribe (POST).
- /service_dependencies/associate and /disassociate (POST, a list of ``relationships``), and the immediate
  dependencies of a business service (/service_dependencies/business_services/{id}) or of a technical service
  (/service_dependencies/technical_services/{id}): those where it is the dependent and those where it supports.

A deleted business service takes its subscribers and dependencies along (``on_delete``); a deleted technical
service takes its dependencies along through ``drop_service_dependencies``, a delete cascade wired in ``pdsim.api``.
Subscribers whose user or team is gone, and an owning team that is gone, are not shown.
"""

import random
import string

from pdsim.core import NOT_FOUND, ApiError, Resource, Route, check_text, invalid_input, reference_id, seed_reference
from pdsim.services import SERVICES
from pdsim.teams import TEAMS
from pdsim.users import USERS

ACCOUNT_ID = 'PSIMACC'
SUBSCRIBER_KINDS = {'user': USERS, 'team': TEAMS}
TECHNICAL, BUSINESS = 'service', 'business_service'
# The types a relationship's side may carry: the spec's request example sends "service" and "business_service",
# its answers show "technical_service_reference" and "business_service_reference".
SIDE_TYPES = {
    'service': TECHNICAL, 'service_reference': TECHNICAL, 'technical_service_reference': TECHNICAL,
    'business_service': BUSINESS, 'business_service_reference': BUSINESS,
}
ANSWER_TYPES = {TECHNICAL: 'technical_service_reference', BUSINESS: 'business_service_reference'}
DEPENDENCY_ID_ALPHABET = string.ascii_uppercase + string.digits


class BusinessServices(Resource):
    collection = 'business_services'
    wrapper = 'business_service'
    type_name = 'business_service'
    unique_field = 'name'
    create_status = 200  # the spec: "200: The Business Service that was created"

    def html_url(self, stored):
        return None  # the spec's examples all show "html_url": null

    def _check_fields(self, ctx, data, stored=None):
        self.check_named(ctx, data, stored)
        check_text(data, 'point_of_contact', 'Point of contact', nullable=True)
        if data.get('team') is not None:
            team_id = reference_id(data['team'], 'Team', ('team_reference', 'team'))
            if ctx.store[TEAMS.collection].get(team_id) is None:
                raise invalid_input(f'Team {team_id} not found')

    def create(self, ctx, data, object_id=None, parent=None):
        self._check_fields(ctx, data)
        stored = {
            'id': self.new_id(ctx, object_id),
            'name': data['name'],
            'description': data.get('description'),
            'point_of_contact': data.get('point_of_contact'),
            'team_id': (data.get('team') or {}).get('id'),
        }
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        self._check_fields(ctx, data, stored)
        for field in ('name', 'description', 'point_of_contact'):
            if field in data:
                stored[field] = data[field]
        if 'team' in data:
            stored['team_id'] = (data['team'] or {}).get('id')
        return stored

    def on_delete(self, ctx, stored):
        for subscription in SUBSCRIBERS.children(ctx, stored):
            ctx.store[SUBSCRIBERS.collection].remove(subscription['id'])
        drop_dependencies(ctx, BUSINESS, stored['id'])

    def seed(self, ctx, item):
        """A seeded business service may name its team by bare id and carry ``subscribers`` ({"user": id} or
        {"team": id}) and ``supporting_services`` / ``supporting_business_services`` (ids)."""
        subscribers = item.pop('subscribers', None) or []
        supporting = [(TECHNICAL, object_id) for object_id in item.pop('supporting_services', None) or []]
        supporting += [(BUSINESS, object_id) for object_id in item.pop('supporting_business_services', None) or []]
        if isinstance(item.get('team'), str):
            item['team'] = seed_reference(item['team'], 'team_reference')
        stored = super().seed(ctx, item)
        for subscriber in subscribers:
            [(kind, subscriber_id)] = subscriber.items()
            subscribe(ctx, stored, {'subscriber_type': kind, 'subscriber_id': subscriber_id})
        for kind, object_id in supporting:
            associate(ctx, {'supporting_service': {'id': object_id, 'type': kind}, 'dependent_service': {'id': stored['id'], 'type': BUSINESS}})
        return stored

    def bulk_item(self, index):
        return {'name': f'Business service {index:05d}'}

    def render(self, ctx, stored, includes=()):
        team = ctx.store[TEAMS.collection].get(stored['team_id']) if stored.get('team_id') else None
        return {
            **self.header(ctx, stored),
            'name': stored['name'],
            'description': stored['description'],
            'point_of_contact': stored['point_of_contact'],
            # As the spec's examples show it: id, type and self.
            'team': {'id': team['id'], 'type': 'team_reference', 'self': TEAMS.self_url(ctx, team)} if team else None,
        }


class Subscribers(Resource):
    """One subscription of a user or a team to a business service (no routes of its own)."""

    collection = 'business_service_subscribers'
    type_name = 'notification_subscriber'
    parent_field = 'business_service_id'  # an index, not a nested kind
    sort_field = None
    operations = ()

    def render(self, ctx, stored, includes=()):
        return {'subscriber_id': stored['subscriber_id'], 'subscriber_type': stored['subscriber_type']}

    def seed(self, ctx, item):
        raise ValueError('subscribers are seeded inside their business service')

    @staticmethod
    def exists(ctx, stored):
        return ctx.store[SUBSCRIBER_KINDS[stored['subscriber_type']].collection].get(stored['subscriber_id']) is not None


class ServiceDependencies(Resource):
    """One relationship: a supporting service (technical or business) and the one that depends on it."""

    collection = 'service_dependencies'
    type_name = 'service_dependency'
    sort_field = None
    operations = ()

    def render(self, ctx, stored, includes=()):
        return {
            'supporting_service': {'id': stored['supporting_id'], 'type': ANSWER_TYPES[stored['supporting_kind']]},
            'dependent_service': {'id': stored['dependent_id'], 'type': ANSWER_TYPES[stored['dependent_kind']]},
            'id': stored['id'],
            'type': self.type_name,
        }

    def seed(self, ctx, item):
        return associate(ctx, item)


BUSINESS_SERVICES = BusinessServices()
SUBSCRIBERS = Subscribers()
SERVICE_DEPENDENCIES = ServiceDependencies()
KIND_RESOURCES = {TECHNICAL: SERVICES, BUSINESS: BUSINESS_SERVICES}


# --- subscribers ---------------------------------------------------------------------------

def _subscribers_body(body):
    """The ``subscribers`` of a subscribe or unsubscribe body (at least one, each a user or a team with an id)."""
    subscribers = body.get('subscribers') if isinstance(body, dict) else None
    if not isinstance(subscribers, list) or not subscribers:
        raise invalid_input('Subscribers must be a list of at least one subscriber')
    for subscriber in subscribers:
        if not isinstance(subscriber, dict) or subscriber.get('subscriber_type') not in SUBSCRIBER_KINDS:
            raise invalid_input('Subscriber type must be user or team')
        if not isinstance(subscriber.get('subscriber_id'), str) or not subscriber['subscriber_id']:
            raise invalid_input('Subscriber id must be a string')
    return subscribers


def subscription_id(business_service_id, subscriber):
    return f"{business_service_id}/{subscriber['subscriber_type']}/{subscriber['subscriber_id']}"


def subscribe(ctx, business_service, subscriber):
    """Subscribe one user or team: ``success``, or ``duplicate`` when it already is; 400 for an unknown one."""
    kind, subscriber_id = subscriber['subscriber_type'], subscriber['subscriber_id']
    if ctx.store[SUBSCRIBER_KINDS[kind].collection].get(subscriber_id) is None:
        raise invalid_input(f'{kind.capitalize()} {subscriber_id} not found')
    object_id = subscription_id(business_service['id'], subscriber)
    stored = ctx.store[SUBSCRIBERS.collection].get(object_id)
    result = 'duplicate' if stored is not None else 'success'
    if stored is None:
        ctx.store[SUBSCRIBERS.collection].put({'id': object_id, 'business_service_id': business_service['id'],
                                               'subscriber_type': kind, 'subscriber_id': subscriber_id})
    return {'account_id': ACCOUNT_ID, 'subscribable_id': business_service['id'], 'subscribable_type': 'business_service',
            'subscriber_id': subscriber_id, 'subscriber_type': kind, 'result': result}


def list_subscribers(ctx, request):
    business_service = BUSINESS_SERVICES.lookup(ctx, request.params[0])
    items = [SUBSCRIBERS.render(ctx, item) for item in SUBSCRIBERS.children(ctx, business_service) if SUBSCRIBERS.exists(ctx, item)]
    return 200, {'subscribers': items, 'account_id': ACCOUNT_ID, 'limit': max(len(items), 1), 'offset': 0, 'more': False,
                 'total': len(items)}


def add_subscribers(ctx, request):
    business_service = BUSINESS_SERVICES.lookup(ctx, request.params[0])
    subscribers = _subscribers_body(request.body)
    for subscriber in subscribers:  # every one is checked before any is subscribed
        if ctx.store[SUBSCRIBER_KINDS[subscriber['subscriber_type']].collection].get(subscriber['subscriber_id']) is None:
            raise invalid_input(f"{subscriber['subscriber_type'].capitalize()} {subscriber['subscriber_id']} not found")
    return 200, {'subscriptions': [subscribe(ctx, business_service, subscriber) for subscriber in subscribers]}


def remove_subscribers(ctx, request):
    business_service = BUSINESS_SERVICES.lookup(ctx, request.params[0])
    deleted = missing = 0
    for subscriber in _subscribers_body(request.body):
        if ctx.store[SUBSCRIBERS.collection].remove(subscription_id(business_service['id'], subscriber)) is None:
            missing += 1
        else:
            deleted += 1
    return 200, {'deleted_count': deleted, 'unauthorized_count': 0, 'non_existent_count': missing}


# --- service dependencies ------------------------------------------------------------------

def _side(ctx, relationship, name):
    """(kind, id) of one side of a relationship; 400 for a malformed one, 404 for an unknown service."""
    side = relationship.get(name) if isinstance(relationship, dict) else None
    if not isinstance(side, dict) or not isinstance(side.get('id'), str) or not side['id']:
        raise invalid_input(f'{name} must be a reference with an id and a type')
    kind = SIDE_TYPES.get(side.get('type'))
    if kind is None:
        raise invalid_input(f"{name} type must be one of {', '.join(SIDE_TYPES)}, got {side.get('type')!r}")
    if ctx.store[KIND_RESOURCES[kind].collection].get(side['id']) is None:
        raise ApiError(404, NOT_FOUND, [f"{'Business service' if kind == BUSINESS else 'Service'} {side['id']} not found"])
    return kind, side['id']


def _relationships(ctx, body):
    """[((supporting kind, id), (dependent kind, id)), ...] of an associate or disassociate body, all checked first."""
    relationships = body.get('relationships') if isinstance(body, dict) else None
    if not isinstance(relationships, list) or not relationships:
        raise invalid_input('Relationships must be a list of at least one relationship')
    pairs = []
    for relationship in relationships:
        supporting, dependent = _side(ctx, relationship, 'supporting_service'), _side(ctx, relationship, 'dependent_service')
        if supporting == dependent:
            raise invalid_input(f'A service cannot depend on itself ({supporting[1]})')
        pairs.append((supporting, dependent))
    return pairs


def _find(ctx, supporting, dependent):
    return next((item for item in ctx.store[SERVICE_DEPENDENCIES.collection].values()
                 if (item['supporting_kind'], item['supporting_id']) == supporting and (item['dependent_kind'], item['dependent_id']) == dependent),
                None)


def _new_dependency_id(ctx):
    while True:
        candidate = 'D' + ''.join(random.choices(DEPENDENCY_ID_ALPHABET, k=15))
        if ctx.store[SERVICE_DEPENDENCIES.collection].get(candidate) is None:
            return candidate


def associate(ctx, relationship):
    """Store one relationship (an existing one is kept as it is) and return it."""
    [(supporting, dependent)] = _relationships(ctx, {'relationships': [relationship]})
    stored = _find(ctx, supporting, dependent)
    if stored is None:
        stored = {'id': _new_dependency_id(ctx), 'supporting_kind': supporting[0], 'supporting_id': supporting[1],
                  'dependent_kind': dependent[0], 'dependent_id': dependent[1]}
        ctx.store[SERVICE_DEPENDENCIES.collection].put(stored)
    return stored


def associate_handler(ctx, request):
    pairs = _relationships(ctx, request.body)
    made = [associate(ctx, {'supporting_service': {'id': s[1], 'type': s[0]}, 'dependent_service': {'id': d[1], 'type': d[0]}})
            for s, d in pairs]
    return 200, {'relationships': [SERVICE_DEPENDENCIES.render(ctx, stored) for stored in made]}


def disassociate_handler(ctx, request):
    removed = []
    for supporting, dependent in _relationships(ctx, request.body):
        stored = _find(ctx, supporting, dependent)
        if stored is not None:
            ctx.store[SERVICE_DEPENDENCIES.collection].remove(stored['id'])
            removed.append(stored)
    return 200, {'relationships': [SERVICE_DEPENDENCIES.render(ctx, stored) for stored in removed]}


def dependencies_of(ctx, kind, object_id):
    """The relationships in which the service is the dependent or the supporting one."""
    return [item for item in ctx.store[SERVICE_DEPENDENCIES.collection].values()
            if (item['dependent_kind'], item['dependent_id']) == (kind, object_id)
            or (item['supporting_kind'], item['supporting_id']) == (kind, object_id)]


def drop_dependencies(ctx, kind, object_id):
    for item in dependencies_of(ctx, kind, object_id):
        ctx.store[SERVICE_DEPENDENCIES.collection].remove(item['id'])


def drop_service_dependencies(ctx, service):
    """A delete cascade of technical services (wired in pdsim.api): their dependencies go with them."""
    drop_dependencies(ctx, TECHNICAL, service['id'])


def show_dependencies(kind):
    def handle(ctx, request):
        stored = KIND_RESOURCES[kind].lookup(ctx, request.params[0])
        return 200, {'relationships': [SERVICE_DEPENDENCIES.render(ctx, item) for item in dependencies_of(ctx, kind, stored['id'])]}
    return handle


ROUTES = [
    Route('GET', '/business_services/{id}/subscribers', list_subscribers),
    Route('POST', '/business_services/{id}/subscribers', add_subscribers),
    Route('POST', '/business_services/{id}/unsubscribe', remove_subscribers),
    Route('POST', '/service_dependencies/associate', associate_handler),
    Route('POST', '/service_dependencies/disassociate', disassociate_handler),
    Route('GET', '/service_dependencies/business_services/{id}', show_dependencies(BUSINESS)),
    Route('GET', '/service_dependencies/technical_services/{id}', show_dependencies(TECHNICAL)),
]
