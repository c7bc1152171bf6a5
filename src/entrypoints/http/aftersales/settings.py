"""/api/v1/aftersales/settings and /analysis: the tenant's after-sales policy and the
return analysis (LOG-4)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get, put
from litestar.params import JSONBody, QueryParameter

from application.aftersales.ports import AftersalesSettings
from application.aftersales.queries import GetReturnAnalysis
from application.aftersales.settings import GetSettings, SetSettings
from entrypoints.http.aftersales.schemas import (
    ReturnAnalysisOut,
    SettingsIn,
    SettingsOut,
    analysis_out,
)
from entrypoints.http.conventions import with_etag
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion
from entrypoints.http.permissions import needs


def _settings(settings: AftersalesSettings) -> Response[SettingsOut]:
    return with_etag(SettingsOut.of(settings), settings.version)


class SettingsController(Controller):
    path = "/settings"

    @get("/", opt=needs(GetSettings))
    async def get_settings(self, ctx: Context, use_cases: Dispatch) -> Response[SettingsOut]:
        """The after-sales policy: whether an exchange's replacement ships first (before
        the returned goods arrive)."""
        return _settings(await use_cases.query(ctx, GetSettings()))

    @put("/", opt=needs(SetSettings))
    async def set_settings(
        self,
        ctx: Context,
        use_cases: Dispatch,
        data: JSONBody[SettingsIn],
        expected_version: ExpectedVersion,
    ) -> Response[SettingsOut]:
        """Set the policy (If-Match: its version, "v0" before the first)."""
        command = SetSettings(data.ship_exchange_first, expected_version)
        return _settings(await use_cases.run(ctx, command))


class AnalysisController(Controller):
    path = "/analysis"

    @get("/returns", opt=needs(GetReturnAnalysis))
    async def returns(
        self,
        ctx: Context,
        use_cases: Dispatch,
        start: Annotated[date, QueryParameter(name="from", description="First day.")],
        end: Annotated[date, QueryParameter(name="to", description="Last day (included).")],
    ) -> ReturnAnalysisOut:
        """Return rates per SKU and SPU (highest first), cases per reason, refund and
        shipping-insurance totals, over days in the tenant's time zone (at most a year)."""
        found = await use_cases.query(ctx, GetReturnAnalysis(start, end))
        return analysis_out(found, start, end)
