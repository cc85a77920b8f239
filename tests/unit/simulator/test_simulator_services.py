"""Escalation policies, services, integrations and maintenance windows in the PagerDuty simulator."""

import datetime
import re
import time

import pytest

ID_PATTERN = re.compile(r'^P[A-Z0-9]{6}$')
HTML = 'https://simulator.pagerduty.invalid'


def invalid(*errors):
    return {'error': {'message': 'Invalid Input Provided', 'code': 2001, 'errors': list(errors)}}


@pytest.fixture(name='sim')
def seeded_sim_fixture(sim):
    """The fresh simulator of tests/unit/conftest.py, with the users (and teams) these tests name."""
    sim.seed({'users': [{'id': 'PUSER01', 'name': 'Ann', 'email': 'ann@example.com'},
                        {'id': 'PUSER02', 'name': 'Bob', 'email': 'bob@example.com'}],
              'teams': [{'id': 'PTEAM01', 'name': 'Ops'}, {'id': 'PTEAM02', 'name': 'Dev'}]})
    sim.clear_requests()
    return sim


def user_target(user_id='PUSER01'):
    return {'id': user_id, 'type': 'user_reference'}


def policy_body(name='Primary', targets=None, **fields):
    policy = {'type': 'escalation_policy', 'name': name,
              'escalation_rules': [{'escalation_delay_in_minutes': 30, 'targets': targets or [user_target()]}]}
    policy.update(fields)
    return {'escalation_policy': policy}


def create_policy(sim, api, name='Primary', **fields):
    response = api.post(sim.url + '/escalation_policies', json=policy_body(name, **fields))
    assert response.status_code == 201, response.text
    return response.json()['escalation_policy']


def create_service(sim, api, policy_id, name='Web', **fields):
    service = {'type': 'service', 'name': name, 'escalation_policy': {'id': policy_id, 'type': 'escalation_policy_reference'}}
    service.update(fields)
    response = api.post(sim.url + '/services', json={'service': service})
    assert response.status_code == 201, response.text
    return response.json()['service']


def iso(delta_seconds):
    moment = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(seconds=delta_seconds)
    return moment.isoformat()


def window_body(service_ids, start, end, description='Deploy'):
    return {'maintenance_window': {'type': 'maintenance_window', 'start_time': start, 'end_time': end, 'description': description,
                                   'services': [{'id': service_id, 'type': 'service_reference'} for service_id in service_ids]}}


# --- escalation policies -------------------------------------------------------------------

def test_escalation_policy_crud_with_exact_bodies(sim, api):
    policy = create_policy(sim, api, description='Pages Ann', teams=[{'id': 'PTEAM01', 'type': 'team_reference'}])
    [rule] = policy['escalation_rules']
    assert ID_PATTERN.match(policy['id']) and ID_PATTERN.match(rule['id'])
    assert policy == {
        'id': policy['id'],
        'type': 'escalation_policy',
        'summary': 'Primary',
        'self': '%s/escalation_policies/%s' % (sim.url, policy['id']),
        'html_url': '%s/escalation_policies/%s' % (HTML, policy['id']),
        'name': 'Primary',
        'description': 'Pages Ann',
        'num_loops': 0,
        'on_call_handoff_notifications': 'if_has_services',
        'escalation_rules': [{
            'id': rule['id'],
            'escalation_delay_in_minutes': 30,
            'targets': [{'id': 'PUSER01', 'type': 'user_reference', 'summary': 'Ann', 'self': '%s/users/PUSER01' % sim.url,
                         'html_url': '%s/users/PUSER01' % HTML}],
            'escalation_rule_assignment_strategy': {'type': 'assign_to_everyone'},
        }],
        'services': [],
        'teams': [{'id': 'PTEAM01', 'type': 'team_reference', 'summary': 'Ops', 'self': '%s/teams/PTEAM01' % sim.url}],
    }
    assert api.get('%s/escalation_policies/%s' % (sim.url, policy['id'])).json() == {'escalation_policy': policy}
    changed = api.put('%s/escalation_policies/%s' % (sim.url, policy['id']), json={'escalation_policy': {
        'type': 'escalation_policy', 'num_loops': 2, 'on_call_handoff_notifications': 'always',
        'escalation_rules': [{'id': rule['id'], 'escalation_delay_in_minutes': 10, 'targets': [user_target('PUSER02')]},
                             {'escalation_delay_in_minutes': 5, 'targets': [user_target()]}]}})
    assert changed.status_code == 200, changed.text
    updated = changed.json()['escalation_policy']
    assert (updated['name'], updated['num_loops'], updated['on_call_handoff_notifications']) == ('Primary', 2, 'always')
    assert updated['escalation_rules'][0]['id'] == rule['id']  # a rule sent back with its id keeps it
    assert updated['escalation_rules'][1]['id'] not in (rule['id'], None)
    assert [rule['targets'][0]['id'] for rule in updated['escalation_rules']] == ['PUSER02', 'PUSER01']
    assert api.delete('%s/escalation_policies/%s' % (sim.url, policy['id'])).status_code == 204
    assert api.get('%s/escalation_policies/%s' % (sim.url, policy['id'])).status_code == 404
    assert sim.violations() == []


def test_escalation_policy_validation(sim, api):
    create_policy(sim, api)
    taken = api.post(sim.url + '/escalation_policies', json=policy_body('primary'))
    assert (taken.status_code, taken.json()) == (400, invalid('Name has already been taken'))
    no_user = api.post(sim.url + '/escalation_policies', json=policy_body('B', targets=[user_target('PNOBODY')]))
    # PagerDuty answers an unknown target with a bare 404 (heimweh/go-pagerduty#33, terraform-provider-pagerduty#227)
    assert (no_user.status_code, no_user.json()) == (404, {'error': {'message': 'Not Found', 'code': 2100}})
    no_schedule = api.post(sim.url + '/escalation_policies', json=policy_body('C', targets=[{'id': 'PSCHED9', 'type': 'schedule_reference'}]))
    assert (no_schedule.status_code, no_schedule.json()) == (404, {'error': {'message': 'Not Found', 'code': 2100}})
    sim.seed({'count_users': 4})
    users = [user['id'] for user in api.get(sim.url + '/users', params={'limit': 100}).json()['users']]
    six = api.post(sim.url + '/escalation_policies', json=policy_body('D', targets=[user_target(user_id) for user_id in users[:6]]))
    assert (six.status_code, six.json()) == (400, invalid('Escalation rules base May have at most 5 escalation targets'))
    five = api.post(sim.url + '/escalation_policies', json=policy_body('E', targets=[user_target(user_id) for user_id in users[:5]]))
    assert five.status_code == 201
    no_rules = api.post(sim.url + '/escalation_policies', json={'escalation_policy': {'type': 'escalation_policy', 'name': 'F', 'escalation_rules': []}})
    assert no_rules.json() == invalid('Escalation rules must contain at least one escalation rule')
    two_teams = api.post(sim.url + '/escalation_policies', json=policy_body('G', teams=[{'id': 'PTEAM01', 'type': 'team_reference'},
                                                                                        {'id': 'PTEAM02', 'type': 'team_reference'}]))
    assert two_teams.json() == invalid('Only one team may be associated with an escalation policy')
    assert sim.violations() == []


@pytest.mark.needs_spec
def test_escalation_policy_spec_checks(sim, api):
    missing_delay = api.post(sim.url + '/escalation_policies', json={'escalation_policy': {
        'type': 'escalation_policy', 'name': 'X', 'escalation_rules': [{'targets': [user_target()]}]}})
    assert missing_delay.status_code == 400
    assert sim.requests()[-1]['spec_violations'] == ['body.escalation_policy.escalation_rules[0].escalation_delay_in_minutes is required']
    as_string = api.post(sim.url + '/escalation_policies', json=policy_body('Y', escalation_rules=[{
        'escalation_delay_in_minutes': 5, 'targets': [user_target()], 'escalation_rule_assignment_strategy': 'round_robin'}]))
    assert as_string.status_code == 400  # the spec's string form is not what the API takes
    bad_handoff = api.post(sim.url + '/escalation_policies', json=policy_body('Z', on_call_handoff_notifications='never'))
    assert bad_handoff.status_code == 400
    assert all(entry['spec_violations'] for entry in sim.requests())


def test_assignment_strategy_object_round_trip(sim, api):
    policy = create_policy(sim, api, escalation_rules=[{'escalation_delay_in_minutes': 15, 'targets': [user_target()],
                                                        'escalation_rule_assignment_strategy': {'type': 'round_robin'}}])
    assert policy['escalation_rules'][0]['escalation_rule_assignment_strategy'] == {'type': 'round_robin'}
    shown = api.get('%s/escalation_policies/%s' % (sim.url, policy['id'])).json()['escalation_policy']
    assert shown['escalation_rules'][0]['escalation_rule_assignment_strategy'] == {'type': 'round_robin'}
    assert sim.violations() == []


def test_escalation_policy_list_filters_and_includes(sim, api):
    create_policy(sim, api, 'Beta', targets=[user_target('PUSER02')], teams=[{'id': 'PTEAM02', 'type': 'team_reference'}])
    alpha = create_policy(sim, api, 'Alpha', teams=[{'id': 'PTEAM01', 'type': 'team_reference'}])
    create_policy(sim, api, 'Gamma')

    def names(**params):
        return [policy['name'] for policy in api.get(sim.url + '/escalation_policies', params=params).json()['escalation_policies']]

    assert names() == ['Alpha', 'Beta', 'Gamma']
    assert names(sort_by='name:desc') == ['Gamma', 'Beta', 'Alpha']
    assert names(query='ET') == ['Beta']
    assert names(**{'user_ids[]': 'PUSER01'}) == ['Alpha', 'Gamma']
    assert names(**{'team_ids[]': ['PTEAM01', 'PTEAM02']}) == ['Alpha', 'Beta']
    page = api.get(sim.url + '/escalation_policies', params={'limit': 2, 'offset': 1, 'total': 'true'}).json()
    assert (page['limit'], page['offset'], page['more'], page['total'], len(page['escalation_policies'])) == (2, 1, False, 3, 2)
    service = create_service(sim, api, alpha['id'])
    full = api.get('%s/escalation_policies/%s' % (sim.url, alpha['id']), params={'include[]': ['targets', 'teams', 'services']}).json()
    policy = full['escalation_policy']
    assert policy['escalation_rules'][0]['targets'][0]['email'] == 'ann@example.com'
    assert policy['teams'][0]['default_role'] == 'manager'
    assert policy['services'][0]['id'] == service['id'] and policy['services'][0]['type'] == 'service'
    assert sim.violations() == []


def test_schedule_targets(sim, api):
    start = iso(-86400)
    sim.seed({'schedules': [{'id': 'PSCHED1', 'name': 'Follow the sun', 'time_zone': 'Etc/UTC', 'schedule_layers': [
        {'name': 'Layer', 'start': start, 'rotation_virtual_start': start, 'rotation_turn_length_seconds': 86400, 'users': ['PUSER01']}]}]})
    policy = create_policy(sim, api, targets=[{'id': 'PSCHED1', 'type': 'schedule_reference'}, {'id': 'PUSER02', 'type': 'user'}])
    assert [(target['id'], target['type'], target['summary']) for target in policy['escalation_rules'][0]['targets']] == [
        ('PSCHED1', 'schedule_reference', 'Follow the sun'), ('PUSER02', 'user_reference', 'Bob')]
    full = api.get('%s/escalation_policies/%s' % (sim.url, policy['id']), params={'include[]': 'targets'}).json()['escalation_policy']
    assert [target['type'] for target in full['escalation_rules'][0]['targets']] == ['schedule', 'user']
    assert api.delete(sim.url + '/schedules/PSCHED1').status_code == 400
    assert sim.violations() == []


def test_delete_guards_for_policies_users_and_teams(sim, api):
    policy = create_policy(sim, api, teams=[{'id': 'PTEAM01', 'type': 'team_reference'}])
    service = create_service(sim, api, policy['id'], name='Checkout')
    refused = api.delete('%s/escalation_policies/%s' % (sim.url, policy['id']))
    assert (refused.status_code, refused.json()) == (400, invalid('Escalation policy is in use by service %s (Checkout)' % service['id']))
    user = api.delete(sim.url + '/users/PUSER01')
    assert (user.status_code, user.json()) == (400, invalid('User is a target of escalation policy %s (Primary)' % policy['id']))
    team = api.delete(sim.url + '/teams/PTEAM01')
    assert (team.status_code, team.json()) == (400, {'error': {'message': 'Team has existing associations', 'code': 6006, 'errors': [
        'Team is associated with escalation policy %s (Primary)' % policy['id'],
        'Team is associated with service %s (Checkout)' % service['id']]}})
    assert api.delete('%s/services/%s' % (sim.url, service['id'])).status_code == 204
    assert api.delete('%s/escalation_policies/%s' % (sim.url, policy['id'])).status_code == 204
    assert api.delete(sim.url + '/users/PUSER01').status_code == 204
    assert api.delete(sim.url + '/teams/PTEAM01').status_code == 204
    assert sim.violations() == []


# --- services -----------------------------------------------------------------------------

def test_service_crud_with_defaults(sim, api):
    policy = create_policy(sim, api, teams=[{'id': 'PTEAM01', 'type': 'team_reference'}])
    service = create_service(sim, api, policy['id'])
    assert ID_PATTERN.match(service['id'])
    assert service == {
        'id': service['id'],
        'type': 'service',
        'summary': 'Web',
        'self': '%s/services/%s' % (sim.url, service['id']),
        'html_url': '%s/service-directory/%s' % (HTML, service['id']),
        'name': 'Web',
        'description': None,
        'auto_resolve_timeout': 14400,
        'acknowledgement_timeout': 1800,
        'created_at': service['created_at'],
        'status': 'active',
        'last_incident_timestamp': None,
        'escalation_policy': {'id': policy['id'], 'type': 'escalation_policy_reference', 'summary': 'Primary',
                              'self': '%s/escalation_policies/%s' % (sim.url, policy['id']),
                              'html_url': '%s/escalation_policies/%s' % (HTML, policy['id'])},
        'teams': [{'id': 'PTEAM01', 'type': 'team_reference', 'summary': 'Ops', 'self': '%s/teams/PTEAM01' % sim.url}],
        'integrations': [],
        'incident_urgency_rule': {'type': 'constant', 'urgency': 'high'},
        'support_hours': None,
        'scheduled_actions': [],
        'addons': [],
        'alert_creation': 'create_alerts_and_incidents',
        'alert_grouping_parameters': {'type': None},
    }
    assert datetime.datetime.fromisoformat(service['created_at']).tzinfo is not None
    url = '%s/services/%s' % (sim.url, service['id'])
    hours = {'type': 'fixed_time_per_day', 'time_zone': 'Europe/Berlin', 'start_time': '09:00:00', 'end_time': '17:00:00',
             'days_of_week': [1, 2, 3, 4, 5]}
    changed = api.put(url, json={'service': {
        'type': 'service', 'description': 'Shop front', 'auto_resolve_timeout': None, 'acknowledgement_timeout': 0, 'status': 'disabled',
        'support_hours': hours,
        'incident_urgency_rule': {'type': 'use_support_hours', 'during_support_hours': {'type': 'constant', 'urgency': 'high'},
                                  'outside_support_hours': {'type': 'constant', 'urgency': 'low'}},
        'scheduled_actions': [{'type': 'urgency_change', 'at': {'type': 'named_time', 'name': 'support_hours_start'}, 'to_urgency': 'high'}],
    }})
    assert changed.status_code == 200, changed.text
    updated = changed.json()['service']
    assert (updated['description'], updated['auto_resolve_timeout'], updated['acknowledgement_timeout'], updated['status']) == (
        'Shop front', None, None, 'disabled')
    assert updated['support_hours'] == hours and updated['incident_urgency_rule']['type'] == 'use_support_hours'
    with_pause = api.get(url, params={'include[]': 'auto_pause_notifications_parameters'}).json()['service']
    assert with_pause['auto_pause_notifications_parameters'] == {'enabled': False, 'timeout': None}
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    assert sim.violations() == []


def test_service_validation(sim, api):
    policy = create_policy(sim, api)
    created = create_service(sim, api, policy["id"])
    unknown = api.post(sim.url + '/services', json={'service': {'type': 'service', 'name': 'X',
                                                                'escalation_policy': {'id': 'PNOPE00', 'type': 'escalation_policy_reference'}}})
    assert (unknown.status_code, unknown.json()) == (400, invalid('Escalation policy PNOPE00 not found'))
    taken = api.post(sim.url + '/services', json={'service': {'type': 'service', 'name': 'WEB',
                                                              'escalation_policy': {'id': policy['id'], 'type': 'escalation_policy_reference'}}})
    assert taken.json() == invalid('Name has already been taken')
    disabled = api.post(sim.url + '/services', json={'service': {'type': 'service', 'name': 'Y', 'status': 'disabled',
                                                                 'escalation_policy': {'id': policy['id'], 'type': 'escalation_policy_reference'}}})
    assert disabled.json() == invalid('Status must be active when a service is created')
    maintenance = api.put(sim.url + f"/services/{created['id']}", json={'service': {'type': 'service', 'status': 'maintenance'}})
    assert maintenance.json() == invalid('Status must be in active or disabled.')  # terraform-provider-pagerduty#82
    no_hours = api.post(sim.url + '/services', json={'service': {
        'type': 'service', 'name': 'Z', 'escalation_policy': {'id': policy['id'], 'type': 'escalation_policy_reference'},
        'incident_urgency_rule': {'type': 'use_support_hours', 'during_support_hours': {'type': 'constant', 'urgency': 'high'},
                                  'outside_support_hours': {'type': 'constant', 'urgency': 'low'}}}})
    assert no_hours.json() == invalid('Support hours are required when the incident urgency rule type is use_support_hours')
    assert sim.violations() == []


def test_service_list_query_teams_includes_and_sort(sim, api):
    ops = create_policy(sim, api, 'Ops policy', teams=[{'id': 'PTEAM01', 'type': 'team_reference'}])
    dev = create_policy(sim, api, 'Dev policy', teams=[{'id': 'PTEAM02', 'type': 'team_reference'}])
    create_service(sim, api, ops['id'], 'Payments')
    create_service(sim, api, dev['id'], 'Auth')
    create_service(sim, api, ops['id'], 'Search')

    def names(**params):
        return [service['name'] for service in api.get(sim.url + '/services', params=params).json()['services']]

    assert names() == ['Auth', 'Payments', 'Search']
    assert names(sort_by='name:desc') == ['Search', 'Payments', 'Auth']
    assert names(query='a') == ['Auth', 'Payments', 'Search']
    assert names(query='ear') == ['Search']
    assert names(**{'team_ids[]': 'PTEAM01'}) == ['Payments', 'Search']
    assert names(name='auth') == ['Auth']
    full = api.get(sim.url + '/services', params={'include[]': ['escalation_policies', 'teams'], 'query': 'Auth'}).json()['services'][0]
    assert full['escalation_policy']['type'] == 'escalation_policy' and full['escalation_policy']['name'] == 'Dev policy'
    assert full['teams'][0]['name'] == 'Dev'
    assert sim.violations() == []


# --- integrations ----------------------------------------------------------------------------

def test_integrations(sim, api):
    service = create_service(sim, api, create_policy(sim, api)['id'])
    base = '%s/services/%s/integrations' % (sim.url, service['id'])
    events = api.post(base, json={'integration': {'type': 'events_api_v2_inbound_integration', 'name': 'Alertmanager'}})
    assert events.status_code == 201, events.text
    integration = events.json()['integration']
    assert re.match(r'^[0-9a-f]{32}$', integration['integration_key'])
    assert integration == {
        'id': integration['id'], 'type': 'events_api_v2_inbound_integration', 'summary': 'Alertmanager',
        'self': '%s/%s' % (base, integration['id']), 'html_url': '%s/services/%s/integrations/%s' % (HTML, service['id'], integration['id']),
        'name': 'Alertmanager',
        'service': {'id': service['id'], 'type': 'service_reference', 'summary': 'Web', 'self': '%s/services/%s' % (sim.url, service['id']),
                    'html_url': '%s/service-directory/%s' % (HTML, service['id'])},
        'created_at': integration['created_at'], 'vendor': None, 'integration_key': integration['integration_key'],
    }
    shown = api.get('%s/%s' % (base, integration['id'])).json()['integration']
    assert shown['integration_key'] == integration['integration_key']
    renamed = api.put('%s/%s' % (base, integration['id']), json={'integration': {'type': 'events_api_v2_inbound_integration', 'name': 'AM'}})
    assert renamed.json()['integration']['name'] == 'AM'
    assert renamed.json()['integration']['integration_key'] == integration['integration_key']
    email = api.post(base, json={'integration': {'type': 'generic_email_inbound_integration', 'name': 'Mail'}}).json()['integration']
    assert email['integration_email'].endswith('@simulator.pagerduty.invalid') and 'integration_key' not in email
    listed = api.get('%s/services/%s' % (sim.url, service['id'])).json()['service']['integrations']
    assert [(item['id'], item['type']) for item in listed] == [(integration['id'], 'events_api_v2_inbound_integration_reference'),
                                                               (email['id'], 'generic_email_inbound_integration_reference')]
    expanded = api.get('%s/services/%s' % (sim.url, service['id']), params={'include[]': 'integrations'}).json()['service']['integrations']
    assert expanded[0]['integration_key'] == integration['integration_key'] and expanded[1]['integration_email'] == email['integration_email']
    bad = api.post(base, json={'integration': {'type': 'carrier_pigeon_inbound_integration'}})
    assert bad.status_code == 400
    assert api.get('%s/services/PNOPE00/integrations/%s' % (sim.url, integration['id'])).status_code == 404
    assert api.delete('%s/services/%s' % (sim.url, service['id'])).status_code == 204
    assert api.get('%s/%s' % (base, integration['id'])).status_code == 404


@pytest.mark.needs_spec
def test_integration_delete_and_list_are_not_operations(sim, api):
    service = create_service(sim, api, create_policy(sim, api)['id'])
    base = '%s/services/%s/integrations' % (sim.url, service['id'])
    integration = api.post(base, json={'integration': {'type': 'events_api_v2_inbound_integration', 'name': 'E'}}).json()['integration']
    assert api.delete('%s/%s' % (base, integration['id'])).status_code == 404
    assert api.get(base).status_code == 404


def test_an_integration_changes_type_in_place(sim, api):
    service = create_service(sim, api, create_policy(sim, api)['id'])
    base = '%s/services/%s/integrations' % (sim.url, service['id'])
    mail = api.post(base, json={'integration': {'type': 'generic_email_inbound_integration', 'name': 'Mail'}}).json()['integration']
    assert 'integration_key' not in mail and mail['integration_email'].endswith('@simulator.pagerduty.invalid')
    path = '%s/%s' % (base, mail['id'])
    events = api.put(path, json={'integration': {'type': 'events_api_v2_inbound_integration'}})
    assert events.status_code == 200, events.text
    changed = events.json()['integration']
    assert (changed['id'], changed['type'], changed['name']) == (mail['id'], 'events_api_v2_inbound_integration', 'Mail')
    assert re.match(r'^[0-9a-f]{32}$', changed['integration_key'])
    assert not any(field.startswith('email_') or field == 'integration_email' for field in changed)
    back = api.put(path, json={'integration': {'type': 'generic_email_inbound_integration'}}).json()['integration']
    assert 'integration_key' not in back and back['email_filter_mode'] == 'all-email' and back['integration_email']
    refused = api.put(path, json={'integration': {'type': 'events_api_v2_inbound_integration', 'email_filter_mode': 'all-email'}})
    assert refused.status_code == 400


# --- vendors and integrations with a vendor ---------------------------------------------------------

def test_vendors_are_a_fixed_catalogue(sim, api):
    listed = api.get(sim.url + '/vendors', params={'limit': 2, 'offset': 0, 'total': 'true'}).json()
    assert [vendor['name'] for vendor in listed['vendors']] == ['Amazon CloudWatch', 'Datadog']
    assert (listed['more'], listed['total']) == (True, 5)
    everything = api.get(sim.url + '/vendors', params={'limit': 100}).json()['vendors']
    assert [(vendor['id'], vendor['name']) for vendor in everything] == [
        ('PZQ6AUS', 'Amazon CloudWatch'), ('PDATDOG', 'Datadog'), ('PEMAIL0', 'Email'), ('PNEWREL', 'New Relic'), ('PPROMTH', 'Prometheus')]
    assert set(everything[1]) == {'id', 'type', 'summary', 'self', 'name', 'website_url', 'logo_url', 'thumbnail_url', 'description',
                                  'integration_guide_url'}
    assert everything[1]['type'] == 'vendor' and everything[1]['self'] == sim.url + '/vendors/PDATDOG'
    shown = api.get(sim.url + '/vendors/PDATDOG')
    assert shown.status_code == 200 and shown.json() == {'vendor': [everything[1]]}  # the spec's answer is a list
    assert api.get(sim.url + '/vendors/PNOPE00').status_code == 404
    sim.reset()
    assert [vendor['id'] for vendor in api.get(sim.url + '/vendors').json()['vendors']][:2] == ['PZQ6AUS', 'PDATDOG']


@pytest.mark.needs_spec
def test_vendors_have_no_search(sim, api):
    assert api.get(sim.url + '/vendors', params={'query': 'Datadog'}).status_code == 400


def test_integration_with_a_vendor(sim, api):
    service = create_service(sim, api, create_policy(sim, api)['id'])
    base = '%s/services/%s/integrations' % (sim.url, service['id'])
    datadog = api.post(base, json={'integration': {'name': 'DD', 'vendor': {'id': 'PDATDOG', 'type': 'vendor_reference'}}})
    assert datadog.status_code == 201, datadog.text
    integration = datadog.json()['integration']
    assert integration['type'] == 'events_api_v2_inbound_integration'  # no type given: the vendor's
    assert integration['vendor'] == {'id': 'PDATDOG', 'type': 'vendor_reference', 'summary': 'Datadog', 'self': sim.url + '/vendors/PDATDOG'}
    typed = api.post(base, json={'integration': {'type': 'generic_events_api_inbound_integration', 'name': 'CW',
                                                 'vendor': {'id': 'PZQ6AUS', 'type': 'vendor_reference'}}}).json()['integration']
    assert typed['type'] == 'generic_events_api_inbound_integration'  # a type given is kept
    unknown = api.post(base, json={'integration': {'name': 'X', 'vendor': {'id': 'PNOPE00', 'type': 'vendor_reference'}}})
    assert (unknown.status_code, unknown.json()) == (400, invalid('Vendor PNOPE00 not found'))
    moved = api.put('%s/%s' % (base, integration['id']), json={'integration': {'vendor': {'id': 'PPROMTH', 'type': 'vendor_reference'}}})
    assert (moved.status_code, moved.json()) == (400, invalid('The vendor of an integration cannot be changed'))
    same = api.put('%s/%s' % (base, integration['id']), json={'integration': {'name': 'Datadog', 'vendor': {'id': 'PDATDOG', 'type': 'vendor_reference'}}})
    assert same.status_code == 200 and same.json()['integration']['name'] == 'Datadog'


def email_filter(**fields):
    return dict({'subject_mode': 'always', 'body_mode': 'always', 'from_email_mode': 'always'}, **fields)


def email_parser(**fields):
    return dict({'action': 'trigger', 'match_predicate': {'type': 'contains', 'part': 'subject', 'matcher': 'DOWN', 'children': []},
                 'value_extractors': [{'type': 'entire', 'part': 'subject', 'value_name': 'incident_key'}]}, **fields)


def test_email_filters_and_parsers(sim, api):
    service = create_service(sim, api, create_policy(sim, api)['id'])
    base = '%s/services/%s/integrations' % (sim.url, service['id'])
    created = api.post(base, json={'integration': {
        'type': 'generic_email_inbound_integration', 'name': 'Mail', 'email_filter_mode': 'or-rules-email',
        'email_filters': [email_filter(subject_mode='match', subject_regex='^ALERT')], 'email_parsers': [email_parser()]}})
    assert created.status_code == 201, created.text
    assert sim.violations() == []
    mail = created.json()['integration']
    [stored_filter] = mail['email_filters']
    assert ID_PATTERN.match(stored_filter.pop('id')) and stored_filter == email_filter(subject_mode='match', subject_regex='^ALERT')
    assert isinstance(mail['email_parsers'][0]['id'], int)
    changed = api.put('%s/%s' % (base, mail['id']), json={'integration': {
        'type': 'generic_email_inbound_integration', 'email_filters': [email_filter(body_mode='no-match', body_regex='test')]}})
    assert changed.status_code == 200, changed.text
    assert [{k: v for k, v in item.items() if k != 'id'} for item in changed.json()['integration']['email_filters']] == [
        email_filter(body_mode='no-match', body_regex='test')]
    assert changed.json()['integration']['email_parsers'][0]['action'] == 'trigger'  # left as it was

    def refused(**fields):
        response = api.put('%s/%s' % (base, mail['id']), json={'integration': dict({'type': 'generic_email_inbound_integration'}, **fields)})
        assert response.status_code == 400
        return response.json()['error']['errors']

    assert refused(email_filters=[email_filter(subject_mode='match')]) == ['Email filter subject_regex is required when subject_mode is match']
    assert refused(email_parsers=[email_parser(value_extractors=[{'type': 'entire', 'part': 'body', 'value_name': 'summary'}])]) == [
        'Exactly one value extractor must have a value_name of incident_key']
    assert refused(email_parsers=[email_parser(match_predicate={'type': 'any', 'part': 'body', 'children': []})]) == [
        'Email parser match predicate of type any needs children']
    assert refused(email_parsers=[email_parser(match_predicate={'type': 'regex', 'part': 'body', 'children': []})]) == [
        'Email parser match predicate of type regex needs a matcher']
    events = api.post(base, json={'integration': {'type': 'events_api_v2_inbound_integration', 'name': 'E',
                                                  'email_filters': [email_filter()]}})
    assert events.status_code == 400 and events.json()['error']['errors'] == [
        'email_filters can only be set on a generic_email_inbound_integration']


# --- maintenance windows ---------------------------------------------------------------------

def test_maintenance_window_create_and_service_status(sim, api):
    policy = create_policy(sim, api, teams=[{'id': 'PTEAM01', 'type': 'team_reference'}])
    service = create_service(sim, api, policy['id'])
    created = api.post(sim.url + '/maintenance_windows', json=window_body([service['id']], iso(-600), iso(3600)))
    assert created.status_code == 201, created.text
    window = created.json()['maintenance_window']
    started = datetime.datetime.fromisoformat(window['start_time'])
    assert abs((started - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 30  # a start in the past becomes now
    assert window == {
        'id': window['id'], 'type': 'maintenance_window', 'summary': 'Deploy',
        'self': '%s/maintenance_windows/%s' % (sim.url, window['id']),
        'html_url': '%s/service-directory/maintenance-windows/%s' % (HTML, window['id']),
        'sequence_number': 1, 'start_time': window['start_time'], 'end_time': window['end_time'], 'description': 'Deploy',
        'services': [service_ref(sim, service)],
        'teams': [{'id': 'PTEAM01', 'type': 'team_reference', 'summary': 'Ops', 'self': '%s/teams/PTEAM01' % sim.url}],
        'created_by': {'id': 'PSOWNER', 'type': 'user_reference', 'summary': 'Sim Owner', 'self': '%s/users/PSOWNER' % sim.url,
                       'html_url': '%s/users/PSOWNER' % HTML},
    }
    assert api.get('%s/services/%s' % (sim.url, service['id'])).json()['service']['status'] == 'maintenance'
    reversed_times = api.post(sim.url + '/maintenance_windows', json=window_body([service['id']], iso(7200), iso(3600)))
    assert reversed_times.json() == invalid('End time must be after start time')
    unknown = api.post(sim.url + '/maintenance_windows', json=window_body(['PNOPE00'], iso(60), iso(120)))
    assert unknown.json() == invalid('Service PNOPE00 not found')
    no_services = api.post(sim.url + '/maintenance_windows', json=window_body([], iso(60), iso(120)))
    assert no_services.json() == invalid('A maintenance window must have at least one service')
    assert sim.violations() == []


def service_ref(sim, service):
    return {'id': service['id'], 'type': 'service_reference', 'summary': service['name'], 'self': '%s/services/%s' % (sim.url, service['id']),
            'html_url': '%s/service-directory/%s' % (HTML, service['id'])}


def test_maintenance_window_create_needs_from_with_an_account_token(sim, api):
    """The spec marks the From header required on POST /maintenance_windows, as on POST /users."""
    service = create_service(sim, api, create_policy(sim, api)['id'])
    body = window_body([service['id']], iso(600), iso(3600))
    without = api.post(sim.url + '/maintenance_windows', json=body, headers={'From': None})
    assert without.status_code == 400
    assert without.json()['error']['code'] == 2016
    unknown = api.post(sim.url + '/maintenance_windows', json=body, headers={'From': 'nobody@example.com'})
    assert (unknown.status_code, unknown.json()['error']['code']) == (400, 1008)
    assert sim.state()['maintenance_windows'] == []
    oauth = api.post(sim.url + '/maintenance_windows', json=body, headers={'From': None, **sim.headers(sim.oauth_token, 'bearer')})
    assert oauth.status_code == 201
    assert oauth.json()['maintenance_window']['created_by']['id'] == 'PSOWNER'  # a user's OAuth token acts as its user


def test_maintenance_window_filters_and_delete_rules(sim, api):
    web = create_service(sim, api, create_policy(sim, api, teams=[{'id': 'PTEAM01', 'type': 'team_reference'}])['id'], 'Web')
    db = create_service(sim, api, create_policy(sim, api, 'Other')['id'], 'DB')
    ids = sim.seed({'maintenance_windows': [
        {'id': 'PMWPAST', 'start_time': iso(-7200), 'end_time': iso(-3600), 'services': [web['id']], 'description': 'Past patch'},
        {'id': 'PMWNOW1', 'start_time': iso(-600), 'end_time': iso(3600), 'services': [db['id']], 'description': 'Ongoing upgrade'},
        {'id': 'PMWSOON', 'start_time': iso(3600), 'end_time': iso(7200), 'services': [web['id'], db['id']], 'description': 'Future move'},
    ]})
    assert ids == {'maintenance_windows': ['PMWPAST', 'PMWNOW1', 'PMWSOON']}

    def listed(**params):
        return [window['id'] for window in api.get(sim.url + '/maintenance_windows', params=params).json()['maintenance_windows']]

    assert listed() == ['PMWPAST', 'PMWNOW1', 'PMWSOON']
    assert listed(filter='past') == ['PMWPAST']
    assert listed(filter='ongoing') == ['PMWNOW1']
    assert listed(filter='future') == ['PMWSOON']
    assert listed(filter='open') == ['PMWNOW1', 'PMWSOON']
    assert listed(filter='all', query='move') == ['PMWSOON']
    assert listed(**{'service_ids[]': web['id']}) == ['PMWPAST', 'PMWSOON']
    assert listed(**{'team_ids[]': 'PTEAM01'}) == ['PMWPAST', 'PMWSOON']
    past = api.delete(sim.url + '/maintenance_windows/PMWPAST')
    assert (past.status_code, past.json()) == (405, {'error': {'message': 'Cannot cancel a maintenance window from the past', 'code': 5003}})
    moved = api.put(sim.url + '/maintenance_windows/PMWPAST', json={'maintenance_window': {'type': 'maintenance_window', 'end_time': iso(600)}})
    assert moved.json() == invalid('End time already passed and can not be modified')
    restart = api.put(sim.url + '/maintenance_windows/PMWNOW1', json={'maintenance_window': {'type': 'maintenance_window', 'start_time': iso(60)}})
    assert restart.json() == invalid('Start time cannot be modified for maintenance windows that have already started')
    extended = api.put(sim.url + '/maintenance_windows/PMWNOW1', json={'maintenance_window': {'type': 'maintenance_window', 'end_time': iso(7200)}})
    assert extended.status_code == 200, extended.text
    assert api.delete(sim.url + '/maintenance_windows/PMWNOW1').status_code == 204  # ongoing: ended now, kept
    ended = api.get(sim.url + '/maintenance_windows/PMWNOW1').json()['maintenance_window']
    assert datetime.datetime.fromisoformat(ended['end_time']) <= datetime.datetime.now(datetime.timezone.utc)
    assert listed(filter='past') == ['PMWPAST', 'PMWNOW1']
    assert api.delete(sim.url + '/maintenance_windows/PMWSOON').status_code == 204  # future: gone
    assert api.get(sim.url + '/maintenance_windows/PMWSOON').status_code == 404
    assert sim.violations() == []


# --- seeding ------------------------------------------------------------------------------

def test_seed_policies_services_and_windows(sim, api):
    created = sim.seed({
        'escalation_policies': [{'id': 'PEP0001', 'name': 'Seeded', 'teams': ['PTEAM01'],
                                 'escalation_rules': [{'escalation_delay_in_minutes': 5, 'targets': ['PUSER01', {'id': 'PUSER02'}]}]}],
        'services': [{'id': 'PSVC001', 'name': 'Seeded service', 'escalation_policy': 'PEP0001',
                      'integrations': [{'id': 'PINT001', 'type': 'events_api_v2_inbound_integration', 'name': 'E',
                                        'integration_key': '0123456789abcdef0123456789abcdef'}]}],
        'maintenance_windows': [{'start_time': iso(60), 'end_time': iso(120), 'services': ['PSVC001']}],
    })
    assert created['escalation_policies'] == ['PEP0001'] and created['services'] == ['PSVC001']
    policy = api.get(sim.url + '/escalation_policies/PEP0001').json()['escalation_policy']
    assert [target['id'] for target in policy['escalation_rules'][0]['targets']] == ['PUSER01', 'PUSER02']
    assert policy['services'][0]['id'] == 'PSVC001' and policy['teams'][0]['id'] == 'PTEAM01'
    integration = api.get(sim.url + '/services/PSVC001/integrations/PINT001').json()['integration']
    assert integration['integration_key'] == '0123456789abcdef0123456789abcdef'
    assert api.get(sim.url + '/maintenance_windows', params={'service_ids[]': 'PSVC001'}).json()['maintenance_windows'][0]['services'][0]['id'] == 'PSVC001'
    state = sim.state()
    assert [item['id'] for item in state['integrations']] == ['PINT001']
    assert sim.violations() == []


def test_bulk_seed_10000_services_is_fast(sim, api):
    started = time.monotonic()
    assert len(sim.seed({'count_services': 10000})['services']) == 10000
    assert time.monotonic() - started < 5
    [policy] = api.get(sim.url + '/escalation_policies').json()['escalation_policies']
    assert policy['name'] == 'Bulk Escalation Policy' and len(policy['services']) == 10000
    page = api.get(sim.url + '/services', params={'limit': 100, 'offset': 9900, 'total': 'true'}).json()
    assert (page['total'], page['more'], page['services'][-1]['name']) == (10000, False, 'Service 10000')
    assert api.get(sim.url + '/services', params={'limit': 100, 'offset': 9901}).status_code == 400
    sim.seed({'count_services': 2})
    assert api.get(sim.url + '/services', params={'query': 'Service 1000'}).json()['services'][-1]['name'] == 'Service 10002'
    assert len(api.get(sim.url + '/escalation_policies').json()['escalation_policies']) == 1
