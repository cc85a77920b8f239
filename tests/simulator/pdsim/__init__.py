"""A PagerDuty REST API v2 simulator, shaped like the API (see tests/simulator/README.md).

core (store, ids, errors, the Resource base and its rendering), one module per API area (teams,
users, escalation_policies, services, maintenance_windows, schedules, oncalls), render (schedule
rendering), validator (OpenAPI checks), api (the areas assembled, delete guards wired) and server
(HTTP, auth, faults, request log, the /__sim__/ admin API).
"""
