"""The category tree (CAT-4): one file per use case, run through ``UseCases``."""

from application.catalog.categories.change import CategoryChanges as CategoryChanges
from application.catalog.categories.change import ChangeCategory as ChangeCategory
from application.catalog.categories.create import CreateCategory as CreateCategory
from application.catalog.common import KEEP as KEEP
from application.catalog.common import Keep as Keep
