"""HTTP for a customer's personal data: the whole of it as JSON, and its erasure. Admins only, audited."""

from __future__ import annotations

from fastapi import APIRouter, Response

from shopcrm.auth.deps import AdminUser
from shopcrm.core.deps import AppSettings, DbSession
from shopcrm.core.params import IdPath
from shopcrm.privacy import service
from shopcrm.privacy.schemas import ErasureOut, ErasureRequest, PersonalData, SuppressionLift

router = APIRouter(prefix="/api/customers", tags=["customers"])


@router.get("/{customer_id}/export", response_model=PersonalData, name="personal_data")
async def personal_data(
    customer_id: IdPath, user: AdminUser, db: DbSession, settings: AppSettings, response: Response
) -> PersonalData:
    """Everything ShopCRM holds about the customer (GDPR article 15) as one JSON document; audited."""
    data = await service.personal_data(db, customer_id=customer_id, settings=settings, actor=user)
    response.headers["Content-Disposition"] = f'attachment; filename="customer-{customer_id}-personal-data.json"'
    return data


@router.post("/{customer_id}/erase", response_model=ErasureOut, name="erase")
async def erase(
    customer_id: IdPath, body: ErasureRequest, user: AdminUser, db: DbSession, settings: AppSettings
) -> ErasureOut:
    """Erase the person's identifying data for good (GDPR article 17); orders stay as anonymous figures.
    `confirm` must be the customer's email. Audited."""
    return await service.erase(db, customer_id=customer_id, confirm=body.confirm, settings=settings, actor=user)


@router.post("/suppressions/lift", status_code=204, name="lift_suppression")
async def lift_suppression(body: SuppressionLift, user: AdminUser, db: DbSession) -> Response:
    """Take an erased person's email off the suppression list, when they ask to be a customer again; a customer
    can then be created with it. 404 when it is not on the list. Admins only, audited (without the email)."""
    await service.lift_suppression(db, email=body.email, actor=user)
    return Response(status_code=204)
