"""After-sales over HTTP (ORD-6, LOG-4)."""

from litestar import Router

from entrypoints.http.aftersales.controllers import CasesController
from entrypoints.http.aftersales.settings import AnalysisController, SettingsController

router = Router(
    path="/api/v1/aftersales",
    tags=["aftersales"],
    route_handlers=[CasesController, SettingsController, AnalysisController],
)
