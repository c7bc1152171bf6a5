"""Messages for every error code in zh-CN, zh-TW and en (PLT-7), shared by HTTP and CLI.

A test walks the source for every code raised and checks it has all three languages.
Placeholders name the error's parameters, e.g. ``{permission}``.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("zh-CN", "zh-TW", "en")
DEFAULT_LANGUAGE = "zh-CN"

MESSAGES: dict[str, dict[str, str]] = {
    # generic
    "domain_error": {
        "en": "The request cannot be carried out.",
        "zh-CN": "无法执行该请求。",
        "zh-TW": "無法執行該請求。",
    },
    "internal_error": {
        "en": "Something went wrong on our side. Nothing was changed; please try again.",
        "zh-CN": "服务器内部错误，未做任何更改，请重试。",
        "zh-TW": "伺服器內部錯誤，未做任何變更，請重試。",
    },
    "invalid_request": {
        "en": "The request is malformed.",
        "zh-CN": "请求格式不正确。",
        "zh-TW": "請求格式不正確。",
    },
    "route_not_found": {
        "en": "There is no such endpoint.",
        "zh-CN": "接口不存在。",
        "zh-TW": "介面不存在。",
    },
    "method_not_allowed": {
        "en": "This method is not allowed here.",
        "zh-CN": "不允许使用该请求方法。",
        "zh-TW": "不允許使用該請求方法。",
    },
    "service_unavailable": {
        "en": "The service is temporarily unavailable.",
        "zh-CN": "服务暂时不可用。",
        "zh-TW": "服務暫時無法使用。",
    },
    "not_found": {
        "en": "The requested {entity} does not exist.",
        "zh-CN": "请求的{entity}不存在。",
        "zh-TW": "請求的{entity}不存在。",
    },
    "conflict": {
        "en": "The request conflicts with the current state.",
        "zh-CN": "请求与当前状态冲突。",
        "zh-TW": "請求與目前狀態衝突。",
    },
    "validation_failed": {
        "en": "Some fields are invalid.",
        "zh-CN": "部分字段无效。",
        "zh-TW": "部分欄位無效。",
    },
    "required": {
        "en": "This field is required.",
        "zh-CN": "此字段为必填项。",
        "zh-TW": "此欄位為必填。",
    },
    "invalid_cursor": {
        "en": "The pagination cursor is invalid.",
        "zh-CN": "分页游标无效。",
        "zh-TW": "分頁游標無效。",
    },
    "limit_out_of_range": {
        "en": "The limit must be between {min} and {max}.",
        "zh-CN": "每页数量必须在 {min} 到 {max} 之间。",
        "zh-TW": "每頁數量必須在 {min} 到 {max} 之間。",
    },
    # versions and idempotency
    "precondition_required": {
        "en": "Send If-Match with the ETag you last read.",
        "zh-CN": "请在 If-Match 中提供最近读取的 ETag。",
        "zh-TW": "請在 If-Match 中提供最近讀取的 ETag。",
    },
    "stale_version": {
        "en": "Someone changed this record since you read it. Reload and try again.",
        "zh-CN": "该记录在您读取后已被修改，请刷新后重试。",
        "zh-TW": "該記錄在您讀取後已被修改，請重新整理後重試。",
    },
    "idempotency_in_flight": {
        "en": "A request with this Idempotency-Key is still being processed.",
        "zh-CN": "使用该幂等键的请求仍在处理中。",
        "zh-TW": "使用該冪等鍵的請求仍在處理中。",
    },
    "idempotency_key_reused": {
        "en": "This Idempotency-Key was already used with a different request body.",
        "zh-CN": "该幂等键已用于不同的请求内容。",
        "zh-TW": "該冪等鍵已用於不同的請求內容。",
    },
    "invalid_idempotency_key": {
        "en": "The Idempotency-Key must be 1 to 255 printable characters.",
        "zh-CN": "幂等键必须为 1 到 255 个可打印字符。",
        "zh-TW": "冪等鍵必須為 1 到 255 個可列印字元。",
    },
    # authentication
    "authentication_required": {
        "en": "Sign in or send an API key.",
        "zh-CN": "请先登录或提供 API 密钥。",
        "zh-TW": "請先登入或提供 API 金鑰。",
    },
    "authentication_failed": {
        "en": "Authentication failed.",
        "zh-CN": "身份验证失败。",
        "zh-TW": "身分驗證失敗。",
    },
    "invalid_credentials": {
        "en": "The company, email or password is wrong.",
        "zh-CN": "企业标识、邮箱或密码错误。",
        "zh-TW": "企業代號、電子郵件或密碼錯誤。",
    },
    "invalid_token": {
        "en": "The access token is invalid.",
        "zh-CN": "访问令牌无效。",
        "zh-TW": "存取權杖無效。",
    },
    "token_expired": {
        "en": "The access token has expired.",
        "zh-CN": "访问令牌已过期。",
        "zh-TW": "存取權杖已過期。",
    },
    "session_revoked": {
        "en": "This session has ended. Please sign in again.",
        "zh-CN": "会话已结束，请重新登录。",
        "zh-TW": "工作階段已結束，請重新登入。",
    },
    "invalid_refresh_token": {
        "en": "The refresh token is invalid or expired.",
        "zh-CN": "刷新令牌无效或已过期。",
        "zh-TW": "更新權杖無效或已過期。",
    },
    "refresh_token_reused": {
        "en": "This refresh token was already used; the session has been ended for safety.",
        "zh-CN": "刷新令牌已被使用，出于安全考虑会话已终止。",
        "zh-TW": "更新權杖已被使用，基於安全考量工作階段已終止。",
    },
    "invalid_api_key": {
        "en": "The API key is invalid or revoked.",
        "zh-CN": "API 密钥无效或已吊销。",
        "zh-TW": "API 金鑰無效或已撤銷。",
    },
    "rate_limited": {
        "en": "Too many failed attempts. Try again in {retry_after} seconds.",
        "zh-CN": "失败次数过多，请在 {retry_after} 秒后重试。",
        "zh-TW": "失敗次數過多，請在 {retry_after} 秒後重試。",
    },
    "tenant_suspended": {
        "en": "This company's account is suspended. Contact support.",
        "zh-CN": "该企业账户已被暂停，请联系客服。",
        "zh-TW": "該企業帳戶已被暫停，請聯絡客服。",
    },
    # access
    "permission_denied": {
        "en": "You do not have the permission {permission}.",
        "zh-CN": "您没有权限 {permission}。",
        "zh-TW": "您沒有權限 {permission}。",
    },
    "permission_escalation": {
        "en": "You cannot grant permissions you do not hold: {permissions}.",
        "zh-CN": "不能授予您自己没有的权限：{permissions}。",
        "zh-TW": "不能授予您自己沒有的權限：{permissions}。",
    },
    "unknown_permission": {
        "en": "Unknown permissions: {permissions}.",
        "zh-CN": "未知权限：{permissions}。",
        "zh-TW": "未知權限：{permissions}。",
    },
    "unknown_role": {
        "en": "Unknown role: {role}.",
        "zh-CN": "未知角色：{role}。",
        "zh-TW": "未知角色：{role}。",
    },
    "invalid_role_key": {
        "en": "A role key is 2–40 lower-case letters, digits or underscores, starting with a letter.",
        "zh-CN": "角色标识须为 2–40 个小写字母、数字或下划线，并以字母开头。",
        "zh-TW": "角色代號須為 2–40 個小寫字母、數字或底線，並以字母開頭。",
    },
    "role_key_taken": {
        "en": "A role with key {key} already exists.",
        "zh-CN": "角色标识 {key} 已存在。",
        "zh-TW": "角色代號 {key} 已存在。",
    },
    "builtin_role_immutable": {
        "en": "Built-in role {key} cannot be changed or deleted.",
        "zh-CN": "内置角色 {key} 不能修改或删除。",
        "zh-TW": "內建角色 {key} 不能修改或刪除。",
    },
    "role_in_use": {
        "en": "Role {key} is still assigned to users.",
        "zh-CN": "角色 {key} 仍分配给用户。",
        "zh-TW": "角色 {key} 仍指派給使用者。",
    },
    "email_taken": {
        "en": "A user with this email already exists.",
        "zh-CN": "该邮箱的用户已存在。",
        "zh-TW": "該電子郵件的使用者已存在。",
    },
    "invalid_email": {
        "en": "The email address is invalid.",
        "zh-CN": "邮箱地址无效。",
        "zh-TW": "電子郵件地址無效。",
    },
    "password_too_short": {
        "en": "The password must have at least {min} characters.",
        "zh-CN": "密码至少需要 {min} 个字符。",
        "zh-TW": "密碼至少需要 {min} 個字元。",
    },
    # tenants
    "invalid_slug": {
        "en": "A company slug is 3–40 lower-case letters, digits or hyphens.",
        "zh-CN": "企业标识须为 3–40 个小写字母、数字或连字符。",
        "zh-TW": "企業代號須為 3–40 個小寫字母、數字或連字號。",
    },
    "tenant_slug_taken": {
        "en": "The company slug {slug} is taken.",
        "zh-CN": "企业标识 {slug} 已被使用。",
        "zh-TW": "企業代號 {slug} 已被使用。",
    },
    "tenant_already_suspended": {
        "en": "The company is already suspended.",
        "zh-CN": "该企业已处于暂停状态。",
        "zh-TW": "該企業已處於暫停狀態。",
    },
    "tenant_not_suspended": {
        "en": "The company is not suspended.",
        "zh-CN": "该企业未被暂停。",
        "zh-TW": "該企業未被暫停。",
    },
    # money
    "unknown_currency": {
        "en": "Unknown currency {currency}.",
        "zh-CN": "未知币种 {currency}。",
        "zh-TW": "未知幣別 {currency}。",
    },
    "invalid_amount": {
        "en": "The amount is not a valid number.",
        "zh-CN": "金额不是有效数字。",
        "zh-TW": "金額不是有效數字。",
    },
    "currency_mismatch": {
        "en": "Cannot combine {left} with {right}.",
        "zh-CN": "不能将 {left} 与 {right} 混合计算。",
        "zh-TW": "不能將 {left} 與 {right} 混合計算。",
    },
    # customers
    "too_long": {
        "en": "At most {max} characters are allowed.",
        "zh-CN": "最多允许 {max} 个字符。",
        "zh-TW": "最多允許 {max} 個字元。",
    },
    "too_many": {
        "en": "At most {max} entries are allowed.",
        "zh-CN": "最多允许 {max} 项。",
        "zh-TW": "最多允許 {max} 項。",
    },
    "invalid_characters": {
        "en": "This field contains control characters.",
        "zh-CN": "此字段包含控制字符。",
        "zh-TW": "此欄位包含控制字元。",
    },
    "invalid_phone": {
        "en": "The phone number is invalid.",
        "zh-CN": "电话号码无效。",
        "zh-TW": "電話號碼無效。",
    },
    "invalid_postal_code": {
        "en": "The postal code is invalid.",
        "zh-CN": "邮政编码无效。",
        "zh-TW": "郵遞區號無效。",
    },
    "invalid_source_channel": {
        "en": "A source channel is 2–32 lower-case letters, digits or underscores, starting with a letter (e.g. tmall, own_shop).",
        "zh-CN": "来源渠道须为 2–32 个小写字母、数字或下划线，并以字母开头（如 tmall、own_shop）。",
        "zh-TW": "來源管道須為 2–32 個小寫字母、數字或底線，並以字母開頭（如 tmall、own_shop）。",
    },
    "search_needs_one_criterion": {
        "en": "Search by exactly one of q (name), phone or email.",
        "zh-CN": "请仅按 q（姓名）、phone（电话）或 email（邮箱）中的一项搜索。",
        "zh-TW": "請僅依 q（姓名）、phone（電話）或 email（電子郵件）其中一項搜尋。",
    },
    "search_query_too_short": {
        "en": "The search text needs at least one letter, digit or Chinese character.",
        "zh-CN": "搜索内容至少需要一个字母、数字或汉字。",
        "zh-TW": "搜尋內容至少需要一個字母、數字或漢字。",
    },
    # inbox
    "inbox_users_only": {
        "en": "Only signed-in users have an inbox; API keys do not.",
        "zh-CN": "只有登录用户才有站内消息，API 密钥没有。",
        "zh-TW": "只有登入的使用者才有站內訊息，API 金鑰沒有。",
    },
    # webhooks
    "invalid_webhook_url": {
        "en": "The webhook URL is invalid.",
        "zh-CN": "Webhook 地址无效。",
        "zh-TW": "Webhook 網址無效。",
    },
    "webhook_url_not_https": {
        "en": "The webhook URL must use https.",
        "zh-CN": "Webhook 地址必须使用 https。",
        "zh-TW": "Webhook 網址必須使用 https。",
    },
    "webhook_url_credentials": {
        "en": "The webhook URL must not contain a user name or password.",
        "zh-CN": "Webhook 地址不能包含用户名或密码。",
        "zh-TW": "Webhook 網址不能包含使用者名稱或密碼。",
    },
    "webhook_url_forbidden_address": {
        "en": "Webhooks cannot be sent to this address ({reason}): private, loopback and link-local networks are not allowed.",
        "zh-CN": "不能向该地址发送 Webhook（{reason}）：不允许私有、回环和链路本地网络。",
        "zh-TW": "不能向該位址傳送 Webhook（{reason}）：不允許私有、迴路和鏈路本地網路。",
    },
    "invalid_event_type": {
        "en": "Unknown event type format: {types}. Use e.g. customer.updated, customer.* or *.",
        "zh-CN": "事件类型格式无效：{types}。请使用如 customer.updated、customer.* 或 *。",
        "zh-TW": "事件類型格式無效：{types}。請使用如 customer.updated、customer.* 或 *。",
    },
    "invalid_delivery_status": {
        "en": "The status must be one of {allowed}.",
        "zh-CN": "状态必须是以下之一：{allowed}。",
        "zh-TW": "狀態必須是以下之一：{allowed}。",
    },
    "webhook_delivery_pending": {
        "en": "This delivery is still being attempted; only succeeded or dead deliveries can be replayed.",
        "zh-CN": "该投递仍在尝试中，只能重放已成功或已放弃的投递。",
        "zh-TW": "該投遞仍在嘗試中，只能重送已成功或已放棄的投遞。",
    },
    "webhook_endpoint_inactive": {
        "en": "The webhook endpoint is inactive. Activate it before replaying its deliveries.",
        "zh-CN": "该 Webhook 端点已停用，请先启用再重放其投递。",
        "zh-TW": "該 Webhook 端點已停用，請先啟用再重送其投遞。",
    },
    "webhook_delivery_not_claimable": {
        "en": "The delivery cannot be attempted now ({reason}).",
        "zh-CN": "该投递当前无法尝试（{reason}）。",
        "zh-TW": "該投遞目前無法嘗試（{reason}）。",
    },
    # audit sealing and key rotation (PLT-3, PLT-4)
    "audit_chain_diverged": {
        "en": "The audit chain no longer matches its anchor (seq {seq}); sealing stopped. Run `shopkeeper audit verify`.",
        "zh-CN": "审计链与外部锚点不一致（序号 {seq}），已停止封存。请运行 `shopkeeper audit verify`。",
        "zh-TW": "稽核鏈與外部錨點不一致（序號 {seq}），已停止封存。請執行 `shopkeeper audit verify`。",
    },
    "reencryption_in_progress": {
        "en": "A re-encryption (job {job}) has not finished yet; resume it with `shopkeeper keys resume`.",
        "zh-CN": "重新加密任务（{job}）尚未完成，请使用 `shopkeeper keys resume` 继续。",
        "zh-TW": "重新加密工作（{job}）尚未完成，請使用 `shopkeeper keys resume` 繼續。",
    },
    # catalog (docs/catalog.md)
    "attribute_is_variant_axis": {
        "en": "This attribute makes variants; set it on each SKU, not on the product.",
        "zh-CN": "该属性用于区分规格，请在每个 SKU 上设置，而不是在商品上。",
        "zh-TW": "該屬性用於區分規格，請在每個 SKU 上設定，而非在商品上。",
    },
    "attribute_not_variant_axis": {
        "en": "This attribute does not make variants; set it on the product.",
        "zh-CN": "该属性不是规格属性，请在商品上设置。",
        "zh-TW": "該屬性不是規格屬性，請在商品上設定。",
    },
    "category_cycle": {
        "en": "A category cannot move under itself or one of its subcategories.",
        "zh-CN": "分类不能移动到自身或其子分类之下。",
        "zh-TW": "分類不能移動到自身或其子分類之下。",
    },
    "category_name_taken": {
        "en": "A category named {name} already exists at this level.",
        "zh-CN": "同级已存在名为 {name} 的分类。",
        "zh-TW": "同層級已存在名為 {name} 的分類。",
    },
    "channel_inactive": {
        "en": "This sales channel is deactivated.",
        "zh-CN": "该销售渠道已停用。",
        "zh-TW": "該銷售通路已停用。",
    },
    "duplicate": {
        "en": "This value appears more than once.",
        "zh-CN": "该值重复出现。",
        "zh-TW": "該值重複出現。",
    },
    "invalid_attribute_code": {
        "en": "Attribute codes are 1–32 lower-case letters, digits or underscores, starting with a letter.",
        "zh-CN": "属性编码须为 1–32 位小写字母、数字或下划线，并以字母开头。",
        "zh-TW": "屬性代碼須為 1–32 位小寫字母、數字或底線，並以字母開頭。",
    },
    "invalid_barcode": {
        "en": "A barcode is a GTIN (8, 12, 13 or 14 digits) or an internal code of up to 32 letters, digits, '.', '_' or '-'.",
        "zh-CN": "条码须为 GTIN（8、12、13 或 14 位数字），或不超过 32 位由字母、数字、“.”、“_”、“-”组成的内部码。",
        "zh-TW": "條碼須為 GTIN（8、12、13 或 14 位數字），或不超過 32 位由字母、數字、「.」、「_」、「-」組成的內部碼。",
    },
    "invalid_barcode_check_digit": {
        "en": "The barcode's check digit is wrong; please check the number.",
        "zh-CN": "条码校验位错误，请核对条码。",
        "zh-TW": "條碼檢查碼錯誤，請核對條碼。",
    },
    "invalid_boolean": {
        "en": "Enter true or false (yes/no, 1/0 and 是/否 also work).",
        "zh-CN": "请填写 true 或 false（也可填写 是/否、yes/no、1/0）。",
        "zh-TW": "請填寫 true 或 false（也可填寫 是/否、yes/no、1/0）。",
    },
    "invalid_channel_code": {
        "en": "Channel codes are 2–32 lower-case letters, digits or underscores, starting with a letter.",
        "zh-CN": "渠道编码须为 2–32 位小写字母、数字或下划线，并以字母开头。",
        "zh-TW": "通路代碼須為 2–32 位小寫字母、數字或底線，並以字母開頭。",
    },
    "invalid_choice": {
        "en": "Choose one of: {allowed}.",
        "zh-CN": "请从以下选项中选择：{allowed}。",
        "zh-TW": "請從以下選項中選擇：{allowed}。",
    },
    "invalid_code": {
        "en": "Codes are 1–64 letters, digits, '.', '_' or '-', starting with a letter or a digit.",
        "zh-CN": "编码须为 1–64 位字母、数字、“.”、“_”或“-”，并以字母或数字开头。",
        "zh-TW": "代碼須為 1–64 位字母、數字、「.」、「_」或「-」，並以字母或數字開頭。",
    },
    "invalid_number": {
        "en": "Enter a plain number such as 12.5.",
        "zh-CN": "请填写数字，例如 12.5。",
        "zh-TW": "請填寫數字，例如 12.5。",
    },
    "invalid_value": {
        "en": "This value has the wrong type.",
        "zh-CN": "该值的类型不正确。",
        "zh-TW": "該值的類型不正確。",
    },
    "invalid_weight": {
        "en": "The weight must be at least 0 and less than {max} grams.",
        "zh-CN": "重量须不小于 0 且小于 {max} 克。",
        "zh-TW": "重量須不小於 0 且小於 {max} 公克。",
    },
    "lifecycle_not_publishable": {
        "en": "A product in the {lifecycle} state cannot be published.",
        "zh-CN": "处于 {lifecycle} 状态的商品不能上架。",
        "zh-TW": "處於 {lifecycle} 狀態的商品不能上架。",
    },
    "lifecycle_transition_not_allowed": {
        "en": "A product cannot go from {current} to {requested}.",
        "zh-CN": "商品不能从 {current} 变为 {requested}。",
        "zh-TW": "商品不能從 {current} 變為 {requested}。",
    },
    "must_be_after_start": {
        "en": "The end must be after the start.",
        "zh-CN": "结束时间必须晚于开始时间。",
        "zh-TW": "結束時間必須晚於開始時間。",
    },
    "must_not_be_negative": {
        "en": "The value must not be negative.",
        "zh-CN": "数值不能为负数。",
        "zh-TW": "數值不能為負數。",
    },
    "not_applicable": {
        "en": "This field does not apply to {kind}.",
        "zh-CN": "该字段不适用于 {kind}。",
        "zh-TW": "該欄位不適用於 {kind}。",
    },
    "product_archived": {
        "en": "Product {product_code} has been deleted (archived) and cannot change.",
        "zh-CN": "商品 {product_code} 已删除（归档），不能修改。",
        "zh-TW": "商品 {product_code} 已刪除（封存），不能修改。",
    },
    "product_has_no_skus": {
        "en": "The product has no active SKU.",
        "zh-CN": "该商品没有可售的 SKU。",
        "zh-TW": "該商品沒有可售的 SKU。",
    },
    "related_to_itself": {
        "en": "A product cannot be related to itself.",
        "zh-CN": "商品不能关联自身。",
        "zh-TW": "商品不能關聯自身。",
    },
    "reserved_character": {
        "en": "This name may not contain {character}.",
        "zh-CN": "名称中不能包含 {character}。",
        "zh-TW": "名稱中不能包含 {character}。",
    },
    "sku_has_no_price": {
        "en": "SKU {sku} has no price on this channel.",
        "zh-CN": "SKU {sku} 在该渠道没有价格。",
        "zh-TW": "SKU {sku} 在該通路沒有價格。",
    },
    "sku_matrix_too_large": {
        "en": "These choices make {count} SKUs; at most {max} are allowed.",
        "zh-CN": "所选规格将生成 {count} 个 SKU，最多允许 {max} 个。",
        "zh-TW": "所選規格將產生 {count} 個 SKU，最多允許 {max} 個。",
    },
    "sku_matrix_too_many_axes": {
        "en": "The type has {count} variant attributes; at most {max} can make SKUs.",
        "zh-CN": "该类型有 {count} 个规格属性，最多 {max} 个可用于生成 SKU。",
        "zh-TW": "該類型有 {count} 個規格屬性，最多 {max} 個可用於產生 SKU。",
    },
    "product_type_has_no_variant_axes": {
        "en": "The product's type has no variant attributes, so there is no SKU matrix to generate; edit the SKU directly.",
        "zh-CN": "该商品的类型没有规格属性，无法生成 SKU 矩阵；请直接编辑 SKU。",
        "zh-TW": "該商品的類型沒有規格屬性，無法產生 SKU 矩陣；請直接編輯 SKU。",
    },
    "sku_codes_exhausted": {
        "en": "Could not find free SKU codes from this base code; choose another base code.",
        "zh-CN": "无法由该基础编码生成未被占用的 SKU 编码，请换一个基础编码。",
        "zh-TW": "無法由該基礎代碼產生未被佔用的 SKU 代碼，請換一個基礎代碼。",
    },
    "time_zone_required": {
        "en": "The time must include its time zone.",
        "zh-CN": "时间必须包含时区。",
        "zh-TW": "時間必須包含時區。",
    },
    "too_large": {
        "en": "The value must be less than {max}.",
        "zh-CN": "数值必须小于 {max}。",
        "zh-TW": "數值必須小於 {max}。",
    },
    "too_many_decimal_places": {
        "en": "At most {max} decimal places are allowed.",
        "zh-CN": "最多允许 {max} 位小数。",
        "zh-TW": "最多允許 {max} 位小數。",
    },
    "too_many_variant_axes": {
        "en": "{count} variant attributes; at most {max} are allowed.",
        "zh-CN": "规格属性有 {count} 个，最多允许 {max} 个。",
        "zh-TW": "規格屬性有 {count} 個，最多允許 {max} 個。",
    },
    "unknown_attribute": {
        "en": "The product type has no such attribute.",
        "zh-CN": "商品类型中没有该属性。",
        "zh-TW": "商品類型中沒有該屬性。",
    },
    "unknown_membership_tier": {
        "en": "There is no membership tier {tier}.",
        "zh-CN": "不存在会员等级 {tier}。",
        "zh-TW": "不存在會員等級 {tier}。",
    },
    "unknown_sku": {
        "en": "This SKU does not belong to the product.",
        "zh-CN": "该 SKU 不属于此商品。",
        "zh-TW": "該 SKU 不屬於此商品。",
    },
    "unknown_time_zone": {
        "en": "Unknown time zone {zone}.",
        "zh-CN": "未知时区 {zone}。",
        "zh-TW": "未知時區 {zone}。",
    },
    "value_not_allowed": {
        "en": "Choose one of: {allowed}.",
        "zh-CN": "请从以下值中选择：{allowed}。",
        "zh-TW": "請從以下值中選擇：{allowed}。",
    },
    "weight_not_allowed_for_virtual": {
        "en": "Virtual products have no weight.",
        "zh-CN": "虚拟商品没有重量。",
        "zh-TW": "虛擬商品沒有重量。",
    },
    # catalog import (RowError codes)
    "conflicts_with_row": {
        "en": "This differs from the product's first row (row {row}); repeat that value or leave the cell blank.",
        "zh-CN": "与该商品首行（第 {row} 行）的值不同；请填写相同的值或留空。",
        "zh-TW": "與該商品首列（第 {row} 列）的值不同；請填寫相同的值或留空。",
    },
    "requires_sku_code": {
        "en": "This cell needs a SKU code in the same row.",
        "zh-CN": "填写此单元格时，同一行必须填写 SKU 编码。",
        "zh-TW": "填寫此儲存格時，同一列必須填寫 SKU 代碼。",
    },
    "sku_belongs_to_other_product": {
        "en": "This SKU code belongs to product {product_code}.",
        "zh-CN": "该 SKU 编码属于商品 {product_code}。",
        "zh-TW": "該 SKU 代碼屬於商品 {product_code}。",
    },
    "too_many_cells": {
        "en": "This row has more cells than the header's {max} columns.",
        "zh-CN": "该行的单元格多于表头的 {max} 列。",
        "zh-TW": "該列的儲存格多於表頭的 {max} 欄。",
    },
    "unknown_brand": {
        "en": "There is no brand named {name}.",
        "zh-CN": "不存在名为 {name} 的品牌。",
        "zh-TW": "不存在名為 {name} 的品牌。",
    },
    "unknown_category": {
        "en": "There is no category {path}.",
        "zh-CN": "不存在分类 {path}。",
        "zh-TW": "不存在分類 {path}。",
    },
    "unknown_column": {
        "en": "Unknown column.",
        "zh-CN": "未知的列。",
        "zh-TW": "未知的欄位。",
    },
    "unknown_product_type": {
        "en": "There is no product type named {name}.",
        "zh-CN": "不存在名为 {name} 的商品类型。",
        "zh-TW": "不存在名為 {name} 的商品類型。",
    },
    # catalog import and export (CAT-2)
    "export_not_ready": {
        "en": "The export is still running; try again when its job has finished.",
        "zh-CN": "导出仍在进行中，请在任务完成后再试。",
        "zh-TW": "匯出仍在進行中，請在工作完成後再試。",
    },
    "file_empty": {
        "en": "The file has no header row.",
        "zh-CN": "文件没有表头行。",
        "zh-TW": "檔案沒有表頭列。",
    },
    "file_unreadable": {
        "en": "The file cannot be read: CSV must be UTF-8 or GB18030 text, XLSX a valid workbook.",
        "zh-CN": "无法读取文件：CSV 须为 UTF-8 或 GB18030 编码文本，XLSX 须为有效的工作簿。",
        "zh-TW": "無法讀取檔案：CSV 須為 UTF-8 或 GB18030 編碼文字，XLSX 須為有效的活頁簿。",
    },
    "import_already_committed": {
        "en": "This import has already been committed with another choice of valid products only.",
        "zh-CN": "该导入已按另一种“仅导入有效商品”的选择提交。",
        "zh-TW": "該匯入已按另一種「僅匯入有效商品」的選擇提交。",
    },
    "import_has_errors": {
        "en": "The file has {errors} errors; fix them or import the valid products only.",
        "zh-CN": "文件有 {errors} 处错误；请修正，或仅导入有效的商品。",
        "zh-TW": "檔案有 {errors} 處錯誤；請修正，或僅匯入有效的商品。",
    },
    "import_not_checked": {
        "en": "The file is still being checked; commit it when the check has finished.",
        "zh-CN": "文件仍在校验中，请在校验完成后再提交。",
        "zh-TW": "檔案仍在檢查中，請在檢查完成後再提交。",
    },
    "unsupported_file_format": {
        "en": "Upload a file of one of these types: {allowed}.",
        "zh-CN": "请上传以下类型之一的文件：{allowed}。",
        "zh-TW": "請上傳以下類型之一的檔案：{allowed}。",
    },
    # catalog adapters (unique-index violations)
    "brand_name_taken": {
        "en": "A brand named {name} already exists.",
        "zh-CN": "已存在名为 {name} 的品牌。",
        "zh-TW": "已存在名為 {name} 的品牌。",
    },
    "product_type_name_taken": {
        "en": "A product type named {name} already exists.",
        "zh-CN": "已存在名为 {name} 的商品类型。",
        "zh-TW": "已存在名為 {name} 的商品類型。",
    },
    "product_code_taken": {
        "en": "Another product already has the code {product_code}.",
        "zh-CN": "已有其他商品使用编码 {product_code}。",
        "zh-TW": "已有其他商品使用代碼 {product_code}。",
    },
    "sku_code_taken": {
        "en": "Another SKU already has the code {sku_code}.",
        "zh-CN": "已有其他 SKU 使用编码 {sku_code}。",
        "zh-TW": "已有其他 SKU 使用代碼 {sku_code}。",
    },
    "barcode_taken": {
        "en": "Another SKU already has the barcode {barcode}.",
        "zh-CN": "已有其他 SKU 使用条码 {barcode}。",
        "zh-TW": "已有其他 SKU 使用條碼 {barcode}。",
    },
    # catalog media, brand logos, related products (docs/catalog.md, CAT-3, CAT-6, CAT-9)
    "file_too_large": {
        "en": "The file is too large: at most {max_mib} MiB for this kind of file.",
        "zh-CN": "文件过大：此类文件最大 {max_mib} MiB。",
        "zh-TW": "檔案過大：此類檔案最大 {max_mib} MiB。",
    },
    "payload_too_large": {
        "en": "The request body is too large.",
        "zh-CN": "请求内容过大。",
        "zh-TW": "請求內容過大。",
    },
    "unsupported_file_type": {
        "en": "This type of file is not accepted (by its content); accepted: {allowed}.",
        "zh-CN": "不支持此类文件（按文件内容判断）；支持：{allowed}。",
        "zh-TW": "不支援此類檔案（依檔案內容判斷）；支援：{allowed}。",
    },
    "invalid_image": {
        "en": "The image is damaged or not what its format says.",
        "zh-CN": "图片已损坏，或与其格式不符。",
        "zh-TW": "圖片已損毀，或與其格式不符。",
    },
    "image_too_many_pixels": {
        "en": "The image has too many pixels: at most {max_megapixels} megapixels.",
        "zh-CN": "图片像素过多：最多 {max_megapixels} 百万像素。",
        "zh-TW": "圖片像素過多：最多 {max_megapixels} 百萬像素。",
    },
    "unknown_media": {
        "en": "This product has no such image or video.",
        "zh-CN": "该商品没有此图片或视频。",
        "zh-TW": "該商品沒有此圖片或影片。",
    },
    "media_order_mismatch": {
        "en": "The order must list each of the product's {count} images and videos once; reload and try again.",
        "zh-CN": "排序须恰好列出该商品的全部 {count} 个图片和视频各一次；请刷新后重试。",
        "zh-TW": "排序須恰好列出該商品的全部 {count} 個圖片和影片各一次；請重新整理後重試。",
    },
    "unknown_product": {
        "en": "There is no such product.",
        "zh-CN": "不存在该商品。",
        "zh-TW": "不存在該商品。",
    },
    "related_product_archived": {
        "en": "This product has been deleted (archived) and cannot be newly linked.",
        "zh-CN": "该商品已删除（归档），不能新增关联。",
        "zh-TW": "該商品已刪除（封存），不能新增關聯。",
    },
    # catalog channels and prices (docs/catalog.md, "Channels, listings and prices")
    "unknown_channel": {
        "en": "There is no such sales channel.",
        "zh-CN": "不存在该销售渠道。",
        "zh-TW": "不存在該銷售通路。",
    },
    "channel_code_taken": {
        "en": "Another sales channel already has the code {channel_code}.",
        "zh-CN": "已有其他销售渠道使用编码 {channel_code}。",
        "zh-TW": "已有其他銷售通路使用代碼 {channel_code}。",
    },
    "invalid_tier_code": {
        "en": "Tier codes are 1–32 lower-case letters, digits or underscores, starting with a letter.",
        "zh-CN": "会员等级编码须为 1–32 位小写字母、数字或下划线，并以字母开头。",
        "zh-TW": "會員等級代碼須為 1–32 位小寫字母、數字或底線，並以字母開頭。",
    },
    "membership_tier_in_use": {
        "en": "A membership tier that member prices still use cannot be removed; delete those prices first.",
        "zh-CN": "仍有会员价使用的会员等级不能删除，请先删除这些会员价。",
        "zh-TW": "仍有會員價使用的會員等級不能刪除，請先刪除這些會員價。",
    },
    "member_price_taken": {
        "en": "This SKU already has a member price for tier {tier}.",
        "zh-CN": "该 SKU 已有会员等级 {tier} 的会员价。",
        "zh-TW": "該 SKU 已有會員等級 {tier} 的會員價。",
    },
    # catalog product listing filters and revisions of published products (docs/catalog.md,
    # "Product listing with filters", "Revising a published product")
    "invalid_id": {
        "en": "This is not a valid id.",
        "zh-CN": "该 ID 格式不正确。",
        "zh-TW": "該 ID 格式不正確。",
    },
    "invalid_price_range": {
        "en": "The highest price must not be below the lowest price ({min}).",
        "zh-CN": "最高价不能低于最低价（{min}）。",
        "zh-TW": "最高價不能低於最低價（{min}）。",
    },
    "published_product_has_no_skus": {
        "en": "The product is published on sales channel {channel} and must keep at least one active SKU; unpublish it there first.",
        "zh-CN": "商品已在销售渠道 {channel} 上架，必须保留至少一个可售 SKU；请先在该渠道下架。",
        "zh-TW": "商品已在銷售通路 {channel} 上架，必須保留至少一個可售 SKU；請先在該通路下架。",
    },
    "sku_unpriced_on_channel": {
        "en": "SKU {sku} would have no price on sales channel {channel}, where the product "
        "is published: keep its list price or give it a channel price there first.",
        "zh-CN": "商品已在销售渠道 {channel} 上架，SKU {sku} 在该渠道将没有价格："
        "请保留其标价，或先为其设置该渠道的渠道价。",
        "zh-TW": "商品已在銷售通路 {channel} 上架，SKU {sku} 在該通路將沒有價格："
        "請保留其標價，或先為其設定該通路的通路價。",
    },
}

ENTITY_NAMES: dict[str, dict[str, str]] = {
    "resource": {"en": "resource", "zh-CN": "资源", "zh-TW": "資源"},
    "user": {"en": "user", "zh-CN": "用户", "zh-TW": "使用者"},
    "role": {"en": "role", "zh-CN": "角色", "zh-TW": "角色"},
    "api_key": {"en": "API key", "zh-CN": "API 密钥", "zh-TW": "API 金鑰"},
    "tenant": {"en": "company", "zh-CN": "企业", "zh-TW": "企業"},
    "customer": {"en": "customer", "zh-CN": "客户", "zh-TW": "客戶"},
    "job": {"en": "job", "zh-CN": "任务", "zh-TW": "工作"},
    "webhook_endpoint": {
        "en": "webhook endpoint",
        "zh-CN": "Webhook 端点",
        "zh-TW": "Webhook 端點",
    },
    "webhook_delivery": {
        "en": "webhook delivery",
        "zh-CN": "Webhook 投递",
        "zh-TW": "Webhook 投遞",
    },
    "inbox_message": {"en": "message", "zh-CN": "消息", "zh-TW": "訊息"},
    "product": {"en": "product", "zh-CN": "商品", "zh-TW": "商品"},
    "product_version": {"en": "product version", "zh-CN": "商品版本", "zh-TW": "商品版本"},
    "sku": {"en": "SKU", "zh-CN": "SKU", "zh-TW": "SKU"},
    "product_type": {"en": "product type", "zh-CN": "商品类型", "zh-TW": "商品類型"},
    "brand": {"en": "brand", "zh-CN": "品牌", "zh-TW": "品牌"},
    "category": {"en": "category", "zh-CN": "分类", "zh-TW": "分類"},
    # catalog channels and prices
    "sales_channel": {"en": "sales channel", "zh-CN": "销售渠道", "zh-TW": "銷售通路"},
    "member_price": {"en": "member price", "zh-CN": "会员价", "zh-TW": "會員價"},
    "promotion": {"en": "promotional price", "zh-CN": "促销价", "zh-TW": "促銷價"},
    # catalog import and export
    "catalog_import": {"en": "import", "zh-CN": "导入", "zh-TW": "匯入"},
    "catalog_export": {"en": "export", "zh-CN": "导出", "zh-TW": "匯出"},
    # catalog media and brand logos
    "product_media": {"en": "image or video", "zh-CN": "图片或视频", "zh-TW": "圖片或影片"},
    "rendition": {"en": "thumbnail", "zh-CN": "缩略图", "zh-TW": "縮圖"},
    "file": {"en": "file", "zh-CN": "文件", "zh-TW": "檔案"},
    "logo": {"en": "logo", "zh-CN": "标志", "zh-TW": "標誌"},
}


def negotiate(accept_language: str | None) -> str:
    """Pick zh-CN, zh-TW or en from an Accept-Language header (q-values honoured)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = _match(tag.strip())
        if language and quality > 0:
            choices.append((-quality, position, language))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


def _match(tag: str) -> str | None:
    lowered = tag.lower()
    if lowered in ("zh-tw", "zh-hk", "zh-mo", "zh-hant") or lowered.startswith("zh-hant"):
        return "zh-TW"
    if lowered.startswith("zh"):
        return "zh-CN"
    if lowered.startswith("en"):
        return "en"
    return None


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def message(code: str, language: str, **params: Any) -> str:
    texts = MESSAGES.get(code) or MESSAGES["domain_error"]
    if "entity" in params or "{entity}" in texts[language]:
        names = ENTITY_NAMES.get(str(params.get("entity", "resource")), ENTITY_NAMES["resource"])
        params = {**params, "entity": names[language]}
    shown = {k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in params.items()}
    return texts[language].format_map(_Lenient(shown))
