"""Packing slips and labels as PDF (LOG-1): the Chinese text is in the PDF, read back by a
text extractor (the CJK font is embedded)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from uuid import uuid4

from pdfminer.high_level import extract_text

from adapters.documents.packing import PdfPackingDocuments
from application.fulfilment.ports import PackingSlip
from bootstrap.settings import Settings
from domain.fulfilment.shipment import Shipment, ShipmentLine, ShipmentStatus
from domain.fulfilment.wave import Wave

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_the_packing_slip_s_chinese_is_read_back_from_the_pdf() -> None:
    line = ShipmentLine(uuid4(), uuid4(), "CUP-1", None, "不锈钢保温杯", 2, 250, False, None, None)
    shipment = Shipment(
        uuid4(),
        uuid4(),
        uuid4(),
        "SO20261207001",
        None,
        uuid4(),
        "SF",
        ShipmentStatus.BOOKED,
        [line],
        (),
        3,
        NOW,
        NOW,
        tracking_no="SF000000000001",
        sorting_code="571-20",
        route="HZ→北京市北京市",
    )
    wave = Wave.create(uuid4(), "WV202612070001", uuid4(), "SF", True, [], (), NOW)
    slip = PackingSlip(
        shipment, "王小明 13800138000", "北京市北京市朝阳区建国路 88 号", "请周末送达"
    )
    pdf = PdfPackingDocuments(Settings().cjk_font).render(wave, [slip, slip])
    text = extract_text(io.BytesIO(pdf))
    for expected in (
        "装箱单",
        "王小明",
        "朝阳区建国路",
        "不锈钢保温杯",
        "请周末送达",
        "大头笔",
        "571-20",
    ):
        assert expected in text
    assert text.count("装箱单") == 2  # one page a shipment
