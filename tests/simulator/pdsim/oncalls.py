"""On-calls: GET /oncalls, computed from escalation policies and the schedules they target."""

import datetime

from pdsim.core import Route, invalid_input, now, paginated_answer, wanted_ids, wanted_includes
from pdsim.escalation_policies import ESCALATION_POLICIES
from pdsim.render import format_time, render_schedule
from pdsim.schedules import SCHEDULES, parse_time_input, query_time_zone
from pdsim.users import USERS


def list_oncalls(ctx, request):
    """GET /oncalls: one entry per (escalation policy, level, user, shift) in since..until (default: now).

    Schedule targets give the final schedule's entries; user targets a permanent on-call
    (start and end null).
    """
    query = request.query
    since_text, until_text = ctx.query_value('since'), ctx.query_value('until')
    since = parse_time_input(since_text, 'since') if since_text else now()
    until = parse_time_input(until_text, 'until') if until_text else since
    if until < since:
        raise invalid_input('until cannot be before since')
    zone_name = query_time_zone(ctx, 'Etc/UTC')
    user_ids, schedule_ids, policy_ids = wanted_ids(query, 'user_ids'), wanted_ids(query, 'schedule_ids'), wanted_ids(query, 'escalation_policy_ids')
    oncalls = []
    for policy in ctx.store[ESCALATION_POLICIES.collection].values():
        if policy_ids and policy['id'] not in policy_ids:
            continue
        for level, rule in enumerate(policy['escalation_rules'], 1):
            for target in rule['targets']:
                oncalls += _target_oncalls(ctx, policy, level, target, (since, until), schedule_ids)
    if user_ids:
        oncalls = [oncall for oncall in oncalls if oncall[2] in user_ids]
    if ctx.query_flag('earliest'):
        earliest = {}
        for oncall in sorted(oncalls, key=lambda item: (item[3] is not None, item[3] or since)):
            earliest.setdefault((oncall[0]['id'], oncall[1], oncall[2]), oncall)
        oncalls = list(earliest.values())
    includes = wanted_includes(query)
    return paginated_answer('oncalls', oncalls, query, lambda oncall: _render_oncall(ctx, oncall, zone_name, includes))


def _target_oncalls(ctx, policy, level, target, span, schedule_ids):
    """(policy, level, user id, start, end, schedule) tuples for one escalation rule target."""
    if target['type'] == 'user_reference':
        if schedule_ids and 'null' not in schedule_ids:
            return []
        return [(policy, level, target['id'], None, None, None)]
    if schedule_ids and target['id'] not in schedule_ids:
        return []
    stored = ctx.store[SCHEDULES.collection].get(target['id'])
    if stored is None:
        return []
    since, until = span
    final = render_schedule(stored['layers'], stored['overrides'], stored['time_zone'], since,
                            until if until > since else since + datetime.timedelta(seconds=1), overflow=True)['final'][0]
    return [(policy, level, user, start, end, stored) for start, end, user in final]


def _render_oncall(ctx, oncall, zone_name, includes):
    policy, level, user_id, start, end, schedule = oncall
    user = ctx.store[USERS.collection].get(user_id)
    return {
        'escalation_policy': ESCALATION_POLICIES.reference(ctx, policy),
        'escalation_level': level,
        'schedule': SCHEDULES.reference(ctx, schedule) if schedule is not None else None,
        'user': USERS.render(ctx, user) if user is not None and 'users' in includes else USERS.reference_by_id(ctx, user_id),
        'start': format_time(start, zone_name),
        'end': format_time(end, zone_name),
    }


ROUTES = [
    Route('GET', '/oncalls', list_oncalls),
]
