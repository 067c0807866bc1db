"""HTTP for segments: the field catalog, previews, CRUD, members (page and CSV), explanations, changes, and
the segments a customer is in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import StreamingResponse

from shopcrm.auth.deps import CurrentUser, WriterUser
from shopcrm.core.deps import AppDatabase, AppSettings, Cursors, DbSession, ReadSession
from shopcrm.core.errors import AppError, NotFound
from shopcrm.core.params import IdPath
from shopcrm.customers import service as customers_service
from shopcrm.customers.schemas import CustomerListQuery, CustomerPage
from shopcrm.db import utcnow
from shopcrm.segments import explain as explain_module
from shopcrm.segments import service
from shopcrm.segments.deps import ReadableSegment
from shopcrm.segments.models import SegmentMember
from shopcrm.segments.schemas import (
    ChangesQuery,
    CustomerSegments,
    ExplainOut,
    FieldCatalog,
    PreviewIn,
    PreviewOut,
    SegmentChanges,
    SegmentIn,
    SegmentList,
    SegmentOut,
)

router = APIRouter(prefix="/api/segments", tags=["segments"])


class MethodNotAllowed(AppError):
    status_code = 405
    code = "method_not_allowed"


# /fields and /preview sit beside /{segment_id}: without these, DELETE /api/segments/fields would reach the
# DELETE of a segment and be refused as a bad id (422) instead of a method this path does not have (405).
@router.get("/preview", include_in_schema=False)
async def _preview_is_post_only(_: CurrentUser) -> None:
    raise MethodNotAllowed("GET is not allowed here", headers={"Allow": "POST"})


@router.api_route("/preview", methods=["PUT", "DELETE"], include_in_schema=False)
async def _preview_is_post_only_writes(_: WriterUser) -> None:
    raise MethodNotAllowed("This method is not allowed here", headers={"Allow": "POST"})


@router.api_route("/fields", methods=["PUT", "DELETE"], include_in_schema=False)
async def _fields_is_get_only(_: WriterUser) -> None:
    raise MethodNotAllowed("This method is not allowed here", headers={"Allow": "GET"})


# The segments a customer is in: segments sit above customers, so this customer route is served here.
customer_segments_router = APIRouter(prefix="/api/customers", tags=["customers"])


@router.get("/fields", response_model=FieldCatalog, name="fields")
async def field_catalog(_: CurrentUser, db: ReadSession) -> FieldCatalog:
    return await service.field_catalog(db)


@router.post("/preview", response_model=PreviewOut, name="preview")
async def preview(body: PreviewIn, _: CurrentUser, db: ReadSession, settings: AppSettings) -> PreviewOut:
    # Any signed-in user: a preview writes nothing (saving stays with writers).
    group = service.parse_rules(body.rules)
    return await service.preview(db, group=group, settings=settings, now=utcnow())


@router.get("", response_model=SegmentList, name="list")
async def list_segments(_: CurrentUser, db: ReadSession) -> SegmentList:
    items = await service.list_segments(db)
    return SegmentList(items=items, total=len(items))


@router.post("", response_model=SegmentOut, status_code=status.HTTP_201_CREATED, name="create")
async def create_segment(body: SegmentIn, _: WriterUser, db: DbSession) -> SegmentOut:
    segment = await service.create_segment(db, data=body)
    return await service.segment_out(db, segment)


@router.get("/{segment_id}", response_model=SegmentOut, name="get")
async def get_segment(_: CurrentUser, segment: ReadableSegment, db: ReadSession) -> SegmentOut:
    return await service.segment_out(db, segment)


@router.put("/{segment_id}", response_model=SegmentOut, name="update")
async def update_segment(segment_id: IdPath, body: SegmentIn, _: WriterUser, db: DbSession) -> SegmentOut:
    segment = await service.update_segment(db, segment_id=segment_id, data=body)
    return await service.segment_out(db, segment)


@router.delete("/{segment_id}", status_code=status.HTTP_204_NO_CONTENT, name="delete")
async def delete_segment(segment_id: IdPath, _: WriterUser, db: DbSession) -> Response:
    await service.delete_segment(db, segment_id=segment_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{segment_id}/customers", response_model=CustomerPage, name="members")
async def list_members(
    _: CurrentUser,
    segment: ReadableSegment,
    query: Annotated[CustomerListQuery, Query()],
    db: ReadSession,
    settings: AppSettings,
    cursors: Cursors,
) -> CustomerPage:
    page, total, exact = await service.list_members(
        db, segment_id=segment.id, query=query, settings=settings, cursors=cursors
    )
    return CustomerPage(
        items=[customers_service.to_out(row.Customer, settings) for row in page.rows],
        total=total,
        total_exact=exact,
        limit=query.limit,
        next_cursor=page.next_cursor,
        prev_cursor=page.prev_cursor,
    )


@router.get(
    "/{segment_id}/customers.csv",
    name="members_csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "Every member, one customer a line"}},
)
async def members_csv(_: CurrentUser, segment: ReadableSegment, database: AppDatabase) -> StreamingResponse:
    segment_id = segment.id  # read now: the request's session ends before the body is streamed

    async def lines() -> AsyncIterator[str]:
        # Its own session: the request's ends before the body is streamed.
        async with database.read_sessionmaker() as session:
            try:
                async for chunk in service.members_csv(session, segment_id=segment_id):
                    yield chunk
            finally:
                await session.rollback()

    filename = f"segment-{segment_id}-members.csv"
    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/{segment_id}/explain/{customer_id}", response_model=ExplainOut, name="explain")
async def explain(
    _: CurrentUser, segment: ReadableSegment, customer_id: IdPath, db: ReadSession, settings: AppSettings
) -> ExplainOut:
    group = await service.segment_tree(db, segment)
    now = utcnow()
    tree = await explain_module.explain(db, group=group, customer_id=customer_id, ctx=service.context(settings, now))
    if tree is None:
        raise NotFound("No such customer")
    member = await db.get(SegmentMember, (segment.id, customer_id)) is not None
    return ExplainOut(
        customer_id=customer_id, segment_id=segment.id, matches=tree.passed, member=member, evaluated_at=now, tree=tree
    )


@router.get("/{segment_id}/changes", response_model=SegmentChanges, name="changes")
async def changes(
    _: CurrentUser, segment: ReadableSegment, query: Annotated[ChangesQuery, Query()], db: ReadSession
) -> SegmentChanges:
    return await service.membership_changes(db, segment_id=segment.id, since=query.since, now=utcnow())


@customer_segments_router.get("/{customer_id}/segments", response_model=CustomerSegments, name="segments")
async def customer_segments(customer_id: IdPath, _: CurrentUser, db: ReadSession) -> CustomerSegments:
    return CustomerSegments(items=await service.customer_segments(db, customer_id=customer_id))
