# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: pagerduty
short_description: PagerDuty services, users, schedules and escalation policies as inventory hosts
version_added: 0.1.0
description:
  - Makes PagerDuty services inventory hosts (and, if asked, users, schedules and escalation policies), with
    their settings as host variables prefixed C(pd_) and groups by resource type, team, escalation policy and status.
  - "The configuration file must be named C(*.pagerduty.yml) or C(*.pagerduty.yaml) and contain
    C(plugin: oncall.pagerduty.pagerduty)."
  - Lists are fetched 100 items a request; after a first page that tells the total, the other pages are fetched by
    a few threads (O(page_workers)), each with its own connection. A list longer than the 10000 items the API can
    page through is an error that says how to narrow the source, never a silently truncated inventory.
  - Host names are the object's name (a user's email). When two objects of the source have the same name, the
    later one is named C(<name>_<id>). With O(hostnames=id) the object ids are the host names.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection.plugins
  - constructed
  - inventory_cache
options:
  plugin:
    description: Marks the file as a configuration of this plugin.
    type: str
    required: true
    choices: [oncall.pagerduty.pagerduty]
  resources:
    description:
      - The kinds of PagerDuty objects that become hosts.
    type: list
    elements: str
    choices: [services, users, schedules, escalation_policies]
    default: [services]
  teams:
    description:
      - Only objects of these teams (names or ids), through the API's C(team_ids[]) filter.
      - A team that does not exist is an error.
    type: list
    elements: str
    default: []
  query:
    description:
      - Only objects whose name (for users also the email) contains this text, through the API's C(query) filter.
    type: str
  statuses:
    description:
      - Only services with one of these statuses. The API has no such filter, so it is applied after listing.
      - Does not affect the other resource kinds.
    type: list
    elements: str
    choices: [active, warning, critical, maintenance, disabled]
    default: []
  include_oncall:
    description:
      - Add C(pd_oncall) to services and escalation policies, who is on call now at each escalation level,
        from C(GET /oncalls) (one request per 50 escalation policies and 100 on-call entries).
    type: bool
    default: false
  hostnames:
    description:
      - V(name) names hosts after the object's name (a user's email); V(id) after the object's id.
    type: str
    choices: [name, id]
    default: name
  default_groups:
    description:
      - Whether to add the hosts to the groups C(pagerduty_<resource type>), C(pagerduty_team_<team>),
        C(pagerduty_escalation_policy_<policy>) and C(pagerduty_status_<status>) (services only for the last two).
      - Group names are made safe the way Ansible does it (characters not allowed become C(_)).
    type: bool
    default: true
  page_workers:
    description:
      - How many pages of one list are fetched at the same time, 1 to 10.
      - Listing 10000 services takes 100 requests, far below PagerDuty's rate limit of 960 a minute; the threads
        share the token's rate budget, and a rate-limited request is retried after the wait the API asks for.
    type: int
    default: 10
notes:
  - With O(cache=true), a run that finds the data in the cache sends no request to PagerDuty at all.
  - Errors (a wrong token, an unknown team, a list too long to page through) stop the source with one message;
    the token never appears in it.
seealso:
  - plugin: oncall.pagerduty.pd_oncall
    plugin_type: lookup
"""

EXAMPLES = r"""
---
# pagerduty.pagerduty.yml: every service, grouped by team, escalation policy and status
plugin: oncall.pagerduty.pagerduty

---
# sre.pagerduty.yml: the SRE team's services and escalation policies, with who is on call,
# a variable for the level 1 responders and groups by a naming convention
plugin: oncall.pagerduty.pagerduty
api_token: "{{ lookup('ansible.builtin.env', 'PD_READ_ONLY_TOKEN') }}"
region: eu
resources: [services, escalation_policies]
teams: [SRE]
statuses: [active, warning, critical]
include_oncall: true
compose:
  primary_responders: pd_oncall | selectattr('level', 'equalto', 1) | map(attribute='users') | flatten | map(attribute='email')
groups:
  production: "'prod' in pd_name | lower"
keyed_groups:
  - key: pd_integrations | map(attribute='type')
    prefix: integration
strict: true
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ansible-pagerduty
cache_timeout: 3600
"""

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog, _paging as paging
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._connection import client_factory, client_from_options, plugin_connection_options
from ansible_collections.oncall.pagerduty.plugins.module_utils._oncall import oncalls_by_policy

# Resource option value -> catalog kind, in the order hosts are added.
RESOURCE_KINDS = (
    ("services", "service"),
    ("escalation_policies", "escalation_policy"),
    ("schedules", "schedule"),
    ("users", "user"),
)
NARROW_HINT = ("narrow the inventory source with the teams or query options, or split it into several "
               "sources (one per team, for example)")
GROUP_PREFIX = "pagerduty_"


def _references(refs):
    return [found for found in (catalog.named_reference(ref) for ref in refs or []) if found]


def _integration(ref):
    found = catalog.named_reference(ref)
    if found is not None:
        kind = ref.get("type") or ""
        found["type"] = kind[:-len("_reference")] if kind.endswith("_reference") else kind
    return found


def host_variables(kind, obj):
    """The pd_ host variables of one object of a kind (a catalog kind name)."""
    hostvars = {
        "pd_id": obj.get("id"),
        "pd_type": kind,
        "pd_name": obj.get("email") if kind == "user" and not obj.get("name") else obj.get("name"),
        "pd_summary": obj.get("summary"),
        "pd_description": obj.get("description"),
        "pd_html_url": obj.get("html_url"),
        "pd_teams": _references(obj.get("teams")),
    }
    if kind == "service":
        hostvars.update({
            "pd_status": obj.get("status"),
            "pd_escalation_policy": catalog.named_reference(obj.get("escalation_policy")),
            "pd_integrations": [found for found in (_integration(ref) for ref in obj.get("integrations") or []) if found],
            "pd_created_at": obj.get("created_at"),
            "pd_last_incident_timestamp": obj.get("last_incident_timestamp"),
        })
    elif kind == "escalation_policy":
        hostvars.update({
            "pd_num_loops": obj.get("num_loops"),
            "pd_services": _references(obj.get("services")),
            "pd_escalation_rules": [
                {
                    "level": level,
                    "escalation_delay_in_minutes": rule.get("escalation_delay_in_minutes"),
                    "targets": [dict(catalog.named_reference(target), type=(target.get("type") or "").replace("_reference", ""))
                                for target in rule.get("targets") or [] if catalog.named_reference(target)],
                }
                for level, rule in enumerate(obj.get("escalation_rules") or [], 1)
            ],
        })
    elif kind == "schedule":
        hostvars.update({
            "pd_time_zone": obj.get("time_zone"),
            "pd_users": _references(obj.get("users")),
            "pd_escalation_policies": _references(obj.get("escalation_policies")),
        })
    elif kind == "user":
        hostvars.update({
            "pd_email": obj.get("email"),
            "pd_role": obj.get("role"),
            "pd_time_zone": obj.get("time_zone"),
            "pd_job_title": obj.get("job_title"),
        })
    return hostvars


def default_group_names(kind, hostvars):
    """Unsanitised names of the default groups of one host."""
    names = [GROUP_PREFIX + catalog.KINDS[kind].plural]
    names += [f"{GROUP_PREFIX}team_{team['name'] or team['id']}" for team in hostvars.get("pd_teams") or []]
    if kind == "service":
        policy = hostvars.get("pd_escalation_policy")
        if policy:
            names.append(f"{GROUP_PREFIX}escalation_policy_{policy['name'] or policy['id']}")
        if hostvars.get("pd_status"):
            names.append(f"{GROUP_PREFIX}status_{hostvars['pd_status']}")
    return names


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    """PagerDuty objects as inventory hosts."""

    NAME = "oncall.pagerduty.pagerduty"

    def verify_file(self, path):
        if not super().verify_file(path):
            return False
        if path.endswith((".pagerduty.yml", ".pagerduty.yaml")):
            return True
        self.display.vvv(f"Skipping {path}: the oncall.pagerduty.pagerduty inventory needs a file named *.pagerduty.yml or *.pagerduty.yaml")
        return False

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)

        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache")
        records = None
        if use_cache and cache:
            try:
                records = self._cache[cache_key]
            except KeyError:
                records = None
        if records is None:
            try:
                records = self.fetch_records()
            except PagerDutyError as exc:
                raise AnsibleParserError(f"PagerDuty inventory {path}: {exc}")
            if use_cache:
                self._cache[cache_key] = records
        self.populate(records)

    # -- fetching ------------------------------------------------------------

    def fetch_records(self):
        """[{"host": name, "kind": kind, "vars": {...}}]: everything the inventory needs, cacheable as JSON."""
        options = plugin_connection_options(self, self.templar)
        client = client_from_options(options)
        params = {}
        teams = self.get_option("teams") or []
        if teams:
            params["team_ids[]"] = sorted({
                catalog.resolve_reference(client, catalog.KINDS["team"], team, "teams") for team in teams})
        if self.get_option("query"):
            params["query"] = self.get_option("query")
        wanted = set(self.get_option("resources") or ["services"])
        statuses = set(self.get_option("statuses") or [])
        factory = client_factory(options, like=client)

        found = []
        for resource, kind in RESOURCE_KINDS:
            if resource not in wanted:
                continue
            items = paging.list_parallel(client, catalog.KINDS[kind].path, resource, params,
                                         workers=self.get_option("page_workers"), client_factory=factory, hint=NARROW_HINT)
            if kind == "service" and statuses:
                items = [item for item in items if item.get("status") in statuses]
            found += [(kind, item) for item in items]

        records = [{"kind": kind, "vars": host_variables(kind, item)} for kind, item in found]
        if self.get_option("include_oncall"):
            self._add_oncall(client, records)
        self._name_hosts(records)
        return records

    @staticmethod
    def _policy_id(record):
        if record["kind"] == "service":
            return (record["vars"].get("pd_escalation_policy") or {}).get("id")
        if record["kind"] == "escalation_policy":
            return record["vars"]["pd_id"]
        return None

    def _add_oncall(self, client, records):
        policy_ids = [pid for pid in (self._policy_id(record) for record in records) if pid]
        oncalls = oncalls_by_policy(client, policy_ids) if policy_ids else {}
        for record in records:
            if record["kind"] in ("service", "escalation_policy"):
                record["vars"]["pd_oncall"] = oncalls.get(self._policy_id(record), [])

    def _name_hosts(self, records):
        by_id = self.get_option("hostnames") == "id"
        taken = set()
        for record in records:
            hostvars = record["vars"]
            if by_id:
                name = hostvars["pd_id"]
            else:
                name = hostvars.get("pd_email") if record["kind"] == "user" else hostvars.get("pd_name")
                name = name or hostvars["pd_id"]
                if name in taken:
                    name = f"{name}_{hostvars['pd_id']}"
            taken.add(name)
            record["host"] = name

    # -- populating ----------------------------------------------------------

    def populate(self, records):
        # The options are read once, not once per host: with 10,000 hosts the lookups add up.
        strict = self.get_option("strict")
        default_groups = self.get_option("default_groups")
        compose, groups, keyed_groups = self.get_option("compose"), self.get_option("groups"), self.get_option("keyed_groups")
        constructed = bool(compose or groups or keyed_groups)
        inventory = self.inventory
        sanitized = {}
        for record in records:
            host = record["host"]
            inventory.add_host(host)
            for name, value in record["vars"].items():
                inventory.set_variable(host, name, value)
            if default_groups:
                for group in default_group_names(record["kind"], record["vars"]):
                    if group not in sanitized:
                        sanitized[group] = inventory.add_group(self._sanitize_group_name(group))
                    inventory.add_child(sanitized[group], host)
            if constructed:
                hostvars = inventory.get_host(host).get_vars()
                self._set_composite_vars(compose, hostvars, host, strict=strict)
                self._add_host_to_composed_groups(groups, hostvars, host, strict=strict)
                self._add_host_to_keyed_groups(keyed_groups, hostvars, host, strict=strict)
