"""One size limit for every upload (AMBITION_UPLOAD_MAX_MB), enforced while the upload
streams: the handler counts a file's bytes as they arrive and, past the limit, drops the
rest and deletes what the other handlers had kept of it, so nothing over the limit is
ever written. The form then sees a `RefusedUpload` and says which limit it broke."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

MB = 1 << 20


def upload_limit_mb() -> int:
    return int(settings.UPLOAD_MAX_MB)


def too_large(limit_mb: int) -> str:
    return (
        f"The file is larger than {limit_mb:,} MB; the limit is {limit_mb:,} MB. "
        "Split it into smaller files, or compress it (.csv.gz)."
    )


class RefusedUpload(UploadedFile):
    """What is left of an upload over the limit: its name and nothing else. Any form's
    FileField that reads its size gets the refusal as its error, not an empty file."""

    def __init__(self, name: str, limit_mb: int) -> None:
        super().__init__(io.BytesIO(b""), name=name, size=0)
        self.refusal = too_large(limit_mb)

    @property
    def size(self) -> int:
        raise ValidationError(self.refusal, code="too_large")

    @size.setter
    def size(self, value: int) -> None:
        pass


class UploadLimitHandler(FileUploadHandler):
    """First of the upload handlers: passes each chunk on until the file passes the limit,
    then drops the rest and hands back a `RefusedUpload`."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.limit_mb = upload_limit_mb()
        self.refused = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if not self.refused and start + len(raw_data) > self.limit_mb * MB:
            self.refused = True
            self._discard_kept()
        return None if self.refused else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.refused:
            return RefusedUpload(self.file_name or "", self.limit_mb)
        return None  # the next handler returns the file it kept

    def _discard_kept(self) -> None:
        """Close what the later handlers kept of this file: a temporary file is deleted
        when it closes."""
        handlers = list(getattr(self.request, "upload_handlers", []))
        for handler in handlers[handlers.index(self) + 1 :] if self in handlers else []:
            kept = getattr(handler, "file", None)
            if kept is not None:
                kept.close()
