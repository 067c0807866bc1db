"""The `shopcrm` command: serve, migrate, demo-data, refresh-stats, create-user, set-password, create-token,
openapi."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import secrets
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from shopcrm.auth import service as auth_service
from shopcrm.auth.models import Role
from shopcrm.config import get_settings
from shopcrm.core.errors import AppError, NotFound
from shopcrm.db import Database

cli = typer.Typer(help="ShopCRM: customer data and marketing automation for online stores.", no_args_is_help=True)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Serve the API and the built web app on one port."""
    import uvicorn

    uvicorn.run(
        "shopcrm.main:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # The app reads X-Forwarded-For itself, from SHOPCRM_TRUSTED_PROXIES only (uvicorn's own default
        # would believe any local process that sent the header).
        proxy_headers=False,
        log_config=None,
    )


@cli.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Upgrade the database schema (creates the SQLite file if needed)."""
    from shopcrm.migrate import upgrade

    upgrade(get_settings().database_url, revision)
    typer.echo(f"database migrated to {revision}")


@cli.command("demo-data")
def demo_data(
    size: Annotated[
        str,
        typer.Option(
            help="small (2k customers), medium (100k customers, 500k orders) or large (1M customers, PostgreSQL)"
        ),
    ] = "small",
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data")] = 42,
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Do nothing when the database has data")] = False,
    anchor: Annotated[
        str | None,
        typer.Option(help="The data ends at this UTC day (YYYY-MM-DD), for reproducible runs; default: today"),
    ] = None,
) -> None:
    """Load deterministic, realistic demo data into an empty database.

    The history ends today, so a fresh install shows recent orders and live "last 30 days" figures; the
    same seed and anchor give the same data."""
    from shopcrm.demo import DemoDataError, has_data, load_demo_data

    sizes: dict[str, Literal["small", "medium", "large"]] = {"small": "small", "medium": "medium", "large": "large"}
    if size not in sizes:
        raise typer.BadParameter("size must be small, medium or large", param_hint="--size")
    chosen = sizes[size]
    ends_at = _demo_anchor(anchor)

    async def run() -> None:
        database = Database(get_settings(), null_pool=True)
        try:
            if if_empty and await has_data(database):
                typer.echo("demo data: the database already has data; left as it is")
                return
            # The progress lines end with the report's summary.
            await load_demo_data(database, chosen, seed=seed, progress=typer.echo, anchor=ends_at)
            # The RFM fifths of the data just loaded, so the first customer page shows scores.
            await _refresh_stats(database)
        except DemoDataError as exc:
            typer.echo(f"demo data: {exc}", err=True)
            raise typer.Exit(1) from exc
        finally:
            await database.dispose()

    asyncio.run(run())


@cli.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Refresh what is due now, then exit")] = False,
) -> None:
    """Run background jobs: segment membership refreshes, imports and the product forecasts (any number of
    workers may run on PostgreSQL: each import is claimed by one of them)."""
    from shopcrm.core.logging import configure_logging
    from shopcrm.forecasting.jobs import ForecastRefresher
    from shopcrm.imports.jobs import ImportRunner
    from shopcrm.segments.jobs import SegmentRefresher

    settings = get_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)

    async def run() -> None:
        database = Database(settings)
        try:
            refresher = SegmentRefresher(database, settings)
            imports = ImportRunner(database, settings)
            forecasts = ForecastRefresher(database, settings)
            if once:
                done = await refresher.run_once()
                ran = await imports.run_once()
                typer.echo(f"worker: {len(done)} segment(s) refreshed, {len(ran)} import(s) run")
                batch = await forecasts.run_once(force=True)
                if batch is None:
                    typer.echo("worker: another process is computing the forecasts; left to it")
                else:
                    typer.echo(f"worker: forecasts for {batch.products:,} products computed in {batch.took_ms:,} ms")
                return
            typer.echo("worker: refreshing segments and forecasts and running imports; Ctrl+C stops")
            await asyncio.gather(refresher.run_forever(), imports.run_forever(), forecasts.run_forever())
        finally:
            await database.dispose()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


@cli.command("refresh-stats")
def refresh_stats() -> None:
    """Compute the statistics across all customers (RFM fifths) now and store them.

    Each server process also does this at start-up and every SHOPCRM_STATS_REFRESH_SECONDS; run this after
    loading or importing data so customer pages rank against it at once."""

    async def run() -> bool:
        database = Database(get_settings(), null_pool=True)
        try:
            return await _refresh_stats(database)
        finally:
            await database.dispose()

    if not asyncio.run(run()):
        typer.echo("refresh-stats: another process is computing the statistics now; left to it")


async def _refresh_stats(database: Database) -> bool:
    from shopcrm.customers.statistics import refresh_statistics

    row = await refresh_statistics(database)
    if row is None:
        return False
    typer.echo(
        f"customer statistics: RFM fifths over {row.customers_with_orders:,} customers with orders "
        f"computed in {row.compute_ms:,} ms"
    )
    return True


def _demo_anchor(day: str | None) -> dt.datetime:
    """The demo history runs up to the start (midnight UTC) of `day`, today when None."""
    if day is None:
        return dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        parsed = dt.date.fromisoformat(day)
    except ValueError:
        raise typer.BadParameter("give a day as YYYY-MM-DD", param_hint="--anchor") from None
    return dt.datetime(parsed.year, parsed.month, parsed.day, tzinfo=dt.UTC)


def _read_password(password: str | None) -> str:
    if password:
        return password
    entered: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return entered


@cli.command("create-user")
def create_user(
    email: Annotated[str, typer.Option(help="Login email")],
    name: Annotated[str, typer.Option(help="Full name")] = "Admin",
    role: Annotated[Role, typer.Option(help="admin, marketer or viewer")] = Role.admin,
    password: Annotated[str | None, typer.Option(envvar="SHOPCRM_NEW_PASSWORD", help="Prompted when absent")] = None,
) -> None:
    """Create a user (the first admin, typically)."""
    secret = _read_password(password)

    async def run() -> None:
        settings = get_settings()
        database = Database(settings, null_pool=True)
        try:
            async with database.transaction() as session:
                await auth_service.create_user(
                    session, email=email, full_name=name, role=role, password=secret, settings=settings
                )
        finally:
            await database.dispose()

    try:
        asyncio.run(run())
    except AppError as exc:  # a weak password, a taken email
        typer.echo(f"create-user: {exc.message}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"user {email} created with role {role.value}")


@cli.command("set-password")
def set_password(
    email: Annotated[str, typer.Option(help="The user's login email")],
    password: Annotated[str | None, typer.Option(envvar="SHOPCRM_NEW_PASSWORD", help="Prompted when absent")] = None,
    revoke_tokens: Annotated[bool, typer.Option("--revoke-tokens", help="Also revoke the user's API tokens")] = False,
) -> None:
    """Set a user's password (a lost admin password, say); their browser sessions end."""
    settings = get_settings()

    async def find_user_id() -> int:
        database = Database(settings, null_pool=True)
        try:
            async with database.transaction() as session:
                user = await auth_service.get_user_by_email(session, email)
                if user is None:
                    raise NotFound(f"no user with the email {email}")
                return user.id
        finally:
            await database.dispose()

    async def run(user_id: int, secret: str) -> None:
        database = Database(settings, null_pool=True)
        try:
            async with database.transaction() as session:
                await auth_service.set_password(
                    session,
                    user_id=user_id,
                    new_password=secret,
                    settings=settings,
                    field="password",
                    revoke_tokens=revoke_tokens,
                )
        finally:
            await database.dispose()

    try:
        # The user is looked up first, so nobody types a new password twice for a mistyped email.
        user_id = asyncio.run(find_user_id())
        asyncio.run(run(user_id, _read_password(password)))
    except AppError as exc:  # an unknown user, a weak password
        typer.echo(f"set-password: {exc.message}", err=True)
        raise typer.Exit(1) from exc
    done = "their browser sessions ended" + (" and their API tokens revoked" if revoke_tokens else "")
    typer.echo(f"password of {email} set; {done}")


@cli.command("create-token")
def create_token(
    email: Annotated[str, typer.Option(help="The user the token acts as")],
    name: Annotated[str, typer.Option(help="What the token is for")] = "script",
    days: Annotated[int | None, typer.Option(help="Expiry in days (none: never)")] = None,
) -> None:
    """Create an API token for scripts (printed once)."""

    async def run() -> str:
        database = Database(get_settings(), null_pool=True)
        try:
            async with database.transaction() as session:
                user = await auth_service.get_user_by_email(session, email)
                if user is None:
                    raise typer.BadParameter(f"no user {email}", param_hint="--email")
                _, token = await auth_service.create_api_token(session, user=user, name=name, expires_in_days=days)
                return token
        finally:
            await database.dispose()

    typer.echo(asyncio.run(run()))


@cli.command("demo-login")
def demo_login(
    file: Annotated[Path, typer.Option(help="Where the generated login is kept")] = Path("data/demo-login.txt"),
    url: Annotated[str, typer.Option(help="Where the app is served, for the message")] = "http://127.0.0.1:8000",
) -> None:
    """Make sure a local admin exists (random password, saved in a git-ignored file) and print the login."""

    async def run() -> None:
        settings = get_settings()
        database = Database(settings, null_pool=True)
        try:
            async with database.transaction() as session:
                if await auth_service.count_users(session) == 0:
                    password = secrets.token_urlsafe(12)
                    await auth_service.create_user(
                        session,
                        email="admin@shopcrm.local",
                        full_name="Store Admin",
                        role=Role.admin,
                        password=password,
                        settings=settings,
                    )
                    file.parent.mkdir(parents=True, exist_ok=True)
                    file.write_text(f"email: admin@shopcrm.local\npassword: {password}\n")
                    file.chmod(0o600)
        finally:
            await database.dispose()

    asyncio.run(run())
    if file.is_file():
        typer.echo(f"Log in at {url} with")
        typer.echo("  " + file.read_text().strip().replace("\n", "\n  "))
    else:
        typer.echo("Users already exist; log in with yours (or `shopcrm create-user`).")


@cli.command()
def openapi(output: Annotated[Path | None, typer.Argument(help="File to write; stdout when absent")] = None) -> None:
    """Print the OpenAPI document the frontend client is generated from."""
    from shopcrm.main import create_app

    document = json.dumps(create_app().openapi(), indent=2, sort_keys=True) + "\n"
    if output is None:
        sys.stdout.write(document)
    else:
        output.write_text(document)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
