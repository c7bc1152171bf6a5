"""Brands (CAT-6): one file per use case, run through ``UseCases`` (registered in
``bootstrap/modules/catalog.py``). Logos: ``catalog.brand_logos``."""

from application.catalog.brands.create import CreateBrand as CreateBrand
from application.catalog.brands.remove_logo import RemoveLogo as RemoveLogo
from application.catalog.brands.rename import RenameBrand as RenameBrand
from application.catalog.brands.set_logo import CheckLogoChange as CheckLogoChange
from application.catalog.brands.set_logo import SetLogo as SetLogo
