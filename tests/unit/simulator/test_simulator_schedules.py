"""Schedules, layers, rendering, overrides and on-calls in the PagerDuty simulator."""

import datetime
import re

import pytest
import requests

# tests/unit/conftest.py puts tests/simulator on sys.path.
from pdsim import render  # pylint: disable=import-error

ID_PATTERN = re.compile(r'^P[A-Z0-9]{6}$')
UTC = datetime.timezone.utc
ANN, BOB, CAT = 'PUSERA1', 'PUSERB1', 'PUSERC1'


def t(text):
    return render.parse_time(text)


def invalid(*errors):
    return {'error': {'message': 'Invalid Input Provided', 'code': 2001, 'errors': list(errors)}}


def layer(users, start='2026-01-05T00:00:00Z', turn=86400, virtual_start=None, end=None, restrictions=()):
    return {'start': t(start), 'end': t(end) if end else None, 'rotation_virtual_start': t(virtual_start or start),
            'rotation_turn_length_seconds': turn, 'users': list(users), 'restrictions': list(restrictions)}


def fmt(entries, zone='Etc/UTC'):
    return [(render.format_time(start, zone), render.format_time(end, zone), user) for start, end, user in entries]


# --- rendering (pure functions) -------------------------------------------------------------

def test_simple_rotation_exact_entries():
    rotation = layer([ANN, BOB, CAT], turn=8 * 3600)
    entries = render.layer_entries(rotation, 'Etc/UTC', t('2026-01-05T04:00:00Z'), t('2026-01-06T04:00:00Z'))
    assert fmt(entries) == [
        ('2026-01-05T04:00:00Z', '2026-01-05T08:00:00Z', ANN),
        ('2026-01-05T08:00:00Z', '2026-01-05T16:00:00Z', BOB),
        ('2026-01-05T16:00:00Z', '2026-01-06T00:00:00Z', CAT),
        ('2026-01-06T00:00:00Z', '2026-01-06T04:00:00Z', ANN),
    ]


def test_rotation_before_the_virtual_start_and_layer_bounds():
    rotation = layer([ANN, BOB], start='2026-01-05T12:00:00Z', virtual_start='2026-01-01T00:00:00Z', end='2026-01-07T00:00:00Z')
    entries = render.layer_entries(rotation, 'Etc/UTC', t('2026-01-04T00:00:00Z'), t('2026-01-09T00:00:00Z'))
    # turn k = days since Jan 1: Jan 5 is turn 4 (Ann), Jan 6 turn 5 (Bob); clipped to start/end
    assert fmt(entries) == [('2026-01-05T12:00:00Z', '2026-01-06T00:00:00Z', ANN), ('2026-01-06T00:00:00Z', '2026-01-07T00:00:00Z', BOB)]


def test_daily_restriction_across_a_dst_change_in_berlin():
    # Europe/Berlin switches to summer time on Sunday 2026-03-29.
    rotation = layer([ANN], start='2026-03-01T00:00:00Z', restrictions=[
        {'type': 'daily_restriction', 'start_time_of_day': '09:00:00', 'duration_seconds': 8 * 3600}])
    entries = render.layer_entries(rotation, 'Europe/Berlin', t('2026-03-28T00:00:00Z'), t('2026-03-31T00:00:00Z'))
    assert fmt(entries, 'Europe/Berlin') == [
        ('2026-03-28T09:00:00+01:00', '2026-03-28T17:00:00+01:00', ANN),
        ('2026-03-29T09:00:00+02:00', '2026-03-29T17:00:00+02:00', ANN),
        ('2026-03-30T09:00:00+02:00', '2026-03-30T17:00:00+02:00', ANN),
    ]
    assert fmt(entries)[1] == ('2026-03-29T07:00:00Z', '2026-03-29T15:00:00Z', ANN)


def test_weekly_restriction_is_wall_clock_across_the_autumn_dst_change():
    # Friday 17:00 for 64 h of wall-clock time: Monday 09:00 local, although the night of
    # Sunday 2026-10-25 has 25 hours.
    rotation = layer([ANN], start='2026-10-01T00:00:00Z', turn=7 * 86400, restrictions=[
        {'type': 'weekly_restriction', 'start_day_of_week': 5, 'start_time_of_day': '17:00:00', 'duration_seconds': 64 * 3600}])
    entries = render.layer_entries(rotation, 'Europe/Berlin', t('2026-10-20T00:00:00Z'), t('2026-10-27T00:00:00Z'))
    assert fmt(entries, 'Europe/Berlin') == [('2026-10-23T17:00:00+02:00', '2026-10-26T09:00:00+01:00', ANN)]
    assert entries[0][1] - entries[0][0] == datetime.timedelta(hours=65)


def test_a_turn_cut_by_a_restriction_resumes_with_the_same_user():
    # Two-day turns, on call 09:00-17:00 only: Ann on Jan 5 and 6, Bob on Jan 7.
    rotation = layer([ANN, BOB], turn=2 * 86400, restrictions=[
        {'type': 'daily_restriction', 'start_time_of_day': '09:00:00', 'duration_seconds': 8 * 3600}])
    entries = render.layer_entries(rotation, 'Etc/UTC', t('2026-01-05T00:00:00Z'), t('2026-01-08T00:00:00Z'))
    assert [(start.day, user) for start, dummy, user in entries] == [(5, ANN), (6, ANN), (7, BOB)]


def test_layer_priority_overrides_on_top_and_coverage():
    base = layer([ANN])
    lunch = layer([BOB], restrictions=[{'type': 'daily_restriction', 'start_time_of_day': '12:00:00', 'duration_seconds': 2 * 3600}])
    override = {'start': t('2026-01-05T13:00:00Z'), 'end': t('2026-01-05T15:00:00Z'), 'user': CAT}
    result = render.render_schedule([base, lunch], [override], 'Etc/UTC', t('2026-01-05T00:00:00Z'), t('2026-01-06T00:00:00Z'))
    assert fmt(result['final'][0]) == [
        ('2026-01-05T00:00:00Z', '2026-01-05T12:00:00Z', ANN),
        ('2026-01-05T12:00:00Z', '2026-01-05T13:00:00Z', BOB),
        ('2026-01-05T13:00:00Z', '2026-01-05T15:00:00Z', CAT),
        ('2026-01-05T15:00:00Z', '2026-01-06T00:00:00Z', ANN),
    ]
    assert result['final'][1] == 100.0
    assert result['layers'][1][1] == 8.33  # 2 h of 24
    assert fmt(result['overrides'][0]) == [('2026-01-05T13:00:00Z', '2026-01-05T15:00:00Z', CAT)]
    assert result['overrides'][1] == 8.33
    # the later override wins where two overlap
    later = {'start': t('2026-01-05T14:00:00Z'), 'end': t('2026-01-05T16:00:00Z'), 'user': ANN}
    stacked = render.override_entries([override, later], t('2026-01-05T00:00:00Z'), t('2026-01-06T00:00:00Z'))
    assert [(start.hour, end.hour, user) for start, end, user in stacked] == [(13, 14, CAT), (14, 16, ANN)]


def test_overflow_returns_whole_entries():
    daily = layer([ANN, BOB])
    since, until = t('2026-01-05T10:00:00Z'), t('2026-01-05T14:00:00Z')
    clipped = render.render_schedule([daily], [], 'Etc/UTC', since, until)
    whole = render.render_schedule([daily], [], 'Etc/UTC', since, until, overflow=True)
    assert fmt(clipped['final'][0]) == [('2026-01-05T10:00:00Z', '2026-01-05T14:00:00Z', ANN)]
    assert fmt(whole['final'][0]) == [('2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z', ANN)]
    assert fmt(whole['layers'][0][0]) == [('2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z', ANN)]
    assert render.on_call_at([daily], [], 'Etc/UTC', t('2026-01-06T10:00:00Z')) == BOB


def test_times_are_written_in_the_zone_and_read_with_any_offset():
    moment = t('2026-11-26T10:00:00+01:00')
    assert render.format_time(moment, 'Europe/Berlin') == '2026-11-26T10:00:00+01:00'
    assert render.format_time(moment, 'America/New_York') == '2026-11-26T04:00:00-05:00'
    assert render.format_time(moment, 'Etc/UTC') == '2026-11-26T09:00:00Z'
    assert render.format_time(moment, 'Europe/London') == '2026-11-26T09:00:00+00:00'
    with pytest.raises(ValueError):
        render.parse_time('2026-11-26T10:00:00')


# --- the HTTP API -----------------------------------------------------------------------------

@pytest.fixture(name='sim')
def seeded_sim_fixture(sim):
    """The fresh simulator of tests/unit/conftest.py, with the users (and teams) these tests name."""
    sim.seed({'users': [{'id': ANN, 'name': 'Ann', 'email': 'ann@example.com'},
                        {'id': BOB, 'name': 'Bob', 'email': 'bob@example.com'},
                        {'id': CAT, 'name': 'Cat', 'email': 'cat@example.com'}]})
    sim.clear_requests()
    return sim


@pytest.fixture(name='api')
def api_fixture(sim):
    with requests.Session() as session:
        session.trust_env = False
        session.headers.update(sim.headers())
        yield session


def ref(user_id):
    return {'user': {'id': user_id, 'type': 'user_reference'}}


def now():
    return datetime.datetime.now(UTC).replace(microsecond=0)


def iso(moment):
    return moment.isoformat()


WEEKDAYS = {'type': 'weekly_restriction', 'start_day_of_week': 1, 'start_time_of_day': '09:00:00', 'duration_seconds': 4 * 86400 + 8 * 3600}
WEEKEND = {'type': 'weekly_restriction', 'start_day_of_week': 6, 'start_time_of_day': '00:00:00', 'duration_seconds': 2 * 86400}


def two_layers():
    return {'schedule': {'type': 'schedule', 'name': 'Primary', 'time_zone': 'Europe/Berlin', 'description': 'Ops', 'schedule_layers': [
        {'name': 'Weekdays', 'start': '2031-01-06T09:00:00+01:00', 'rotation_virtual_start': '2031-01-06T08:00:00Z',
         'rotation_turn_length_seconds': 604800, 'users': [ref(ANN), ref(BOB)], 'restrictions': [WEEKDAYS]},
        {'name': 'Weekend', 'start': '2031-01-04T00:00:00Z', 'end': '2032-01-01T00:00:00Z', 'rotation_virtual_start': '2031-01-03T23:00:00Z',
         'rotation_turn_length_seconds': 86400, 'users': [ref(CAT)], 'restrictions': [WEEKEND]},
    ]}}


def user_ref(sim, user_id, name):
    return {'id': user_id, 'type': 'user_reference', 'summary': name, 'self': '%s/users/%s' % (sim.url, user_id),
            'html_url': 'https://simulator.pagerduty.invalid/users/%s' % user_id}


def test_create_two_layers_with_weekly_restrictions(sim, api):
    response = api.post(sim.url + '/schedules', json=two_layers())
    assert response.status_code == 201, response.text
    schedule = response.json()['schedule']
    assert ID_PATTERN.match(schedule['id'])
    layers = schedule['schedule_layers']
    assert all(ID_PATTERN.match(item['id']) for item in layers)
    assert [item['name'] for item in layers] == ['Weekend', 'Weekdays']  # reverse order
    assert schedule == {
        'id': schedule['id'], 'type': 'schedule', 'summary': 'Primary', 'self': '%s/schedules/%s' % (sim.url, schedule['id']),
        'html_url': 'https://simulator.pagerduty.invalid/schedules/%s' % schedule['id'],
        'name': 'Primary', 'time_zone': 'Europe/Berlin', 'description': 'Ops', 'escalation_policies': [], 'teams': [],
        'users': [user_ref(sim, ANN, 'Ann'), user_ref(sim, BOB, 'Bob'), user_ref(sim, CAT, 'Cat')],
        'schedule_layers': [
            {'id': layers[0]['id'], 'name': 'Weekend', 'start': '2031-01-04T01:00:00+01:00', 'end': '2032-01-01T01:00:00+01:00',
             'rotation_virtual_start': '2031-01-04T00:00:00+01:00', 'rotation_turn_length_seconds': 86400,
             'users': [{'user': user_ref(sim, CAT, 'Cat')}], 'restrictions': [WEEKEND],
             'rendered_schedule_entries': [], 'rendered_coverage_percentage': None},
            {'id': layers[1]['id'], 'name': 'Weekdays', 'start': '2031-01-06T09:00:00+01:00', 'end': None,
             'rotation_virtual_start': '2031-01-06T09:00:00+01:00', 'rotation_turn_length_seconds': 604800,
             'users': [{'user': user_ref(sim, ANN, 'Ann')}, {'user': user_ref(sim, BOB, 'Bob')}], 'restrictions': [WEEKDAYS],
             'rendered_schedule_entries': [], 'rendered_coverage_percentage': None},
        ],
        'overrides_subschedule': {'name': 'Overrides', 'rendered_schedule_entries': [], 'rendered_coverage_percentage': None},
        'final_schedule': {'name': 'Final Schedule', 'rendered_schedule_entries': [], 'rendered_coverage_percentage': None},
    }
    shown = api.get(sim.url + '/schedules/' + schedule['id'], params={'since': '2031-01-09T12:00:00Z', 'until': '2031-01-12T12:00:00Z'}).json()['schedule']
    final = [(entry['start'], entry['end'], entry['user']['id']) for entry in shown['final_schedule']['rendered_schedule_entries']]
    assert final == [('2031-01-09T13:00:00+01:00', '2031-01-10T17:00:00+01:00', ANN),
                     ('2031-01-11T00:00:00+01:00', '2031-01-12T13:00:00+01:00', CAT)]
    assert shown['final_schedule']['rendered_coverage_percentage'] == 90.28  # (28 h + 37 h) of 72 h
    in_utc = api.get(sim.url + '/schedules/' + schedule['id'], params={'time_zone': 'Etc/UTC'}).json()['schedule']
    assert in_utc['schedule_layers'][1]['start'] == '2031-01-06T08:00:00Z'
    assert not sim.violations()


def test_past_layer_start_becomes_the_time_of_the_request(sim, api):
    body = two_layers()
    body['schedule']['schedule_layers'][0]['start'] = '2020-01-01T00:00:00+05:00'
    before = now()
    schedule = api.post(sim.url + '/schedules', json=body).json()['schedule']
    after = now()
    weekdays = schedule['schedule_layers'][1]
    assert before <= t(weekdays['start']) <= after
    assert weekdays['start'].endswith('+01:00')
    assert weekdays['rotation_virtual_start'] == '2031-01-06T09:00:00+01:00'  # kept
    assert schedule['schedule_layers'][0]['start'] == '2031-01-04T01:00:00+01:00'  # future start kept
    # sending the same past start again rewrites it again
    body['schedule']['schedule_layers'][0]['id'] = weekdays['id']
    body['schedule']['schedule_layers'][1]['id'] = schedule['schedule_layers'][0]['id']
    updated = api.put(sim.url + '/schedules/' + schedule['id'], json=body).json()['schedule']
    assert t(updated['schedule_layers'][1]['start']) >= t(weekdays['start'])
    assert [item['id'] for item in updated['schedule_layers']] == [item['id'] for item in schedule['schedule_layers']]
    assert not sim.violations()


def seed_started_schedule(sim):
    start = iso(now() - datetime.timedelta(days=3))
    future = iso(now() + datetime.timedelta(days=3))
    return sim.seed({'schedules': [{'id': 'PSCHED1', 'name': 'Seeded', 'time_zone': 'Etc/UTC', 'schedule_layers': [
        {'id': 'PLAYER1', 'name': 'Old', 'start': start, 'rotation_virtual_start': start, 'rotation_turn_length_seconds': 86400, 'users': [ANN, BOB]},
        {'id': 'PLAYER2', 'name': 'Future', 'start': future, 'rotation_virtual_start': future, 'rotation_turn_length_seconds': 86400, 'users': [CAT]},
    ]}]})


def test_omitted_layers_are_ended_when_started_and_dropped_when_not(sim, api):
    assert seed_started_schedule(sim) == {'schedules': ['PSCHED1']}
    seeded = api.get(sim.url + '/schedules/PSCHED1').json()['schedule']
    assert [item['id'] for item in seeded['schedule_layers']] == ['PLAYER2', 'PLAYER1']
    start = iso(now())
    before = now()
    body = {'schedule': {'type': 'schedule', 'time_zone': 'Etc/UTC', 'schedule_layers': [
        {'name': 'New', 'start': start, 'rotation_virtual_start': start, 'rotation_turn_length_seconds': 3600, 'users': [ref(CAT)]}]}}
    response = api.put(sim.url + '/schedules/PSCHED1', json=body)
    assert response.status_code == 200, response.text
    layers = response.json()['schedule']['schedule_layers']
    assert [item['name'] for item in layers] == ['New', 'Old']
    assert before <= t(layers[1]['end']) <= now()
    assert layers[1]['start'] == seeded['schedule_layers'][1]['start']
    # the ended layer is still answered on a later GET, with its end in the past
    again = api.get(sim.url + '/schedules/PSCHED1').json()['schedule']
    assert again['schedule_layers'][1]['id'] == 'PLAYER1' and t(again['schedule_layers'][1]['end']) <= now()
    assert [user['id'] for user in again['users']] == [CAT]
    assert not sim.violations()


def test_explicit_end_in_the_past_ends_a_layer(sim, api):
    seed_started_schedule(sim)
    seeded = api.get(sim.url + '/schedules/PSCHED1').json()['schedule']['schedule_layers']
    old = dict(seeded[1], end=iso(now() - datetime.timedelta(seconds=5)))
    for field in ('rendered_schedule_entries', 'rendered_coverage_percentage'):
        old.pop(field)
    response = api.put(sim.url + '/schedules/PSCHED1', json={'schedule': {'type': 'schedule', 'time_zone': 'Etc/UTC', 'schedule_layers': [old, seeded[0]]}})
    assert response.status_code == 200, response.text
    layers = response.json()['schedule']['schedule_layers']
    assert layers[1]['id'] == 'PLAYER1' and layers[1]['start'] == seeded[1]['start'] and t(layers[1]['end']) == t(old['end'])


def test_validation_errors(sim, api):
    body = two_layers()
    body['schedule']['schedule_layers'][1]['users'].append(ref('PNOBODY'))
    assert api.post(sim.url + '/schedules', json=body).json() == invalid('Schedule layer 2: user PNOBODY not found')
    body = two_layers()
    body['schedule']['time_zone'] = 'UTC'
    assert api.post(sim.url + '/schedules', json=body).json() == invalid('Time zone is not a valid time zone')
    body = two_layers()
    body['schedule']['schedule_layers'][0]['rotation_turn_length_seconds'] = 0
    assert api.post(sim.url + '/schedules', json=body).status_code == 400
    body = two_layers()
    body['schedule']['schedule_layers'][0]['restrictions'] = [dict(WEEKDAYS, type='daily_restriction')]
    assert api.post(sim.url + '/schedules', json=body).json() == invalid(
        'Schedule layer 1: duration_seconds of a daily_restriction must be from 1 to 86400')
    body = two_layers()
    body['schedule']['schedule_layers'][0]['users'] = []
    assert api.post(sim.url + '/schedules', json=body).json() == invalid("Schedule layer 1: users can't be empty")
    assert api.get(sim.url + '/schedules').json()['schedules'] == []


def test_list_query_and_schedule_users(sim, api):
    seed_started_schedule(sim)
    api.post(sim.url + '/schedules', json=two_layers())
    listing = api.get(sim.url + '/schedules', params={'query': 'prim'}).json()
    assert [item['name'] for item in listing['schedules']] == ['Primary'] and 'schedule_layers' not in listing['schedules'][0]
    assert [item['name'] for item in api.get(sim.url + '/schedules').json()['schedules']] == ['Primary', 'Seeded']
    with_layers = api.get(sim.url + '/schedules', params={'include[]': 'schedule_layers'}).json()['schedules']
    assert [len(item['schedule_layers']) for item in with_layers] == [2, 2]
    users = api.get(sim.url + '/schedules/PSCHED1/users').json()['users']
    assert [user['id'] for user in users][:1] == [ANN if (now().date() - (now() - datetime.timedelta(days=3)).date()).days % 2 == 0 else BOB]
    assert all(user['type'] == 'user' for user in users)
    assert not sim.violations()


def test_overrides_create_list_and_delete(sim, api):
    seed_started_schedule(sim)
    missing = api.get(sim.url + '/schedules/PSCHED1/overrides', params={'since': iso(now())})
    assert missing.status_code == 400 and missing.json()['error']['code'] == 2001
    assert sim.requests()[-1]['spec_violations'] in ([], ["query parameter 'until' is required"])
    sim.clear_requests()
    base = now()
    future = {'start': iso(base + datetime.timedelta(hours=1)), 'end': iso(base + datetime.timedelta(hours=2)), 'user': {'id': CAT, 'type': 'user_reference'}}
    broken = dict(future, end=future['start'])
    response = api.post(sim.url + '/schedules/PSCHED1/overrides', json={'overrides': [future, broken]})
    assert response.status_code == 201, response.text
    created, refused = response.json()
    assert created['status'] == 201 and ID_PATTERN.match(created['override']['id'])
    assert created['override']['start'] == render.format_time(t(future['start']), 'Etc/UTC')
    assert refused['status'] == 400 and refused['errors'] == ['Override must end after its start']
    single = api.post(sim.url + '/schedules/PSCHED1/overrides', json={'override': dict(future, user={'id': BOB, 'type': 'user_reference'})})
    assert single.status_code == 201 and single.json()['override']['user']['id'] == BOB
    window = {'since': iso(base), 'until': iso(base + datetime.timedelta(days=1))}
    listed = api.get(sim.url + '/schedules/PSCHED1/overrides', params=window).json()['overrides']
    assert [item['user']['id'] for item in listed] == [CAT, BOB]
    shown = api.get(sim.url + '/schedules/PSCHED1', params=window).json()['schedule']
    assert shown['overrides_subschedule']['rendered_schedule_entries'][0]['user']['id'] == BOB  # the later one wins
    assert any(entry['user']['id'] == BOB and t(entry['start']) <= t(future['start']) and t(entry['end']) >= t(future['end'])
               for entry in shown['final_schedule']['rendered_schedule_entries'])
    assert api.delete(sim.url + '/schedules/PSCHED1/overrides/' + created['override']['id']).status_code == 204
    assert api.delete(sim.url + '/schedules/PSCHED1/overrides/' + created['override']['id']).status_code == 404
    assert not sim.violations()


def test_override_delete_ongoing_and_past(sim, api):
    base = now()
    start = iso(base - datetime.timedelta(days=2))
    sim.seed({'schedules': [{'id': 'PSCHED2', 'time_zone': 'Etc/UTC', 'schedule_layers': [
        {'start': start, 'rotation_virtual_start': start, 'rotation_turn_length_seconds': 86400, 'users': [ANN]}], 'overrides': [
        {'id': 'POVERR1', 'start': iso(base - datetime.timedelta(hours=1)), 'end': iso(base + datetime.timedelta(hours=1)), 'user': ANN},
        {'id': 'POVERR2', 'start': iso(base - datetime.timedelta(hours=3)), 'end': iso(base - datetime.timedelta(hours=2)), 'user': ANN}]}]})
    ongoing = api.delete(sim.url + '/schedules/PSCHED2/overrides/POVERR1')
    assert ongoing.status_code == 200
    span = {'since': iso(base - datetime.timedelta(days=1)), 'until': iso(base + datetime.timedelta(days=1))}
    listed = api.get(sim.url + '/schedules/PSCHED2/overrides', params=span).json()
    truncated = {item['id']: item for item in listed['overrides']}['POVERR1']
    assert base <= t(truncated['end']) <= now()
    past = api.delete(sim.url + '/schedules/PSCHED2/overrides/POVERR2')
    assert past.status_code == 400 and past.json()['error']['code'] == 2001


def test_delete_refused_while_an_escalation_policy_uses_the_schedule(sim, api):
    seed_started_schedule(sim)
    if 'escalation_policies' not in sim.state():
        pytest.skip('escalation policies are not registered in this simulator')
    sim.seed({'escalation_policies': [{'id': 'PPOLICY', 'name': 'Ops EP', 'escalation_rules': [
        {'escalation_delay_in_minutes': 30, 'targets': [{'id': 'PSCHED1', 'type': 'schedule_reference'}]}]}]})
    refused = api.delete(sim.url + '/schedules/PSCHED1')
    assert refused.status_code == 400
    # exactly PagerDuty's one entry: terraform-provider-pagerduty compares the whole list to it
    assert refused.json() == invalid("Schedule can't be deleted if it's being used by escalation policies")
    shown = api.get(sim.url + '/schedules/PSCHED1').json()['schedule']
    assert [policy['id'] for policy in shown['escalation_policies']] == ['PPOLICY']
    oncalls = api.get(sim.url + '/oncalls').json()['oncalls']
    assert [(item['escalation_policy']['id'], item['escalation_level'], item['schedule']['id']) for item in oncalls] == [('PPOLICY', 1, 'PSCHED1')]
    assert api.delete(sim.url + '/users/' + ANN).status_code == 400  # still on the schedule
    assert not sim.violations()


def test_delete_schedule(sim, api):
    seed_started_schedule(sim)
    assert api.delete(sim.url + '/schedules/PSCHED1').status_code == 204
    assert api.get(sim.url + '/schedules/PSCHED1').status_code == 404
    assert api.delete(sim.url + '/users/' + ANN).status_code == 204


def test_a_team_that_owns_a_schedule_cannot_be_deleted(sim, api):
    # the spec: a team delete "succeeds only if the team has no associated Escalation Policies, Services,
    # Schedules and Subteams"; the simulator used to drop the association silently
    sim.seed({'teams': [{'id': 'PTEAM01', 'name': 'Owners'}],
              'schedules': [{'id': 'PSCHED1', 'name': 'Owned', 'time_zone': 'Etc/UTC', 'teams': ['PTEAM01'],
                             'schedule_layers': [{'start': '2026-01-05T00:00:00Z', 'rotation_virtual_start': '2026-01-05T00:00:00Z',
                                                  'rotation_turn_length_seconds': 86400, 'users': [ANN]}]}]})
    refused = api.delete(sim.url + '/teams/PTEAM01')
    expected = {'error': {'message': 'Team has existing associations', 'code': 6006, 'errors': ['Team is associated with schedule PSCHED1 (Owned)']}}
    assert (refused.status_code, refused.json()) == (400, expected)
    assert api.delete(sim.url + '/schedules/PSCHED1').status_code == 204
    assert api.delete(sim.url + '/teams/PTEAM01').status_code == 204
