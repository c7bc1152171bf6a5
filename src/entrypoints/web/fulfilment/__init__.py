"""Fulfilment in the console (LOG-1): waves planned and picked by scan, each parcel
verified by scan, weighed, booked with its carrier and shipped, its packing slip printed;
a short pick, an interception, a report to the channel again."""

from litestar import Router

from application.fulfilment.scanning import ListWaves
from entrypoints.web.fulfilment.interventions import ShipmentInterventions
from entrypoints.web.fulfilment.shipments import ShipmentPages
from entrypoints.web.fulfilment.waves import WavePages
from entrypoints.web.menu import MenuItem

router = Router(
    path="/fulfilment", route_handlers=[WavePages, ShipmentPages, ShipmentInterventions]
)
MENU = (MenuItem("nav.fulfilment", "/console/fulfilment", ListWaves, order=400),)
