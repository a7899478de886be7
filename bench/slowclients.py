"""Slow clients for the load test: COUNT connections that send their headers one byte a second.

Each connection starts a request and then trickles its headers, the way a slowloris
attack or a very bad mobile link does. When the server closes one (it must: docs/web.md,
header deadline), a new one takes its place, so COUNT stay open for the whole run.
Prints one JSON line when done: connections opened and how many the server closed.

    python bench/slowclients.py HOST PORT COUNT SECONDS
"""

from __future__ import annotations

import asyncio
import json
import sys


async def _one(host: str, port: int, until: float, counts: dict[str, int]) -> None:
    loop = asyncio.get_running_loop()
    while loop.time() < until:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            counts["refused"] += 1
            await asyncio.sleep(1)
            continue
        counts["opened"] += 1
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            while loop.time() < until:
                writer.write(b"a")
                await writer.drain()
                if await _closed_within(reader, 1.0):
                    counts["closed_by_server"] += 1
                    break
        except (ConnectionError, OSError):
            counts["closed_by_server"] += 1
        finally:
            writer.close()


async def _closed_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    """Whether the server closed the connection (or answered) within `seconds`."""
    try:
        await asyncio.wait_for(reader.read(1), timeout=seconds)  # b"" (closed) or an answer
    except TimeoutError:
        return False
    return True


async def _main(host: str, port: int, count: int, seconds: float) -> dict[str, int]:
    counts = {"opened": 0, "closed_by_server": 0, "refused": 0}
    until = asyncio.get_running_loop().time() + seconds
    await asyncio.gather(*(_one(host, port, until, counts) for _ in range(count)))
    return counts


if __name__ == "__main__":
    host, port, count, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    print(json.dumps(asyncio.run(_main(host, port, count, seconds))))
