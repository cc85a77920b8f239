"""Vendors: GET /vendors and GET /vendors/{id}, a small fixed catalogue with stable ids.

PagerDuty's vendors are its own (read-only) catalogue of integration kinds: every account sees the same
ones, so the simulator has a few well-known ones from the start, with the fields of the spec's ``Vendor``
schema.  A vendor also says which integration type PagerDuty gives an integration created with it and
without a type (``integration_type``, never rendered).  Imports only ``core``.
"""

from pdsim.core import ApiError, NOT_FOUND, Resource, Route, invalid_input, reference_id

# (id, name, website, integration type, description). Amazon CloudWatch's id is the spec's example id; the
# others are the simulator's own, stable across resets.
CATALOGUE = (
    ('PZQ6AUS', 'Amazon CloudWatch', 'https://aws.amazon.com/cloudwatch', 'aws_cloudwatch_inbound_integration',
     'Amazon Web Services CloudWatch provides monitoring for AWS cloud resources and customer-run applications.'),
    ('PDATDOG', 'Datadog', 'https://www.datadoghq.com', 'events_api_v2_inbound_integration',
     'Datadog is a monitoring service for cloud-scale applications.'),
    ('PEMAIL0', 'Email', 'https://www.pagerduty.com', 'generic_email_inbound_integration',
     'Open incidents from emails sent to the integration email address.'),
    ('PNEWREL', 'New Relic', 'https://newrelic.com', 'generic_events_api_inbound_integration',
     'New Relic monitors the performance of applications and infrastructure.'),
    ('PPROMTH', 'Prometheus', 'https://prometheus.io', 'events_api_v2_inbound_integration',
     'Prometheus is an open-source monitoring system; its Alertmanager sends alerts to PagerDuty.'),
)
LOGO_BASE = 'https://simulator.pagerduty.invalid/vendor-logos'


class Vendors(Resource):
    collection = 'vendors'
    wrapper = 'vendor'
    type_name = 'vendor'
    reference_html_url = False
    operations = ('list',)  # GET /vendors/{id} is a route of its own (ROUTES): its answer is a list

    def html_url(self, stored):
        return None

    def create(self, ctx, data, object_id=None, parent=None):
        raise ValueError('vendors are a fixed catalogue')

    def initial_objects(self, ctx):
        for vendor_id, name, website, integration_type, description in CATALOGUE:
            slug = name.lower().replace(' ', '_')
            ctx.store[self.collection].put({
                'id': self.new_id(ctx, vendor_id), 'name': name, 'website_url': website, 'description': description,
                'logo_url': f'{LOGO_BASE}/{slug}_large.png', 'thumbnail_url': f'{LOGO_BASE}/{slug}_thumb.png',
                'integration_guide_url': f'https://www.pagerduty.com/docs/guides/{slug}-integration-guide/',
                'integration_type': integration_type})

    def find(self, ctx, value, label='Vendor'):
        """The stored vendor a reference ({"id", "type": "vendor_reference"}) names; 400 for an unknown one."""
        vendor_id = reference_id(value, label, ('vendor_reference', 'vendor'))
        stored = ctx.store[self.collection].get(vendor_id)
        if stored is None:
            raise invalid_input(f'{label} {vendor_id} not found')
        return stored

    def render(self, ctx, stored, includes=()):
        rendered = self.header(ctx, stored)
        del rendered['html_url']
        shown = ('name', 'website_url', 'logo_url', 'thumbnail_url', 'description', 'integration_guide_url')
        rendered.update((field, stored[field]) for field in shown)
        return rendered


VENDORS = Vendors()


def show_vendor(ctx, request):
    """GET /vendors/{id}: the spec's answer wraps the one vendor in a list ({"vendor": [ ... ]})."""
    stored = ctx.store[VENDORS.collection].get(request.params[0])
    if stored is None:
        raise ApiError(404, NOT_FOUND)
    return 200, {'vendor': [VENDORS.render(ctx, stored)]}


ROUTES = [Route('GET', '/vendors/{id}', show_vendor)]
