"""Product media (CAT-3): one file per use case, gathered by ``MediaService``."""

from application.catalog.media.common import Upload
from application.catalog.media.service import MediaService

__all__ = ["MediaService", "Upload"]
