#!/usr/bin/env python3
"""Runs every libFuzzer target of tests/fuzz/ for a bounded time and reports
executions, coverage and crashes (`make fuzz`; docs/hardening.md).

  python3 tools/fuzz/run_fuzzers.py --build build-fuzz [--seconds 60]
      [--targets wire,jwt] [--report build-fuzz/fuzz-report]

Each target fuzzes a working corpus in BUILD/fuzz-corpus/TARGET, seeded from
tests/fuzz/corpus/TARGET and kept between runs, so repeated runs go deeper.
Crashing inputs land in BUILD/fuzz-crashes/TARGET/; keep each one, once
fixed, as tests/fuzz/regressions/TARGET/NAME (replayed by `make test`).
Exit status 1 when any target crashed, leaked, timed out or ran out of memory.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGETS = ["wire", "wav", "jwt", "jwks", "questions", "settings", "markdown", "pdf"]
# Largest input per target: a WebSocket message is capped at 16 KiB by the
# server, credentials at 8 KiB; files get room for real structure.
MAX_LEN = {"wire": 17000, "jwt": 9000, "jwks": 16384, "questions": 16384,
           "settings": 8192, "markdown": 16384, "wav": 16384, "pdf": 16384}
STATS = re.compile(r"^stat::(\w+):\s+(\d+)")
PULSE = re.compile(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)")
CRASH = re.compile(r"(ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|libFuzzer)"
                   r"|runtime error:|fuzz property broken|==\d+== ?ERROR)")


def progress(line):
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K" + line)
    else:
        sys.stderr.write(line + "\n")
    sys.stderr.flush()


def run_target(build, target, seconds, jobs_dir):
    binary = os.path.join(build, "bin", f"fuzz_{target}")
    if not os.path.exists(binary):
        raise SystemExit(f"fuzz: {binary} is missing; build it with `make fuzz`")
    work = os.path.join(build, "fuzz-corpus", target)
    crashes = os.path.join(build, "fuzz-crashes", target)
    os.makedirs(work, exist_ok=True)
    os.makedirs(crashes, exist_ok=True)
    seeds = os.path.join(ROOT, "tests", "fuzz", "corpus", target)
    regress = os.path.join(ROOT, "tests", "fuzz", "regressions", target)
    args = [binary, f"-max_total_time={seconds}", "-print_final_stats=1",
            f"-max_len={MAX_LEN[target]}", "-timeout=10", "-rss_limit_mb=2560",
            "-malloc_limit_mb=1024", f"-artifact_prefix={crashes}/",
            "-print_pcs=0", "-reload=1", work, seeds]
    if os.path.isdir(regress):
        args.append(regress)
    log_path = os.path.join(jobs_dir, f"{target}.log")
    t0 = time.monotonic()
    stats, last, crash_lines = {}, "", []
    with open(log_path, "w") as log:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, errors="replace")
        next_show = 0.0
        for line in proc.stdout:
            log.write(line)
            m = STATS.match(line)
            if m:
                stats[m.group(1)] = int(m.group(2))
            if CRASH.search(line) and len(crash_lines) < 6:
                crash_lines.append(line.rstrip())
            p = PULSE.match(line)
            if p:
                last = f"execs {p.group(1)} cov {p.group(2)} corpus {p.group(4)}"
            now = time.monotonic() - t0
            if now >= next_show:
                progress(f"fuzz {target:<10} {now:5.0f}/{seconds} s  {last}")
                next_show = now + 1.0
        rc = proc.wait()
    elapsed = time.monotonic() - t0
    artifacts = sorted(os.listdir(crashes))
    result = {
        "target": target, "seconds": round(elapsed, 1), "rc": rc,
        "executions": stats.get("number_of_executed_units", 0),
        "execs_per_s": stats.get("average_exec_per_sec", 0),
        "new_units": stats.get("new_units_added", 0),
        "peak_rss_mb": stats.get("peak_rss_mb", 0),
        "corpus_files": len(os.listdir(work)),
        "crashed": rc != 0, "artifacts": [os.path.join(crashes, a) for a in artifacts],
        "crash_summary": crash_lines, "log": log_path,
    }
    status = "CRASH" if rc != 0 else "ok"
    progress(f"fuzz {target:<10} {status}: {result['executions']} runs in {elapsed:.0f} s "
             f"({result['execs_per_s']}/s), corpus {result['corpus_files']}\n"
             if sys.stderr.isatty() else
             f"fuzz {target:<10} {status}: {result['executions']} runs in {elapsed:.0f} s "
             f"({result['execs_per_s']}/s), corpus {result['corpus_files']}")
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build-fuzz")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--report", default=None, help="write REPORT.json and REPORT.md")
    a = ap.parse_args()
    targets = [t for t in a.targets.split(",") if t]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        raise SystemExit(f"fuzz: unknown target(s) {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    if a.seconds < 1:
        raise SystemExit("fuzz: --seconds must be at least 1")
    logs = os.path.join(a.build, "fuzz-logs")
    os.makedirs(logs, exist_ok=True)
    results = [run_target(a.build, t, a.seconds, logs) for t in targets]
    report = a.report or os.path.join(a.build, "fuzz-report")
    with open(report + ".json", "w") as f:
        json.dump(results, f, indent=2)
    clang = subprocess.run(["clang++", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    with open(report + ".md", "w") as f:
        f.write(f"{clang}; {a.seconds} s per target\n\n")
        f.write("| target | seconds | executions | exec/s | corpus | new units | peak RSS MB | result |\n")
        f.write("|---|---:|---:|---:|---:|---:|---:|---|\n")
        for r in results:
            f.write(f"| {r['target']} | {r['seconds']:.0f} | {r['executions']} | {r['execs_per_s']} "
                    f"| {r['corpus_files']} | {r['new_units']} | {r['peak_rss_mb']} "
                    f"| {'crash' if r['crashed'] else 'ok'} |\n")
    print(f"fuzz: report in {report}.md and {report}.json")
    bad = [r for r in results if r["crashed"]]
    for r in bad:
        print(f"fuzz: {r['target']} failed (exit {r['rc']}); log {r['log']}")
        for line in r["crash_summary"]:
            print("   ", line)
        for art in r["artifacts"]:
            print(f"    input: {art}  (reproduce: {a.build}/bin/fuzz_{r['target']} {art})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
