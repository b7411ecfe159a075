"""Uploaded import files: a size limit enforced before the body is read, and a short-lived
server-side store so that the file shown in the dry-run report is the one committed.

The file is kept under VAR_DIR/imports with a random name; the page carries only a signed
token (the name and the uploader's id), valid for an hour.
"""

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

TOKEN_SALT = "clusterbridge.interop.upload"
TOKEN_MAX_AGE = 3600
# Room for the other form fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


class UploadRefused(ValueError):
    pass


class UploadTooLarge(UploadRefused):
    pass


def limit_text() -> str:
    return f"{settings.IMPORT_MAX_BYTES / 1_048_576:.0f} MB"


def too_large_message(size: int | None = None) -> str:
    told = f" ({size / 1_048_576:.0f} MB)" if size else ""
    return (
        f"The file is too large{told}: imports are limited to {limit_text()}. Split it, "
        "or import it with the import_calls command on the server. Nothing was imported."
    )


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an uploaded file as soon as it passes the limit."""

    def __init__(self, request=None, limit: int = 0):
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def guard_request_size(request) -> SizeLimitHandler:
    """Call before request.POST or request.FILES is touched (the view must be csrf_exempt
    on the outside and csrf_protect inside, so that CSRF does not parse the body first).
    Refuses by the declared length without reading the body."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(declared)
    except ValueError:
        length = 0
    if length > settings.IMPORT_MAX_BYTES + FORM_OVERHEAD:
        raise UploadTooLarge(too_large_message(length))
    handler = SizeLimitHandler(request, settings.IMPORT_MAX_BYTES)
    request.upload_handlers.insert(0, handler)
    return handler


def read_upload(uploaded, handler: SizeLimitHandler) -> bytes:
    if handler.exceeded or (uploaded is not None and uploaded.size > settings.IMPORT_MAX_BYTES):
        raise UploadTooLarge(too_large_message(getattr(uploaded, "size", None)))
    if uploaded is None:
        raise UploadRefused("Choose a file to import.")
    return b"".join(uploaded.chunks())


# Store ---------------------------------------------------------------------------------------
def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _prune(folder: Path, older_than: int = 24 * 3600) -> None:
    limit = time.time() - older_than
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass


def keep(raw: bytes, user, *, name: str, kind: str, extra: dict | None = None) -> str:
    """Store an upload for its commit; returns the signed token naming it."""
    folder = _folder()
    _prune(folder)
    key = secrets.token_urlsafe(24)
    (folder / f"{key}.upload").write_bytes(raw)
    payload = {**(extra or {}), "key": key, "user": user.pk, "name": name[:200], "kind": kind}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def open_kept(token: str, user, *, kind: str) -> tuple[bytes, dict]:
    """The stored bytes and the token's payload; refused if forged, expired or someone else's."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise UploadRefused("This preview has expired: upload the file again.") from None
    except signing.BadSignature:
        raise UploadRefused("This preview is not valid: upload the file again.") from None
    if payload.get("user") != user.pk or payload.get("kind") != kind:
        raise UploadRefused("This preview is not valid: upload the file again.")
    path = _folder() / f"{payload['key']}.upload"
    if not path.is_file():
        raise UploadRefused("This file was already imported or has expired: upload it again.")
    return path.read_bytes(), payload


def discard(payload: dict) -> None:
    (_folder() / f"{payload['key']}.upload").unlink(missing_ok=True)
