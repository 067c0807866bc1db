"""HTTP for imports: presets and fields, upload, start, progress, cancel and the error file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import StreamingResponse

from shopcrm.auth.deps import CurrentUser, WriterUser
from shopcrm.core.deps import AppDatabase, AppSettings, DbSession, ReadSession
from shopcrm.core.engines import capabilities_of
from shopcrm.core.params import IdPath
from shopcrm.core.types import MAX_ID
from shopcrm.imports import service, upload
from shopcrm.imports.models import ImportKind
from shopcrm.imports.schemas import ImportDetail, ImportFieldOut, ImportList, ImportOut, ImportPresetOut, ImportStart

router = APIRouter(prefix="/api/imports", tags=["imports"])


@router.get("/presets", response_model=list[ImportPresetOut], name="presets")
async def presets(_: CurrentUser) -> list[ImportPresetOut]:
    return service.presets()


@router.get("/fields", response_model=list[ImportFieldOut], name="fields")
async def fields(kind: Annotated[ImportKind, Query()], _: CurrentUser) -> list[ImportFieldOut]:
    return service.fields(kind)


@router.post(
    "",
    response_model=ImportDetail,
    status_code=status.HTTP_201_CREATED,
    name="upload",
    openapi_extra=upload.OPENAPI_BODY,
)
async def upload_file(request: Request, user: WriterUser, db: DbSession, settings: AppSettings) -> ImportDetail:
    # The login check's bookkeeping is committed first: no transaction stays open while a large file arrives.
    await db.commit()
    stored = await upload.receive(request, settings)
    imp, preview = await service.create_import(
        db,
        settings=settings,
        kind=stored.kind,
        filename=stored.filename,
        file_key=stored.file_key,
        size=stored.size,
        user=user,
    )
    out = service.to_out(imp, {user.id: user.full_name or user.email})
    return ImportDetail(**out.model_dump(), preview=preview)


@router.get("", response_model=ImportList, name="list")
async def list_imports(
    _: CurrentUser,
    db: ReadSession,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only imports older than this id")] = None,
) -> ImportList:
    items, total = await service.list_imports(db, limit=limit, before=before)
    names = await service.user_names(db, items)
    return ImportList(items=[service.to_out(i, names) for i in items], total=total)


@router.get("/{import_id:int}", response_model=ImportDetail, name="get")
async def get_import(import_id: IdPath, _: CurrentUser, db: ReadSession, settings: AppSettings) -> ImportDetail:
    return await service.detail(db, await service.get_import(db, import_id), settings)


@router.post("/{import_id:int}/start", response_model=ImportOut, status_code=status.HTTP_202_ACCEPTED, name="start")
async def start_import(
    import_id: IdPath, body: ImportStart, request: Request, user: WriterUser, db: DbSession
) -> ImportOut:
    imp = await service.start_import(db, import_id=import_id, body=body, user=user)
    out = service.to_out(imp, await service.user_names(db, [imp]))
    await db.commit()  # queued for good before the runner of this process is told to look
    runner = request.app.state.import_runner
    if runner is not None:
        runner.wake()
    return out


@router.post("/{import_id:int}/cancel", response_model=ImportOut, status_code=status.HTTP_202_ACCEPTED, name="cancel")
async def cancel_import(import_id: IdPath, _: WriterUser, db: DbSession) -> ImportOut:
    imp = await service.cancel_import(db, import_id=import_id)
    return service.to_out(imp, await service.user_names(db, [imp]))


@router.get(
    "/{import_id:int}/errors.csv",
    name="errors_csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "row,column,value,reason: one line per problem"}},
)
async def errors_csv(import_id: IdPath, _: CurrentUser, db: ReadSession, database: AppDatabase) -> StreamingResponse:
    await service.get_import(db, import_id)  # a 404 before anything streams
    isolation = capabilities_of(database.read_engine).streaming_isolation

    async def body() -> AsyncIterator[str]:
        async with database.read_engine.connect() as conn:
            conn = await conn.execution_options(isolation_level=isolation)
            async with conn.begin():
                async for chunk in service.errors_csv(conn, import_id):
                    yield chunk

    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="import-{import_id}-errors.csv"'},
    )
