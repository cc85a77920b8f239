"""v3 webhook subscriptions in the PagerDuty simulator."""

import pytest

REDACTED = '-- redacted --'


@pytest.fixture(name='sim')
def seeded_sim_fixture(sim):
    """The fresh simulator with a service and a team to filter on."""
    rule = {'escalation_delay_in_minutes': 30, 'targets': ['PSOWNER']}
    sim.seed({'escalation_policies': [{'id': 'PEP0001', 'name': 'Primary', 'escalation_rules': [rule]}],
              'services': [{'id': 'PSVC001', 'name': 'Web', 'escalation_policy': 'PEP0001'}],
              'teams': [{'id': 'PTEAM01', 'name': 'Ops'}]})
    sim.clear_requests()
    return sim


def body(url='https://example.com/hooks', events=('incident.triggered',), filter_=None, **fields):
    subscription = {'type': 'webhook_subscription',
                    'delivery_method': {'type': 'http_delivery_method', 'url': url},
                    'events': list(events),
                    'filter': filter_ or {'type': 'account_reference'}}
    subscription.update(fields)
    return {'webhook_subscription': subscription}


def create(sim, api, payload):
    response = api.post(sim.url + '/webhook_subscriptions', json=payload)
    assert response.status_code == 200, response.text
    return response.json()['webhook_subscription']


def invalid(*errors):
    return {'error': {'message': 'Invalid Input Provided', 'code': 2001, 'errors': list(errors)}}


def test_create_answers_the_secret_once_and_redacts_header_values(sim, api):
    payload = body(description='To the receiver', filter_={'type': 'service_reference', 'id': 'PSVC001'})
    payload['webhook_subscription']['delivery_method']['custom_headers'] = [{'name': 'X-Token', 'value': 'hush'}]
    created = create(sim, api, payload)
    method = created['delivery_method']
    assert isinstance(method['secret'], str) and len(method['secret']) >= 32
    assert created == {
        'id': created['id'], 'type': 'webhook_subscription', 'active': True,
        'delivery_method': {'id': method['id'], 'secret': method['secret'], 'temporarily_disabled': False,
                            'type': 'http_delivery_method', 'url': 'https://example.com/hooks',
                            'custom_headers': [{'name': 'X-Token', 'value': REDACTED}]},
        'description': 'To the receiver', 'events': ['incident.triggered'],
        'filter': {'type': 'service_reference', 'id': 'PSVC001'},
    }
    shown = api.get(sim.url + '/webhook_subscriptions/' + created['id']).json()['webhook_subscription']
    assert shown['delivery_method']['secret'] is None
    assert shown == dict(created, delivery_method=dict(method, secret=None))
    listed = api.get(sim.url + '/webhook_subscriptions').json()
    assert listed['webhook_subscriptions'] == [shown] and listed['more'] is False
    assert 'hush' not in str(sim.state()['webhook_subscriptions']) and method['secret'] not in str(sim.state())


@pytest.mark.parametrize('payload, error', [
    (body(url='ftp://example.com/x'), 'Delivery method url must be an http or https URL'),
    (body(events=[]), 'body.webhook_subscription.events must have at least 1 items, got 0'),  # the spec (strict)
    (body(events=['incident.triggered', 'incident.exploded']), 'Events has unknown event types: incident.exploded'),
    (body(filter_={'type': 'service_reference', 'id': 'PNOPE01'}), 'Filter service PNOPE01 not found'),
    (body(filter_={'type': 'team_reference'}), 'Filter id is required for the filter type team_reference'),
])
def test_create_refuses_bad_input(sim, api, payload, error):
    response = api.post(sim.url + '/webhook_subscriptions', json=payload)
    assert (response.status_code, response.json()) == (400, invalid(error))
    assert sim.state()['webhook_subscriptions'] == []


def test_duplicate_header_names_are_refused(sim, api):
    payload = body()
    payload['webhook_subscription']['delivery_method']['custom_headers'] = [{'name': 'X-A', 'value': '1'}, {'name': 'x-a', 'value': '2'}]
    response = api.post(sim.url + '/webhook_subscriptions', json=payload)
    assert response.status_code == 400


def test_update_changes_fields_but_never_the_delivery_method(sim, api):
    created = create(sim, api, body())
    path = sim.url + '/webhook_subscriptions/' + created['id']
    response = api.put(path, json={'webhook_subscription': {
        'description': 'Now', 'active': False, 'events': ['incident.resolved', 'service.created'],
        'filter': {'type': 'team_reference', 'id': 'PTEAM01'}}})
    assert response.status_code == 200, response.text
    updated = response.json()['webhook_subscription']
    assert (updated['description'], updated['active'], updated['events'], updated['filter']) == \
        ('Now', False, ['incident.resolved', 'service.created'], {'type': 'team_reference', 'id': 'PTEAM01'})
    assert updated['delivery_method']['secret'] is None
    moved = api.put(path, json={'webhook_subscription': {'delivery_method': {'type': 'http_delivery_method', 'url': 'https://b.example'}}})
    assert moved.status_code == 400
    assert api.get(path).json()['webhook_subscription']['delivery_method']['url'] == 'https://example.com/hooks'


def test_list_filters(sim, api):
    account = create(sim, api, body())
    service = create(sim, api, body(filter_={'type': 'service_reference', 'id': 'PSVC001'}))
    team = create(sim, api, body(filter_={'type': 'team_reference', 'id': 'PTEAM01'}))

    def ids(**query):
        response = api.get(sim.url + '/webhook_subscriptions', params=query)
        assert response.status_code == 200, response.text
        return [item['id'] for item in response.json()['webhook_subscriptions']]

    assert ids() == [account['id'], service['id'], team['id']]
    assert ids(filter_type='account') == [account['id']]
    assert ids(filter_type='service', filter_id='PSVC001') == [service['id']]
    assert ids(filter_type='team', filter_id='PTEAM01') == [team['id']]
    assert ids(filter_type='team', filter_id='PTEAM99') == []
    assert api.get(sim.url + '/webhook_subscriptions', params={'filter_type': 'service'}).status_code == 400


def test_enable_ping_and_delete(sim, api):
    [subscription_id] = sim.seed({'webhook_subscriptions': [
        {'id': 'PWHSUB1', 'delivery_method': {'url': 'https://example.com/x', 'temporarily_disabled': True},
         'events': ['incident.triggered'], 'filter': {'type': 'account_reference'}}]})['webhook_subscriptions']
    path = sim.url + '/webhook_subscriptions/' + subscription_id
    assert api.get(path).json()['webhook_subscription']['delivery_method']['temporarily_disabled'] is True
    enabled = api.post(path + '/enable')
    assert enabled.status_code == 200
    assert enabled.json()['webhook_subscription']['delivery_method'] == {
        'id': enabled.json()['webhook_subscription']['delivery_method']['id'], 'secret': None, 'temporarily_disabled': False,
        'type': 'http_delivery_method', 'url': 'https://example.com/x', 'custom_headers': []}
    assert api.post(path + '/ping').status_code == 202
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    assert api.post(path + '/enable').status_code == 404
    assert all(entry['spec_violations'] == [] for entry in sim.requests())
