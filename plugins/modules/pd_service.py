#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_service
short_description: Manage PagerDuty services and their integrations
version_added: 0.1.0
description:
  - Makes a PagerDuty service match the task, idempotently. The service is found by O(id) or by its O(name).
  - The escalation policy is given by name or id.
  - Integrations listed in O(integrations) are created when missing (a vendor such as Datadog given by name), their
    name and email settings changed in place, and returned with their C(integration_key),
    so a playbook can wire monitoring tools to the service.
  - For nested settings (O(incident_urgency_rule), O(support_hours), ...) only the suboptions given are compared.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  name:
    description: Name of the service, its natural key. Required to create one.
    type: str
  id:
    description: PagerDuty id of an existing service. Takes precedence over O(name) for finding it.
    type: str
  description:
    description: Description of the service.
    type: str
  escalation_policy:
    description: The escalation policy, by name or id. Required to create a service.
    type: str
  auto_resolve_timeout:
    description: Seconds after which an open incident resolves by itself. V(0) disables it (the API stores V(null)).
    type: int
  acknowledgement_timeout:
    description: Seconds after which an acknowledged incident is triggered again. V(0) disables it (the API stores V(null)).
    type: int
  status:
    description:
      - V(disabled) stops the service from creating incidents; V(active) enables it.
      - PagerDuty reports an enabled service as C(active), C(warning), C(critical) or C(maintenance); all of those count as V(active).
    type: str
    choices: [active, disabled]
  alert_creation:
    description: Whether the service creates only incidents or alerts and incidents.
    type: str
    choices: [create_incidents, create_alerts_and_incidents]
  incident_urgency_rule:
    description: The urgency of new incidents.
    type: dict
    suboptions:
      type:
        description: V(constant) for one urgency, V(use_support_hours) for urgencies inside and outside O(support_hours).
        type: str
        required: true
        choices: [constant, use_support_hours]
      urgency:
        description: The urgency with O(incident_urgency_rule.type=constant).
        type: str
        choices: [low, high, severity_based]
      during_support_hours:
        description: The urgency inside support hours.
        type: dict
        suboptions:
          type:
            description: Always V(constant).
            type: str
            default: constant
            choices: [constant]
          urgency:
            description: The urgency.
            type: str
            required: true
            choices: [low, high, severity_based]
      outside_support_hours:
        description: The urgency outside support hours.
        type: dict
        suboptions:
          type:
            description: Always V(constant).
            type: str
            default: constant
            choices: [constant]
          urgency:
            description: The urgency.
            type: str
            required: true
            choices: [low, high, severity_based]
  support_hours:
    description: Support hours, needed with O(incident_urgency_rule.type=use_support_hours).
    type: dict
    suboptions:
      type:
        description: Always V(fixed_time_per_day).
        type: str
        default: fixed_time_per_day
        choices: [fixed_time_per_day]
      time_zone:
        description: Time zone of the support hours, one PagerDuty accepts (checked before any request).
        type: str
      days_of_week:
        description: Days with support hours, V(1) (Monday) to V(7) (Sunday).
        type: list
        elements: int
      start_time:
        description: Start of support hours, C(HH:MM:SS).
        type: str
      end_time:
        description: End of support hours, C(HH:MM:SS).
        type: str
  scheduled_actions:
    description: Actions at the start or end of support hours, such as raising the urgency of open incidents.
    type: list
    elements: dict
    suboptions:
      type:
        description: Always V(urgency_change).
        type: str
        default: urgency_change
        choices: [urgency_change]
      at:
        description: When the action runs.
        type: dict
        required: true
        suboptions:
          type:
            description: Always V(named_time).
            type: str
            default: named_time
            choices: [named_time]
          name:
            description: V(support_hours_start) or V(support_hours_end).
            type: str
            required: true
            choices: [support_hours_start, support_hours_end]
      to_urgency:
        description: The urgency incidents change to.
        type: str
        default: high
        choices: [high]
  alert_grouping_parameters:
    description:
      - "How alerts are grouped into incidents, as the API's C(alert_grouping_parameters) object, for example
        C({type: time, config: {timeout: 5}}). Only the keys given are compared."
    type: dict
  auto_pause_notifications_parameters:
    description: Pausing notifications of transient alerts.
    type: dict
    suboptions:
      enabled:
        description: Whether notifications are paused.
        type: bool
      timeout:
        description: Seconds to pause (PagerDuty allows 120, 180, 300, 600, 900).
        type: int
  integrations:
    description:
      - Integrations of the service, each identified by O(integrations[].type) and O(integrations[].name), by
        O(integrations[].vendor) and O(integrations[].name) when no type is given, or by O(integrations[].id).
        Missing ones are created (C(POST /services/{id}/integrations)); the name, the type (of one found by
        O(integrations[].id)) and the email settings of an existing one are changed in place (one
        C(PUT /services/{id}/integrations/{integration_id}) per integration).
      - The API cannot delete an integration (it has no C(DELETE) for them), so there is no purge and unlisted
        integrations stay; remove one in PagerDuty's web app, or delete the service, which takes its integrations along.
      - The vendor of an integration does not change in place; an item that names an existing integration (by
        O(integrations[].id), or by name when no type is given) with another vendor is refused before any write.
        Without O(integrations[].id), an item with another type and the same name is a new integration.
      - An integration whose type changes from or to V(email) loses its email settings or its integration key, and gets
        the other (a new integration key, which the monitoring tool that sends to it then needs).
      - Every item is checked before any request; all email settings (the API's C(Integration) schema) apply to
        O(integrations[].type=email) only.
    type: list
    elements: dict
    suboptions:
      type:
        description:
          - Kind of integration. One of O(integrations[].type), O(integrations[].vendor) and O(integrations[].id) is required.
          - With only O(integrations[].vendor), PagerDuty picks the type from the vendor.
        type: str
        choices: [events_api_v2, events_api_v1, email, cloudwatch, nagios, pingdom, sql_monitor, keynote, cloudkick, event_transformer]
      name:
        description:
          - Name of the integration. Defaults to O(integrations[].type), else to O(integrations[].vendor) as given.
          - With O(integrations[].id), a different name renames the integration in place.
        type: str
      id:
        description:
          - Id of an existing integration of the service. It is then found by its id, so its name and its type can change
            in place.
        type: str
      vendor:
        description:
          - The vendor (a monitoring tool PagerDuty knows, such as C(Datadog) or C(Amazon CloudWatch)), by name
            (case-insensitively) or id, looked up in C(GET /vendors); an unknown one is an error before any write.
          - The API sends it as a vendor reference. It cannot change in place.
        type: str
      integration_email:
        description:
          - The address mail is sent to, for an email integration. PagerDuty wants an address of the account's
            subdomain (C(<name>@<subdomain>.pagerduty.com)). When not given, PagerDuty makes one up.
        type: str
      email_incident_creation:
        description: When mail opens an incident (email integrations).
        type: str
        choices: [on_new_email, on_new_email_subject, only_if_no_open_incidents, use_rules]
      email_filter_mode:
        description:
          - Which mail is accepted (email integrations); it may override O(integrations[].email_incident_creation).
          - V(all-email) accepts every mail; V(or-rules-email) mail that passes any of O(integrations[].email_filters),
            V(and-rules-email) mail that passes all of them.
        type: str
        choices: [all-email, or-rules-email, and-rules-email]
      email_filters:
        description:
          - The filters of an email integration, in order; the list replaces PagerDuty's (compared without their ids).
          - At least one filter (the API takes no empty list; V(all-email) stops filtering).
        type: list
        elements: dict
        suboptions:
          subject_mode:
            description: V(match) or V(no-match) O(integrations[].email_filters[].subject_regex), or V(always).
            type: str
            default: always
            choices: [match, no-match, always]
          subject_regex:
            description: Regular expression on the subject; required with V(match) and V(no-match), refused with V(always).
            type: str
          body_mode:
            description: V(match) or V(no-match) O(integrations[].email_filters[].body_regex), or V(always).
            type: str
            default: always
            choices: [match, no-match, always]
          body_regex:
            description: Regular expression on the body; required with V(match) and V(no-match), refused with V(always).
            type: str
          from_email_mode:
            description: V(match) or V(no-match) O(integrations[].email_filters[].from_email_regex), or V(always).
            type: str
            default: always
            choices: [match, no-match, always]
          from_email_regex:
            description: Regular expression on the sender; required with V(match) and V(no-match), refused with V(always).
            type: str
      email_parsers:
        description:
          - The parsers of an email integration, as the API's C(EmailParser) objects (compared without their ids), each
            with C(action) (V(trigger) or V(resolve)), C(match_predicate) and C(value_extractors).
          - "A C(match_predicate) has a C(type) (V(all), V(any) or V(not) with C(children), a list of predicates; or
            V(contains), V(exactly) or V(regex) with a C(matcher)) and a C(part) (V(body), V(subject) or
            V(from_addresses)), which the API requires on every predicate."
          - "A value extractor has C(type) (V(entire), V(regex) with C(regex), V(between) with C(starts_after) and
            C(ends_with)), C(part) and C(value_name); exactly one has the C(value_name) V(incident_key)."
          - At least one parser; every one is checked before any request.
        type: list
        elements: dict
      email_parsing_fallback:
        description: What happens to mail no parser matches (email integrations).
        type: str
        choices: [open_new_incident, discard]
  state:
    description:
      - V(present) creates or updates the service, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - A service's teams come from its escalation policy; set O(oncall.pagerduty.pd_escalation_policy#module:teams) there.
  - PagerDuty deprecates the service's alert grouping fields (O(alert_grouping_parameters)) in favour of alert grouping
    settings, which M(oncall.pagerduty.pd_alert_grouping_setting) manages; a service's alert grouping parameters written
    here take the service out of a setting that groups several services.
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(services.read), C(services.write) and C(escalation_policies.read).

seealso:
  - module: oncall.pagerduty.pd_service_info
  - module: oncall.pagerduty.pd_escalation_policy
"""

EXAMPLES = r"""
- name: The checkout service, paged through the SRE policy
  oncall.pagerduty.pd_service:
    api_token: "{{ vault_pagerduty_token }}"
    name: Checkout
    description: Payment and checkout APIs
    escalation_policy: SRE escalation
    auto_resolve_timeout: 0
    acknowledgement_timeout: 1800
    incident_urgency_rule:
      type: use_support_hours
      during_support_hours: {urgency: high}
      outside_support_hours: {urgency: low}
    support_hours:
      time_zone: Europe/Berlin
      days_of_week: [1, 2, 3, 4, 5]
      start_time: "09:00:00"
      end_time: "17:00:00"
    scheduled_actions:
      - at: {name: support_hours_start}
    integrations:
      - type: events_api_v2
        name: Prometheus
  register: checkout

- name: Give Alertmanager its routing key
  ansible.builtin.copy:
    dest: /etc/alertmanager/pagerduty_key
    content: "{{ (checkout.service.integrations | selectattr('name', 'equalto', 'Prometheus') | first).integration_key }}"
    mode: "0600"

- name: A Datadog integration (the vendor by name) and an email integration that only takes alert mail
  oncall.pagerduty.pd_service:
    name: Checkout
    integrations:
      - vendor: Datadog
        name: Datadog
      - type: email
        name: Alert mail
        email_incident_creation: on_new_email_subject
        email_filter_mode: or-rules-email
        email_filters:
          - subject_mode: match
            subject_regex: "^ALERT"

- name: Rename an integration in place, found by its id
  oncall.pagerduty.pd_service:
    name: Checkout
    integrations:
      - id: "{{ (checkout.service.integrations | selectattr('name', 'equalto', 'Prometheus') | first).id }}"
        name: Alertmanager

- name: Disable a service
  oncall.pagerduty.pd_service:
    name: Legacy batch
    status: disabled
"""

RETURN = r"""
service:
  description:
    - The service as PagerDuty returns it after the change. When the task sets O(integrations), C(integrations) holds
      full objects including C(integration_key) (the Events API routing key; not a secret that grants API access, but
      treat it with care); without it, the references PagerDuty returns with the service (no extra request).
    - In check mode, the predicted service; a service or integration that would be created has C(id) V(null).
    - With O(state=absent), the deleted service, or V(null) when there was none.
  returned: always
  type: dict
  sample:
    id: PIJ90N7
    type: service
    name: Checkout
    status: active
    escalation_policy:
      id: PANZZEQ
      type: escalation_policy_reference
    auto_resolve_timeout: null
    acknowledgement_timeout: 1800
    integrations:
      - id: PE1U9CH
        type: events_api_v2_inbound_integration
        name: Prometheus
        integration_key: 3c2a8d0b1e4f4a6b9c7d5e3f1a2b4c6d
diff:
  description:
    - The managed fields before and after, when run with C(--diff). Only integrations that would be added or changed are
      shown, with their type, name, vendor and email settings.
  returned: when diff mode is on
  type: dict
  sample:
    before:
      acknowledgement_timeout: null
    after:
      acknowledgement_timeout: 1800
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._service import ServiceModule


def main():
    ServiceModule().run()


if __name__ == "__main__":
    main()
