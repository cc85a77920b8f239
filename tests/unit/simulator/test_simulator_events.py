"""The Events API v2 of the PagerDuty simulator (/events/v2/enqueue, /events/v2/change/enqueue) and the change event reads."""

import datetime
import re
import uuid

import pytest
import requests

HTML = 'https://simulator.pagerduty.invalid'
KEY = '0123456789abcdef0123456789abcdef'
KEY2 = 'fedcba9876543210fedcba9876543210'
V1_KEY = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
UNKNOWN_KEY = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
ACCEPTED = {'status': 'success', 'message': 'Event processed'}
THROTTLED = {'status': 'throttle event', 'message': 'Requests for this service are arriving too quickly. Please retry later.'}
CHANGE_ID = re.compile(r'^[0-9A-Z]{26}$')


def invalid_event(*errors):
    return {'status': 'invalid event', 'message': 'Event object is invalid', 'errors': list(errors)}


def iso(delta_seconds):
    moment = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(seconds=delta_seconds)
    return moment.isoformat()


@pytest.fixture(name='sim')
def seeded_sim_fixture(sim):
    """Two users, a team, a schedule with Bob on call, policies and services with Events API v2 integrations."""
    sim.seed({
        'users': [{'id': 'PUSER01', 'name': 'Ann', 'email': 'ann@example.com'}, {'id': 'PUSER02', 'name': 'Bob', 'email': 'bob@example.com'}],
        'teams': [{'id': 'PTEAM01', 'name': 'Ops'}],
        'schedules': [{'id': 'PSCHED1', 'name': 'Primary', 'time_zone': 'Etc/UTC', 'schedule_layers': [{
            'start': '2020-01-06T00:00:00Z', 'rotation_virtual_start': '2020-01-06T00:00:00Z', 'rotation_turn_length_seconds': 86400,
            'users': ['PUSER02']}]}],
        'escalation_policies': [
            {'id': 'PEP0001', 'name': 'Primary', 'teams': ['PTEAM01'],
             'escalation_rules': [{'escalation_delay_in_minutes': 30, 'targets': ['PUSER01']}]},
            {'id': 'PEP0002', 'name': 'By schedule',
             'escalation_rules': [{'escalation_delay_in_minutes': 30, 'targets': [{'id': 'PSCHED1', 'type': 'schedule_reference'}, 'PUSER01']}]},
        ],
        'services': [
            {'id': 'PSVC001', 'name': 'Web', 'escalation_policy': 'PEP0001',
             'integrations': [{'id': 'PINT001', 'type': 'events_api_v2_inbound_integration', 'name': 'Events', 'integration_key': KEY},
                              {'id': 'PINT00V', 'type': 'generic_events_api_inbound_integration', 'name': 'Old', 'integration_key': V1_KEY}]},
            {'id': 'PSVC002', 'name': 'Db', 'escalation_policy': 'PEP0002',
             'incident_urgency_rule': {'type': 'constant', 'urgency': 'severity_based'},
             'integrations': [{'id': 'PINT002', 'type': 'events_api_v2_inbound_integration', 'name': 'Events', 'integration_key': KEY2}]},
        ],
    })
    sim.clear_requests()
    return sim


@pytest.fixture(name='events')
def events_fixture():
    """A client of the Events API: no PagerDuty headers at all."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


def trigger(sim, events, key=KEY, dedup_key=None, summary='Disk full on db1', severity='critical', **extra):
    body = {'routing_key': key, 'event_action': 'trigger', 'payload': {'summary': summary, 'source': 'db1', 'severity': severity}}
    if dedup_key is not None:
        body['dedup_key'] = dedup_key
    body.update(extra)
    return events.post(sim.events_url + '/v2/enqueue', json=body)


def follow_up(sim, events, action, dedup_key, key=KEY):
    return events.post(sim.events_url + '/v2/enqueue', json={'routing_key': key, 'event_action': action, 'dedup_key': dedup_key})


def incidents(sim, api, **params):
    response = api.get(sim.url + '/incidents', params=dict({'date_range': 'all'}, **params))
    assert response.status_code == 200, response.text
    return response.json()['incidents']


def alerts(sim, api, incident_id):
    response = api.get('%s/incidents/%s/alerts' % (sim.url, incident_id))
    assert response.status_code == 200, response.text
    return response.json()['alerts']


# --- alert events --------------------------------------------------------------------------

def test_events_url_and_a_trigger_opening_an_incident(sim, api, events):
    assert sim.events_url == sim.url + '/events'
    response = trigger(sim, events, dedup_key='db1/disk', links=[{'href': 'https://example.com/graph', 'text': 'Graph'}],
                       images=[{'src': 'https://example.com/img.png'}], client='Monitor', client_url='https://monitor.example.com')
    assert (response.status_code, response.json()) == (202, dict(ACCEPTED, dedup_key='db1/disk'))
    [incident] = incidents(sim, api)
    assert (incident['incident_number'], incident['title'], incident['summary']) == (1, 'Disk full on db1', '[#1] Disk full on db1')
    assert (incident['status'], incident['incident_key'], incident['urgency']) == ('triggered', 'db1/disk', 'high')
    assert incident['assigned_via'] == 'escalation_policy'
    assert incident['service']['id'] == 'PSVC001' and incident['escalation_policy']['id'] == 'PEP0001'
    assert [team['id'] for team in incident['teams']] == ['PTEAM01']
    assert [assignment['assignee']['id'] for assignment in incident['assignments']] == ['PUSER01']
    assert incident['last_status_change_by']['type'] == 'service_reference'
    assert incident['alert_counts'] == {'all': 1, 'triggered': 1, 'resolved': 0}
    [alert] = alerts(sim, api, incident['id'])
    assert alert == {
        'id': alert['id'], 'type': 'alert', 'summary': 'Disk full on db1',
        'self': '%s/incidents/%s/alerts/%s' % (sim.url, incident['id'], alert['id']), 'html_url': '%s/alerts/%s' % (HTML, alert['id']),
        'created_at': incident['created_at'], 'status': 'triggered', 'alert_key': 'db1/disk',
        'service': {'id': 'PSVC001', 'type': 'service_reference', 'summary': 'Web', 'self': sim.url + '/services/PSVC001',
                    'html_url': HTML + '/service-directory/PSVC001'},
        'incident': {'id': incident['id'], 'type': 'incident_reference', 'summary': '[#1] Disk full on db1',
                     'self': '%s/incidents/%s' % (sim.url, incident['id']), 'html_url': '%s/incidents/%s' % (HTML, incident['id'])},
        'suppressed': False, 'severity': 'critical',
        'integration': {'id': 'PINT001', 'type': 'events_api_v2_inbound_integration_reference', 'summary': 'Events',
                        'self': sim.url + '/services/PSVC001/integrations/PINT001', 'html_url': HTML + '/services/PSVC001/integrations/PINT001'},
        'body': {'type': 'alert_body', 'details': None,
                 'contexts': [{'href': 'https://example.com/graph', 'text': 'Graph', 'type': 'link'},
                              {'src': 'https://example.com/img.png', 'type': 'image'}]},
    }
    service = api.get(sim.url + '/services/PSVC001').json()['service']
    assert service['last_incident_timestamp'] == incident['created_at']
    entry = sim.requests()[0]
    assert (entry['method'], entry['path'], entry['status'], entry['spec_violations']) == ('POST', '/events/v2/enqueue', 202, [])
    assert entry['body']['dedup_key'] == 'db1/disk' and 'authorization' not in entry['headers']
    assert sim.violations() == []


def test_dedup_two_triggers_one_incident_then_ack_resolve_and_a_new_incident(sim, api, events):
    assert trigger(sim, events, dedup_key='k1').status_code == 202
    again = trigger(sim, events, dedup_key='k1', summary='Still full')
    assert (again.status_code, again.json()) == (202, dict(ACCEPTED, dedup_key='k1'))
    [incident] = incidents(sim, api)
    assert incident['title'] == 'Disk full on db1' and incident['alert_counts'] == {'all': 1, 'triggered': 1, 'resolved': 0}
    assert len(alerts(sim, api, incident['id'])) == 1

    ack = follow_up(sim, events, 'acknowledge', 'k1')
    assert (ack.status_code, ack.json()) == (202, dict(ACCEPTED, dedup_key='k1'))
    [incident] = incidents(sim, api)
    assert incident['status'] == 'acknowledged'
    assert [ack['acknowledger']['id'] for ack in incident['acknowledgements']] == ['PSVC001']
    assert incident['acknowledgements'][0]['acknowledger']['type'] == 'service_reference'
    assert trigger(sim, events, dedup_key='k1').status_code == 202  # an acknowledged incident takes further triggers
    assert len(incidents(sim, api)) == 1 and incidents(sim, api)[0]['status'] == 'acknowledged'

    resolve = follow_up(sim, events, 'resolve', 'k1')
    assert (resolve.status_code, resolve.json()) == (202, dict(ACCEPTED, dedup_key='k1'))
    [incident] = incidents(sim, api)
    assert (incident['status'], incident['assignments'], incident['acknowledgements']) == ('resolved', [], [])
    assert incident['resolved_at'] is not None
    assert incident['alert_counts'] == {'all': 1, 'triggered': 0, 'resolved': 1}
    assert [alert['status'] for alert in alerts(sim, api, incident['id'])] == ['resolved']

    assert trigger(sim, events, dedup_key='k1').status_code == 202
    first, second = incidents(sim, api)
    assert (first['status'], second['status'], second['incident_number'], second['incident_key']) == ('resolved', 'triggered', 2, 'k1')
    assert sim.violations() == []


def test_trigger_without_dedup_key_gets_a_uuid_and_always_a_new_incident(sim, api, events):
    keys = [trigger(sim, events).json()['dedup_key'] for dummy in range(2)]
    assert all(str(uuid.UUID(key)) == key for key in keys) and keys[0] != keys[1]
    assert [incident['incident_key'] for incident in incidents(sim, api)] == keys


def test_acknowledge_and_resolve_without_an_open_alert_are_dropped(sim, api, events):
    for action in ('acknowledge', 'resolve'):
        response = follow_up(sim, events, action, 'nothing-open')
        assert (response.status_code, response.json()) == (202, dict(ACCEPTED, dedup_key='nothing-open'))
    assert incidents(sim, api) == []
    trigger(sim, events, dedup_key='k1')
    # The same dedup_key through another routing key does not reach the alert.
    assert follow_up(sim, events, 'resolve', 'k1', key=KEY2).status_code == 202
    assert [incident['status'] for incident in incidents(sim, api)] == ['triggered']


def test_urgency_and_assignment_from_the_service(sim, api, events):
    trigger(sim, events, key=KEY2, dedup_key='warn', severity='warning')
    trigger(sim, events, key=KEY2, dedup_key='err', severity='error')
    warn, err = incidents(sim, api, **{'service_ids[]': 'PSVC002'})
    assert (warn['urgency'], err['urgency']) == ('low', 'high')
    # The schedule target gives the user on call now (Bob), then the user target.
    assert [assignment['assignee']['id'] for assignment in warn['assignments']] == ['PUSER02', 'PUSER01']
    assert warn['teams'] == []


def test_disabled_service_and_maintenance_take_events_without_incidents(sim, api, events):
    disabled = api.put(sim.url + '/services/PSVC001', json={'service': {'type': 'service', 'status': 'disabled'}})
    assert disabled.status_code == 200, disabled.text
    response = trigger(sim, events, dedup_key='off')
    assert (response.status_code, response.json()) == (202, dict(ACCEPTED, dedup_key='off'))
    sim.seed({'maintenance_windows': [{'start_time': iso(-60), 'end_time': iso(3600), 'services': ['PSVC002']}]})
    assert trigger(sim, events, key=KEY2, dedup_key='patching').status_code == 202
    assert incidents(sim, api) == []


def test_validation_errors(sim, events):
    cases = [
        ({'event_action': 'trigger'}, ["'routing_key' is missing or blank.", "'payload' is missing or not an object."]),
        ({'routing_key': 'short-key!', 'event_action': 'resolve', 'dedup_key': 'k'},
         ["Length of 'routing_key' is incorrect (should be 32 characters)", "'routing_key' cannot contain non-alphanumeric characters."]),
        ({'routing_key': KEY, 'event_action': 'snooze'}, ["'event_action' must be one of trigger, acknowledge, resolve."]),
        ({'routing_key': KEY, 'event_action': 'acknowledge'}, ["'dedup_key' is required for acknowledge and resolve events."]),
        ({'routing_key': KEY, 'event_action': 'resolve', 'dedup_key': 'x' * 256}, ["'dedup_key' is too long (at most 255 characters)."]),
        ({'routing_key': KEY, 'event_action': 'trigger', 'payload': {'summary': 's' * 1025, 'source': '', 'severity': 'fatal',
                                                                     'timestamp': 'yesterday', 'custom_details': 'text'}},
         ["'payload.summary' is too long (at most 1024 characters).", "'payload.source' is missing or blank.",
          "'payload.severity' must be one of critical, warning, error, info.", "'payload.timestamp' is not an ISO 8601 date-time.",
          "'payload.custom_details' must be an object."]),
        ({'routing_key': KEY, 'event_action': 'trigger', 'payload': {'summary': 'x', 'source': 'h', 'severity': 'info'},
          'links': [{'text': 'no href'}], 'images': [{'alt': 'no src'}]},
         ["'links[0].href' is missing or blank.", "'images[0].src' is missing or blank."]),
    ]
    for body, errors in cases:
        response = events.post(sim.events_url + '/v2/enqueue', json=body)
        assert (response.status_code, response.json()) == (400, invalid_event(*errors)), body
        assert sim.requests()[-1]['spec_violations'] == errors
    not_json = events.post(sim.events_url + '/v2/enqueue', data='{"routing_key":', headers={'Content-Type': 'application/json'})
    assert (not_json.status_code, not_json.json()) == (400, {'status': 'Unrecognized object', 'message': 'Event object format is unrecognized',
                                                             'errors': ['JSON parse error']})
    assert sim.requests()[-1]['spec_violations'] == ['the request body is not valid JSON']
    assert sim.requests()[-1]['raw_body'] == '{"routing_key":'
    array = events.post(sim.events_url + '/v2/enqueue', json=[])
    assert (array.status_code, array.json()) == (400, invalid_event('The event must be a JSON object.'))
    big_payload = {'summary': 'x', 'source': 'h', 'severity': 'info', 'custom_details': {'blob': 'x' * (512 * 1024)}}
    huge = events.post(sim.events_url + '/v2/enqueue', json={'routing_key': KEY, 'event_action': 'trigger', 'payload': big_payload})
    assert (huge.status_code, huge.json()) == (400, invalid_event('Event object is larger than 512 KB.'))
    wrong_method = events.get(sim.events_url + '/v2/enqueue')
    assert (wrong_method.status_code, wrong_method.json()['status']) == (405, 'method not allowed')
    elsewhere = events.post(sim.events_url + '/v1/enqueue', json={})
    assert (elsewhere.status_code, elsewhere.json()['status']) == (404, 'not found')


def test_unknown_routing_keys(sim, api, events):
    for key in (UNKNOWN_KEY, V1_KEY):  # a key of no integration, or of an integration that is not Events API v2
        response = trigger(sim, events, key=key)
        assert (response.status_code, response.json()) == (400, invalid_event('Invalid routing key'))
        assert sim.requests()[-1]['spec_violations'] == []
    change = events.post(sim.events_url + '/v2/change/enqueue', json={'routing_key': UNKNOWN_KEY, 'payload': {'summary': 'Deploy'}})
    assert (change.status_code, change.json()) == (400, invalid_event('Invalid routing key'))
    assert incidents(sim, api) == []


def test_rate_limit_per_routing_key(sim, api, events):
    assert sim.state()['events_rate_limit'] == 120
    assert sim.set_events_rate_limit(3)['events_rate_limit'] == 3
    assert [trigger(sim, events, dedup_key='same').status_code for dummy in range(3)] == [202, 202, 202]
    throttled = trigger(sim, events, dedup_key='same')
    assert (throttled.status_code, throttled.json()) == (429, THROTTLED)
    change = events.post(sim.events_url + '/v2/change/enqueue', json={'routing_key': KEY, 'payload': {'summary': 'Deploy'}})
    assert change.status_code == 429  # change events count against the same key
    assert trigger(sim, events, key=KEY2).status_code == 202  # another key has its own budget
    assert sim.requests()[3]['status'] == 429
    assert len(incidents(sim, api)) == 2
    assert sim.set_events_rate_limit(None)['events_rate_limit'] == 120
    sim.set_events_rate_limit(5)
    sim.reset()
    assert sim.state()['events_rate_limit'] == 120


def test_faults_apply_to_the_events_api(sim, api, events):
    sim.fault({'path': '/events/v2/enqueue', 'status': 429}, {'path': '/events/v2/enqueue', 'status': 500},
              {'path': '/events/v2/enqueue', 'drop': True})
    throttled = trigger(sim, events)
    assert (throttled.status_code, throttled.json()) == (429, THROTTLED)
    assert 'ratelimit-remaining' not in throttled.headers
    failed = trigger(sim, events)
    assert (failed.status_code, failed.json()) == (500, {'status': 'error', 'message': 'Internal Server Error'})
    with pytest.raises(requests.ConnectionError):
        trigger(sim, events)
    assert trigger(sim, events).status_code == 202
    log = sim.requests()
    assert [(entry['status'], entry.get('fault'), entry.get('dropped')) for entry in log] == [
        (429, True, None), (500, True, None), (None, True, True), (202, None, None)]
    assert len(incidents(sim, api)) == 1


# --- change events -------------------------------------------------------------------------

def test_change_events_are_stored_and_read_back(sim, api, events):
    first = events.post(sim.events_url + '/v2/change/enqueue', json={
        'routing_key': KEY, 'links': [{'href': 'https://ci.example.com/1', 'text': 'Build 1'}],
        'payload': {'summary': 'Deploy 1', 'source': 'ci', 'timestamp': '2030-01-01T10:00:00.000+0000', 'custom_details': {'build': 1}}})
    assert (first.status_code, first.json()) == (202, {'status': 'success', 'message': 'Change event processed'})
    second = {'routing_key': KEY2, 'payload': {'summary': 'Deploy 2', 'timestamp': '2030-01-02T10:00:00Z'}}
    assert events.post(sim.events_url + '/v2/change/enqueue', json=second).status_code == 202
    listed = api.get(sim.url + '/change_events')
    assert listed.status_code == 200, listed.text
    newest, oldest = listed.json()['change_events']
    assert (newest['summary'], oldest['summary']) == ('Deploy 2', 'Deploy 1')
    assert CHANGE_ID.match(oldest['id'])
    assert oldest == {
        'id': oldest['id'], 'type': 'change_event', 'summary': 'Deploy 1', 'self': '%s/change_events/%s' % (sim.url, oldest['id']),
        'html_url': None, 'timestamp': '2030-01-01T10:00:00+00:00', 'source': 'ci',
        'integration': {'id': 'PINT001', 'type': 'inbound_integration_reference', 'summary': 'Events',
                        'self': sim.url + '/services/PSVC001/integrations/PINT001', 'html_url': HTML + '/services/PSVC001/integrations/PINT001'},
        'services': [{'id': 'PSVC001', 'type': 'service_reference', 'summary': 'Web', 'self': sim.url + '/services/PSVC001',
                      'html_url': HTML + '/service-directory/PSVC001'}],
        'custom_details': {'build': 1}, 'links': [{'href': 'https://ci.example.com/1', 'text': 'Build 1'}],
    }
    assert api.get('%s/change_events/%s' % (sim.url, oldest['id'])).json() == {'change_event': oldest}
    of_service = api.get(sim.url + '/services/PSVC001/change_events').json()['change_events']
    assert [event['summary'] for event in of_service] == ['Deploy 1']
    assert api.get(sim.url + '/services/PNOPE01/change_events').status_code == 404
    window = api.get(sim.url + '/change_events', params={'since': '2030-01-02T00:00:00Z', 'until': '2030-01-03T00:00:00Z'})
    assert [event['summary'] for event in window.json()['change_events']] == ['Deploy 2']
    by_team = api.get(sim.url + '/change_events', params={'team_ids[]': 'PTEAM01'})
    assert [event['summary'] for event in by_team.json()['change_events']] == ['Deploy 1']
    by_integration = api.get(sim.url + '/change_events', params={'integration_ids[]': 'PINT002'})
    assert [event['summary'] for event in by_integration.json()['change_events']] == ['Deploy 2']
    not_utc = api.get(sim.url + '/change_events', params={'since': '2030-01-02T00:00:00+02:00'})
    assert not_utc.status_code == 400
    assert incidents(sim, api) == []  # change events open nothing


def test_change_event_validation(sim, events):
    missing = events.post(sim.events_url + '/v2/change/enqueue', json={'routing_key': KEY, 'payload': {'source': 'ci'}})
    assert (missing.status_code, missing.json()) == (400, invalid_event("'payload.summary' is missing or blank."))
    no_payload = events.post(sim.events_url + '/v2/change/enqueue', json={'routing_key': KEY, 'links': [{}]})
    assert no_payload.json() == invalid_event("'payload' is missing or not an object.", "'links[0].href' is missing or blank.")
    long_summary = events.post(sim.events_url + '/v2/change/enqueue', json={'routing_key': KEY, 'payload': {'summary': 'x' * 1025}})
    assert long_summary.json() == invalid_event("'payload.summary' is too long (at most 1024 characters).")
    bad_key = events.post(sim.events_url + '/v2/change/enqueue', json={'routing_key': 'k', 'payload': {'summary': 'Deploy'}})
    assert bad_key.json() == invalid_event("Length of 'routing_key' is incorrect (should be 32 characters)")
