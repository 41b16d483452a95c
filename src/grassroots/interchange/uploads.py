"""The upload handler that keeps an oversized file off the disk (``settings.FILE_UPLOAD_HANDLERS``).

Django streams an upload to a temporary file; this handler, first in the list, counts its bytes
and skips the file as soon as it passes ``IMPORT_MAX_UPLOAD_BYTES``: the rest of the file is read
and thrown away (not stored), and ``request.upload_refused`` holds the Vietnamese message
the upload form shows.
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from grassroots import policy
from grassroots.interchange.limits import upload_message


class LimitedUploadHandler(FileUploadHandler):
    """Refuses a file past ``IMPORT_MAX_UPLOAD_BYTES`` while it arrives."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = policy.get("IMPORT_MAX_UPLOAD_BYTES")
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                message = upload_message(self.file_name or "", self.limit)
                setattr(self.request, "upload_refused", message)  # noqa: B010 (read by the view)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None
