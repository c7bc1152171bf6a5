"""The category tree (CAT-4): one file per use case, run through ``UseCases``."""

from application.catalog.categories.change import KEEP as KEEP
from application.catalog.categories.change import CategoryChanges as CategoryChanges
from application.catalog.categories.change import ChangeCategory as ChangeCategory
from application.catalog.categories.change import Keep as Keep
from application.catalog.categories.create import CreateCategory as CreateCategory
