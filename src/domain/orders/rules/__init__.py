"""The review rule engine (审单 / 合单 / 拆单 / 赠品 / 分仓): rules as data, evaluated fast,
every decision explained. See docs/orders.md, "The rule language"."""
