# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The pure parts of pd_service's integrations: email filters and parsers checked and shaped as the spec's
Integration and EmailParser schemas say, and the comparable forms that ignore PagerDuty's ids."""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils._service import (
    comparable,
    email_filter_errors,
    email_parser_errors,
    filter_body,
    integration_errors,
    parser_body,
)


def parser(**fields):
    return dict({"action": "trigger", "match_predicate": {"type": "contains", "part": "subject", "matcher": "DOWN"},
                 "value_extractors": [{"type": "entire", "part": "subject", "value_name": "incident_key"}]}, **fields)


def test_comparable_ignores_ids_nulls_and_empty_children():
    api = [{"id": "PF1", "subject_mode": "match", "subject_regex": "x", "body_regex": None},
           {"id": 7, "match_predicate": {"type": "regex", "matcher": "y", "part": "body", "children": []}}]
    mine = [{"subject_regex": "x", "subject_mode": "match"}, {"match_predicate": {"part": "body", "type": "regex", "matcher": "y"}}]
    assert comparable(api) == comparable(mine)
    assert comparable([{"children": [{"type": "contains"}]}]) == [{"children": [{"type": "contains"}]}]


def test_filter_body_has_the_three_modes():
    assert filter_body({"subject_mode": "match", "subject_regex": "^A", "body_mode": None, "body_regex": None}) == {
        "subject_mode": "match", "subject_regex": "^A", "body_mode": "always", "from_email_mode": "always"}


def test_email_filter_errors():
    assert email_filter_errors([{"subject_mode": "match", "subject_regex": "^A"}], "f") == []
    assert email_filter_errors([], "f") == ["f: give at least one filter (the API takes no empty list; email_filter_mode all-email takes every mail)"]
    assert email_filter_errors([{"body_mode": "no-match"}, {"from_email_regex": "x"}], "f") == [
        "f[0]: body_mode no-match needs body_regex", "f[1]: from_email_regex applies only with from_email_mode match or no-match"]
    assert email_filter_errors([{"subject_mode": "match", "subject_regex": "a"}, {"subject_mode": "match", "subject_regex": "a"}], "f") == [
        "f[1]: the same filter is listed twice (the API takes each once)"]


def test_email_parser_errors():
    assert email_parser_errors([parser()], "p") == []
    assert email_parser_errors([parser(match_predicate={"type": "all", "part": "body", "children": [
        {"type": "not", "part": "body", "children": [{"type": "regex", "part": "from_addresses", "matcher": "@x"}]}]})], "p") == []
    assert email_parser_errors([], "p") == ["p: give at least one parser (the API takes no empty list)"]
    assert email_parser_errors([parser(action="open", extra=1)], "p") == [
        "p[0]: unknown key 'extra'; use action, match_predicate, value_extractors", "p[0].action: 'open' is not one of trigger, resolve"]
    assert email_parser_errors([parser(match_predicate={"type": "any", "children": []})], "p") == [
        "p[0].match_predicate.part: None is not one of body, subject, from_addresses (the API requires it on every predicate)",
        "p[0].match_predicate: type any needs children (at least one predicate)"]
    assert email_parser_errors([parser(match_predicate={"type": "exactly", "part": "body"})], "p") == [
        "p[0].match_predicate: type exactly needs a matcher"]
    assert email_parser_errors([parser(value_extractors=[{"type": "between", "part": "body", "value_name": "host"}])], "p") == [
        "p[0].value_extractors[0]: type between needs starts_after", "p[0].value_extractors[0]: type between needs ends_with",
        "p[0]: exactly one value extractor must have value_name incident_key (found 0)"]


def test_parser_body_fills_children():
    body = parser_body(parser(match_predicate={"type": "not", "part": "body", "children": [{"type": "contains", "part": "body", "matcher": "x"}]}))
    assert body["match_predicate"] == {"type": "not", "part": "body", "children": [{"type": "contains", "part": "body", "matcher": "x", "children": []}]}


def test_integration_errors():
    assert integration_errors({"type": "email", "email_filter_mode": "or-rules-email"}, "i[0]") == []
    assert integration_errors({"vendor": "Datadog"}, "i[0]") == []
    assert integration_errors({"id": "PINT001", "email_parsing_fallback": "discard"}, "i[0]") == []  # the type is known once read
    assert integration_errors({"name": "x"}, "i[0]") == ["i[0]: give type, vendor or id"]
    assert integration_errors({"type": "events_api_v2", "email_filter_mode": "all-email"}, "i[0]") == [
        "i[0]: email_filter_mode only apply to type email, not events_api_v2"]
    assert integration_errors({"vendor": "Email", "integration_email": "a@b"}, "i[0]") == [
        "i[0]: integration_email need type email", "i[0].integration_email: 'a@b' is not an email address"]
