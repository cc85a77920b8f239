"""Alert grouping settings in the PagerDuty simulator: types and configs, services, cursor paging, the service cascade."""

import pytest

PATH = '/alert_grouping_settings'


def invalid(*errors):
    return {'error': {'message': 'Invalid Input Provided', 'code': 2001, 'errors': list(errors)}}


@pytest.fixture(name='sim')
def seeded_sim_fixture(sim):
    """The fresh simulator of tests/unit/conftest.py, with one policy and four services."""
    sim.seed({'escalation_policies': [{'id': 'PEP0001', 'name': 'Primary',
                                       'escalation_rules': [{'escalation_delay_in_minutes': 30,
                                                             'targets': [{'id': 'PSOWNER', 'type': 'user_reference'}]}]}]})
    sim.seed({'services': [{'id': f'PSVC00{n}', 'name': f'Svc {n}', 'escalation_policy': 'PEP0001'} for n in range(1, 5)]})
    sim.clear_requests()
    return sim


def services(*ids):
    return [{'id': service_id, 'type': 'service_reference'} for service_id in ids]


def content_based(name='Checkout', *ids, **config):
    body = {'name': name, 'description': 'Group by host', 'type': 'content_based',
            'config': dict({'aggregate': 'all', 'fields': ['summary', 'custom_details.host'], 'time_window': 900}, **config),
            'services': services(*(ids or ('PSVC001', 'PSVC002')))}
    return {'alert_grouping_setting': body}


def create(sim, api, body):
    response = api.post(sim.url + PATH, json=body)
    assert response.status_code == 201, response.text
    return response.json()['alert_grouping_setting']


def test_crud_with_exact_bodies(sim, api):
    setting = create(sim, api, content_based())
    assert setting == {
        'id': setting['id'],
        'name': 'Checkout',
        'description': 'Group by host',
        'type': 'content_based',
        'config': {'aggregate': 'all', 'fields': ['summary', 'custom_details.host'], 'time_window': 900, 'recommended_time_window': 300},
        'services': [{'id': sid, 'type': 'service_reference', 'summary': name, 'self': f'{sim.url}/services/{sid}',
                      'html_url': f'https://simulator.pagerduty.invalid/service-directory/{sid}'}
                     for sid, name in (('PSVC001', 'Svc 1'), ('PSVC002', 'Svc 2'))],
        'created_at': setting['created_at'],
        'updated_at': setting['updated_at'],
    }
    assert api.get(f'{sim.url}{PATH}/{setting["id"]}').json() == {'alert_grouping_setting': setting}
    # PUT changes what it is given; services not given stay.
    response = api.put(f'{sim.url}{PATH}/{setting["id"]}', json={'alert_grouping_setting': {'description': 'Hosts'}})
    assert response.status_code == 200, response.text
    updated = response.json()['alert_grouping_setting']
    assert updated['description'] == 'Hosts' and [s['id'] for s in updated['services']] == ['PSVC001', 'PSVC002']
    assert updated['config'] == setting['config']
    # Another type with its own config replaces the config.
    response = api.put(f'{sim.url}{PATH}/{setting["id"]}', json={'alert_grouping_setting': {
        'type': 'time', 'config': {'timeout': 600}, 'services': services('PSVC001')}})
    assert response.status_code == 200, response.text
    assert response.json()['alert_grouping_setting']['config'] == {'timeout': 600}
    assert api.delete(f'{sim.url}{PATH}/{setting["id"]}').status_code == 204
    assert api.get(f'{sim.url}{PATH}/{setting["id"]}').status_code == 404
    assert not any(entry['spec_violations'] for entry in sim.requests())


def test_intelligent_defaults_and_keys_of_other_types_ignored(sim, api):
    setting = create(sim, api, {'alert_grouping_setting': {'name': 'Smart', 'type': 'intelligent', 'config': {'time_window': 0, 'fields': ['x']},
                                                           'services': services('PSVC003')}})
    assert setting['config'] == {'time_window': 0, 'iag_fields': ['summary'], 'recommended_time_window': 300}


@pytest.mark.parametrize('body, error', [
    ({'type': 'grouped', 'services': services('PSVC001')},  # the spec's enum: the request check answers first
     'body.alert_grouping_setting.type must be one of "content_based", "content_based_intelligent", "intelligent", "time", got "grouped"'),
    ({'config': {'timeout': 60}, 'services': services('PSVC001')},
     'Type must be one of content_based, content_based_intelligent, intelligent, time'),
    ({'type': 'content_based', 'config': {'aggregate': 'some', 'fields': ['summary']}, 'services': services('PSVC001')},
     'Config aggregate must be one of all, any for type content_based'),
    ({'type': 'content_based_intelligent', 'config': {'aggregate': 'any'}, 'services': services('PSVC001')},
     "Config fields can't be blank for type content_based_intelligent"),
    ({'type': 'content_based_intelligent', 'config': {'aggregate': 'any', 'fields': ['summary'], 'time_window': 86400},
      'services': services('PSVC001')},
     'Config time_window must be 0 or from 300 to 3600 for type content_based_intelligent'),
    ({'type': 'time', 'config': {'timeout': 30}, 'services': services('PSVC001')},
     'Config timeout must be 0 or from 60 to 86400 for type time'),
    ({'type': 'time', 'config': {'timeout': 60}, 'services': services('PSVC001', 'PSVC002')}, 'Type time allows only one service'),
    ({'type': 'content_based_intelligent', 'config': {'aggregate': 'any', 'fields': ['summary']}, 'services': services('PSVC001', 'PSVC002')},
     'Type content_based_intelligent allows only one service'),
    ({'type': 'intelligent', 'services': []}, "Services can't be blank"),
    ({'type': 'intelligent', 'services': services('PNOSUCH')}, 'Service PNOSUCH not found'),
])
def test_invalid_settings_are_refused(sim, api, body, error):
    response = api.post(sim.url + PATH, json={'alert_grouping_setting': dict(body, name='Bad')})
    assert response.status_code == 400
    assert response.json() == invalid(error)
    assert api.get(sim.url + PATH).json()['alert_grouping_settings'] == []


def test_a_service_is_in_one_setting_at_most(sim, api):
    first = create(sim, api, content_based())
    response = api.post(sim.url + PATH, json=content_based('Other', 'PSVC002', 'PSVC003'))
    assert response.status_code == 400
    assert response.json() == invalid(f"Service PSVC002 is already in alert grouping setting {first['id']} (Checkout)")
    # Its own services are no conflict on update.
    assert api.put(f'{sim.url}{PATH}/{first["id"]}', json=content_based('Checkout', 'PSVC002', 'PSVC001')).status_code == 200


def test_cursor_paging_and_service_filter(sim, api):
    ids = []
    for n in range(1, 5):
        body = {'name': f'S{n}', 'type': 'time', 'config': {'timeout': 0}, 'services': services(f'PSVC00{n}')}
        ids.append(create(sim, api, {'alert_grouping_setting': body})['id'])
    page = api.get(sim.url + PATH, params={'limit': 3, 'total': 'true'}).json()
    assert [s['id'] for s in page['alert_grouping_settings']] == ids[:3]
    assert page['limit'] == 3 and page['total'] == 4 and page['before'] is None and page['after']
    second = api.get(sim.url + PATH, params={'limit': 3, 'after': page['after']}).json()
    assert [s['id'] for s in second['alert_grouping_settings']] == ids[3:]
    assert second['after'] is None and second['total'] is None
    back = api.get(sim.url + PATH, params={'limit': 3, 'before': second['before']}).json()
    assert [s['id'] for s in back['alert_grouping_settings']] == ids[:3]
    filtered = api.get(sim.url + PATH, params={'service_ids[]': ['PSVC002', 'PSVC004']}).json()
    assert [s['id'] for s in filtered['alert_grouping_settings']] == [ids[1], ids[3]]
    assert api.get(sim.url + PATH, params={'after': 'nonsense'}).status_code == 400
    # offset is not a parameter of this list: strict mode refuses it.
    assert api.get(sim.url + PATH, params={'offset': 0}).status_code == 400


def test_deleting_a_service_leaves_the_setting(sim, api):
    shared = create(sim, api, content_based())
    single = create(sim, api, {'alert_grouping_setting': {'name': 'One', 'type': 'time', 'config': {'timeout': 0},
                                                          'services': services('PSVC003')}})
    assert api.delete(sim.url + '/services/PSVC001').status_code == 204
    assert api.delete(sim.url + '/services/PSVC003').status_code == 204
    assert [s['id'] for s in api.get(f'{sim.url}{PATH}/{shared["id"]}').json()['alert_grouping_setting']['services']] == ['PSVC002']
    assert api.get(f'{sim.url}{PATH}/{single["id"]}').status_code == 404


def test_seed_by_bare_service_ids(sim, api):
    sim.seed({'alert_grouping_settings': [{'id': 'PAGS001', 'name': 'Seeded', 'type': 'time', 'config': {'timeout': 120},
                                           'services': ['PSVC004']}]})
    setting = api.get(f'{sim.url}{PATH}/PAGS001').json()['alert_grouping_setting']
    assert setting['services'][0]['id'] == 'PSVC004' and setting['config'] == {'timeout': 120}


@pytest.mark.needs_spec
def test_the_spec_correction_splits_the_aggregate_enum():
    from pdsim.validator import SpecValidator, default_spec_path  # pylint: disable=import-error,import-outside-toplevel

    schemas = SpecValidator.from_file(default_spec_path()).document['components']['schemas']
    for name in ('ContentBasedAlertGroupingConfiguration', 'ContentBasedIntelligentAlertGroupingConfiguration'):
        assert schemas[name]['properties']['aggregate']['enum'] == ['all', 'any']
