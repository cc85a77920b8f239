"""Escalation policies: /escalation_policies and /escalation_policies/{id}.

A policy keeps its rules' targets by id (``{"id", "type": "user_reference"|"schedule_reference"}``)
and its team by id (``team_ids``); its read-only ``services`` are the services that use it.
Services use policies, so this module does not import them: they come from
``ctx.resource('services')``.  The delete guards for what a policy references (users, schedules)
are defined here and wired in ``pdsim.api``.
"""

from pdsim.core import NOT_FOUND, ApiError, Resource, invalid_input, is_int, seed_reference, wanted_ids
from pdsim.schedules import SCHEDULE_IN_USE, SCHEDULES
from pdsim.teams import TEAMS
from pdsim.users import USERS

HANDOFF_NOTIFICATIONS = ('if_has_services', 'always')
ASSIGNMENT_STRATEGIES = ('round_robin', 'assign_to_everyone')
DEFAULT_ASSIGNMENT_STRATEGY = 'assign_to_everyone'
# The spec allows 10 targets per rule; PagerDuty refuses more than 5 with this text.
MAX_TARGETS_PER_RULE = 5
TOO_MANY_TARGETS = 'Escalation rules base May have at most 5 escalation targets'
USER_TARGET_TYPES = ('user_reference', 'user')
SCHEDULE_TARGET_TYPES = ('schedule_reference', 'schedule', 'schedule_v3_reference')


def _targets(policy):
    return [target for rule in policy['escalation_rules'] for target in rule['targets']]


class EscalationPolicies(Resource):
    collection = 'escalation_policies'
    wrapper = 'escalation_policy'
    type_name = 'escalation_policy'
    unique_field = 'name'

    # --- validation ---------------------------------------------------------

    def _check_fields(self, ctx, data, stored=None):
        self.check_named(ctx, data, stored)
        if 'num_loops' in data and (not is_int(data['num_loops']) or data['num_loops'] < 0):
            raise invalid_input('Num loops must be an integer greater than or equal to 0')
        if 'on_call_handoff_notifications' in data and data['on_call_handoff_notifications'] not in HANDOFF_NOTIFICATIONS:
            raise invalid_input(f"On call handoff notifications must be one of {', '.join(HANDOFF_NOTIFICATIONS)}")
        rules = None
        if stored is None or 'escalation_rules' in data:
            rules = self._check_rules(ctx, data.get('escalation_rules'), stored)
        teams = None
        if 'teams' in data:
            teams = data['teams'] or []
            if not isinstance(teams, list):
                raise invalid_input('Teams must be a list of team references')
            teams = TEAMS.existing_ids(ctx, teams)
            if len(teams) > 1:
                raise invalid_input('Only one team may be associated with an escalation policy')
        return rules, teams

    def _check_rules(self, ctx, rules, stored):
        if not isinstance(rules, list) or not rules:
            raise invalid_input('Escalation rules must contain at least one escalation rule')
        old_ids = {rule['id'] for rule in stored['escalation_rules']} if stored else set()
        checked = []
        for rule in rules:
            if not isinstance(rule, dict):
                raise invalid_input('Each escalation rule must be an object')
            delay = rule.get('escalation_delay_in_minutes')
            if not is_int(delay) or delay < 0:
                raise invalid_input('Escalation delay in minutes must be an integer greater than or equal to 0')
            targets = rule.get('targets')
            if not isinstance(targets, list) or not targets:
                raise invalid_input('Escalation rules must have at least one target')
            if len(targets) > MAX_TARGETS_PER_RULE:
                raise invalid_input(TOO_MANY_TARGETS)
            strategy = rule.get('escalation_rule_assignment_strategy')
            if strategy is None:
                strategy = {'type': DEFAULT_ASSIGNMENT_STRATEGY}
            if not isinstance(strategy, dict) or strategy.get('type') not in ASSIGNMENT_STRATEGIES:
                raise invalid_input(f"Escalation rule assignment strategy must be an object with a type of {' or '.join(ASSIGNMENT_STRATEGIES)}")
            rule_id = rule.get('id') if rule.get('id') in old_ids else ctx.store.new_id()
            checked.append({'id': rule_id, 'escalation_delay_in_minutes': delay,
                            'targets': [self._check_target(ctx, target) for target in targets],
                            'escalation_rule_assignment_strategy': {'type': strategy['type']}})
        return checked

    @staticmethod
    def _check_target(ctx, target):
        if not isinstance(target, dict) or not isinstance(target.get('id'), str):
            raise invalid_input('Escalation rule targets must be user or schedule references with an id')
        kind = target.get('type', 'user_reference')
        # An unknown target: PagerDuty answers 404 2100 "Not Found" without errors (recorded in
        # heimweh/go-pagerduty#33 and terraform-provider-pagerduty#227).
        if kind in USER_TARGET_TYPES:
            if ctx.store[USERS.collection].get(target['id']) is None:
                raise ApiError(404, NOT_FOUND)
            return {'id': target['id'], 'type': 'user_reference'}
        if kind in SCHEDULE_TARGET_TYPES:
            if ctx.store[SCHEDULES.collection].get(target['id']) is None:
                raise ApiError(404, NOT_FOUND)
            return {'id': target['id'], 'type': 'schedule_reference'}
        raise invalid_input(f'Escalation rule target type must be user_reference or schedule_reference, got {kind!r}')

    # --- life cycle ---------------------------------------------------------

    def create(self, ctx, data, object_id=None, parent=None):
        rules, teams = self._check_fields(ctx, data)
        stored = {
            'id': self.new_id(ctx, object_id),
            'name': data['name'],
            'description': data.get('description'),
            'num_loops': data.get('num_loops', 0),
            'on_call_handoff_notifications': data.get('on_call_handoff_notifications', 'if_has_services'),
            'escalation_rules': rules,
            'team_ids': teams or [],
        }
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        rules, teams = self._check_fields(ctx, data, stored)
        for field in ('name', 'description', 'num_loops', 'on_call_handoff_notifications'):
            if field in data:
                stored[field] = data[field]
        if rules is not None:
            stored['escalation_rules'] = rules
        if teams is not None:
            stored['team_ids'] = teams
        return stored

    def seed(self, ctx, item):
        """Seeded policies may name teams and targets by bare id (targets default to users)."""
        if 'teams' in item:
            item['teams'] = [seed_reference(team, 'team_reference') for team in item['teams']]
        for rule in item.get('escalation_rules') or []:
            rule['targets'] = [seed_reference(target, 'user_reference') for target in rule.get('targets') or []]
        return super().seed(ctx, item)

    # --- what a policy references --------------------------------------------

    def targeting(self, ctx, kind, object_id):
        """The policies (in creation order) with a rule target {"type": kind, "id": object_id}."""
        return [policy for policy in ctx.store[self.collection].values()
                if any(target['type'] == kind and target['id'] == object_id for target in _targets(policy))]

    def using_schedule(self, ctx, schedule_id):
        return self.targeting(ctx, 'schedule_reference', schedule_id)

    # --- lists and rendering --------------------------------------------------

    def filter_items(self, ctx, items, query):
        user_ids = wanted_ids(query, 'user_ids')
        if user_ids:
            items = [item for item in items if any(target['type'] == 'user_reference' and target['id'] in user_ids
                                                   for target in _targets(item))]
        team_ids = wanted_ids(query, 'team_ids')
        if team_ids:
            items = [item for item in items if team_ids.intersection(item['team_ids'])]
        return items

    @staticmethod
    def _render_target(ctx, target, full):
        """A user or schedule target: its reference, or the full object with include[]=targets."""
        resource = USERS if target['type'] == 'user_reference' else SCHEDULES
        stored = ctx.store[resource.collection].get(target['id'])
        if stored is None or not full:
            return resource.reference_by_id(ctx, target['id'])
        return resource.render(ctx, stored)

    def render(self, ctx, stored, includes=()):
        services = ctx.resource('services')
        teams = [ctx.store[TEAMS.collection].get(team_id) for team_id in stored['team_ids']]
        return {
            **self.header(ctx, stored),
            'name': stored['name'],
            'description': stored['description'],
            'num_loops': stored['num_loops'],
            'on_call_handoff_notifications': stored['on_call_handoff_notifications'],
            'escalation_rules': [{
                'id': rule['id'],
                'escalation_delay_in_minutes': rule['escalation_delay_in_minutes'],
                'targets': [self._render_target(ctx, target, 'targets' in includes) for target in rule['targets']],
                'escalation_rule_assignment_strategy': dict(rule['escalation_rule_assignment_strategy']),
            } for rule in stored['escalation_rules']],
            'services': [services.expand(ctx, service, includes) for service in services.using_policy(ctx, stored['id'])],
            'teams': [TEAMS.expand(ctx, team, includes) for team in teams if team is not None],
        }


ESCALATION_POLICIES = EscalationPolicies()


# --- delete guards for what policies reference (wired in pdsim.api) -----------------------------

def policies_targeting_user(ctx, user):
    """Users: the policies with a rule that targets the user."""
    return [f"User is a target of escalation policy {policy['id']} ({policy['name']})"
            for policy in ESCALATION_POLICIES.targeting(ctx, 'user_reference', user['id'])]


def policies_using_schedule(ctx, schedule):
    """Schedules: PagerDuty's one message while any policy targets the schedule (its answers quoted in
    terraform-provider-pagerduty#43, #561 and #693 carry exactly this one entry)."""
    return [SCHEDULE_IN_USE] if ESCALATION_POLICIES.using_schedule(ctx, schedule['id']) else []
