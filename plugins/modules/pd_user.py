#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_user
short_description: Manage a PagerDuty user with contact methods, notification rules, team roles and license
version_added: 0.1.0
description:
  - Makes one PagerDuty user match the task, idempotently, including their contact methods, notification
    rules and team memberships.
  - The user is found by O(id) or by O(email), compared case-insensitively.
  - Only the options given are compared and changed. For the lists (O(contact_methods), O(notification_rules),
    O(handoff_notification_rules), O(teams)) items that are not listed are left alone unless the matching C(purge_*) option is set.
  - With O(state=absent) the user is deleted if they exist.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  email:
    description:
      - Login email of the user, their natural key. Matched case-insensitively.
      - Required to create a user. When O(id) is given too, the email is changed to this one.
    type: str
  id:
    description:
      - PagerDuty id of an existing user. Takes precedence over O(email) for finding the user.
    type: str
  name:
    description:
      - Full name of the user. Required to create a user.
    type: str
  role:
    description:
      - Base role of the user in the account.
      - Takes the API's names (V(admin), V(user), V(limited_user), V(observer), V(read_only_user),
        V(read_only_limited_user), V(restricted_access)) or the web UI's names for them (V(global_admin),
        V(manager), V(responder), V(observer), V(stakeholder), V(limited_stakeholder), V(restricted_access)).
        The user is returned with the API's name.
      - V(owner) is refused, since the API cannot make a user the account owner.
      - Some roles need account abilities (read-only users, advanced permissions); PagerDuty refuses them otherwise.
    type: str
    choices: [admin, global_admin, limited_stakeholder, limited_user, manager, observer, owner, read_only_limited_user,
              read_only_user, responder, restricted_access, stakeholder, user]
  time_zone:
    description:
      - Time zone of the user, one of the IANA names PagerDuty accepts, such as V(Etc/UTC) or V(Europe/Berlin).
      - Checked before any request; close matches are suggested for a name PagerDuty does not accept (for
        example V(Etc/UTC) for V(UTC)).
    type: str
  color:
    description: Color of the user on schedules, for example V(green).
    type: str
  job_title:
    description: Job title of the user.
    type: str
  description:
    description: Bio of the user.
    type: str
  teams:
    description:
      - Teams the user is a member of, with the role in each.
      - With O(purge_teams=false) (the default) the user stays in teams not listed here.
    type: list
    elements: dict
    suboptions:
      team:
        description: Name or id of the team.
        type: str
        required: true
      role:
        description:
          - Role in the team. When not set, an existing membership keeps its role and a new one gets V(responder).
        type: str
        choices: [observer, responder, manager]
  purge_teams:
    description: Remove the user from teams that O(teams) does not list.
    type: bool
    default: false
  contact_methods:
    description:
      - Contact methods of the user, identified by O(contact_methods[].type) and O(contact_methods[].address).
      - PagerDuty gives every new user an email contact method for their login email; list it to manage its label.
    type: list
    elements: dict
    suboptions:
      type:
        description: Kind of contact method.
        type: str
        required: true
        choices: [email, phone, sms, push, whatsapp]
      address:
        description:
          - Email address, or phone number without the country code. Numbers are compared by their digits,
            emails case-insensitively.
        type: str
        required: true
      label:
        description: Label shown in PagerDuty, such as V(Work) or V(Mobile). New contact methods default to the type's name.
        type: str
      country_code:
        description: Country calling code of a phone, sms or whatsapp number. New numbers default to V(1).
        type: int
      send_short_email:
        description: Send an abbreviated email (email contact methods only).
        type: bool
  purge_contact_methods:
    description: Delete contact methods that O(contact_methods) does not list.
    type: bool
    default: false
  notification_rules:
    description:
      - How the user is notified of incidents assigned to them. A rule is identified by its contact method,
        urgency and delay, so changing the delay replaces the rule.
      - A rule may name a contact method that O(contact_methods) creates in the same task.
      - PagerDuty gives every new user default rules that notify their login email.
    type: list
    elements: dict
    suboptions:
      contact_method:
        description: The contact method to notify, by its type and address.
        type: dict
        required: true
        suboptions:
          type:
            description: Kind of contact method.
            type: str
            required: true
            choices: [email, phone, sms, push, whatsapp]
          address:
            description: Address of the contact method.
            type: str
            required: true
      start_delay_in_minutes:
        description: Minutes after the incident is assigned before this notification is sent.
        type: int
        default: 0
      urgency:
        description: Incident urgency the rule applies to.
        type: str
        choices: [high, low]
        default: high
  purge_notification_rules:
    description: Delete notification rules that O(notification_rules) does not list.
    type: bool
    default: false
  handoff_notification_rules:
    description:
      - How the user is told that their on-call shift starts or ends (on-call handoff notification rules).
      - A rule is identified by its contact method and O(handoff_notification_rules[].handoff_type), so one rule per
        contact method and handoff type; a changed O(handoff_notification_rules[].notify_advance_in_minutes) updates
        that rule in place.
      - A rule may name a contact method that O(contact_methods) creates in the same task.
    type: list
    elements: dict
    suboptions:
      contact_method:
        description: The contact method to notify, by its type and address.
        type: dict
        required: true
        suboptions:
          type:
            description: Kind of contact method.
            type: str
            required: true
            choices: [email, phone, sms, push, whatsapp]
          address:
            description: Address of the contact method.
            type: str
            required: true
      handoff_type:
        description: The handoffs the rule notifies of, going on call (V(oncall)), going off call (V(offcall)) or V(both).
        type: str
        choices: [both, oncall, offcall]
        default: both
      notify_advance_in_minutes:
        description: Minutes before the handoff that the notification is sent (0 or more).
        type: int
        default: 0
  purge_handoff_notification_rules:
    description: Delete handoff notification rules that O(handoff_notification_rules) does not list.
    type: bool
    default: false
  license:
    description:
      - The license allocated to the user, by its id or its name (as GET C(/licenses) lists the account's licenses).
        A name that two licenses share must be given as an id.
      - Sent only when set, in the user's own create or update; the user's license is read only then, and returned
        as RV(user.license).
      - Fails before any write when the account has no licenses, when no license has that id or name, or when
        O(role) is set and the license does not allow it.
    type: str
  state:
    description:
      - V(present) creates or updates the user, V(absent) deletes them.
      - When PagerDuty refuses to delete a user, the error names the escalation policies and schedules that still use them.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Creating a user with an account-level API key needs O(from_email) (the C(From) header) set to the email of an
    admin of the account; the error says so when it is missing.
  - Push contact methods are registered by the PagerDuty mobile app; list them to keep them when purging.
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(users.read), C(users.write),
    C(users:contact_methods.read) and C(users:contact_methods.write) (contact methods and notification rules), C(teams.read) and
    C(teams.write) (teams), C(licenses.read) (O(license)).

seealso:
  - module: oncall.pagerduty.pd_user_info
  - module: oncall.pagerduty.pd_team
"""

EXAMPLES = r"""
- name: An on-call engineer, complete
  oncall.pagerduty.pd_user:
    api_token: "{{ vault_pagerduty_token }}"
    from_email: admin@example.com
    email: alice@example.com
    name: Alice Example
    role: responder
    time_zone: Europe/Berlin
    job_title: SRE
    teams:
      - team: SRE
        role: manager
    contact_methods:
      - type: email
        address: alice@example.com
        label: Default
      - type: phone
        address: "5550100"
        country_code: 1
        label: Mobile
      - type: sms
        address: "5550100"
        country_code: 1
        label: Mobile
    notification_rules:
      - contact_method: {type: email, address: alice@example.com}
        urgency: high
        start_delay_in_minutes: 0
      - contact_method: {type: sms, address: "5550100"}
        urgency: high
        start_delay_in_minutes: 0
      - contact_method: {type: phone, address: "5550100"}
        urgency: high
        start_delay_in_minutes: 5

- name: Only these contact methods, nothing else
  oncall.pagerduty.pd_user:
    email: bob@example.com
    contact_methods:
      - type: email
        address: bob@example.com
    purge_contact_methods: true

- name: Remind Bob by email an hour before each on-call shift, and give him a full user license
  oncall.pagerduty.pd_user:
    email: bob@example.com
    license: Full User
    handoff_notification_rules:
      - contact_method: {type: email, address: bob@example.com}
        handoff_type: oncall
        notify_advance_in_minutes: 60

- name: Offboard a user
  oncall.pagerduty.pd_user:
    email: carol@example.com
    state: absent
"""

RETURN = r"""
user:
  description:
    - The user after the change, as PagerDuty returns it. Each of C(contact_methods), C(notification_rules) and
      C(teams) that the task sets is returned in full (contact methods and rules as objects, teams as references that
      carry the user's C(role) in each team; without O(purge_teams) only the named teams' roles are read); the others
      are the references PagerDuty returns with the user, read with no extra request.
    - In check mode, the predicted user; items that would be created have C(id) V(null).
    - With O(state=absent), the deleted user, or V(null) when there was none.
  returned: always
  type: dict
  sample:
    id: PXPGF42
    type: user
    name: Alice Example
    email: alice@example.com
    role: limited_user
    time_zone: Europe/Berlin
    job_title: SRE
    teams:
      - id: PQ9K7I8
        type: team_reference
        summary: SRE
        role: manager
    contact_methods:
      - id: PTDVERC
        type: email_contact_method
        address: alice@example.com
        label: Default
        send_short_email: false
    notification_rules:
      - id: P8GRWKK
        type: assignment_notification_rule
        start_delay_in_minutes: 0
        urgency: high
        contact_method:
          id: PTDVERC
          type: email_contact_method_reference
  contains:
    handoff_notification_rules:
      description:
        - The on-call handoff notification rules, when the task sets O(handoff_notification_rules).
      returned: when O(handoff_notification_rules) is set
      type: list
      elements: dict
      sample:
        - id: PHOFF01
          handoff_type: oncall
          notify_advance_in_minutes: 60
          contact_method:
            id: PTDVERC
            type: email_contact_method_reference
            summary: Default
    license:
      description:
        - The license the user has after the task, as the account's license list shows it (without its counts).
      returned: when O(license) is set
      type: dict
      sample:
        id: PLIC001
        type: license
        name: Full User
        summary: Full User
        description: ""
        role_group: FullUser
        valid_roles: [owner, admin, user, limited_user, observer, restricted_access]
diff:
  description:
    - The managed fields before and after, when run with C(--diff).
    - For O(contact_methods), O(notification_rules), O(handoff_notification_rules) and O(teams) only the items added, changed
      or removed are shown.
  returned: when diff mode is on
  type: dict
  sample:
    before:
      job_title: Engineer
      contact_methods: []
    after:
      job_title: SRE
      contact_methods:
        - type: phone
          address: "5550100"
          label: Mobile
          country_code: 1
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._user import UserModule


def main():
    UserModule().run()


if __name__ == "__main__":
    main()
