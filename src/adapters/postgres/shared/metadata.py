"""The one SQLAlchemy MetaData every module's tables.py describes its tables on."""

from __future__ import annotations

from sqlalchemy import MetaData

metadata = MetaData()
