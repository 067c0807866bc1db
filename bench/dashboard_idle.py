"""What idle dashboards cost the server: CPU seconds of the server process over a window while N simulated
open dashboards poll the change token the way the page does (GET /api/dashboard once, then
GET /api/dashboard/version every 5 s with If-None-Match; the dashboard again only when the token moves).

    .venv/bin/python -m bench.dashboard_idle --url http://127.0.0.1:8000 --pid <server pid> \
        --email admin@example.com --password ... --clients 1 50 --seconds 60

Reads utime+stime of the server process (and its threads) from /proc/<pid>/stat before and after each window,
so it runs on the machine of the server. Prints, per client count: CPU seconds, CPU % of one core, requests
made, 304s, and dashboard refetches (0 when nothing changed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

import httpx

POLL_S = 5.0


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5), after pid and comm
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


async def dashboard(client: httpx.AsyncClient, stop: float, stats: dict[str, int], offset: float) -> None:
    """One open dashboard: its first load, then the conditional poll."""
    await asyncio.sleep(offset)  # pages opened at different moments, as in life (first load: the warm-up)
    etag = None
    while time.monotonic() < stop:
        headers = {"If-None-Match": etag} if etag else {}
        r = await client.get("/api/dashboard/version", headers=headers)
        stats["requests"] += 1
        if r.status_code == 304:
            stats["not_modified"] += 1
        else:
            r.raise_for_status()
            if etag is not None:
                stats["refetches"] += 1
                (await client.get("/api/dashboard", params={"period": "30d"})).raise_for_status()
            etag = r.headers["etag"]
        await asyncio.sleep(POLL_S)


async def window(url: str, pid: int, email: str, password: str, clients: int, seconds: float) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=url, timeout=120) as login:
        r = await login.post("/api/auth/login", json={"email": email, "password": password})
        r.raise_for_status()
        cookies = login.cookies
    stats = {"requests": 0, "not_modified": 0, "refetches": 0}
    sessions = [httpx.AsyncClient(base_url=url, timeout=120, cookies=cookies) for _ in range(clients)]
    try:
        # Warm-up outside the window, one at a time: every dashboard's first load is not idle cost.
        for s in sessions:
            (await s.get("/api/dashboard", params={"period": "30d"})).raise_for_status()
        before, started = cpu_seconds(pid), time.monotonic()
        stop = started + seconds
        await asyncio.gather(*(dashboard(s, stop, stats, POLL_S * i / clients) for i, s in enumerate(sessions)))
        elapsed, used = time.monotonic() - started, cpu_seconds(pid) - before
    finally:
        await asyncio.gather(*(s.aclose() for s in sessions))
    return {"clients": clients, "seconds": elapsed, "cpu_s": used, "cpu_pct": 100 * used / elapsed, **stats}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server process to measure")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    baseline_before = cpu_seconds(args.pid)
    time.sleep(10)
    idle = cpu_seconds(args.pid) - baseline_before
    print(f"no dashboard open: {idle:.3f} CPU s over 10 s ({10 * idle:.2f}% of a core)")
    for n in args.clients:
        r = asyncio.run(window(args.url, args.pid, args.email, args.password, n, args.seconds))
        print(
            f"{n:>3} open dashboard(s): {r['cpu_s']:.2f} CPU s over {r['seconds']:.0f} s "
            f"({r['cpu_pct']:.2f}% of a core); {r['requests']:.0f} version polls, "
            f"{r['not_modified']:.0f} answered 304, "
            f"{r['refetches']:.0f} dashboard refetches"
        )


if __name__ == "__main__":
    main()
