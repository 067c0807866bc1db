"""Loaders the segment routes share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shopcrm.core.deps import ReadSession
from shopcrm.core.params import IdPath
from shopcrm.segments import service
from shopcrm.segments.models import Segment


async def segment_for_reading(segment_id: IdPath, db: ReadSession) -> Segment:
    """The segment named in the path, read on the read session; 404 when there is none."""
    return await service.get_segment(db, segment_id)


ReadableSegment = Annotated[Segment, Depends(segment_for_reading)]
