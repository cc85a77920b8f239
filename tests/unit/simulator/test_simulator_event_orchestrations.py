"""Event Orchestrations in the PagerDuty simulator: orchestrations, integrations, router/unrouted/global and service
paths, the active switch, cache variables and routing keys on the Events API."""

import re

import pytest
import requests

UUID = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
ROUTING_KEY = re.compile(r'^R0[A-Z0-9]{30}$')
RULE_ID = re.compile(r'^[0-9a-f]{8}$')
ZULU = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')

pytestmark = pytest.mark.needs_spec


def invalid(*errors):
    return {'error': {'message': 'Invalid Input Provided', 'code': 2001, 'errors': list(errors)}}


@pytest.fixture(name='sim')
def seeded_sim_fixture(sim):
    """A team, a policy, two services."""
    sim.seed({
        'teams': [{'id': 'PTEAM01', 'name': 'Ops'}],
        'escalation_policies': [{'id': 'PEP0001', 'name': 'Primary', 'escalation_rules': [{'escalation_delay_in_minutes': 30, 'targets': ['PSOWNER']}]}],
        'services': [{'id': 'PSVC001', 'name': 'Web', 'escalation_policy': 'PEP0001'}, {'id': 'PSVC002', 'name': 'Db', 'escalation_policy': 'PEP0001'}],
    })
    sim.clear_requests()
    return sim


def user_ref(sim, user_id='PSOWNER'):
    return {'id': user_id, 'type': 'user_reference', 'self': '%s/users/%s' % (sim.url, user_id)}


def create(sim, api, **fields):
    response = api.post(sim.url + '/event_orchestrations', json={'orchestration': dict({'name': 'Shop'}, **fields)})
    assert response.status_code == 201, response.text
    return response.json()['orchestration']


def path_url(sim, orchestration_id, path_type):
    return '%s/event_orchestrations/%s/%s' % (sim.url, orchestration_id, path_type)


def put_path(api, url, sets, catch_all=None):
    document = {'sets': sets}
    if catch_all is not None:
        document['catch_all'] = catch_all
    return api.put(url, json={'orchestration_path': document})


# --- orchestrations and integrations --------------------------------------------------------

def test_create_shape_and_default_integration(sim, api):
    created = create(sim, api, description='Cart alerts', team={'id': 'PTEAM01'})
    assert UUID.match(created['id'])
    integration = created['integrations'][0]
    assert created == {
        'id': created['id'], 'self': '%s/event_orchestrations/%s' % (sim.url, created['id']), 'name': 'Shop', 'description': 'Cart alerts',
        'team': {'id': 'PTEAM01', 'type': 'team_reference', 'self': sim.url + '/teams/PTEAM01'},
        'integrations': [{'id': integration['id'], 'label': 'Shop Default Integration',
                          'parameters': {'routing_key': integration['parameters']['routing_key'], 'type': 'global'}}],
        'routes': 0, 'created_at': created['created_at'], 'created_by': user_ref(sim), 'updated_at': created['created_at'],
        'updated_by': user_ref(sim), 'version': created['version'],
    }
    assert UUID.match(integration['id']) and ROUTING_KEY.match(integration['parameters']['routing_key'])
    assert ZULU.match(created['created_at']) and len(created['version']) == 32
    assert api.get(created['self']).json() == {'orchestration': created}
    assert sim.violations() == []


def test_list_sort_update_and_delete(sim, api):
    first = create(sim, api, name='Beta')
    second = create(sim, api, name='alpha')
    listed = api.get(sim.url + '/event_orchestrations').json()  # the spec gives this list no total parameter
    assert [item['name'] for item in listed['orchestrations']] == ['alpha', 'Beta']
    assert (listed['total'], listed['more'], listed['limit'], listed['offset']) == (None, False, 25, 0)
    assert 'integrations' not in listed['orchestrations'][0]
    desc = api.get(sim.url + '/event_orchestrations', params={'sort_by': 'name:desc', 'limit': 1}).json()
    assert [item['name'] for item in desc['orchestrations']] == ['Beta'] and desc['more'] is True
    # PUT changes the fields given, a new version, and the default integration's label follows the name.
    response = api.put(first['self'], json={'orchestration': {'name': 'Gamma', 'team': {'id': 'PTEAM01'}}})
    assert response.status_code == 200, response.text
    updated = response.json()['orchestration']
    assert (updated['name'], updated['description'], updated['team']['id']) == ('Gamma', None, 'PTEAM01')
    assert updated['version'] != first['version'] and updated['integrations'][0]['label'] == 'Gamma Default Integration'
    assert api.put(first['self'], json={'orchestration': {'team': {'id': 'PNOPE01'}}}).json() == invalid('Team PNOPE01 not found')
    assert api.post(sim.url + '/event_orchestrations', json={'orchestration': {'name': ' '}}).json() == invalid("Name can't be blank")
    assert api.delete(second['self']).status_code == 204
    assert api.get(second['self']).status_code == 404
    assert api.get(path_url(sim, second['id'], 'router')).status_code == 404
    assert [(item['parent']['id'], item['type']) for item in sim.state()['orchestration_paths']] == [
        (first['id'], kind) for kind in ('router', 'unrouted', 'global')]
    assert sim.violations() == []


def test_integrations_crud(sim, api):
    orchestration = create(sim, api)
    base = orchestration['self'] + '/integrations'
    response = api.post(base, json={'integration': {'label': 'Monitoring Tool X'}})
    assert response.status_code == 201, response.text
    added = response.json()['integration']
    assert added['label'] == 'Monitoring Tool X' and added['parameters']['type'] == 'global'
    listed = api.get(base).json()
    assert [item['label'] for item in listed['integrations']] == ['Shop Default Integration', 'Monitoring Tool X'] and listed['total'] == 2
    assert api.get(base + '/' + added['id']).json() == {'integration': added}
    renamed = api.put(base + '/' + added['id'], json={'integration': {'label': 'Tool Y'}}).json()['integration']
    assert renamed == dict(added, label='Tool Y')  # the routing key stays
    assert api.delete(base + '/' + added['id']).status_code == 204
    assert api.get(base + '/' + added['id']).status_code == 404
    assert api.get(orchestration['self']).json()['orchestration']['integrations'] == orchestration['integrations']
    assert sim.violations() == []


# --- paths ----------------------------------------------------------------------------------

def test_initial_documents(sim, api):
    orchestration = create(sim, api)
    parent = {'id': orchestration['id'], 'type': 'event_orchestration_reference', 'self': orchestration['self']}
    for path_type, catch_all in (('router', {'actions': {'route_to': 'unrouted'}}), ('unrouted', {'actions': {}}), ('global', {'actions': {}})):
        document = api.get(path_url(sim, orchestration['id'], path_type)).json()['orchestration_path']
        assert document == {
            'type': path_type, 'parent': parent, 'self': path_url(sim, orchestration['id'], path_type),
            'sets': [{'id': 'start', 'rules': []}], 'catch_all': catch_all, 'created_at': orchestration['created_at'],
            'created_by': user_ref(sim), 'updated_at': orchestration['created_at'], 'updated_by': user_ref(sim), 'version': document['version'],
        }
    service = api.get(sim.url + '/event_orchestrations/services/PSVC001').json()['orchestration_path']
    assert service == {
        'type': 'service', 'parent': {'id': 'PSVC001', 'type': 'service_reference', 'self': sim.url + '/services/PSVC001'},
        'self': sim.url + '/event_orchestrations/services/PSVC001', 'sets': [{'id': 'start', 'rules': []}], 'catch_all': {'actions': {}},
        'created_at': service['created_at'], 'created_by': None, 'updated_at': service['created_at'], 'updated_by': None,
        'version': service['version'],
    }
    assert api.get(sim.url + '/event_orchestrations/services/PNOPE01').status_code == 404
    assert api.get(path_url(sim, 'nope', 'global')).status_code == 404
    assert sim.violations() == []


def test_rule_ids_sets_and_versions(sim, api):
    orchestration = create(sim, api)
    url = path_url(sim, orchestration['id'], 'global')
    before = api.get(url).json()['orchestration_path']
    sets = [
        {'id': 'start', 'rules': [{'label': 'Enrich', 'conditions': [], 'actions': {'route_to': 'step-two'}},
                                  {'id': 'keepme01', 'actions': {'severity': 'warning'}, 'disabled': True}]},
        {'id': 'step-two', 'rules': [{'label': 'P1', 'conditions': [{'expression': "event.severity matches 'critical'"}],
                                      'actions': {'priority': sim_priority(api, sim), 'escalation_policy': 'PEP0001', 'suppress': False}}]},
    ]
    response = put_path(api, url, sets, {'actions': {'suppress': True}})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer['warnings'] == []
    document = answer['orchestration_path']
    assert [item['id'] for item in document['sets']] == ['start', 'step-two']
    generated = document['sets'][0]['rules'][0]['id']
    assert RULE_ID.match(generated)
    assert document['sets'][0]['rules'] == [
        {'label': 'Enrich', 'id': generated, 'conditions': [], 'actions': {'route_to': 'step-two'}},
        {'id': 'keepme01', 'actions': {'severity': 'warning'}, 'disabled': True},
    ]
    assert document['catch_all'] == {'actions': {'suppress': True}}
    assert document['version'] != before['version'] and document['created_at'] == before['created_at']
    assert api.get(url).json()['orchestration_path'] == document
    # Sent back with its ids, every rule keeps them; omitted rules are gone.
    again = put_path(api, url, [document['sets'][0], {'id': 'step-two', 'rules': []}]).json()['orchestration_path']
    assert [rule['id'] for rule in again['sets'][0]['rules']] == [generated, 'keepme01'] and again['sets'][1]['rules'] == []
    assert again['catch_all'] == {'actions': {}}
    assert sim.violations() == []


def sim_priority(api, sim):
    return api.get(sim.url + '/priorities').json()['priorities'][0]['id']


def test_path_refusals(sim, api):
    orchestration = create(sim, api)
    unrouted = path_url(sim, orchestration['id'], 'unrouted')
    refusals = [
        (unrouted, [{'id': 'start', 'rules': [{'id': 'r1', 'actions': {'route_to': 'nowhere'}}]}],
         'Rule r1: route_to nowhere is not a set of this orchestration path'),
        (unrouted, [{'id': 'other', 'rules': []}, {'id': 'start', 'rules': []}], 'The first set must be the "start" set, not other'),
        (unrouted, [{'id': 'start', 'rules': []}, {'id': 'start', 'rules': []}], 'Set start is given more than once'),
        (unrouted, [{'id': 'start', 'rules': [{'id': 'r1', 'actions': {}}, {'id': 'r1', 'actions': {}}]}], 'Rule id r1 is given more than once'),
        (path_url(sim, orchestration['id'], 'global'), [{'id': 'start', 'rules': [{'id': 'r2', 'actions': {'escalation_policy': 'PNOPE01'}}]}],
         'Rule r2: escalation policy PNOPE01 not found'),
        (sim.url + '/event_orchestrations/services/PSVC001', [{'id': 'start', 'rules': [{'id': 'r3', 'actions': {'priority': 'PNOPE01'}}]}],
         'Rule r3: priority PNOPE01 not found'),
        (path_url(sim, orchestration['id'], 'router'), [{'id': 'start', 'rules': [{'id': 'r4', 'actions': {'route_to': 'PNOPE01'}}]}],
         'Rule r4: route_to PNOPE01 is not a service'),
        (path_url(sim, orchestration['id'], 'router'),
         [{'id': 'start', 'rules': [{'id': 'r5', 'actions': {'route_to': 'PSVC001'}},
                                    {'id': 'r6', 'actions': {'dynamic_route_to': {'source': 'event.summary', 'regex': '.*', 'lookup_by': 'service_name'}}}]}],
         'Rule r6: only the first rule of the router may use dynamic_route_to'),
        (path_url(sim, orchestration['id'], 'router'),
         [{'id': 'start', 'rules': [{'id': 'r7', 'conditions': [{'expression': 'event.summary exists'}],
                                     'actions': {'dynamic_route_to': {'source': 'event.summary', 'regex': '.*', 'lookup_by': 'service_id'}}}]}],
         'Rule r7: a rule with dynamic_route_to cannot have conditions or a route_to action'),
    ]
    for url, sets, text in refusals:
        assert put_path(api, url, sets).json() == invalid(text), text
    response = put_path(api, path_url(sim, orchestration['id'], 'router'), [{'id': 'start', 'rules': []}], {'actions': {'route_to': 'PNOPE01'}})
    assert response.json() == invalid('Catch-all: route_to must be "unrouted" or a service; PNOPE01 is not a service')
    assert sim.violations() == []
    # The router has exactly one set: the spec says so, the validator refuses.
    response = put_path(api, path_url(sim, orchestration['id'], 'router'), [{'id': 'start', 'rules': []}, {'id': 'two', 'rules': []}])
    assert response.status_code == 400 and 'at most 1 items' in response.text


def test_router_routes_and_service_cascade(sim, api):
    orchestration = create(sim, api)
    url = path_url(sim, orchestration['id'], 'router')
    sets = [{'id': 'start', 'rules': [{'label': 'www', 'conditions': [{'expression': "event.summary matches part 'www'"}], 'actions': {'route_to': 'PSVC001'}},
                                      {'label': 'db', 'conditions': [{'expression': "event.summary matches part 'db'"}], 'actions': {'route_to': 'PSVC002'}}]}]
    document = put_path(api, url, sets, {'actions': {'route_to': 'PSVC001'}}).json()['orchestration_path']
    assert document['catch_all'] == {'actions': {'route_to': 'PSVC001'}}
    assert api.get(orchestration['self']).json()['orchestration']['routes'] == 2
    # Without a catch_all the router sends to the unrouted path.
    assert put_path(api, url, sets).json()['orchestration_path']['catch_all'] == {'actions': {'route_to': 'unrouted'}}
    # A deleted service takes its service orchestration and cache variables along; router rules naming it stay.
    service_path = sim.url + '/event_orchestrations/services/PSVC002'
    assert put_path(api, service_path, [{'id': 'start', 'rules': [{'actions': {'severity': 'info'}}]}]).status_code == 200
    api.post(service_path + '/cache_variables', json={'cache_variable': {'name': 'hits', 'configuration': {'type': 'trigger_event_count', 'ttl_seconds': 60}}})
    assert [item['parent']['id'] for item in sim.state()['service_orchestrations']] == ['PSVC002']
    assert api.delete(sim.url + '/services/PSVC002').status_code == 204
    state = sim.state()
    assert (state['service_orchestrations'], state['service_cache_variables']) == ([], [])
    assert api.get(url).json()['orchestration_path']['sets'][0]['rules'][1]['actions'] == {'route_to': 'PSVC002'}
    assert sim.violations() == []


def test_service_rule_shape_and_strict_validation(sim, api):
    url = sim.url + '/event_orchestrations/services/PSVC001'
    response = put_path(api, url, [{'id': 'start', 'rules': [{'label': 'Crit', 'actions': {'severity': 'critical'}}]}])
    rule = response.json()['orchestration_path']['sets'][0]['rules'][0]
    assert rule == {'label': 'Crit', 'id': rule['id'], 'actions': {'severity': 'critical'}}
    assert sim.violations() == []
    response = put_path(api, url, [{'id': 'start', 'rules': [{'actions': {'severity': 'fatal'}}]}])
    expected = 'body.orchestration_path.sets[0].rules[0].actions.severity must be one of "info", "error", "warning", "critical", got "fatal"'
    assert response.json() == invalid(expected)
    assert sim.violations() == [('PUT', '/event_orchestrations/services/PSVC001', [expected])]


def test_active_switch(sim, api):
    url = sim.url + '/event_orchestrations/services/PSVC001/active'
    assert api.get(url).json() == {'active': False}
    assert api.put(url, json={'active': True}).json() == {'active': True}
    assert api.get(url).json() == {'active': True}
    assert api.put(url, json={}).json() == invalid('The request body must be {"active": true} or {"active": false}')
    assert api.get(sim.url + '/event_orchestrations/services/PNOPE01/active').status_code == 404
    assert sim.violations() == []


# --- cache variables ------------------------------------------------------------------------

@pytest.mark.parametrize('parent', ['orchestration', 'service'])
def test_cache_variables(sim, api, parent):
    base = (create(sim, api)['self'] if parent == 'orchestration' else sim.url + '/event_orchestrations/services/PSVC001') + '/cache_variables'
    body = {'name': 'host', 'conditions': [{'expression': 'event.source exists'}],
            'configuration': {'type': 'recent_value', 'source': 'event.source', 'regex': 'www (.*) service'}}
    response = api.post(base, json={'cache_variable': body})
    assert response.status_code == 200, response.text  # the spec's status for this POST
    created = response.json()['cache_variable']
    assert created == dict(body, id=created['id'], disabled=False, created_at=created['created_at'], created_by=user_ref(sim),
                           updated_at=created['created_at'], updated_by=user_ref(sim))
    assert UUID.match(created['id'])
    external = api.post(base, json={'cache_variable': {'name': 'flag', 'configuration': {'type': 'external_data', 'data_type': 'boolean',
                                                                                         'ttl_seconds': 300}}}).json()['cache_variable']
    assert external['data_endpoint'] == '%s/%s/data' % (base, external['id']) and external['conditions'] == []
    listed = api.get(base).json()
    assert [item['name'] for item in listed['cache_variables']] == ['host', 'flag'] and listed['total'] == 2
    assert api.get(base + '/' + created['id']).json() == {'cache_variable': created}
    taken = api.post(base, json={'cache_variable': {'name': 'host', 'configuration': {'type': 'trigger_event_count', 'ttl_seconds': 60}}})
    assert taken.json() == invalid('Name has already been taken')
    counted = api.post(base, json={'cache_variable': {'name': 'n', 'conditions': [{'expression': 'trigger_count over 1 minute > 3'}],
                                                      'configuration': {'type': 'trigger_event_count', 'ttl_seconds': 60}}})
    assert counted.json() == invalid('The trigger_count and resetting_trigger_count operators cannot be used in cache variable conditions')
    missing = api.post(base, json={'cache_variable': {'name': 'n', 'configuration': {'type': 'recent_value', 'source': 'event.summary'}}})
    assert missing.json() == invalid('Configuration of type recent_value needs regex')
    change = {'disabled': True, 'configuration': {'type': 'trigger_event_count', 'ttl_seconds': 2}}
    response = api.put(base + '/' + created['id'], json={'cache_variable': change})
    updated = response.json()['cache_variable']
    assert (updated['disabled'], updated['configuration'], updated['name']) == (True, {'type': 'trigger_event_count', 'ttl_seconds': 2}, 'host')
    assert api.put(base + '/' + external['id'], json={'cache_variable': {'name': 'host'}}).json() == invalid('Name has already been taken')
    assert api.delete(base + '/' + created['id']).status_code == 204
    assert api.get(base + '/' + created['id']).status_code == 404
    assert sim.violations() == []


def test_cache_variable_spec_refusal(sim, api):
    base = create(sim, api)['self'] + '/cache_variables'
    response = api.post(base, json={'cache_variable': {'name': 'x', 'configuration': {'type': 'latest', 'ttl_seconds': 5}}})
    assert response.status_code == 400
    assert len(sim.violations()) == 1


def test_orchestration_delete_cascades(sim, api):
    orchestration = create(sim, api)
    api.post(orchestration['self'] + '/cache_variables', json={'cache_variable': {'name': 'n', 'configuration': {'type': 'trigger_event_count',
                                                                                                                 'ttl_seconds': 9}}})
    api.post(orchestration['self'] + '/integrations', json={'integration': {'label': 'Extra'}})
    assert api.delete(orchestration['self']).status_code == 204
    state = sim.state()
    assert [state[name] for name in ('event_orchestrations', 'orchestration_integrations', 'orchestration_paths', 'orchestration_cache_variables')] == [[]] * 4


# --- seeding and the Events API -------------------------------------------------------------

def test_seed_and_events_routing(sim, api):
    key = 'R0SEEDEDKEY0000000000000000000AA'
    rules = [{'id': 'cond0001', 'conditions': [{'expression': 'event.summary exists'}], 'actions': {'route_to': 'PSVC002'}},
             {'id': 'always01', 'actions': {'route_to': 'PSVC001'}}]
    seeded = sim.seed({
        'event_orchestrations': [{'id': 'seeded-orchestration', 'name': 'Seeded', 'team': 'PTEAM01',
                                  'integrations': [{'label': 'Seeded key', 'routing_key': key}],
                                  'router': {'sets': [{'id': 'start', 'rules': rules}]}}],
        'service_orchestrations': [{'service': 'PSVC001', 'active': True}],
    })
    assert seeded == {'event_orchestrations': ['seeded-orchestration'], 'service_orchestrations': ['PSVC001']}
    orchestration = api.get(sim.url + '/event_orchestrations/seeded-orchestration').json()['orchestration']
    assert [item['parameters']['routing_key'] for item in orchestration['integrations']] == [key]
    assert (orchestration['team']['id'], orchestration['routes'], orchestration['created_by']) == ('PTEAM01', 2, None)
    assert api.get(sim.url + '/event_orchestrations/services/PSVC001/active').json() == {'active': True}
    # An event on the orchestration's key goes where the first rule without conditions routes it.
    session = requests.Session()
    session.trust_env = False
    event = {'routing_key': key, 'event_action': 'trigger', 'dedup_key': 'k1', 'payload': {'summary': 'www down', 'source': 'web01', 'severity': 'critical'}}
    response = session.post(sim.events_url + '/v2/enqueue', json=event)
    assert response.status_code == 202 and response.json()['dedup_key'] == 'k1'
    incidents = api.get(sim.url + '/incidents').json()['incidents']
    assert [(incident['service']['id'], incident['title']) for incident in incidents] == [('PSVC001', 'www down')]
    # Routed nowhere (the catch-all sends to the unrouted path): accepted and dropped.
    put_path(api, path_url(sim, 'seeded-orchestration', 'router'), [{'id': 'start', 'rules': []}])
    assert session.post(sim.events_url + '/v2/enqueue', json=dict(event, dedup_key='k2')).status_code == 202
    assert len(api.get(sim.url + '/incidents').json()['incidents']) == 1
    assert sim.violations() == []
