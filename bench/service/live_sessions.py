#!/usr/bin/env python3
"""Concurrent live sessions on this machine: N `sof client --realtime`
candidates stream the spoken sample interview into one `sof serve` at once;
reports, per N, the server's turn latency (end of the candidate's turn ->
first follow-up audio chunk, from /metrics), STT final latency, server CPU
and memory, and whether every session completed.

usage: live_sessions.py SOF SAMPLE_WAV N [N ...]   (results: docs/BENCHMARKS.md)
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request


def quantile(buckets, count, q):
    """Interpolated quantile from cumulative (le, count) pairs (log buckets)."""
    if count == 0:
        return 0.0
    rank = q * count
    prev_le, prev_c = 0.0, 0
    for le, c in buckets:
        if c >= rank:
            if le == float("inf"):
                return prev_le
            lo = prev_le if prev_le > 0 else le / 10 ** 0.1
            frac = (rank - prev_c) / max(c - prev_c, 1)
            return lo * (le / lo) ** frac
        prev_le, prev_c = le, c
    return prev_le


def histogram(metrics, name):
    buckets, count = [], 0
    for line in metrics.splitlines():
        if line.startswith(name + "_bucket"):
            le = line.split('le="')[1].split('"')[0]
            buckets.append((float("inf") if le == "+Inf" else float(le), float(line.split()[-1])))
        elif line.startswith(name + "_count"):
            count = float(line.split()[-1])
    return buckets, count


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0


def run(sof, wav, n):
    d = tempfile.mkdtemp(prefix="sof-bench-")
    cfg = os.path.join(d, "bench.toml")
    with open(cfg, "w") as f:
        f.write('[auth]\nhs256_secret = "bench-secret-bench-secret-bench-secret"\n'
                "[limits]\nconcurrent_sessions = 1000\nsessions_per_day = 100000\n"
                "requests_per_second = 1000\nburst = 1000\n")
    srv = subprocess.Popen([sof, "serve", "--port", "0", "--data", d, "--config", cfg],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(srv.stdout.readline().rsplit(":", 1)[1])
    url = f"http://127.0.0.1:{port}"
    idle_rss = rss_mb(srv.pid)
    cpu0, t0 = cpu_seconds(srv.pid), time.time()
    clients = []
    for i in range(n):
        tok = subprocess.run([sof, "token", "--tenant", "bench", "--user", f"u{i}", "--config", cfg],
                             capture_output=True, text=True).stdout.strip()
        clients.append(subprocess.Popen([sof, "client", "--url", url, "--token", tok,
                                         "--question", "ticketing-flash-sale", "--audio", wav,
                                         "--realtime", "--json"],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True))
    peak_rss = idle_rss
    while any(c.poll() is None for c in clients):
        peak_rss = max(peak_rss, rss_mb(srv.pid))
        done = sum(c.poll() is not None for c in clients)
        print(f"\r  N={n}: {done}/{n} sessions finished, {time.time() - t0:5.1f} s", end="",
              file=sys.stderr, flush=True)
        time.sleep(0.5)
    print(file=sys.stderr)
    wall = time.time() - t0
    cpu = cpu_seconds(srv.pid) - cpu0
    ok = 0
    for c in clients:
        out = c.stdout.read()
        try:
            ok += c.returncode == 0 and json.loads(out)["scorecard"]["verdict"] in ("scale", "fail")
        except (ValueError, KeyError, TypeError):
            pass
    metrics = urllib.request.urlopen(url + "/metrics").read().decode()
    srv.terminate()
    srv.wait(timeout=60)
    tb, tc = histogram(metrics, "sof_turn_latency_ms")
    sb, sc = histogram(metrics, "sof_stt_final_latency_ms")
    return {"sessions": n, "completed": ok, "turns": int(tc),
            "turn_latency_ms": {q: round(quantile(tb, tc, v), 1)
                                for q, v in (("p50", .5), ("p95", .95), ("p99", .99))},
            "stt_final_latency_ms": {q: round(quantile(sb, sc, v), 1)
                                     for q, v in (("p50", .5), ("p95", .95), ("p99", .99))},
            "server_cores": round(cpu / wall, 2), "wall_s": round(wall, 1),
            "rss_mb_idle": round(idle_rss), "rss_mb_peak": round(peak_rss),
            "mb_per_session": round((peak_rss - idle_rss) / n, 1)}


def main():
    sof, wav, ns = sys.argv[1], sys.argv[2], [int(x) for x in sys.argv[3:]]
    results = [run(sof, wav, n) for n in ns]
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
