"""The server the scenarios talk to, and the minimal HTTP/1.1 client they talk with.

`BenchServer` runs uvicorn in a subprocess the way `shopcrm serve` does (one worker, httptools, uvloop
when installed, no proxy headers), on the app factory `bench.floor_app:app_from_env`: the product's own
app with the bench-only floor routes added (bench/floor.py). An API token for a benchmark admin is made
with the product's CLI (`create-user` once, `create-token` per run; the token is deleted afterwards).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_EMAIL = "bench@shopcrm.local"
APP_FACTORY = "bench.floor_app:app_from_env"


class KeepAliveClient:
    """A minimal HTTP/1.1 keep-alive client, in the spirit of wrk: on a 2-core machine the client shares the
    CPU with the server and the database, and httpx spent about a quarter of a core on the ingestion load.
    Requests are plain HTTP/1.1 over one connection; answers carry Content-Length or are chunked (a streamed
    CSV export)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, headers: bytes) -> None:
        self.reader, self.writer, self.host, self.headers = reader, writer, host, headers

    @classmethod
    async def connect(cls, base_url: str, headers: dict[str, str]) -> KeepAliveClient:
        host_port = base_url.split("://", 1)[1].rstrip("/")
        host, port = host_port.rsplit(":", 1)
        reader, writer = await asyncio.open_connection(host, int(port))
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items()).encode()
        return cls(reader, writer, host_port, extra)

    async def _send(self, request: bytes) -> tuple[int, bytes]:
        """The request's answer. The server closes a connection idle past its keep-alive timeout (5 s): when the
        other side's call took longer (a whole CSV export), this side's connection is found closed before any
        byte of the answer, and the request is sent again once on a new connection."""
        try:
            self.writer.write(request)
            return await self._answer()
        except asyncio.IncompleteReadError as exc:
            if exc.partial:
                raise
        except ConnectionError:
            pass
        self.writer.close()
        host, port = self.host.rsplit(":", 1)
        self.reader, self.writer = await asyncio.open_connection(host, int(port))
        self.writer.write(request)
        return await self._answer()

    async def _answer(self) -> tuple[int, bytes]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if headers.get("transfer-encoding", "").lower() == "chunked":
            return status, await self._chunks()
        return status, await self.reader.readexactly(int(headers["content-length"]))

    async def _chunks(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")  # no trailers are sent: the empty line ends the body
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    async def get(self, path: str) -> tuple[int, bytes]:
        return await self._send(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n".encode() + self.headers + b"\r\n")

    async def post_json(self, path: str, payload: Any) -> tuple[int, bytes]:
        body = json.dumps(payload, default=str).encode()
        return await self._send(
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n".encode()
            + self.headers
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "shopcrm.cli", *args], env=env, capture_output=True, text=True, check=False
    )


def server_env(database_url: str, secret_key: str) -> dict[str, str]:
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        SHOPCRM_SECRET_KEY=secret_key,
        SHOPCRM_LOG_LEVEL="WARNING",
        PYTHONPATH=str(Path(__file__).resolve().parent.parent),
    )


async def make_token(env: dict[str, str], name: str) -> str:
    """A one-day API token of the benchmark admin (created once per database with a random password)."""
    created = await asyncio.to_thread(
        cli,
        dict(env, SHOPCRM_NEW_PASSWORD=secrets.token_urlsafe(24)),
        "create-user",
        "--email",
        BENCH_EMAIL,
        "--name",
        "Benchmark",
        "--role",
        "admin",
    )
    if created.returncode != 0 and "already" not in (created.stderr + created.stdout).lower():
        raise RuntimeError(f"shopcrm create-user failed: {created.stderr.strip() or created.stdout.strip()}")
    done = await asyncio.to_thread(cli, env, "create-token", "--email", BENCH_EMAIL, "--name", name, "--days", "1")
    if done.returncode != 0:
        raise RuntimeError(f"shopcrm create-token failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip().splitlines()[-1]


class BenchServer:
    """One uvicorn process serving the product's app plus the floor routes, on a free loopback port."""

    def __init__(self, env: dict[str, str], token: str, *, factory: str = APP_FACTORY) -> None:
        self.env, self.token, self.factory = env, token, factory
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.gettempdir()) / f"shopcrm-bench-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def start(self) -> None:
        """Start the process and return once it accepts connections; no request is sent (a cold process
        stays cold: its database pool, token cache and statement caches are empty)."""
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603, ASYNC220 - our own app; returns at once
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    self.factory,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--no-proxy-headers",
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the bench server exited: {self.log_tail()}")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                await writer.wait_closed()
                return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the bench server did not listen within 60 s: {self.log_tail()}")
            await asyncio.sleep(0.05)

    async def client(self) -> KeepAliveClient:
        return await KeepAliveClient.connect(self.base_url, self.headers)

    def log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    async def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                await asyncio.to_thread(self.process.wait, 15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                await asyncio.to_thread(self.process.wait)
        self.log.unlink(missing_ok=True)
