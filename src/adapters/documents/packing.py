"""Packing slips and labels as PDF (LOG-1) with fpdf2, in a CJK font the project installs
(``scripts/fonts.sh``: WenQuanYi Micro Hei; ``SHOPKEEPER_CJK_FONT`` names another). The
font is embedded (subset to the characters used), so Chinese renders the same in every
viewer and a text extractor reads it back."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF

from application.fulfilment.ports import PackingSlip
from domain.fulfilment.wave import Wave

_FONT = "cjk"


class PdfPackingDocuments:
    def __init__(self, font: Path) -> None:
        self._font = font

    def render(self, wave: Wave, slips: Sequence[PackingSlip]) -> bytes:
        if not self._font.is_file():
            raise FileNotFoundError(f"the CJK font {self._font} is missing: run make env")
        pdf = FPDF(format=(148, 210))  # A5, in millimetres
        pdf.set_auto_page_break(auto=True, margin=10)
        pdf.add_font(_FONT, fname=str(self._font))
        for slip in slips:
            pdf.add_page()
            self._slip(pdf, wave, slip)
        return bytes(pdf.output())

    def _slip(self, pdf: FPDF, wave: Wave, slip: PackingSlip) -> None:
        shipment = slip.shipment
        pdf.set_font(_FONT, size=16)
        pdf.cell(text="装箱单 Packing slip", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(_FONT, size=10)
        for text in (
            f"订单 Order: {shipment.order_number}    波次 Wave: {wave.number}",
            f"收货人 Receiver: {slip.receiver}",
            f"地址 Address: {slip.address}",
            *([f"买家留言 Message: {slip.buyer_message}"] if slip.buyer_message else []),
        ):
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        for line in shipment.lines:
            title = line.title or line.sku_code
            pdf.multi_cell(
                0, 6, f"{line.sku_code}  {title}  × {line.quantity}", new_x="LMARGIN", new_y="NEXT"
            )
        pdf.ln(4)
        pdf.set_font(_FONT, size=12)
        pdf.cell(text=f"快递 Carrier: {shipment.carrier_code}", new_x="LMARGIN", new_y="NEXT")
        if shipment.tracking_no:
            for text in (
                f"运单号 Waybill: {shipment.tracking_no}",
                f"大头笔 Sorting: {shipment.sorting_code}",
                f"路由 Route: {shipment.route}",
            ):
                pdf.cell(text=text, new_x="LMARGIN", new_y="NEXT")
        if shipment.weight_grams:
            text = f"重量 Weight: {shipment.weight_grams} g × {shipment.packages}"
            pdf.cell(text=text, new_x="LMARGIN", new_y="NEXT")
