#!/usr/bin/env python3
"""The knee of the service: for each N, a fresh `sof serve` and one
`sof loadgen --sessions N --json` run against it (real-time candidates,
the spoken sample interview looped); writes every result as JSON and an
SVG of turn latency p50/p95/p99 (beyond the end-of-turn silence) and server
CPU per session against N, with the 250 ms budget line.

usage: knee.py SOF [--sessions 2,4,6,8,10,12] [--duration 60] [--ramp 5]
               [--jitter 0] [--loss 0] [--reconnect-rate 0]
               [--svg docs/images/loadgen_knee.svg] [--out FILE.json]
(results: docs/BENCHMARKS.md, "Service: concurrent live sessions")
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

BUDGET_MS = 250


def serve(sof, work):
    cfg = os.path.join(work, "bench.toml")
    with open(cfg, "w") as f:
        f.write('[auth]\nhs256_secret = "bench-secret-bench-secret-bench-secret"\n'
                "[limits]\nconcurrent_sessions = 1000\nsessions_per_day = 100000\n"
                "requests_per_second = 1000\nburst = 1000\n")
    data = os.path.join(work, "data")
    os.makedirs(data, exist_ok=True)
    srv = subprocess.Popen([sof, "serve", "--port", "0", "--data", data, "--config", cfg],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(srv.stdout.readline().strip().rstrip("/").rsplit(":", 1)[1])
    tok = subprocess.run([sof, "token", "--tenant", "bench", "--user", "load", "--config", cfg],
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    return srv, f"http://127.0.0.1:{port}", tok


def point(sof, n, a):
    with tempfile.TemporaryDirectory(prefix="sof-knee-") as work:
        srv, url, tok = serve(sof, work)
        try:
            args = [sof, "loadgen", "--url", url, "--token", tok, "--sessions", str(n),
                    "--duration", str(a.duration), "--ramp", str(a.ramp),
                    "--jitter", str(a.jitter), "--loss", str(a.loss),
                    "--reconnect-rate", str(a.reconnect_rate), "--json"]
            print(" ".join(args[:2] + args[3:5] + args[7:]), file=sys.stderr)
            p = subprocess.run(args, stdout=subprocess.PIPE, text=True)
            doc = json.loads(p.stdout)
            doc["exit_code"] = p.returncode
            return doc
        finally:
            srv.terminate()
            srv.wait(timeout=120)


def svg(results, path):
    w, h, left, right, top, bottom = 720, 420, 70, 80, 40, 50
    ns = [r["sessions"] for r in results]
    lat = {q: [r["turn_latency_ms"][q] for r in results] for q in ("p50", "p95", "p99")}
    cpu = [r.get("server", {}).get("cpu_seconds_per_session_minute") or 0 for r in results]
    ymax = max([BUDGET_MS * 2] + [v for vs in lat.values() for v in vs if v is not None])
    import math
    # Log scale for latency: the knee goes from milliseconds to seconds.
    lo, hi = 1.0, 10 ** math.ceil(math.log10(ymax))
    cmax = max(cpu + [1e-9]) * 1.2
    xmin, xmax = min(ns), max(ns)
    X = lambda n: left + (n - xmin) / max(xmax - xmin, 1) * (w - left - right)
    Y = lambda v: top + (1 - (math.log10(max(v, lo)) - math.log10(lo))
                         / (math.log10(hi) - math.log10(lo))) * (h - top - bottom)
    C = lambda v: top + (1 - v / cmax) * (h - top - bottom)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="20" text-anchor="middle" font-size="14">'
           'sof loadgen: turn latency beyond the end-of-turn silence vs concurrent sessions</text>']
    d = 1
    while d <= hi:
        y = Y(d)
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                   f'{d if d < 1000 else str(d // 1000) + " s"}{" ms" if d < 1000 else ""}</text>')
        d *= 10
    for n in ns:
        out.append(f'<text x="{X(n):.1f}" y="{h - bottom + 18}" text-anchor="middle">{n}</text>')
    out.append(f'<text x="{(left + w - right) / 2}" y="{h - 12}" text-anchor="middle">'
               'concurrent live sessions (one 2-core machine)</text>')
    yb = Y(BUDGET_MS)
    out.append(f'<line x1="{left}" x2="{w - right}" y1="{yb:.1f}" y2="{yb:.1f}" '
               'stroke="#c00" stroke-dasharray="6,4"/>')
    out.append(f'<text x="{w - right - 4}" y="{yb - 5:.1f}" text-anchor="end" fill="#c00">'
               '250 ms budget</text>')
    colors = {"p50": "#1f77b4", "p95": "#ff7f0e", "p99": "#2ca02c"}
    for i, (q, vs) in enumerate(lat.items()):
        pts = [(X(n), Y(v)) for n, v in zip(ns, vs) if v is not None]
        out.append('<polyline fill="none" stroke-width="2" stroke="{}" points="{}"/>'.format(
            colors[q], " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)))
        for x, y in pts:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colors[q]}"/>')
        out.append(f'<text x="{left + 10}" y="{top + 16 + 16 * i}" fill="{colors[q]}">'
                   f'turn latency {q}</text>')
    pts = [(X(n), C(c)) for n, c in zip(ns, cpu)]
    out.append('<polyline fill="none" stroke="#777" stroke-width="1.5" stroke-dasharray="2,3" '
               'points="{}"/>'.format(" ".join(f"{x:.1f},{y:.1f}" for x, y in pts)))
    out.append(f'<text x="{left + 10}" y="{top + 64}" fill="#777">server CPU s per '
               'session-minute (right axis)</text>')
    for k in range(5):
        v = cmax * k / 4
        out.append(f'<text x="{w - right + 6}" y="{C(v) + 4:.1f}" fill="#777">{v:.1f}</text>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{h - bottom}" stroke="#000"/>')
    out.append(f'<line x1="{left}" x2="{w - right}" y1="{h - bottom}" y2="{h - bottom}" '
               'stroke="#000"/>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sof")
    ap.add_argument("--sessions", default="2,4,6,8,10,12")
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--ramp", type=float, default=5)
    ap.add_argument("--jitter", type=float, default=0)
    ap.add_argument("--loss", type=float, default=0)
    ap.add_argument("--reconnect-rate", type=float, default=0)
    ap.add_argument("--svg", default="docs/images/loadgen_knee.svg")
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    results = []
    for n in [int(x) for x in a.sessions.split(",")]:
        r = point(a.sof, n, a)
        results.append(r)
        t, s = r["turn_latency_ms"], r.get("server", {})
        print(f"N={n:3d}  p50/p95/p99 {t['p50']}/{t['p95']}/{t['p99']} ms ({t['count']} turns)"
              f"  lost {r['frames_lost']} dup {r['frames_duplicated']} errors {r['errors']}"
              f"  cpu {s.get('cpu_seconds_per_session_minute')} s/session-min"
              f" ({s.get('cores')} cores)  {s.get('rss_per_session_mb')} MB/session",
              file=sys.stderr, flush=True)
    svg(results, a.svg)
    text = json.dumps(results, indent=1)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
