#!/usr/bin/env bash
# The CJK font packing slips and labels embed (docs/fulfilment.md): WenQuanYi Micro Hei
# from Debian's fonts-wqy-microhei, at the path SHOPKEEPER_CJK_FONT names (its default
# below). Installed with apt-get when it is missing and this runs as root; otherwise it
# says what to do. Called by `make env`.
set -euo pipefail
FONT="${SHOPKEEPER_CJK_FONT:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}"
[[ -f "$FONT" ]] && exit 0
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "installing the CJK font for packing slips (fonts-wqy-microhei)"
    apt-get install -y --no-install-recommends fonts-wqy-microhei >/dev/null \
        || { apt-get update >/dev/null && apt-get install -y --no-install-recommends fonts-wqy-microhei >/dev/null; }
    exit 0
fi
echo "The CJK font $FONT is missing: apt-get install fonts-wqy-microhei (as root), or set" >&2
echo "SHOPKEEPER_CJK_FONT to a TrueType/OpenType font with Chinese glyphs." >&2
exit 1
