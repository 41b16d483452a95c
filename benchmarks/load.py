"""A small concurrent HTTP load client, run by ``benchmarks/run.py`` as a separate process.

    python benchmarks/load.py --port 8123 --cookie "sessionid=…" --path /statistics/ \
        --path /members/ --clients 50 --seconds 20 [--max-requests 100000]

Only the loopback address 127.0.0.1 is ever contacted. Each client is a thread with its own
keep-alive ``http.client`` connection; it requests the paths in turn (each client starting at a
different one) until the time or the request budget is spent. With ``--think S`` each client is
a user who reads the page before the next click: it waits a random time (uniform between 0.5
and 1.5 × S, and once at the start between 0 and S) after each answer; without it the clients
send as fast as the server answers (the saturation test). Prints one JSON object: requests,
errors, statuses, requests per second and latency percentiles (overall and per path), in ms.
Requests still running ``--grace`` seconds after the end are reported as unfinished and enter
the percentiles with the time they had waited (so an overloaded server cannot hide its tail).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import sys
import threading
import time

HOST = "127.0.0.1"  # loopback only, by design


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def summary(latencies: list[float]) -> dict:
    values = sorted(latencies)
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 0.50) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "max_ms": round((values[-1] if values else 0) * 1000, 1),
    }


def run(port, cookie, paths, clients, seconds, budget, grace, think=0.0):
    """Load for ``seconds``; requests still running ``grace`` seconds later are counted as
    unfinished, with the time they had waited so far (a lower bound) in the percentiles."""
    started = time.monotonic()
    deadline = started + seconds
    lock = threading.Lock()
    issued = [0]
    results: list[tuple[str, int, float]] = []  # (path, status or 0 for an error, seconds)
    inflight: dict[int, tuple[str, float]] = {}

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=seconds + grace + 5)
        i = index
        headers = {"Cookie": cookie, "Connection": "keep-alive", "Accept": "text/html"}
        rng = random.Random(index)
        if think:
            time.sleep(rng.uniform(0, think))
        while time.monotonic() < deadline:
            with lock:
                if issued[0] >= budget:
                    break
                issued[0] += 1
            path = paths[i % len(paths)]
            i += 1
            begun = time.perf_counter()
            inflight[index] = (path, begun)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=seconds + grace + 5)
            with lock:
                inflight.pop(index, None)
                results.append((path, status, time.perf_counter() - begun))
            if think:
                time.sleep(
                    max(
                        0.0, min(rng.uniform(0.5 * think, 1.5 * think), deadline - time.monotonic())
                    )
                )
        conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    hard_stop = deadline + grace
    for thread in threads:
        thread.join(max(0.0, hard_stop - time.monotonic()))
    with lock:
        now = time.perf_counter()
        done = list(results)
        unfinished = [(path, now - begun) for path, begun in inflight.values()]
    elapsed = time.monotonic() - started

    statuses: dict[str, int] = {}
    for _path, status, _s in done:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    ok = [s for _p, status, s in done if status == 200]
    waited = [s for _p, s in unfinished]
    by_path = {
        path: {
            **summary(
                [s for p, status, s in done if p == path and status == 200]
                + [s for p, s in unfinished if p == path]
            ),
            "errors": sum(1 for p, status, _s in done if p == path and status != 200),
            "unfinished": sum(1 for p, _s in unfinished if p == path),
        }
        for path in paths
    }
    return {
        "clients": clients,
        "think_s": think,
        "seconds": round(elapsed, 2),
        "requests": len(done),
        "ok": len(ok),
        "errors": len(done) - len(ok),
        "unfinished": len(unfinished),
        "statuses": statuses,
        "requests_per_s": round(len(ok) / elapsed, 1) if elapsed else 0.0,
        **summary(ok + waited),
        "by_path": by_path,
        "client_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Concurrent keep-alive GETs against 127.0.0.1.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cookie", default="", help="Cookie header sent with every request")
    parser.add_argument("--path", action="append", required=True, dest="paths")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds a user waits between requests"
    )
    parser.add_argument(
        "--grace", type=float, default=30.0, help="seconds to wait for requests still running"
    )
    args = parser.parse_args(argv)
    result = run(
        args.port,
        args.cookie,
        args.paths,
        args.clients,
        args.seconds,
        args.max_requests,
        args.grace,
        args.think,
    )
    print(json.dumps(result), flush=True)
    os._exit(0)  # do not wait for clients still blocked in a request


if __name__ == "__main__":
    sys.exit(main())
