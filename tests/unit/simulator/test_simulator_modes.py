"""The simulator's two modes: by default it accepts what PagerDuty accepts and records each difference from
the OpenAPI document in the request log (``spec_deviations``); in strict mode it refuses those requests.

Each difference is tested in both modes. The owner of a fresh account is ``owner@example.com`` (PSOWNER).
"""

import pytest
import requests

# tests/unit/conftest.py puts tests/simulator on sys.path.
import control  # pylint: disable=import-error

ACCEPT = control.ACCEPT
LAYER_START = '2030-01-06T00:00:00Z'


@pytest.fixture(name='http')
def http_fixture():
    with requests.Session() as session:
        session.trust_env = False  # loopback only
        yield session


def headers(token=control.WRITE_TOKEN, accept=ACCEPT, **extra):
    sent = {'Authorization': f'Token token={token}', 'From': 'owner@example.com'}
    if accept is not None:
        sent['Accept'] = accept
    sent.update(extra)
    return sent


def last(sim):
    return sim.requests()[-1]


def layer(users):
    return {'start': LAYER_START, 'rotation_virtual_start': LAYER_START, 'rotation_turn_length_seconds': 86400,
            'users': [{'user': user} for user in users]}


@pytest.fixture(name='lenient')
def lenient_fixture(sim):
    sim.set_strict(False)
    return sim


@pytest.fixture(name='strict')
def strict_fixture(sim):
    sim.set_strict(True)
    return sim


def test_the_unit_tests_simulator_starts_strict_and_reset_restores_the_start_mode(sim):
    assert sim.state()['strict'] is True
    sim.set_strict(False)
    assert sim.state()['strict'] is False
    sim.reset()
    assert sim.state()['strict'] is True


def test_a_simulator_starts_in_the_default_mode_unless_told():
    with control.Simulator() as plain:
        assert plain.state()['strict'] is False
    with control.Simulator(strict=True) as exact:
        assert exact.state()['strict'] is True


def test_strict_must_be_a_boolean(sim):
    with pytest.raises(control.SimulatorError, match='strict must be true or false'):
        sim.admin('POST', 'config', {'strict': 'yes'})


# --- a create body without "type" ------------------------------------------------------------------

def test_default_mode_creates_without_type_and_records_the_deviation(lenient, http):
    answer = http.post(lenient.url + '/teams', json={'team': {'name': 'Ops'}}, headers=headers())
    assert answer.status_code == 201
    assert answer.json()['team']['type'] == 'team'
    entry = last(lenient)
    assert entry['spec_violations'] == []
    assert entry['spec_deviations'] == ['body.team.type is required by the OpenAPI document']
    assert entry['body'] == {'team': {'name': 'Ops'}}  # the log keeps what was sent


def test_strict_mode_refuses_a_create_without_type(strict, http):
    answer = http.post(strict.url + '/teams', json={'team': {'name': 'Ops'}}, headers=headers())
    assert answer.status_code == 400
    assert answer.json()['error']['errors'] == ['body.team.type is required by the OpenAPI document']
    assert last(strict)['spec_violations'] == ['body.team.type is required by the OpenAPI document']
    assert strict.state()['teams'] == []


def test_a_contact_method_without_type_is_refused_in_both_modes(sim, http):
    """Between the kinds of contact method the type is what tells them apart."""
    for strict in (False, True):
        sim.set_strict(strict)
        answer = http.post(sim.url + '/users/PSOWNER/contact_methods', json={'contact_method': {'label': 'Work', 'address': 'a@example.com'}},
                           headers=headers())
        assert answer.status_code == 400, strict
        assert 'matches none of the allowed schemas' in answer.json()['error']['errors'][0]


# --- sending back an object as GET returned it (null fields) -----------------------------------------

def test_default_mode_takes_back_an_object_exactly_as_get_returned_it(lenient, http):
    created = http.post(lenient.url + '/teams', json={'team': {'type': 'team', 'name': 'Ops'}}, headers=headers()).json()['team']
    assert created['description'] is None
    answer = http.put(lenient.url + f"/teams/{created['id']}", json={'team': created}, headers=headers())
    assert answer.status_code == 200
    assert answer.json()['team'] == created
    assert last(lenient)['spec_deviations'] == [
        'body.team.description is null, which the OpenAPI document does not allow (accepted; the field is left as it is)']


def test_strict_mode_refuses_null_fields(strict, http):
    created = http.post(strict.url + '/teams', json={'team': {'type': 'team', 'name': 'Ops', 'description': 'kept'}}, headers=headers()).json()['team']
    answer = http.put(strict.url + f"/teams/{created['id']}", json={'team': {'type': 'team', 'description': None}}, headers=headers())
    assert answer.status_code == 400
    assert last(strict)['spec_violations'] == [
        'body.team.description is null, which the OpenAPI document does not allow (accepted; the field is left as it is)']
    assert strict.state()['teams'][0]['description'] == 'kept'


def test_default_mode_round_trips_a_user(lenient, http):
    user = http.get(lenient.url + '/users/PSOWNER', headers=headers()).json()['user']
    answer = http.put(lenient.url + '/users/PSOWNER', json={'user': user}, headers=headers())
    assert answer.status_code == 200
    assert answer.json()['user'] == user
    assert last(lenient)['spec_violations'] == []


# --- the Accept header ----------------------------------------------------------------------------------

@pytest.mark.parametrize('accept', [None, 'application/json', '*/*'])
def test_default_mode_answers_v2_without_the_version_header(lenient, http, accept):
    answer = http.get(lenient.url + '/teams', headers=headers(accept=accept))
    assert answer.status_code == 200
    assert answer.json()['teams'] == []
    sent = last(lenient)['headers'].get('accept')
    assert last(lenient)['spec_deviations'] == [
        f"The Accept header is not {ACCEPT} (got {sent!r}): PagerDuty answers with the token's version, v2"]


@pytest.mark.parametrize('accept', [None, 'application/json'])
def test_strict_mode_requires_the_version_header(strict, http, accept):
    answer = http.get(strict.url + '/teams', headers=headers(accept=accept))
    assert answer.status_code == 400
    assert last(strict)['spec_violations'][0].startswith(f'The Accept header is not {ACCEPT}')


def test_another_media_type_is_refused_in_both_modes(sim, http):
    for strict in (False, True):
        sim.set_strict(strict)
        answer = http.get(sim.url + '/teams', headers=headers(accept='text/html'))
        assert answer.status_code == 400
        assert answer.json()['error']['errors'] == [f"The Accept header must be {ACCEPT} (got 'text/html')"]


# --- query parameters -------------------------------------------------------------------------------------

def test_default_mode_ignores_an_unknown_query_parameter(lenient, http):
    lenient.seed({'teams': [{'name': 'Ops'}]})
    answer = http.get(lenient.url + '/teams', params={'colour': 'blue', 'query': 'op'}, headers=headers())
    assert answer.status_code == 200
    assert [team['name'] for team in answer.json()['teams']] == ['Ops']
    assert last(lenient)['spec_deviations'] == ["query parameter 'colour' is not defined for this operation"]


def test_strict_mode_refuses_an_unknown_query_parameter(strict, http):
    answer = http.get(strict.url + '/teams', params={'colour': 'blue'}, headers=headers())
    assert answer.status_code == 400
    assert last(strict)['spec_violations'] == ["query parameter 'colour' is not defined for this operation"]


@pytest.mark.parametrize('strict', [False, True])
@pytest.mark.parametrize('text, total', [('1', 1), ('true', 1), ('0', None), ('false', None)])
def test_boolean_query_values_may_be_1_and_0_in_both_modes(sim, http, strict, text, total):
    """PagerDuty's "Types" page: "1" and "true" are truthy, "0" and "false" falsy in query strings."""
    sim.set_strict(strict)
    sim.seed({'teams': [{'name': 'Ops'}]})
    answer = http.get(sim.url + '/teams', params={'total': text}, headers=headers())
    assert answer.status_code == 200
    assert answer.json()['total'] == total
    assert last(sim)['spec_deviations'] == [] and last(sim)['spec_violations'] == []


def test_a_boolean_query_value_that_is_no_boolean_is_refused(lenient, http):
    answer = http.get(lenient.url + '/teams', params={'total': 'yes'}, headers=headers())
    assert answer.status_code == 400
    assert answer.json()['error']['errors'] == ["query parameter 'total' must be true, false, 1 or 0, got 'yes'"]


# --- a reference given with its object's type --------------------------------------------------------------

def test_default_mode_takes_a_layer_user_given_as_type_user(lenient, http):
    body = {'schedule': {'type': 'schedule', 'name': 'Primary', 'time_zone': 'Etc/UTC',
                         'schedule_layers': [layer([{'id': 'PSOWNER', 'type': 'user'}])]}}
    answer = http.post(lenient.url + '/schedules', json=body, headers=headers())
    assert answer.status_code == 201
    users = answer.json()['schedule']['schedule_layers'][0]['users']
    assert [(entry['user']['id'], entry['user']['type']) for entry in users] == [('PSOWNER', 'user_reference')]
    assert last(lenient)['spec_deviations'] == [
        'body.schedule.schedule_layers[0].users[0].user.type must be one of "user_reference", got "user" (PagerDuty takes it as user_reference)']


def test_strict_mode_refuses_a_layer_user_given_as_type_user(strict, http):
    body = {'schedule': {'type': 'schedule', 'name': 'Primary', 'time_zone': 'Etc/UTC',
                         'schedule_layers': [layer([{'id': 'PSOWNER', 'type': 'user'}])]}}
    answer = http.post(strict.url + '/schedules', json=body, headers=headers())
    assert answer.status_code == 400
    assert strict.state()['schedules'] == []


def test_a_reference_of_another_kind_is_refused_in_both_modes(sim, http):
    body = {'schedule': {'type': 'schedule', 'name': 'Primary', 'time_zone': 'Etc/UTC',
                         'schedule_layers': [layer([{'id': 'PSOWNER', 'type': 'team_reference'}])]}}
    for strict in (False, True):
        sim.set_strict(strict)
        answer = http.post(sim.url + '/schedules', json=body, headers=headers())
        assert answer.status_code == 400
        assert answer.json()['error']['errors'] == [
            'body.schedule.schedule_layers[0].users[0].user.type must be one of "user_reference", got "team_reference"']


# --- what is refused stays refused ---------------------------------------------------------------------------

def test_default_mode_still_refuses_a_real_violation_and_lists_only_it(lenient, http):
    answer = http.post(lenient.url + '/teams', json={'team': {'name': 7}}, headers=headers(accept=None))
    assert answer.status_code == 400
    entry = last(lenient)
    assert entry['spec_violations'] == ['body.team.name must be of type string, got int']
    assert lenient.state()['teams'] == []


# --- date-times as the "Types" page writes them ---------------------------------------------------------------

@pytest.mark.parametrize('strict', [False, True])
def test_a_date_without_time_and_an_hours_only_offset_are_accepted_in_both_modes(sim, http, strict):
    """PagerDuty's "Types" page: the time element is optional (2011-05-06) and an offset may be hours only (-07)."""
    sim.set_strict(strict)
    body = {'schedule': {'type': 'schedule', 'name': 'Primary', 'time_zone': 'Etc/UTC', 'schedule_layers': [
        dict(layer([{'id': 'PSOWNER', 'type': 'user_reference'}]), start='2030-01-06', rotation_virtual_start='2030-01-06T02:00-07')]}}
    answer = http.post(sim.url + '/schedules', json=body, headers=headers())
    assert answer.status_code == 201, answer.text
    created = answer.json()['schedule']['schedule_layers'][0]
    assert (created['start'], created['rotation_virtual_start']) == ('2030-01-06T00:00:00Z', '2030-01-06T09:00:00Z')
