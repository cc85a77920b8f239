"""The PagerDuty API the simulator serves, assembled from its areas: every resource kind, every
route, and the delete guards and cascades between areas (the one place where they are wired)."""

from pdsim import abilities, event_orchestrations, events, incidents, oncalls, schedules, users
from pdsim.alert_grouping_settings import ALERT_GROUPING_SETTINGS
from pdsim.alert_grouping_settings import ROUTES as ALERT_GROUPING_ROUTES
from pdsim.alert_grouping_settings import drop_service as drop_service_from_grouping_settings
from pdsim.business_services import BUSINESS_SERVICES, SERVICE_DEPENDENCIES, SUBSCRIBERS, drop_service_dependencies
from pdsim.business_services import ROUTES as BUSINESS_SERVICE_ROUTES
from pdsim.core import build_routes
from pdsim.events import CHANGE_EVENTS
from pdsim.escalation_policies import ESCALATION_POLICIES, policies_targeting_user, policies_using_schedule
from pdsim.event_orchestrations import (
    EVENT_ORCHESTRATIONS,
    ORCHESTRATION_CACHE_VARIABLES,
    ORCHESTRATION_INTEGRATIONS,
    ORCHESTRATION_PATHS,
    SERVICE_CACHE_VARIABLES,
    SERVICE_ORCHESTRATIONS,
    drop_service_orchestration,
)
from pdsim.incidents import ALERTS, INCIDENTS, NOTES, PRIORITIES
from pdsim.licenses import LICENSES
from pdsim.licenses import ROUTES as LICENSE_ROUTES
from pdsim.maintenance_windows import MAINTENANCE_WINDOWS
from pdsim.schedules import SCHEDULES, schedules_of_team, users_on_schedules
from pdsim.services import INTEGRATIONS, SERVICES, services_using_policy, team_associations
from pdsim.tags import ROUTES as TAG_ROUTES
from pdsim.tags import TAGS, forget_assignments
from pdsim.teams import TEAMS
from pdsim.users import CONTACT_METHODS, HANDOFF_RULES, NOTIFICATION_RULES, USERS
from pdsim.vendors import ROUTES as VENDOR_ROUTES
from pdsim.vendors import VENDORS
from pdsim.webhooks import ROUTES as WEBHOOK_ROUTES
from pdsim.webhooks import WEBHOOK_SUBSCRIPTIONS

# The order of the store's collections, of /__sim__/state and of the generic routes.
RESOURCES = (TEAMS, LICENSES, USERS, CONTACT_METHODS, NOTIFICATION_RULES, HANDOFF_RULES, ESCALATION_POLICIES, SERVICES, INTEGRATIONS, VENDORS,
             ALERT_GROUPING_SETTINGS,
             BUSINESS_SERVICES, SUBSCRIBERS, SERVICE_DEPENDENCIES,
             MAINTENANCE_WINDOWS, SCHEDULES, PRIORITIES, INCIDENTS, ALERTS, NOTES, EVENT_ORCHESTRATIONS, ORCHESTRATION_INTEGRATIONS,
             ORCHESTRATION_PATHS, SERVICE_ORCHESTRATIONS, ORCHESTRATION_CACHE_VARIABLES, SERVICE_CACHE_VARIABLES, CHANGE_EVENTS,
             WEBHOOK_SUBSCRIPTIONS, TAGS)
ROUTES = build_routes(RESOURCES, ALERT_GROUPING_ROUTES + users.ROUTES + LICENSE_ROUTES + schedules.ROUTES + oncalls.ROUTES + abilities.ROUTES + incidents.ROUTES
                      + event_orchestrations.ROUTES + events.ROUTES + BUSINESS_SERVICE_ROUTES + WEBHOOK_ROUTES + TAG_ROUTES
                      + VENDOR_ROUTES)

# What refuses a delete while another area still references the object: resource -> guards, each
# (ctx, stored) -> [text, ...]; the texts become the 400's ``errors`` (6006 for teams), in this order.
DELETE_GUARDS = (
    (TEAMS, (team_associations, schedules_of_team)),
    (USERS, (users_on_schedules, policies_targeting_user)),
    (ESCALATION_POLICIES, (services_using_policy,)),
    (SCHEDULES, (policies_using_schedule,)),
)

# What another area forgets when an object is deleted: resource -> cascades, each (ctx, stored), run after its on_delete.
DELETE_CASCADES = (
    (SERVICES, (drop_service_orchestration, drop_service_dependencies, drop_service_from_grouping_settings)),
    (USERS, (forget_assignments('users'),)),
    (TEAMS, (forget_assignments('teams'),)),
    (ESCALATION_POLICIES, (forget_assignments('escalation_policies'),)),
)


def wire_delete_guards():
    """Give every resource its delete guards and cascades (replacing any it had, so calling this again is harmless)."""
    for resource in RESOURCES:
        resource.delete_guards = []
        resource.delete_cascades = []
    for resource, guards in DELETE_GUARDS:
        resource.delete_guards = list(guards)
    for resource, cascades in DELETE_CASCADES:
        resource.delete_cascades = list(cascades)
