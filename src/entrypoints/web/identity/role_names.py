"""The built-in roles' names in the page's language (``customer_service`` is "客服" /
"Customer service"), by message id (literal, so ``make messages`` finds them): a built-in
role is stored under its key, so the key was its only name. A custom role keeps the name
its company gave it."""

from __future__ import annotations

ROLE_NAMES = {
    "owner": "roles.builtin_owner",
    "admin": "roles.builtin_admin",
    "finance": "roles.builtin_finance",
    "warehouse": "roles.builtin_warehouse",
    "customer_service": "roles.builtin_customer_service",
    "marketing": "roles.builtin_marketing",
    "purchasing": "roles.builtin_purchasing",
    "hr": "roles.builtin_hr",
    "staff": "roles.builtin_staff",
}
