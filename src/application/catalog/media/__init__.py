"""Product media (CAT-3): one file per use case, run through ``UseCases``; the steps that
handle stored files (upload, delete, serve) are ``MediaService``."""

from application.catalog.media.change_alt_text import ChangeAltText as ChangeAltText
from application.catalog.media.common import Upload as Upload
from application.catalog.media.delete import DeleteMedia as DeleteMedia
from application.catalog.media.queries import GetMedia as GetMedia
from application.catalog.media.queries import ListMedia as ListMedia
from application.catalog.media.reorder import ReorderMedia as ReorderMedia
from application.catalog.media.service import MediaService as MediaService
from application.catalog.media.upload import CheckMediaUpload as CheckMediaUpload
from application.catalog.media.upload import UploadMedia as UploadMedia
