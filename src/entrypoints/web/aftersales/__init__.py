"""After-sales in the console (ORD-6): the cases with filters, opening a case on an order,
and a case's page with its flow's actions and its history."""

from litestar import Router

from application.aftersales.queries import FindCases
from entrypoints.web.aftersales.case import STEPS, CasePages
from entrypoints.web.aftersales.cases import CaseListPages
from entrypoints.web.menu import MenuItem

router = Router(path="/aftersales", route_handlers=[CaseListPages, CasePages, *STEPS])
MENU = (MenuItem("nav.aftersales", "/console/aftersales", FindCases, order=450),)
