"""A channel's SKU code (the marketplace's 商家编码) as a mapping keeps it (ORD-9, CHN-2):
1 to 100 characters once trimmed, none of them a control or format character."""

from __future__ import annotations

import re

from domain.shared.errors import ValidationFailed
from domain.shared.text import character_class, has_control_characters, is_control

MAX_CHANNEL_SKU_CODE = 100  # characters (the table checks it too)
# What the document states (the Basic Multilingual Plane's control and format characters;
# the few beyond it are refused all the same).
CHANNEL_SKU_CODE = re.compile(
    "^(?=[\\s\\S]*\\S)[^"
    + character_class([c for c in range(0x10000) if is_control(chr(c))])
    + f"]{{1,{MAX_CHANNEL_SKU_CODE}}}$"
)


def channel_sku_code(raw: str) -> str:
    """The code trimmed, or ``invalid_channel_sku_code`` (on ``channelSkuCode``)."""
    code = raw.strip()
    if not 1 <= len(code) <= MAX_CHANNEL_SKU_CODE or has_control_characters(code):
        raise ValidationFailed.single("channelSkuCode", "invalid_channel_sku_code")
    return code
