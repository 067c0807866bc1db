"""Receiving an upload (HTTP side): the multipart body streamed through Starlette's parser (python-multipart
underneath; the file part spools to a temporary file, never whole in memory) under the import's own size
limit, then copied to the import folder with the checks of `reader.store`. Runs only after the route's
authorization, so nobody unauthenticated can make the server store anything."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from shopcrm.config import Settings
from shopcrm.core.errors import InvalidInput
from shopcrm.imports import reader
from shopcrm.imports.jobs import file_path
from shopcrm.imports.models import ImportKind

# The multipart envelope around the file (boundaries, part headers, the kind field).
ENVELOPE_BYTES = 64 * 1024
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")

# The request body as OpenAPI states it (the route reads the stream itself, so FastAPI cannot infer it).
OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "title": "ImportUpload",
                    "required": ["file", "kind"],
                    "additionalProperties": False,
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The CSV file: UTF-8, cells separated by commas or semicolons",
                        },
                        "kind": {"type": "string", "enum": [k.value for k in ImportKind]},
                    },
                }
            }
        },
    }
}


@dataclass(frozen=True)
class Stored:
    kind: ImportKind
    filename: str
    file_key: str
    size: int


def _safe_filename(name: str | None) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    return _UNSAFE_NAME.sub("", base).strip()[:255] or "import.csv"


async def receive(request: Request, settings: Settings) -> Stored:
    """Parse the upload and store its file; 413 past `import_max_bytes`, 422 naming a missing or bad field."""
    limit = settings.import_max_bytes
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "multipart/form-data":
        raise InvalidInput("body: send multipart/form-data with the fields file and kind", loc=["body"])
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + ENVELOPE_BYTES:
        raise reader.FileTooLarge(limit)

    async def limited() -> AsyncGenerator[bytes, None]:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit + ENVELOPE_BYTES:
                raise reader.FileTooLarge(limit)
            yield chunk

    parser = MultiPartParser(request.headers, limited(), max_files=1, max_fields=2, max_part_size=1024)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise InvalidInput(f"body: {exc.message}", loc=["body"]) from None
    try:
        upload = form.get("file")
        kind_text = form.get("kind")
        if not isinstance(kind_text, str) or kind_text not in {k.value for k in ImportKind}:
            raise InvalidInput("kind: give customers, orders or products", loc=["body", "kind"])
        if not isinstance(upload, UploadFile):
            raise InvalidInput("file: attach the CSV file as the field `file`", loc=["body", "file"])
        await upload.seek(0)
        key = uuid.uuid4().hex
        size = await asyncio.to_thread(reader.store, upload.file, file_path(settings, key), max_bytes=limit)
        return Stored(ImportKind(kind_text), _safe_filename(upload.filename), key, size)
    finally:
        await form.close()
