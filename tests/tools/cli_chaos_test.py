#!/usr/bin/env python3
"""End-to-end checks of `sof chaos`, run by ctest: a small chaos campaign
through the real actor trees (crashes across providers, graders, the
follow-up agent and the embedder) must complete every session with no word
lost and no grader silently missing; bad arguments are one error line.

usage: cli_chaos_test.py SOF DATA_DIR CASE...
"""
import json
import os
import subprocess
import sys
import tempfile
import time

from cli_common import check, scaled

KINDS = {"stt", "tts", "grader", "followup"}
TOP_KEYS = {"sessions", "completed", "words_lost", "restarts", "escalations",
            "graders_unavailable", "verdicts_changed"}
CAMPAIGN = ("stt.crash=0.3,tts.crash=0.3,grader.crash=0.3,followup.crash=0.3,"
            "embed.crash=0.3")


def run(sof, *args, timeout=600):
    p = subprocess.run([sof, *args], capture_output=True, timeout=scaled(timeout),
                       stdin=subprocess.DEVNULL)
    return (p.returncode, p.stdout.decode(errors="replace"),
            p.stderr.decode(errors="replace"))


def case_campaign(sof, data, d):
    audio = os.path.join(data, "samples", "chaos_answer.wav")
    report = os.path.join(d, "chaos.html")
    t0 = time.monotonic()
    rc, out, err = run(sof, "chaos", "--sessions", "20", "--concurrency", "3",
                       "--faults", CAMPAIGN, "--seed", "5", "--audio", audio,
                       "--json", "--report", report)
    wall = time.monotonic() - t0
    check(rc == 0, f"chaos: rc={rc} {err}")
    doc = json.loads(out)
    summary = {k: doc[k] for k in sorted(TOP_KEYS)}
    print(f"{wall:.1f} s: {json.dumps(summary)}")
    print(f"absorbed {doc['absorbed']}, embed_degraded {doc['embed_degraded']}, "
          f"latency {json.dumps(doc['latency'])}")
    check(TOP_KEYS <= set(doc), f"keys {sorted(doc)}")
    check(doc["sessions"] == 20 and doc["completed"] == 20,
          f"completed {doc['completed']} of {doc['sessions']}")
    check(doc["words_lost"] == 0, f"{doc['words_lost']} words lost")
    check(doc["escalations"] == 0, f"{doc['escalations']} escalations")
    check(KINDS <= set(doc["restarts"]), f"restart kinds {doc['restarts']}")
    # At 30% per call over 20 sessions, every faulted kind crashed somewhere:
    # a zero here means the injection is not wired.
    for kind in ("stt", "grader", "followup"):
        check(doc["restarts"][kind] > 0, f"no {kind} restarts: {doc['restarts']}")
    check(doc["embed_degraded"] > 0, "no grade was made without embeddings")
    check(doc["graders_silently_missing"] == 0, "a grader went missing silently")
    per = doc["per_session"]
    check(len(per) == 20, f"{len(per)} session records")
    unavailable = changed = 0
    for s in per:
        check(s["dimensions"] == 6 and s["card_consistent"],
              f"session {s['index']}: {s['dimensions']} dimensions, "
              f"consistent={s['card_consistent']}")
        check(s["words_lost"] == 0, f"session {s['index']} lost words")
        unavailable += s["graders_unavailable"]
        changed += s["verdict_changed"]
        # A verdict only changes when a grade was lost or degraded.
        if s["verdict_changed"]:
            check(s["graders_unavailable"] > 0 or s["embed_degraded"] > 0,
                  f"session {s['index']}: verdict changed with every grade intact")
    check(unavailable == doc["graders_unavailable"], "unavailable totals disagree")
    check(changed == doc["verdicts_changed"], "verdict totals disagree")
    with open(report, encoding="utf-8") as f:
        page = f.read()
    check(page.count("<svg") == 3 and "Restarts per actor kind" in page
          and "<script" not in page, "report is not the self-contained page")


def expect_error(sof, args, needles):
    rc, _, err = run(sof, *args, timeout=120)
    lines = [l for l in err.splitlines() if l.strip()]
    check(rc == 1, f"{args}: rc={rc} {err!r}")
    check(len(lines) == 1 and lines[0].startswith("sof: error:"), f"{args}: {err!r}")
    for needle in needles:
        check(needle in err, f"{args}: expected '{needle}' in {err!r}")
    print(f"{' '.join(args)[:60]!r}: {lines[0][:110]}")


def case_bad_input(sof, data, d):
    c = ["chaos", "--audio", os.path.join(data, "samples", "chaos_answer.wav")]
    expect_error(sof, c + ["--sessions", "0"], ["--sessions"])
    expect_error(sof, c + ["--concurrency", "0"], ["--concurrency"])
    expect_error(sof, c + ["--faults", "llm.crash=0.3"], ["LLM", "'followup'"])
    expect_error(sof, c + ["--faults", "stt.explode=0.3"], ["explode"])
    expect_error(sof, c + ["--faults", "grader.crash=2"], ["probability"])
    expect_error(sof, c + ["--questions", "ticketing-flash-sale,nope"], ["nope"])
    missing = os.path.join(d, "no", "such", "dir", "r.html")
    expect_error(sof, c + ["--report", missing], ["does not exist"])
    expect_error(sof, c + ["--report", d], ["is a directory"])
    expect_error(sof, ["chaos", "--audio", os.path.join(d, "missing.wav")], ["missing.wav"])
    check(os.listdir(d) == [], f"bad input left {os.listdir(d)}")


CASES = {name[5:]: f for name, f in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    sof, data, cases = sys.argv[1], sys.argv[2], sys.argv[3:]
    check(cases and all(c in CASES for c in cases), f"cases: {' '.join(CASES)}")
    for case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            CASES[case](sof, data, tmp)
    print("ok")
