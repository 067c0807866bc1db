"""The shopcrm command, run as a user would, against a migrated SQLite file."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from shopcrm.db import Database
from shopcrm.main import create_app
from tests.conftest import make_settings


def run(args: list[str], env_url: str, cwd: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    env = {"DATABASE_URL": env_url, "PATH": "/usr/bin:/bin", "SHOPCRM_LOG_JSON": "false"}
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "shopcrm.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kw,  # type: ignore[call-overload]
    )


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"


def test_migrate_create_user_and_token(url: str, tmp_path: Path):
    assert run(["migrate"], url, tmp_path).returncode == 0
    created = run(
        ["create-user", "--email", "Boss@Example.com", "--name", "Boss", "--password", "a-long-password"], url, tmp_path
    )
    assert created.returncode == 0, created.stderr
    assert "created with role admin" in created.stdout
    again = run(["create-user", "--email", "boss@example.com", "--password", "a-long-password"], url, tmp_path)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    short = run(["create-user", "--email", "x@example.com", "--password", "short"], url, tmp_path)
    assert short.returncode == 1
    assert "at least 10" in short.stderr
    for trivial in ("          ", "aaaaaaaaaa", "1234567890"):
        weak = run(["create-user", "--email", "x@example.com", "--password", trivial], url, tmp_path)
        assert weak.returncode == 1
        assert "create-user: password: " in weak.stderr
        assert "Too easy to guess" in weak.stderr or "only spaces" in weak.stderr
    token = run(["create-token", "--email", "boss@example.com", "--name", "nightly"], url, tmp_path)
    assert token.returncode == 0, token.stderr
    assert token.stdout.strip().startswith("scrm_")


async def test_set_password_for_a_lost_admin_password(url: str, tmp_path: Path):
    assert run(["migrate"], url, tmp_path).returncode == 0
    old = "tulip-orbit-quarry-47"
    made = run(["create-user", "--email", "boss@example.com", "--password", old], url, tmp_path)
    assert made.returncode == 0, made.stderr
    # The real app on the CLI's database, to log in with whatever password the CLI set.
    database = Database(make_settings(url), null_pool=True)
    app = create_app(make_settings(url), database)
    browser = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")

    async def log_in(password: str) -> int:
        response = await browser.post("/api/auth/login", json={"email": "boss@example.com", "password": password})
        return response.status_code

    try:
        unknown = run(["set-password", "--email", "nobody@example.com", "--password", "x"], url, tmp_path)
        assert unknown.returncode == 1
        assert "set-password: no user with the email nobody@example.com" in unknown.stderr
        weak = run(["set-password", "--email", "boss@example.com", "--password", "1234567890"], url, tmp_path)
        assert weak.returncode == 1
        assert "set-password: password: Too easy to guess. This is a top-100 common password." in weak.stderr
        assert await log_in(old) == 200
        assert (await browser.get("/api/auth/me")).status_code == 200

        # Typed twice at a hidden prompt when --password is absent.
        new = "violet-harbor-engine-82"
        prompted = run(["set-password", "--email", "BOSS@example.com"], url, tmp_path, input=f"{new}\n{new}\n")
        assert prompted.returncode == 0, prompted.stderr
        assert "password of BOSS@example.com set; their browser sessions ended" in prompted.stdout
        assert new not in prompted.stdout
        assert (await browser.get("/api/auth/me")).status_code == 401  # the session from before is gone
        assert await log_in(old) == 401
        assert await log_in(new) == 200
    finally:
        await browser.aclose()
        await database.dispose()


def test_demo_login_creates_an_admin_once(url: str, tmp_path: Path):
    assert run(["migrate"], url, tmp_path).returncode == 0
    first = run(["demo-login"], url, tmp_path)
    assert first.returncode == 0, first.stderr
    saved = (tmp_path / "data" / "demo-login.txt").read_text()
    assert "admin@shopcrm.local" in saved
    assert saved.split("password: ")[1].strip() in first.stdout
    assert oct((tmp_path / "data" / "demo-login.txt").stat().st_mode & 0o777) == "0o600"
    second = run(["demo-login"], url, tmp_path)
    assert second.stdout == first.stdout  # no second admin, same login shown


def test_openapi_command_prints_the_document(url: str, tmp_path: Path):
    out = run(["openapi"], url, tmp_path)
    assert out.returncode == 0
    assert '"auth-login"' in out.stdout


def _latest_order_day(db_file: Path) -> str:
    with sqlite3.connect(db_file) as conn:
        (latest,) = conn.execute("SELECT max(placed_at) FROM orders").fetchone()
    return str(latest)[:10]


def test_refresh_stats_computes_and_stores_the_fifths(url: str, tmp_path: Path):
    assert run(["migrate"], url, tmp_path).returncode == 0
    done = run(["refresh-stats"], url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "RFM fifths over 0 customers with orders" in done.stdout
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        assert conn.execute("SELECT count(*) FROM customer_statistics").fetchone() == (1,)


def test_demo_data_ends_today_unless_given_an_anchor(tmp_path: Path):
    """Insights use the real clock, so demo history anchored to a fixed day aged every day after it."""
    today = dt.datetime.now(dt.UTC).date()
    fresh, fixed = tmp_path / "fresh", tmp_path / "fixed"
    for folder, extra in ((fresh, []), (fixed, ["--anchor", "2025-03-01"])):
        folder.mkdir()
        url = f"sqlite+aiosqlite:///{folder / 'demo.db'}"
        assert run(["migrate"], url, folder).returncode == 0
        loaded = run(["demo-data", "--size", "small", *extra], url, folder)
        assert loaded.returncode == 0, loaded.stderr
        assert " in 0.0 s" not in loaded.stdout  # no phase claims to be done before its rows are written
        assert "customer statistics: RFM fifths over" in loaded.stdout  # ranked right after loading
    latest = dt.date.fromisoformat(_latest_order_day(fresh / "demo.db"))
    assert today - dt.timedelta(days=3) <= latest < today
    assert _latest_order_day(fixed / "demo.db") == "2025-02-28"
    bad = run(["demo-data", "--anchor", "yesterday"], f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", tmp_path)
    assert bad.returncode == 2
    assert "YYYY-MM-DD" in bad.stderr
    bad_size = run(["demo-data", "--size", "huge"], f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", tmp_path)
    assert bad_size.returncode == 2
    assert "small, medium or large" in bad_size.stderr
    # the load ends with ANALYZE: the planner has statistics for the demo tables
    with sqlite3.connect(fixed / "demo.db") as conn:
        analyzed = {row[0] for row in conn.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
    assert {"customers", "orders", "order_items", "order_status_events", "products"} <= analyzed


def test_worker_once_refreshes_the_segments_that_are_due(url: str, tmp_path: Path):
    assert run(["migrate"], url, tmp_path).returncode == 0
    path = url.split(":///", 1)[1]
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO customers (first_name, last_name, email, total_spend, total_orders) "
            "VALUES ('Ada', 'L', 'ada@example.com', 700, 2), ('Bo', 'M', 'bo@example.com', 10, 1)"
        )
        conn.execute("INSERT INTO segments (name, criteria_logic) VALUES ('Spenders', 'and')")
        conn.execute(
            "INSERT INTO segment_rules (segment_id, field, operator, value) VALUES (1, 'total_spend', '>=', '\"500\"')"
        )
    done = run(["worker", "--once"], url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 segment(s) refreshed" in done.stdout
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT member_count FROM segments").fetchone() == (1,)
        assert conn.execute("SELECT kind FROM segment_membership_events").fetchall() == [("joined",)]
    again = run(["worker", "--once"], url, tmp_path)
    assert "0 segment(s) refreshed" in again.stdout
