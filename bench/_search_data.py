"""A synthetic catalog for the search benchmark: realistic Chinese and mixed names built
from a vocabulary, SPU and SKU codes, GTIN-13 barcodes with valid check digits, and the
search terms each product holds — computed by the domain's own ``product_terms``, so the
side table holds exactly what saving the product through the application would write.

Rows come out as COPY text lines (tab-separated), ready for ``COPY ... FROM STDIN``; the
values never contain tabs, newlines or backslashes, so nothing needs escaping.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from domain.catalog.codes import barcode_key, code_key, gtin_check_digit
from domain.catalog.search_terms import product_terms

# (noun, code prefix, features, specs, variant codes)
_ELECTRONICS_VARIANTS = ("BK", "WH", "GY", "BL", "PK")
_CLOTHING_VARIANTS = ("S", "M", "L", "XL", "XXL")
_HOME_VARIANTS = ("01", "02", "03", "04")
CATEGORIES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("耳机", "EJ", ("蓝牙", "无线", "降噪", "运动", "入耳式", "头戴式", "游戏", "有线"),
     ("Pro", "Air", "Buds3", "WH-1000XM5", "FreeBuds5", "X7"), _ELECTRONICS_VARIANTS),
    ("音箱", "YX", ("蓝牙", "无线", "便携", "智能", "低音炮", "户外"),
     ("Mini", "Max", "S2", "Go3", "20W"), _ELECTRONICS_VARIANTS),
    ("鼠标", "SB", ("无线", "蓝牙", "静音", "游戏", "人体工学"),
     ("M330", "G304", "MX3", "Lite"), _ELECTRONICS_VARIANTS),
    ("键盘", "JP", ("机械", "无线", "蓝牙", "静音", "游戏", "背光"),
     ("K380", "87键", "104键", "RGB"), _ELECTRONICS_VARIANTS),
    ("充电器", "CD", ("快充", "无线", "氮化镓", "多口", "车载"),
     ("65W", "20W", "100W", "PD", "2C1A"), _ELECTRONICS_VARIANTS),
    ("数据线", "SJ", ("快充", "编织", "磁吸", "加长", "Type-C"),
     ("1m", "2m", "60W", "USB-C"), _ELECTRONICS_VARIANTS),
    ("手机壳", "SK", ("硅胶", "磁吸", "防摔", "透明", "磨砂"),
     ("适用iPhone15", "适用iPhone14 Pro", "适用Mate60", "适用小米14"), _ELECTRONICS_VARIANTS),
    ("智能手表", "ZB", ("运动", "蓝牙", "防水", "心率", "儿童"),
     ("GT4", "Watch 9", "S8", "Lite"), _ELECTRONICS_VARIANTS),
    ("充电宝", "CB", ("快充", "磁吸", "无线", "大容量", "迷你"),
     ("10000mAh", "20000mAh", "22.5W", "PD20W"), _ELECTRONICS_VARIANTS),
    ("台灯", "TD", ("护眼", "充电", "LED", "折叠", "智能"),
     ("A1", "国AA级", "USB"), _HOME_VARIANTS),
    ("T恤", "TX", ("纯棉", "短袖", "宽松", "修身", "运动", "夏季", "印花"),
     ("男款", "女款", "情侣款", "oversize"), _CLOTHING_VARIANTS),
    ("衬衫", "CS", ("纯棉", "长袖", "修身", "商务", "免烫", "条纹"),
     ("男款", "女款", "2024新款"), _CLOTHING_VARIANTS),
    ("卫衣", "WY", ("加绒", "连帽", "宽松", "纯棉", "运动"),
     ("男款", "女款", "秋冬"), _CLOTHING_VARIANTS),
    ("运动鞋", "YD", ("透气", "轻便", "减震", "跑步", "防滑", "休闲"),
     ("男款", "女款", "2024新款", "Air Zoom"), ("39", "40", "41", "42", "43")),
    ("牛仔裤", "NZ", ("直筒", "修身", "弹力", "高腰", "破洞"),
     ("男款", "女款", "春秋"), ("28", "29", "30", "31", "32")),
    ("羽绒服", "YR", ("加厚", "长款", "短款", "连帽", "轻薄"),
     ("男款", "女款", "90绒"), _CLOTHING_VARIANTS),
    ("袜子", "WZ", ("纯棉", "运动", "船袜", "中筒", "加厚"),
     ("5双装", "10双装", "男款", "女款"), _HOME_VARIANTS),
    ("背包", "BB", ("双肩", "防水", "大容量", "商务", "旅行", "运动"),
     ("15.6英寸", "20L", "30L"), _ELECTRONICS_VARIANTS),
    ("保温杯", "BW", ("不锈钢", "大容量", "便携", "儿童", "316"),
     ("500ml", "350ml", "1L"), _HOME_VARIANTS),
    ("毛巾", "MJ", ("纯棉", "加厚", "吸水", "速干", "运动"),
     ("3条装", "34x75cm", "A类"), _HOME_VARIANTS),
    ("床单", "CX", ("纯棉", "磨毛", "四件套", "水洗"),
     ("1.5m", "1.8m", "200x230"), _HOME_VARIANTS),
    ("收纳盒", "SN", ("塑料", "折叠", "大号", "桌面"),
     ("3个装", "带盖", "透明"), _HOME_VARIANTS),
    ("电饭煲", "DF", ("智能", "迷你", "预约", "多功能"),
     ("3L", "4L", "5L", "IH"), _HOME_VARIANTS),
    ("空气炸锅", "KQ", ("无油", "大容量", "智能", "可视"),
     ("5L", "6.5L", "双篮"), _HOME_VARIANTS),
    ("拖鞋", "TU", ("防滑", "居家", "夏季", "加厚", "情侣"),
     ("男款", "女款", "EVA"), ("36", "38", "40", "42", "44")),
    ("雨伞", "YS", ("折叠", "防晒", "自动", "晴雨两用"),
     ("三折", "UPF50+", "黑胶"), _HOME_VARIANTS),
    ("面膜", "MM", ("补水", "保湿", "美白", "修护"),
     ("10片装", "25ml", "礼盒"), _HOME_VARIANTS),
    ("洗发水", "XF", ("控油", "去屑", "柔顺", "无硅油"),
     ("400ml", "750ml", "家庭装"), _HOME_VARIANTS),
    ("茶叶", "CY", ("绿茶", "红茶", "明前", "散装", "礼盒"),
     ("250g", "500g", "特级"), _HOME_VARIANTS),
    ("坚果", "JG", ("每日", "混合", "烘焙", "礼盒"),
     ("750g", "30包", "量贩装"), _HOME_VARIANTS),
)  # fmt: skip
BRANDS = (
    "华为", "小米", "Apple", "索尼", "漫步者", "罗技", "雷蛇", "安克", "绿联", "倍思",
    "南极人", "优衣库", "李宁", "安踏", "特步", "Nike", "adidas", "迪卡侬", "膳魔师", "象印",
    "苏泊尔", "美的", "九阳", "小熊", "三只松鼠", "良品铺子", "欧莱雅", "自然堂", "海飞丝",
    "得力", "公牛", "飞利浦", "JBL", "Beats", "OPPO", "vivo", "荣耀", "网易严选", "无印良品",
)  # fmt: skip
COLOURS = ("黑色", "白色", "灰色", "蓝色", "粉色", "藏青", "卡其", "军绿", "酒红", "米白")
LIFECYCLES = ("active",) * 17 + ("new", "phasing_out", "discontinued")
SKU_COUNTS = (1, 1, 1, 1, 2, 2, 2, 2, 3, 3)  # 1–3, about 1.9 a product
ARCHIVED_SHARE = 0.01
TWO_CHARACTER_QUERIES = ("蓝牙", "无线", "纯棉", "运动", "快充", "耳机", "加厚", "智能")
# Frequent phrases and a long tail of rarer ones (a feature pair before the noun).
LONGER_QUERIES = (
    "蓝牙耳机", "无线充电器", "纯棉T恤", "降噪耳机", "运动鞋", "智能手表", "大容量",
    "降噪蓝牙耳机", "加绒连帽卫衣", "磁吸无线充电宝",
)  # fmt: skip
MAX_TENANT_PRODUCTS = 333_333
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass
class CatalogChunk:
    """COPY text for the three tables, plus a sample of SKU codes and barcodes."""

    products: list[str] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    sku_codes: list[str] = field(default_factory=list)
    barcodes: list[str] = field(default_factory=list)
    term_count: int = 0


def _name(rng: random.Random, category: int) -> str:
    noun, _, features, specs, _ = CATEGORIES[category]
    parts = [rng.choice(BRANDS)]
    if rng.random() < 0.6:
        parts.append(rng.choice(specs))
    picked = rng.sample(features, rng.choice((1, 1, 2)))
    parts.append("".join(picked) + noun)
    if rng.random() < 0.5:
        parts.append(rng.choice(COLOURS))
    if rng.random() < 0.3:
        parts.append(f"{rng.choice(('2024', '2025'))}新款")
    return " ".join(parts)


def _gtin13(body12: str) -> str:
    return body12 + str(gtin_check_digit(body12))


def tenant_chunk(tenant_id: uuid.UUID, seed: int, start: int, count: int) -> CatalogChunk:
    """Products ``start`` .. ``start + count - 1`` of one tenant's catalog; deterministic for
    (seed, position), so chunks can be made in any order or process. Codes and barcodes are
    unique within the tenant: they are built from the product's position."""
    chunk = CatalogChunk()
    tenant = str(tenant_id)
    # GTIN-13: 69 (China) + the tenant's 4-digit company prefix + a 6-digit item reference
    # (3 a product: a tenant holds at most 333,333 products) + the check digit.
    if start + count > MAX_TENANT_PRODUCTS:
        raise ValueError(f"a tenant holds at most {MAX_TENANT_PRODUCTS} products here")
    company = f"69{seed % 10000:04d}"
    for position in range(start, start + count):
        rng = random.Random(seed * 10_000_019 + position)
        category = rng.randrange(len(CATEGORIES))
        _, prefix, _, _, variants = CATEGORIES[category]
        product_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        code = f"{prefix}{position:06d}"
        name = _name(rng, category)
        created = _EPOCH + timedelta(seconds=rng.randrange(60 * 60 * 24 * 700))
        lifecycle = rng.choice(LIFECYCLES)
        archived = f"{created.isoformat()}" if rng.random() < ARCHIVED_SHARE else "\\N"
        chunk.products.append(
            f"{tenant}\t{product_id}\t{code}\t{code_key(code)}\t{name}\tphysical\t{lifecycle}"
            f"\t{archived}\t{created.isoformat()}\t{created.isoformat()}\n"
        )
        codes, barcodes = [code], []
        for i, variant in enumerate(rng.sample(variants, rng.choice(SKU_COUNTS))):
            sku_code = f"{code}-{variant}"
            barcode = _gtin13(f"{company}{position * 3 + i:06d}")
            sku_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            price = f"{rng.randrange(990, 99900) / 100:.2f}"
            chunk.skus.append(
                f"{tenant}\t{sku_id}\t{product_id}\t{i}\t{sku_code}\t{code_key(sku_code)}"
                f"\t{barcode}\t{barcode_key(barcode)}\t{price}\n"
            )
            codes.append(sku_code)
            barcodes.append(barcode)
        terms = product_terms(name, codes, barcodes)
        chunk.term_count += len(terms)
        chunk.terms.extend(f"{tenant}\t{term}\t{product_id}\n" for term in terms)
        if position % 97 == 0:
            chunk.sku_codes.append(codes[-1])
            chunk.barcodes.append(barcodes[-1])
    return chunk


def encoded_chunk(
    tenant_id: uuid.UUID, seed: int, start: int, count: int
) -> tuple[bytes, bytes, bytes, list[str], list[str], int]:
    """``tenant_chunk`` as bytes, for a worker process to hand to the loader cheaply."""
    chunk = tenant_chunk(tenant_id, seed, start, count)
    return (
        "".join(chunk.products).encode(),
        "".join(chunk.skus).encode(),
        "".join(chunk.terms).encode(),
        chunk.sku_codes,
        chunk.barcodes,
        chunk.term_count,
    )
