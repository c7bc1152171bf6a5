"""Member prices (CAT-10): one file per use case, run through ``UseCases``."""

from application.catalog.member_prices.change import ChangeMemberPrice as ChangeMemberPrice
from application.catalog.member_prices.common import load_sku as load_sku
from application.catalog.member_prices.create import CreateMemberPrice as CreateMemberPrice
from application.catalog.member_prices.delete import DeleteMemberPrice as DeleteMemberPrice
from application.catalog.member_prices.queries import GetMemberPrice as GetMemberPrice
from application.catalog.member_prices.queries import MemberPricesOfSku as MemberPricesOfSku
