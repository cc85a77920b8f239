# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Services: pd_service (its fields and its integrations) and pd_service_info.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

import re

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import Field, InfoModule, ResourceModule, SubList, SubsetField, zero_is_none
from ansible_collections.oncall.pagerduty.plugins.module_utils._timezones import time_zone_error

# Our short integration types and the API's.
INTEGRATION_TYPES = {
    "events_api_v2": "events_api_v2_inbound_integration",
    "events_api_v1": "generic_events_api_inbound_integration",
    "email": "generic_email_inbound_integration",
    "cloudwatch": "aws_cloudwatch_inbound_integration",
    "nagios": "nagios_inbound_integration",
    "pingdom": "pingdom_inbound_integration",
    "sql_monitor": "sql_monitor_inbound_integration",
    "keynote": "keynote_inbound_integration",
    "cloudkick": "cloudkick_inbound_integration",
    "event_transformer": "event_transformer_api_inbound_integration",
}
URGENCIES = ["low", "high", "severity_based"]
SHORT_INTEGRATION_TYPES = {v: k for k, v in INTEGRATION_TYPES.items()}


def service_status(value):
    """Only disabled is chosen; active, warning, critical and maintenance are all "not disabled"."""
    if value is None:
        return None
    return "disabled" if value == "disabled" else "active"


EMAIL_TYPE = INTEGRATION_TYPES["email"]
# The email settings of a generic_email_inbound_integration (the spec's Integration schema), with their enums.
EMAIL_INCIDENT_CREATION = ["on_new_email", "on_new_email_subject", "only_if_no_open_incidents", "use_rules"]
EMAIL_FILTER_MODES = ["all-email", "or-rules-email", "and-rules-email"]
EMAIL_PARSING_FALLBACK = ["open_new_incident", "discard"]
EMAIL_OPTIONS = ("integration_email", "email_incident_creation", "email_filter_mode", "email_filters", "email_parsers", "email_parsing_fallback")
# An email filter: each part of the mail (subject, body, sender) always matches, or must (not) match its regex.
FILTER_MODES = ["match", "no-match", "always"]
FILTER_PARTS = ("subject", "body", "from_email")
# An email parser (the spec's EmailParser, MatchPredicate and value extractors).
PARSER_ACTIONS = ("trigger", "resolve")
PREDICATE_TYPES = ("all", "any", "not", "contains", "exactly", "regex")
PREDICATE_GROUPS = ("all", "any", "not")
MAIL_PARTS = ("body", "subject", "from_addresses")
EXTRACTOR_TYPES = ("entire", "regex", "between")
EXTRACTOR_FIELDS = ("type", "part", "value_name", "regex", "starts_after", "ends_with")
# What the reconciliation compares, and the API field each comparable stands for.
COMPARED = {"name": "name", "type": "type", "_email": "integration_email", "email_incident_creation": "email_incident_creation",
            "email_filter_mode": "email_filter_mode", "email_parsing_fallback": "email_parsing_fallback",
            "_filters": "email_filters", "_parsers": "email_parsers"}


def _choices(value, allowed):
    return f"{value!r} is not one of {', '.join(allowed)}"


def comparable(value):
    """``value`` without what PagerDuty adds or leaves out: ids, nulls, and an empty ``children`` list (pure)."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in sorted(value.items())
                if k != "id" and v is not None and not (k == "children" and v == [])}
    if isinstance(value, list):
        return [comparable(item) for item in value]
    return value


def email_filter_errors(filters, where):
    """Every problem of the email filters given (the spec's ``email_filters`` items), before any request (pure)."""
    errors = []
    if not filters:
        return [f"{where}: give at least one filter (the API takes no empty list; email_filter_mode all-email takes every mail)"]
    seen = []
    for index, item in enumerate(filters):
        label = f"{where}[{index}]"
        for part in FILTER_PARTS:
            mode = item.get(f"{part}_mode") or "always"
            regex = item.get(f"{part}_regex")
            if mode not in FILTER_MODES:
                errors.append(f"{label}.{part}_mode: {_choices(mode, FILTER_MODES)}")
            elif mode != "always" and not regex:
                errors.append(f"{label}: {part}_mode {mode} needs {part}_regex")
            elif mode == "always" and regex:
                errors.append(f"{label}: {part}_regex applies only with {part}_mode match or no-match")
        shape = comparable(filter_body(item))
        if shape in seen:
            errors.append(f"{label}: the same filter is listed twice (the API takes each once)")
        seen.append(shape)
    return errors


def filter_body(item):
    """An email filter as the API takes it: the three modes always, each regex where its mode needs one (pure)."""
    body = {}
    for part in FILTER_PARTS:
        body[f"{part}_mode"] = item.get(f"{part}_mode") or "always"
        if item.get(f"{part}_regex") is not None:
            body[f"{part}_regex"] = item[f"{part}_regex"]
    return body


def _predicate_errors(predicate, label):
    if not isinstance(predicate, dict):
        return [f"{label}: must be a dictionary with type, part and matcher or children"]
    errors = [f"{label}: unknown key {key!r}; use type, part, matcher, children" for key in predicate if key not in ("type", "part", "matcher", "children")]
    kind, part = predicate.get("type"), predicate.get("part")
    if kind not in PREDICATE_TYPES:
        errors.append(f"{label}.type: {_choices(kind, PREDICATE_TYPES)}")
    # The spec's MatchPredicate requires part on every predicate.
    if part not in MAIL_PARTS:
        errors.append(f"{label}.part: {_choices(part, MAIL_PARTS)} (the API requires it on every predicate)")
    children = predicate.get("children") or []
    if not isinstance(children, list):
        return errors + [f"{label}.children: must be a list of predicates"]
    if kind in PREDICATE_GROUPS:
        if not children:
            errors.append(f"{label}: type {kind} needs children (at least one predicate)")
        for index, child in enumerate(children):
            errors += _predicate_errors(child, f"{label}.children[{index}]")
    elif kind in PREDICATE_TYPES:
        if not isinstance(predicate.get("matcher"), str) or not predicate["matcher"]:
            errors.append(f"{label}: type {kind} needs a matcher")
        if children:
            errors.append(f"{label}: type {kind} takes no children")
    return errors


def _extractor_errors(extractor, label):
    if not isinstance(extractor, dict):
        return [f"{label}: must be a dictionary with type, part and value_name"]
    errors = [f"{label}: unknown key {key!r}; use {', '.join(EXTRACTOR_FIELDS)}" for key in extractor if key not in EXTRACTOR_FIELDS]
    kind = extractor.get("type")
    if kind not in EXTRACTOR_TYPES:
        errors.append(f"{label}.type: {_choices(kind, EXTRACTOR_TYPES)}")
    if extractor.get("part") not in MAIL_PARTS:
        errors.append(f"{label}.part: {_choices(extractor.get('part'), MAIL_PARTS)}")
    if not isinstance(extractor.get("value_name"), str) or not extractor["value_name"]:
        errors.append(f"{label}: value_name is required")
    needs = {"regex": ("regex",), "between": ("starts_after", "ends_with")}.get(kind, ())
    errors += [f"{label}: type {kind} needs {field}" for field in needs if not extractor.get(field)]
    return errors


def email_parser_errors(parsers, where):
    """Every problem of the email parsers given (the spec's EmailParser), before any request (pure)."""
    if not parsers:
        return [f"{where}: give at least one parser (the API takes no empty list)"]
    errors = []
    for index, parser in enumerate(parsers):
        label = f"{where}[{index}]"
        if not isinstance(parser, dict):
            errors.append(f"{label}: must be a dictionary with action, match_predicate and value_extractors")
            continue
        errors += [f"{label}: unknown key {key!r}; use action, match_predicate, value_extractors"
                   for key in parser if key not in ("action", "match_predicate", "value_extractors")]
        if parser.get("action") not in PARSER_ACTIONS:
            errors.append(f"{label}.action: {_choices(parser.get('action'), PARSER_ACTIONS)}")
        errors += _predicate_errors(parser.get("match_predicate"), f"{label}.match_predicate")
        extractors = parser.get("value_extractors")
        if not isinstance(extractors, list) or not extractors:
            errors.append(f"{label}: value_extractors needs at least one extractor, one with value_name incident_key")
            continue
        for number, extractor in enumerate(extractors):
            errors += _extractor_errors(extractor, f"{label}.value_extractors[{number}]")
        keys = sum(1 for extractor in extractors if isinstance(extractor, dict) and extractor.get("value_name") == "incident_key")
        if keys != 1:
            errors.append(f"{label}: exactly one value extractor must have value_name incident_key (found {keys})")
    return errors


def _predicate_body(predicate):
    body = {k: v for k, v in predicate.items() if v is not None and k != "children"}
    body["children"] = [_predicate_body(child) for child in predicate.get("children") or []]
    return body


def parser_body(parser):
    """An email parser as the API takes it: every predicate with its ``children`` (the spec requires them) (pure)."""
    body = {"action": parser["action"], "match_predicate": _predicate_body(parser["match_predicate"])}
    body["value_extractors"] = [{k: v for k, v in extractor.items() if v is not None} for extractor in parser["value_extractors"]]
    return body


def integration_errors(item, where):
    """What is wrong with one item of the integrations option on its own, before any request (pure)."""
    errors = []
    if not (item.get("type") or item.get("vendor") or item.get("id")):
        errors.append(f"{where}: give type, vendor or id")
    email_given = [option for option in EMAIL_OPTIONS if item.get(option) is not None]
    if email_given and item.get("type") not in (None, "email"):
        errors.append(f"{where}: {', '.join(email_given)} only apply to type email, not {item['type']}")
    elif email_given and not item.get("type") and not item.get("id"):
        errors.append(f"{where}: {', '.join(email_given)} need type email")
    email = item.get("integration_email")
    if email is not None and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        errors.append(f"{where}.integration_email: {email!r} is not an email address")
    if item.get("email_filters") is not None:
        errors += email_filter_errors(item["email_filters"], f"{where}.email_filters")
    if item.get("email_parsers") is not None:
        errors += email_parser_errors(item["email_parsers"], f"{where}.email_parsers")
    return errors


def vendors(ctx):
    """Every vendor (GET /vendors has no search parameter in the spec: the list is read once a run)."""
    return ctx.client.list_all(catalog.path("vendors"), "vendors")


def resolve_vendor(ctx, value, held, option):
    """The id of the vendor named by ``value`` (its id or its name, case-insensitively); one held by the service's
    integrations costs nothing, the others one listing a run. An unknown one is an error naming the option."""
    for ref in held:
        if isinstance(ref, dict) and ref.get("id") and (value == ref["id"] or f"{ref.get('summary')}".casefold() == value.casefold()):
            return ref["id"]
    known = ctx.remember(vendors)
    by_id = [vendor for vendor in known if vendor.get("id") == value]
    matches = by_id or [vendor for vendor in known if f"{vendor.get('name')}".casefold() == value.casefold()]
    if len(matches) > 1:
        raise PagerDutyError(f"{option}: {len(matches)} vendors are named {value!r} (ids: {', '.join(sorted(v['id'] for v in matches))}); give the id")
    if not matches:
        raise PagerDutyError(f"{option}: no vendor with id or name {value!r} exists (GET /vendors lists PagerDuty's vendors)")
    return matches[0]["id"]


def vendor_id_of(item):
    vendor = item.get("vendor")
    return vendor.get("id") if isinstance(vendor, dict) else None


class Integrations(SubList):
    """``/services/{id}/integrations``: created when missing, identified by type and name, or by id, which allows a
    rename and a change of type; the name, the type and the email settings are changed in place with PUT.

    The API has no way to delete an integration, so there is no purge. The module does not change an integration's
    vendor in place: a different one is refused before any write.
    """

    known_when_new = True  # PagerDuty gives a new one none
    option = "integrations"
    fields = tuple(COMPARED)
    include = "integrations"

    @staticmethod
    def reader(ctx, service_id):
        body = ctx.client.get(catalog.KINDS["service"].item_path(service_id), {"include[]": ["integrations"]}) or {}
        return [item for item in (body.get("service") or {}).get("integrations") or [] if isinstance(item, dict)]

    def read(self, ctx, owner):
        return ctx.remember(compared_integrations, owner["id"])

    @staticmethod
    def comparables(item):
        """A current integration with the comparable forms of its email settings (``_`` keys are never returned)."""
        item = dict(item, name=item.get("name") or item.get("summary"))
        if item.get("integration_email") is not None:
            item["_email"] = item["integration_email"].casefold()
        for key, field in (("_filters", "email_filters"), ("_parsers", "email_parsers")):
            if item.get(field) is not None:
                item[key] = comparable(item[field])
        return item

    def desired(self, ctx, items):
        existing = ctx.existing or {}
        current = self.read(ctx, existing) if existing.get("id") and not catalog.is_planned(existing["id"]) else []
        held = [vendor for vendor in (cur.get("vendor") for cur in current) if isinstance(vendor, dict)]
        return [self.wanted(ctx, item, index, current, held) for index, item in enumerate(items)]

    def wanted(self, ctx, item, index, current, held):
        where = f"integrations[{index}]"
        vendor_id = resolve_vendor(ctx, item["vendor"], held, f"{where}.vendor") if item.get("vendor") else None
        api_type = INTEGRATION_TYPES[item["type"]] if item.get("type") else None
        name = item.get("name")
        match = None
        if item.get("id"):
            match = next((cur for cur in current if cur.get("id") == item["id"]), None)
            if match is None:
                raise PagerDutyError(f"{where}.id: the service has no integration with id {item['id']!r}")
        elif api_type is None:  # by vendor: found by its name and vendor, PagerDuty picks the type from the vendor
            name = name or item["vendor"]
            named = [cur for cur in current if cur["name"] == name]
            match = next((cur for cur in named if vendor_id_of(cur) == vendor_id), named[0] if named else None)
        else:
            name = name or item["type"]
            match = next((cur for cur in current if (cur.get("type"), cur["name"]) == (api_type, name)), None)
        label = f"{where} ({name or (match or {}).get('name')})"
        if match is not None:
            if vendor_id and vendor_id_of(match) != vendor_id:
                raise PagerDutyError(f"{label}: the vendor of an integration cannot change in place (it is "
                                     f"{(match.get('vendor') or {}).get('summary') or vendor_id_of(match)}); give a new name to add another one")
            api_type = api_type or match.get("type")  # found by id, another type changes it in place
        email_given = [option for option in EMAIL_OPTIONS if item.get(option) is not None]
        if email_given and api_type not in (None, EMAIL_TYPE):
            raise PagerDutyError(f"{label}: {', '.join(email_given)} only apply to email integrations, not to "
                                 f"{SHORT_INTEGRATION_TYPES.get(api_type, api_type)}")
        wanted = {"type": api_type, "name": name or match["name"]}
        if vendor_id:
            wanted["vendor"] = {"id": vendor_id, "type": "vendor_reference"}
            wanted["_vendor"] = item["vendor"]
        if match is not None:
            wanted["_key"] = self.identity(match)
            if match.get("vendor"):
                wanted["vendor"] = match["vendor"]
                wanted["_vendor"] = match["vendor"].get("summary") or vendor_id_of(match)
            # A diff of the integration shows the settings the task sets, before and after.
            match["_shown"] = wanted["_shown"] = {"name", "type"}.union(option for option in EMAIL_OPTIONS if item.get(option) is not None)
        for option in ("email_incident_creation", "email_filter_mode", "email_parsing_fallback", "integration_email"):
            if item.get(option) is not None:
                wanted[option] = item[option]
        if item.get("integration_email") is not None:
            wanted["_email"] = item["integration_email"].casefold()
        if item.get("email_filters") is not None:
            wanted["email_filters"] = [filter_body(one) for one in item["email_filters"]]
            wanted["_filters"] = comparable(wanted["email_filters"])
        if item.get("email_parsers") is not None:
            wanted["email_parsers"] = [parser_body(one) for one in item["email_parsers"]]
            wanted["_parsers"] = comparable(wanted["email_parsers"])
        return wanted

    def identity(self, item):
        return item.get("_key") or (item.get("type"), item.get("name") or item.get("summary"))

    def render(self, item):
        shown = {"type": SHORT_INTEGRATION_TYPES.get(item.get("type"), item.get("type")), "name": item.get("name") or item.get("summary")}
        if shown["type"] is None:  # by vendor: PagerDuty picks the type
            del shown["type"]
        if item.get("vendor"):
            shown["vendor"] = item.get("_vendor") or item["vendor"].get("summary") or item["vendor"].get("id")
        for key, field in COMPARED.items():
            if field not in ("name", "type") and item.get(key) is not None and field in item.get("_shown", (field,)):
                shown[field] = item[key] if key == field else comparable(item.get(field))
        return shown

    @staticmethod
    def body(item, fields):
        body = {"type": item["type"]} if item.get("type") else {}
        body.update((field, item[field]) for field in fields if item.get(field) is not None)
        return {"integration": body}

    def add(self, ctx, owner, item):
        if item.get("_tried") and item.get("type") is None:
            # Sent once already without an answer: PagerDuty picked the type, so look for it by name and vendor.
            ctx.forget_about(owner["id"])
            if any(cur["name"] == item["name"] and vendor_id_of(cur) == vendor_id_of(item) for cur in self.read(ctx, owner)):
                return
        item["_tried"] = True
        ctx.client.post(catalog.path("integrations", owner["id"]), self.body(item, ("name", "vendor") + EMAIL_OPTIONS))
        ctx.forget_about(owner["id"])

    def update(self, ctx, owner, old, new, changes):
        body = self.body(dict(new, type=new.get("type") or old["type"]), [COMPARED[key] for key in self.fields if key in changes and key != "type"])
        ctx.client.put(catalog.path("integrations", owner["id"], old["id"]), body)
        ctx.forget_about(owner["id"])


def compared_integrations(ctx, service_id):
    """The service's integrations, each with the comparable forms of its settings (read once, for ``ctx.remember``)."""
    return [Integrations.comparables(item) for item in ctx.remember(Integrations.reader, service_id)]


SERVICE_FIELDS = (
    Field("name"),
    Field("description"),
    Field("escalation_policy", kind="escalation_policy"),
    Field("auto_resolve_timeout", normalize=zero_is_none),
    Field("acknowledgement_timeout", normalize=zero_is_none),
    Field("status", normalize=service_status),
    Field("alert_creation"),
    SubsetField("incident_urgency_rule"),
    SubsetField("support_hours"),
    SubsetField("scheduled_actions"),
    SubsetField("alert_grouping_parameters"),
    SubsetField("auto_pause_notifications_parameters"),
)


def argument_spec():
    """The options of pd_service (the connection options and state are added by the base)."""
    urgency_type = dict(type="dict", options=dict(
        type=dict(type="str", default="constant", choices=["constant"]),
        urgency=dict(type="str", required=True, choices=URGENCIES),
    ))
    return dict(
        name=dict(type="str"),
        id=dict(type="str"),
        description=dict(type="str"),
        escalation_policy=dict(type="str"),
        auto_resolve_timeout=dict(type="int"),
        acknowledgement_timeout=dict(type="int"),
        status=dict(type="str", choices=["active", "disabled"]),
        alert_creation=dict(type="str", choices=["create_incidents", "create_alerts_and_incidents"]),
        incident_urgency_rule=dict(type="dict", options=dict(
            type=dict(type="str", required=True, choices=["constant", "use_support_hours"]),
            urgency=dict(type="str", choices=URGENCIES),
            during_support_hours=urgency_type,
            outside_support_hours=urgency_type,
        )),
        support_hours=dict(type="dict", options=dict(
            type=dict(type="str", default="fixed_time_per_day", choices=["fixed_time_per_day"]),
            time_zone=dict(type="str"),
            days_of_week=dict(type="list", elements="int"),
            start_time=dict(type="str"),
            end_time=dict(type="str"),
        )),
        scheduled_actions=dict(type="list", elements="dict", options=dict(
            type=dict(type="str", default="urgency_change", choices=["urgency_change"]),
            at=dict(type="dict", required=True, options=dict(
                type=dict(type="str", default="named_time", choices=["named_time"]),
                name=dict(type="str", required=True, choices=["support_hours_start", "support_hours_end"]),
            )),
            to_urgency=dict(type="str", default="high", choices=["high"]),
        )),
        alert_grouping_parameters=dict(type="dict"),
        auto_pause_notifications_parameters=dict(type="dict", options=dict(
            enabled=dict(type="bool"),
            timeout=dict(type="int"),
        )),
        integrations=dict(type="list", elements="dict", options=dict(
            type=dict(type="str", choices=list(INTEGRATION_TYPES)),
            name=dict(type="str"),
            id=dict(type="str"),
            vendor=dict(type="str"),
            integration_email=dict(type="str"),
            email_incident_creation=dict(type="str", choices=EMAIL_INCIDENT_CREATION),
            email_filter_mode=dict(type="str", choices=EMAIL_FILTER_MODES),
            email_filters=dict(type="list", elements="dict", options=dict(
                subject_mode=dict(type="str", default="always", choices=FILTER_MODES),
                subject_regex=dict(type="str"),
                body_mode=dict(type="str", default="always", choices=FILTER_MODES),
                body_regex=dict(type="str"),
                from_email_mode=dict(type="str", default="always", choices=FILTER_MODES),
                from_email_regex=dict(type="str"),
            )),
            email_parsers=dict(type="list", elements="dict"),
            email_parsing_fallback=dict(type="str", choices=EMAIL_PARSING_FALLBACK),
        )),
    )


class ServiceModule(ResourceModule):
    """pd_service: checks the urgency rule's shape before any request."""

    kind = "service"
    argument_spec = staticmethod(argument_spec)
    fields = SERVICE_FIELDS
    create_requires = ("escalation_policy",)
    sublists = (Integrations(),)

    def validate(self):
        rule = self.params.get("incident_urgency_rule") or {}
        if rule.get("type") == "use_support_hours":
            for key in ("during_support_hours", "outside_support_hours"):
                if not rule.get(key):
                    self.fail_input(f"incident_urgency_rule: type use_support_hours needs {key}")
            if not self.params.get("support_hours"):
                self.fail_input("incident_urgency_rule: type use_support_hours needs support_hours")
        elif rule.get("type") == "constant" and (rule.get("during_support_hours") or rule.get("outside_support_hours")):
            self.fail_input("incident_urgency_rule: during_support_hours and outside_support_hours only apply to type use_support_hours")
        hours = self.params.get("support_hours") or {}
        if hours.get("time_zone"):
            message = time_zone_error("support_hours.time_zone", hours["time_zone"])
            if message:
                self.fail_input(message)
        for day in hours.get("days_of_week") or []:
            if not 1 <= day <= 7:
                self.fail_input(f"support_hours.days_of_week: {int(day)} is not a day; use 1 (Monday) to 7 (Sunday)")
        errors = [error for index, item in enumerate(self.params.get("integrations") or [])
                  for error in integration_errors(item, f"integrations[{index}]")]
        if errors:
            self.fail_input("; ".join(errors))


class ServiceInfoModule(InfoModule):
    """pd_service_info: filtered by team, with the integrations on request."""

    kind = "service"
    filters = {"team": ("team_ids[]", "team")}

    def show_params(self):
        return {"include[]": ["integrations"]} if self.params.get("include_integrations") else {}
