"""Incidents, their notes and alerts, and priorities in the PagerDuty simulator (REST)."""

import datetime

import pytest
import requests

HTML = 'https://simulator.pagerduty.invalid'
KEY = '0123456789abcdef0123456789abcdef'
FROM_REQUIRED = {'error': {'message': 'You must specify a user\'s email address in the "From" header to perform this action', 'code': 2016}}
FROM_MALFORMED = {'error': {'message': 'Malformed "From" header', 'code': 1028}}


def invalid(*errors):
    return {'error': {'message': 'Invalid Input Provided', 'code': 2001, 'errors': list(errors)}}


def iso(delta_days):
    moment = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(days=delta_days)
    return moment.isoformat()


@pytest.fixture(name='sim')
def seeded_sim_fixture(sim):
    """Users, teams, two policies (the first with two levels), two services and seeded incidents."""
    sim.seed({
        'users': [{'id': 'PUSER01', 'name': 'Ann', 'email': 'ann@example.com'}, {'id': 'PUSER02', 'name': 'Bob', 'email': 'bob@example.com'}],
        'teams': [{'id': 'PTEAM01', 'name': 'Ops'}, {'id': 'PTEAM02', 'name': 'Dev'}],
        'escalation_policies': [
            {'id': 'PEP0001', 'name': 'Primary', 'teams': ['PTEAM01'],
             'escalation_rules': [{'escalation_delay_in_minutes': 30, 'targets': ['PUSER01']},
                                  {'escalation_delay_in_minutes': 30, 'targets': ['PUSER02']}]},
            {'id': 'PEP0002', 'name': 'Secondary', 'teams': ['PTEAM02'],
             'escalation_rules': [{'escalation_delay_in_minutes': 30, 'targets': ['PUSER02']}]},
        ],
        'services': [
            {'id': 'PSVC001', 'name': 'Web', 'escalation_policy': 'PEP0001',
             'integrations': [{'id': 'PINT001', 'type': 'events_api_v2_inbound_integration', 'name': 'Events', 'integration_key': KEY}]},
            {'id': 'PSVC002', 'name': 'Db', 'escalation_policy': 'PEP0002', 'incident_urgency_rule': {'type': 'constant', 'urgency': 'low'}},
        ],
        'incidents': [
            {'id': 'PINC001', 'service': 'PSVC001', 'title': 'Web is down', 'incident_key': 'web-down', 'created_at': iso(-2)},
            {'id': 'PINC002', 'service': 'Db', 'title': 'Db is slow', 'status': 'acknowledged', 'created_at': iso(-1)},
            {'id': 'PINC003', 'service': 'PSVC001', 'title': 'Old outage', 'status': 'resolved', 'urgency': 'low', 'created_at': iso(-3)},
            {'id': 'PINC004', 'service': 'PSVC002', 'title': 'Ancient', 'created_at': iso(-40)},
        ],
    })
    sim.clear_requests()
    return sim


@pytest.fixture(name='api_from')
def api_from_fixture():
    return 'ann@example.com'


def ids(response):
    assert response.status_code == 200, response.text
    return [incident['id'] for incident in response.json()['incidents']]


def put(sim, api, incident_id, **fields):
    return api.put('%s/incidents/%s' % (sim.url, incident_id), json={'incident': dict({'type': 'incident_reference'}, **fields)})


def reference(sim, kind, object_id, summary, collection=None, html=None):
    collection = collection or kind + 's'
    return {'id': object_id, 'type': kind + '_reference', 'summary': summary, 'self': '%s/%s/%s' % (sim.url, collection, object_id),
            'html_url': '%s/%s/%s' % (HTML, html or collection, object_id)}


# --- reading ---------------------------------------------------------------------------------

def test_incident_shape(sim, api):
    response = api.get(sim.url + '/incidents/PINC001')
    assert response.status_code == 200, response.text
    incident = response.json()['incident']
    log_entry = incident['first_trigger_log_entry']['id']
    assert incident == {
        'id': 'PINC001', 'type': 'incident', 'summary': '[#1] Web is down', 'self': sim.url + '/incidents/PINC001',
        'html_url': HTML + '/incidents/PINC001', 'incident_number': 1, 'title': 'Web is down',
        'created_at': incident['created_at'],
        'updated_at': incident['created_at'], 'status': 'triggered', 'incident_key': 'web-down',
        'service': reference(sim, 'service', 'PSVC001', 'Web', html='service-directory'),
        'assignments': [{'at': incident['created_at'], 'assignee': reference(sim, 'user', 'PUSER01', 'Ann')}],
        'assigned_via': 'escalation_policy', 'last_status_change_at': incident['created_at'],
        'last_status_change_by': reference(sim, 'service', 'PSVC001', 'Web', html='service-directory'),
        'resolved_at': None,
        'first_trigger_log_entry': {'id': log_entry, 'type': 'trigger_log_entry_reference', 'summary': 'Triggered through the API',
                                    'self': '%s/log_entries/%s' % (sim.url, log_entry),
                                    'html_url': '%s/incidents/PINC001/log_entries/%s' % (HTML, log_entry)},
        'alert_counts': {'all': 0, 'triggered': 0, 'resolved': 0}, 'is_mergeable': True, 'incident_type': {'name': 'incident_default'},
        'escalation_policy': reference(sim, 'escalation_policy', 'PEP0001', 'Primary', 'escalation_policies'),
        'teams': [{'id': 'PTEAM01', 'type': 'team_reference', 'summary': 'Ops', 'self': sim.url + '/teams/PTEAM01'}],
        'pending_actions': [], 'acknowledgements': [], 'alert_grouping': None, 'priority': None, 'resolve_reason': None, 'urgency': 'high',
    }
    assert api.get(sim.url + '/incidents/1').json() == {'incident': incident}  # by incident number
    assert api.get(sim.url + '/incidents/PNOPE01').status_code == 404
    assert api.get(sim.url + '/incidents/99').status_code == 404
    acknowledged = api.get(sim.url + '/incidents/PINC002').json()['incident']
    assert (acknowledged['status'], acknowledged['urgency']) == ('acknowledged', 'low')  # the service's constant urgency
    assert [ack['acknowledger']['id'] for ack in acknowledged['acknowledgements']] == ['PUSER02']
    resolved = api.get(sim.url + '/incidents/PINC003').json()['incident']
    assert (resolved['status'], resolved['assignments'], resolved['resolved_at']) == ('resolved', [], resolved['created_at'])
    assert sim.violations() == []


def test_includes(sim, api):
    includes = ['assignees', 'acknowledgers', 'services', 'teams', 'escalation_policies', 'conference_bridge']
    incident = api.get(sim.url + '/incidents/PINC002', params={'include[]': includes}).json()['incident']
    assert incident['assignments'][0]['assignee']['type'] == 'user' and incident['assignments'][0]['assignee']['email'] == 'bob@example.com'
    assert incident['acknowledgements'][0]['acknowledger']['type'] == 'user'
    assert (incident['service']['type'], incident['service']['name']) == ('service', 'Db')
    assert (incident['teams'][0]['type'], incident['escalation_policy']['type']) == ('team', 'escalation_policy')
    assert incident['conference_bridge'] is None
    assert sim.violations() == []


def test_list_window_sort_and_pagination(sim, api):
    # By default the last month, oldest first; date_range=all ignores the window.
    assert ids(api.get(sim.url + '/incidents')) == ['PINC003', 'PINC001', 'PINC002']
    assert ids(api.get(sim.url + '/incidents', params={'date_range': 'all'})) == ['PINC004', 'PINC003', 'PINC001', 'PINC002']
    assert ids(api.get(sim.url + '/incidents', params={'since': iso(-50), 'until': iso(-30)})) == ['PINC004']
    assert ids(api.get(sim.url + '/incidents', params={'since': iso(-2.5)})) == ['PINC001', 'PINC002']
    assert ids(api.get(sim.url + '/incidents', params={'until': iso(-2)})) == ['PINC003', 'PINC001']
    assert ids(api.get(sim.url + '/incidents', params={'sort_by': 'incident_number:desc'})) == ['PINC003', 'PINC002', 'PINC001']
    assert ids(api.get(sim.url + '/incidents', params={'sort_by': 'urgency:asc,incident_number:desc'})) == ['PINC001', 'PINC003', 'PINC002']
    assert ids(api.get(sim.url + '/incidents', params={'sort_by': 'resolved_at'})) == ['PINC003', 'PINC001', 'PINC002']
    backwards = api.get(sim.url + '/incidents', params={'since': iso(-1), 'until': iso(-2)})
    assert (backwards.status_code, backwards.json()) == (400, invalid('until cannot be before since'))
    too_long = api.get(sim.url + '/incidents', params={'since': iso(-200), 'until': iso(0)})
    assert (too_long.status_code, too_long.json()) == (400, invalid('The date range (since to until) cannot be longer than 6 months'))
    bad_sort = api.get(sim.url + '/incidents', params={'sort_by': 'title'})
    assert bad_sort.status_code == 400
    page = api.get(sim.url + '/incidents', params={'date_range': 'all', 'limit': 2, 'offset': 1, 'total': 'true'}).json()
    assert ([item['id'] for item in page['incidents']], page['limit'], page['offset'], page['more'], page['total']) == (
        ['PINC003', 'PINC001'], 2, 1, True, 4)
    assert sim.violations() == []


def test_list_filters(sim, api):
    def listed(**params):
        return ids(api.get(sim.url + '/incidents', params=dict({'date_range': 'all'}, **params)))
    assert listed(**{'statuses[]': ['triggered', 'acknowledged']}) == ['PINC004', 'PINC001', 'PINC002']
    assert listed(**{'statuses[]': 'resolved'}) == ['PINC003']
    assert listed(**{'urgencies[]': 'low'}) == ['PINC004', 'PINC003', 'PINC002']
    assert listed(**{'service_ids[]': 'PSVC001'}) == ['PINC003', 'PINC001']
    assert listed(**{'team_ids[]': 'PTEAM02'}) == ['PINC004', 'PINC002']
    # user_ids[]: incidents assigned to the users now, so never resolved ones
    assert listed(**{'user_ids[]': 'PUSER01'}) == ['PINC001']
    assert listed(**{'user_ids[]': ['PUSER01', 'PUSER02']}) == ['PINC004', 'PINC001', 'PINC002']
    assert listed(incident_key='web-down') == ['PINC001']
    assert listed(**{'include[]': 'services'}) == ['PINC004', 'PINC003', 'PINC001', 'PINC002']
    assert sim.violations() == []


@pytest.mark.needs_spec
def test_unknown_filter_values_are_refused_in_strict_mode(sim, api):
    response = api.get(sim.url + '/incidents', params={'statuses[]': 'snoozed'})
    assert response.status_code == 400
    assert sim.requests()[-1]['spec_violations']


# --- the From rule -------------------------------------------------------------------------

def test_writes_follow_the_from_rule(sim, api):
    without = requests.Session()
    without.trust_env = False
    without.headers.update(sim.headers())
    response = without.put(sim.url + '/incidents/PINC001', json={'incident': {'type': 'incident_reference', 'status': 'acknowledged'}})
    assert (response.status_code, response.json()) == (400, FROM_REQUIRED)
    note = without.post(sim.url + '/incidents/PINC001/notes', json={'note': {'content': 'On it'}})
    assert (note.status_code, note.json()) == (400, FROM_REQUIRED)
    malformed = without.put(sim.url + '/incidents/PINC001', headers={'From': 'ann'}, json={'incident': {'type': 'incident_reference',
                                                                                                        'status': 'acknowledged'}})
    assert (malformed.status_code, malformed.json()) == (400, FROM_MALFORMED)
    unknown = without.post(sim.url + '/incidents/PINC001/notes', headers={'From': 'nobody@example.com'}, json={'note': {'content': 'x'}})
    assert (unknown.status_code, unknown.json()['error']['code']) == (400, 1008)
    assert api.get(sim.url + '/incidents/PINC001').json()['incident']['status'] == 'triggered'
    assert api.get(sim.url + '/incidents/PINC001/notes').json() == {'notes': []}
    # A user's OAuth token acts as its user (the owner) without From.
    oauth = requests.Session()
    oauth.trust_env = False
    oauth.headers.update(sim.headers(sim.oauth_token, auth='bearer'))
    acked = oauth.put(sim.url + '/incidents/PINC001', json={'incident': {'type': 'incident_reference', 'status': 'acknowledged'}})
    assert acked.status_code == 200, acked.text
    assert acked.json()['incident']['acknowledgements'][0]['acknowledger']['id'] == 'PSOWNER'
    assert acked.json()['incident']['last_status_change_by']['id'] == 'PSOWNER'


# --- status changes --------------------------------------------------------------------------

def test_acknowledge_resolve_and_reopen(sim, api):
    events = requests.Session()
    events.trust_env = False
    events.post(sim.events_url + '/v2/enqueue', json={'routing_key': KEY, 'event_action': 'trigger', 'dedup_key': 'cpu',
                                                      'payload': {'summary': 'CPU high', 'source': 'web1', 'severity': 'error'}})
    [incident] = api.get(sim.url + '/incidents', params={'incident_key': 'cpu'}).json()['incidents']
    acked = put(sim, api, incident['id'], status='acknowledged')
    assert acked.status_code == 200, acked.text
    body = acked.json()['incident']
    assert body['status'] == 'acknowledged'
    assert [(ack['acknowledger']['id'], ack['acknowledger']['type']) for ack in body['acknowledgements']] == [('PUSER01', 'user_reference')]
    assert body['alert_counts'] == {'all': 1, 'triggered': 1, 'resolved': 0}

    resolved = put(sim, api, incident['id'], status='resolved', resolution='Restarted the web tier').json()['incident']
    assert (resolved['status'], resolved['assignments'], resolved['acknowledgements']) == ('resolved', [], [])
    assert resolved['resolved_at'] == resolved['last_status_change_at'] and resolved['last_status_change_by']['id'] == 'PUSER01'
    assert resolved['alert_counts'] == {'all': 1, 'triggered': 0, 'resolved': 1}
    alerts = api.get('%s/incidents/%s/alerts' % (sim.url, incident['id'])).json()['alerts']
    assert [alert['status'] for alert in alerts] == ['resolved']
    # The alert is resolved: a resolve event for its key is dropped, a trigger opens a new incident.
    events.post(sim.events_url + '/v2/enqueue', json={'routing_key': KEY, 'event_action': 'resolve', 'dedup_key': 'cpu'})

    # Reopening to triggered assigns through the incident's policy again.
    reopened = put(sim, api, incident['id'], status='triggered').json()['incident']
    assert (reopened['status'], reopened['resolved_at'], reopened['assigned_via']) == ('triggered', None, 'escalation_policy')
    assert [assignment['assignee']['id'] for assignment in reopened['assignments']] == ['PUSER01']
    put(sim, api, incident['id'], status='resolved')
    # Reopening to acknowledged assigns the acting user (From: Bob).
    as_bob = api.put('%s/incidents/%s' % (sim.url, incident['id']), headers={'From': 'bob@example.com'},
                     json={'incident': {'type': 'incident_reference', 'status': 'acknowledged'}}).json()['incident']
    assert (as_bob['status'], [a['assignee']['id'] for a in as_bob['assignments']], as_bob['assigned_via']) == (
        'acknowledged', ['PUSER02'], 'direct_assignment')
    assert [ack['acknowledger']['id'] for ack in as_bob['acknowledgements']] == ['PUSER02']
    # Back to triggered from acknowledged: the acknowledgements go.
    unacked = put(sim, api, incident['id'], status='triggered').json()['incident']
    assert (unacked['status'], unacked['acknowledgements']) == ('triggered', [])
    # Reopening with assignments assigns them.
    put(sim, api, incident['id'], status='resolved')
    direct = put(sim, api, incident['id'], status='triggered', assignments=[{'assignee': {'id': 'PUSER02', 'type': 'user_reference'}}])
    assert [a['assignee']['id'] for a in direct.json()['incident']['assignments']] == ['PUSER02']
    assert sim.violations() == []


def test_reassign_escalate_and_edit(sim, api):
    direct = put(sim, api, 'PINC001', assignments=[{'assignee': {'id': 'PUSER02', 'type': 'user_reference'}}]).json()['incident']
    assert ([a['assignee']['id'] for a in direct['assignments']], direct['assigned_via']) == (['PUSER02'], 'direct_assignment')
    level = put(sim, api, 'PINC001', escalation_level=2).json()['incident']
    assert ([a['assignee']['id'] for a in level['assignments']], level['assigned_via']) == (['PUSER02'], 'escalation_policy')
    back = put(sim, api, 'PINC001', escalation_level=1).json()['incident']
    assert [a['assignee']['id'] for a in back['assignments']] == ['PUSER01']
    moved = put(sim, api, 'PINC001', escalation_policy={'id': 'PEP0002', 'type': 'escalation_policy_reference'}).json()['incident']
    assert (moved['escalation_policy']['id'], [team['id'] for team in moved['teams']]) == ('PEP0002', ['PTEAM02'])
    assert [a['assignee']['id'] for a in moved['assignments']] == ['PUSER02']
    # Reassigning an acknowledged incident triggers it again.
    reassigned = put(sim, api, 'PINC002', assignments=[{'assignee': {'id': 'PUSER01', 'type': 'user_reference'}}]).json()['incident']
    assert (reassigned['status'], reassigned['acknowledgements']) == ('triggered', [])
    edited = put(sim, api, 'PINC001', title='Web is really down', urgency='low').json()['incident']
    assert (edited['title'], edited['summary'], edited['urgency']) == ('Web is really down', '[#1] Web is really down', 'low')
    assert edited['updated_at'] >= edited['created_at']
    assert sim.violations() == []

    too_deep = put(sim, api, 'PINC001', escalation_level=2)  # PEP0002 has one level
    assert (too_deep.status_code, too_deep.json()) == (400, invalid('Escalation level must be an integer from 1 to 1'))
    both = put(sim, api, 'PINC001', assignments=[{'assignee': {'id': 'PUSER01', 'type': 'user_reference'}}],
               escalation_policy={'id': 'PEP0001', 'type': 'escalation_policy_reference'})
    assert both.json() == invalid('Assignments cannot be given together with an escalation policy')
    nobody = put(sim, api, 'PINC001', assignments=[{'assignee': {'id': 'PNOBODY', 'type': 'user_reference'}}])
    assert nobody.json() == invalid('User PNOBODY not found')
    resolved = put(sim, api, 'PINC003', escalation_level=1)
    assert resolved.json() == invalid('A resolved incident cannot be reassigned')
    assert api.put(sim.url + '/incidents/PNOPE01', json={'incident': {'type': 'incident_reference', 'status': 'resolved'}}).status_code == 404


# --- priorities ------------------------------------------------------------------------------

def test_priorities_default_list_seeding_and_setting(sim, api):
    listed = api.get(sim.url + '/priorities').json()
    assert [priority['name'] for priority in listed['priorities']] == ['P1', 'P2', 'P3', 'P4', 'P5']
    p1 = listed['priorities'][0]
    assert set(p1) == {'id', 'type', 'summary', 'self', 'name', 'description'} and (p1['type'], p1['summary']) == ('priority', 'P1')
    assert (listed['limit'], listed['offset'], listed['more']) == (25, 0, False)
    sim.seed({'priorities': [{'id': 'PPRIO99', 'name': 'SEV9', 'description': 'Seeded'}]})
    assert [priority['name'] for priority in api.get(sim.url + '/priorities').json()['priorities']][-1] == 'SEV9'

    by_name = put(sim, api, 'PINC001', priority='P2').json()['incident']
    p2 = listed['priorities'][1]
    assert by_name['priority'] == {'id': p2['id'], 'type': 'priority_reference', 'summary': 'P2', 'self': '%s/priorities/%s' % (sim.url, p2['id'])}
    by_reference = put(sim, api, 'PINC001', priority={'id': 'PPRIO99', 'type': 'priority_reference'}).json()['incident']
    assert by_reference['priority']['id'] == 'PPRIO99'
    full = api.get(sim.url + '/incidents/PINC001', params={'include[]': 'priorities'}).json()['incident']['priority']
    assert full == {'id': 'PPRIO99', 'type': 'priority', 'summary': 'SEV9', 'self': sim.url + '/priorities/PPRIO99',
                    'name': 'SEV9', 'description': 'Seeded'}
    assert ids(api.get(sim.url + '/incidents', params={'incident_key': 'web-down'})) == ['PINC001']
    unknown_name = put(sim, api, 'PINC001', priority='P9')
    assert (unknown_name.status_code, unknown_name.json()) == (400, invalid('Priority P9 not found'))
    unknown_id = put(sim, api, 'PINC001', priority={'id': 'PNOPE01', 'type': 'priority_reference'})
    assert unknown_id.json() == invalid('Priority PNOPE01 not found')
    seeded = sim.seed({'incidents': [{'service': 'Web', 'title': 'With priority', 'priority': 'P1'}]})['incidents']
    assert api.get('%s/incidents/%s' % (sim.url, seeded[0])).json()['incident']['priority']['summary'] == 'P1'


# --- notes -----------------------------------------------------------------------------------

def test_notes(sim, api):
    created = api.post(sim.url + '/incidents/PINC001/notes', json={'note': {'content': 'Firefighters are on the scene.'}})
    assert created.status_code == 200, created.text
    note = created.json()['note']
    assert note == {'id': note['id'], 'user': reference(sim, 'user', 'PUSER01', 'Ann'), 'channel': {'summary': 'The PagerDuty website or APIs'},
                    'content': 'Firefighters are on the scene.', 'created_at': note['created_at'], 'updated_at': note['created_at']}
    api.post(sim.url + '/incidents/1/notes', headers={'From': 'bob@example.com'}, json={'note': {'content': 'Second'}})
    listed = api.get(sim.url + '/incidents/PINC001/notes').json()
    assert list(listed) == ['notes'] and [(item['content'], item['user']['id']) for item in listed['notes']] == [
        ('Firefighters are on the scene.', 'PUSER01'), ('Second', 'PUSER02')]
    assert api.get(sim.url + '/incidents/PINC002/notes').json() == {'notes': []}
    blank = api.post(sim.url + '/incidents/PINC001/notes', json={'note': {'content': ' '}})
    assert (blank.status_code, blank.json()) == (400, invalid("Content can't be blank"))
    assert api.post(sim.url + '/incidents/PNOPE01/notes', json={'note': {'content': 'x'}}).status_code == 404
    assert sim.violations() == []


def test_at_most_2000_notes(sim, api):
    for index in range(2000):
        assert api.post(sim.url + '/incidents/PINC002/notes', json={'note': {'content': 'note %d' % index}}).status_code == 200
    refused = api.post(sim.url + '/incidents/PINC002/notes', json={'note': {'content': 'one more'}})
    assert (refused.status_code, refused.json()) == (400, invalid('An incident can have at most 2000 notes'))


# --- seeding -----------------------------------------------------------------------------------

def test_seeding_incidents(sim, api):
    created = sim.seed({'incidents': [{'service': {'id': 'PSVC002'}, 'title': 'Seeded'}]})
    incident = api.get('%s/incidents/%s' % (sim.url, created['incidents'][0])).json()['incident']
    assert (incident['incident_number'], incident['urgency'], incident['service']['id']) == (5, 'low', 'PSVC002')
    assert len(incident['incident_key']) == 32
    with pytest.raises(Exception, match='not found'):
        sim.seed({'incidents': [{'service': 'Nope', 'title': 'x'}]})
    state = sim.state()
    assert [item['id'] for item in state['incidents']][:4] == ['PINC001', 'PINC002', 'PINC003', 'PINC004']
    assert [item['name'] for item in state['priorities']] == ['P1', 'P2', 'P3', 'P4', 'P5']
