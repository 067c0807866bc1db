"""GET /api/audit-log on both engines: admins only, newest first, keyset pages, one action at a time."""

from __future__ import annotations

from sqlalchemy import select

from shopcrm.audit import service
from shopcrm.auth.models import Role, User
from shopcrm.db import Database


async def test_pages_newest_first_filtered_by_action(app_client, database: Database, make_user):
    admin = await make_user(Role.admin)
    headers = {"Authorization": f"Bearer {admin.token}"}
    async with database.transaction() as session:
        user = await session.scalar(select(User).where(User.email == admin.email))
        for n in range(7):
            await service.record(
                session,
                actor=user if n % 2 else None,
                action="import.start" if n % 3 == 0 else "customer.export",
                target_type="customer",
                target_id=n + 1,
                row_count=n,
                details={"n": n},
            )
    seen = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await app_client.get("/api/audit-log", params=params, headers=headers)).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [e["row_count"] for e in seen] == [6, 5, 4, 3, 2, 1, 0]
    assert seen[1]["actor_email"] == admin.email
    assert seen[0]["actor_email"] is None
    assert seen[0]["details"] == {"n": 6}
    imports = (await app_client.get("/api/audit-log", params={"action": "import.start"}, headers=headers)).json()
    assert [e["row_count"] for e in imports["items"]] == [6, 3, 0]
    for params in ({"cursor": "forged.cursor"}, {"action": "DROP TABLE"}, {"limit": "0"}, {"limit": "10**9"}):
        bad = await app_client.get("/api/audit-log", params=params, headers=headers)
        assert bad.status_code == 422, bad.text
    viewer = await make_user(Role.viewer)
    assert (
        await app_client.get("/api/audit-log", headers={"Authorization": f"Bearer {viewer.token}"})
    ).status_code == 403
    assert (await app_client.get("/api/audit-log")).status_code == 401
