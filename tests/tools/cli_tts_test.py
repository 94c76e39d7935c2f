#!/usr/bin/env python3
"""End-to-end checks of `sof say` and `sof tts-race`, run by ctest: the real
binary with the local providers (flite, espeak-ng), round-tripped through
`sof transcribe`, under injected delays, and on bad input.

usage: cli_tts_test.py SOF CASE...
"""
import array
import json
import math
import os
import subprocess
import sys
import tempfile
import wave

from cli_common import words, wer, check, scaled

QUESTIONS = [
    "Can you put some numbers on the traffic at the moment the sale opens?",
    "How would you shard the orders table once a single database can no longer keep up?",
]
TEXT = QUESTIONS[0]
PCT_KEYS = {"p50", "p95", "p99"}
PROVIDER_KEYS = {"ttfb_ms", "total_ms", "wins", "failures", "cpu_ms_per_utterance"}
POLICY_KEYS = {"name", "providers", "ttfb_ms", "total_ms", "runs", "failures",
               "cpu_ms_per_utterance"}


def run(sof, *args, stdin=None, timeout=300):
    p = subprocess.run([sof, *args], input=stdin, capture_output=True,
                       timeout=scaled(timeout),
                       stdin=subprocess.DEVNULL if stdin is None else None)
    return (p.returncode, p.stdout.decode(errors="replace"),
            p.stderr.decode(errors="replace"))


def read_wav(path, text):
    """Checks the format sof say promises; returns (seconds, RMS)."""
    with wave.open(path, "rb") as w:
        check(w.getnchannels() == 1, f"{path}: {w.getnchannels()} channels")
        check(w.getframerate() == 16000, f"{path}: {w.getframerate()} Hz")
        check(w.getsampwidth() == 2, f"{path}: {8 * w.getsampwidth()}-bit")
        samples = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    seconds = len(samples) / 16000
    n = len(words(text))
    check(0.15 * n <= seconds <= 0.8 * n, f"{path}: {seconds:.2f} s for {n} words")
    rms = math.sqrt(sum(s * s for s in samples) / max(len(samples), 1))
    return seconds, rms


def say(sof, path, text, *opts, stdin=False):
    rc, _, err = run(sof, "say", "-" if stdin else text, *opts, "--out", path,
                     stdin=text.encode() if stdin else None)
    check(rc == 0, f"say {opts}: rc={rc} {err}")
    check(os.path.isfile(path), f"say did not write {path}")
    return read_wav(path, text)


def transcribe(sof, path):
    rc, out, err = run(sof, "transcribe", "--json", "--quiet", path)
    check(rc == 0, f"transcribe {path}: rc={rc} {err}")
    return json.loads(out)["text"]


def case_say_round_trip(sof, d):
    errors = total = 0
    for i, text in enumerate(QUESTIONS):
        path = os.path.join(d, f"q{i}.wav")
        secs, rms = say(sof, path, text, "--provider", "flite", "--voice", "kal16")
        hyp = transcribe(sof, path)
        e, n = wer(text, hyp)
        print(f"flite:kal16 {secs:.2f} s, rms {rms:.0f}: '{hyp}' ({e}/{n})")
        errors, total = errors + e, total + n
    rate = errors / total
    print(f"round-trip WER flite:kal16: {rate:.3f}")
    check(rate <= 0.35, f"WER {rate:.3f} > 0.35")
    secs, rms = say(sof, os.path.join(d, "espeak.wav"), TEXT, "--provider", "espeak")
    print(f"espeak {secs:.2f} s, rms {rms:.0f}")
    check(rms > 300, f"espeak audio is silent (rms {rms:.0f})")
    path = os.path.join(d, "stdin.wav")
    secs, rms = say(sof, path, QUESTIONS[1], "--provider", "flite", stdin=True)
    e, n = wer(QUESTIONS[1], transcribe(sof, path))
    print(f"stdin: {secs:.2f} s, rms {rms:.0f}, {e}/{n} words wrong")
    check(rms > 300 and e / n <= 0.35, "text read from stdin was not spoken")


def expect_error(sof, args, needles, stdin=None, out=None):
    rc, _, err = run(sof, *args, stdin=stdin, timeout=60)
    lines = [l for l in err.splitlines() if l.strip()]
    shown = " ".join("TEXT" if a == TEXT else a for a in args)[:70]
    check(0 < rc < 128, f"{shown!r}: rc={rc} (crash or success)")
    check(len(lines) == 1 and lines[0].startswith("sof: error:"), f"{shown!r}: {err!r}")
    for needle in needles:
        check(needle in err, f"{shown!r}: expected '{needle}' in {err!r}")
    if out:
        check(not os.path.isfile(out), f"{shown!r}: created {out}")
    print(f"{shown!r}: {lines[0][:110]}")


def case_say_bad_input(sof, d):
    out = os.path.join(d, "out.wav")
    say_ = lambda *a: ["say", *a, "--out", out]
    expect_error(sof, say_(""), ["empty"], out=out)
    expect_error(sof, say_(" \t\n  "), ["empty"], out=out)
    expect_error(sof, say_(TEXT, "--provider", "festival"), ["festival", "known"], out=out)
    expect_error(sof, say_(TEXT, "--provider", "flite", "--voice", "hal9000"),
                 ["unknown voice", "hal9000"], out=out)
    missing = os.path.join(d, "no", "such", "dir", "x.wav")
    expect_error(sof, ["say", TEXT, "--out", missing], ["does not exist"], out=missing)
    expect_error(sof, ["say", TEXT, "--out", d], ["is a directory"])
    check(os.listdir(d) == [], f"say into a directory left {os.listdir(d)}")
    expect_error(sof, say_("-"), ["200001", "200000"], stdin=b"a" * 200001, out=out)
    expect_error(sof, say_("-"), ["UTF-8"], stdin=b"abc \xff\xfe", out=out)
    expect_error(sof, say_(TEXT, "--chaos", "tts.espeak.explode=1"), ["explode"], out=out)
    expect_error(sof, say_(TEXT, "--chaos", "tts.flite.delay=soon"), ["duration"], out=out)


def race(sof, *args):
    rc, out, err = run(sof, "tts-race", "--text", TEXT, "--json", *args)
    check(rc == 0, f"tts-race {args}: rc={rc} {err}")
    doc = json.loads(out)
    check(doc["policy"]["failures"] == 0, f"{args}: policy failures {doc['policy']}")
    wins = {p: v["wins"] for p, v in doc["providers"].items()}
    ttfb = doc["policy"]["ttfb_ms"]
    print(f"{' '.join(args)}: wins {wins}, policy ttfb p50 {ttfb['p50']:.2f} "
          f"p99 {ttfb['p99']:.2f} ms, alone p50 "
          + ", ".join(f"{p} {v['ttfb_ms']['p50']:.2f}" for p, v in doc["providers"].items()))
    return doc, wins


def check_pcts(what, p):
    check(set(p) == PCT_KEYS, f"{what}: keys {sorted(p)}")
    check(0 < p["p50"] <= p["p95"] <= p["p99"], f"{what}: {p}")


def case_race_json(sof, d):
    doc, wins = race(sof, "--runs", "8")
    check(set(doc) == {"runs", "texts", "chaos", "providers", "policy"}, f"keys {sorted(doc)}")
    check(doc["runs"] == 8 and doc["texts"] == 1 and doc["chaos"] == "none", str(doc))
    check(set(doc["providers"]) == {"flite:kal16", "espeak"}, f"{sorted(doc['providers'])}")
    for name, p in doc["providers"].items():
        check(set(p) == PROVIDER_KEYS, f"{name}: keys {sorted(p)}")
        check(p["failures"] == 0, f"{name}: {p['failures']} failures alone")
        check(p["cpu_ms_per_utterance"] > 0, f"{name}: cpu {p['cpu_ms_per_utterance']}")
        check_pcts(f"{name} ttfb_ms", p["ttfb_ms"])
        check_pcts(f"{name} total_ms", p["total_ms"])
    pol = doc["policy"]
    check(set(pol) == POLICY_KEYS, f"policy keys {sorted(pol)}")
    check(pol["name"] == "race" and pol["runs"] == 8, f"policy {pol}")
    check(pol["providers"] == ["flite:kal16", "espeak"], f"policy {pol['providers']}")
    check_pcts("policy ttfb_ms", pol["ttfb_ms"])
    check_pcts("policy total_ms", pol["total_ms"])
    check(sum(wins.values()) == 8, f"wins {wins} do not sum to 8 runs")


def case_race_delay(sof, d):
    for slow, fast in (("espeak", "flite:kal16"), ("flite", "espeak")):
        doc, wins = race(sof, "--providers", "flite:kal16,espeak", "--policy", "race",
                         "--chaos", f"tts.{slow}.delay=300ms", "--runs", "6")
        check(wins[fast] == 6, f"delayed {slow}: {fast} won {wins}")
        slow_name = "espeak" if slow == "espeak" else "flite:kal16"
        check(doc["providers"][slow_name]["ttfb_ms"]["p50"] >= 300,
              f"the delay did not apply to {slow}: {doc['providers'][slow_name]}")
        check(doc["policy"]["ttfb_ms"]["p99"] < 300, f"race waited: {doc['policy']}")


def case_hedge(sof, d):
    doc, wins = race(sof, "--policy", "hedge", "--providers", "flite:kal16,espeak",
                     "--hedge-delay", "80", "--chaos", "tts.flite.delay=400ms",
                     "--runs", "5")
    pol = doc["policy"]
    check(wins == {"espeak": 5, "flite:kal16": 0}, f"slow primary: wins {wins}")
    check(80 <= pol["ttfb_ms"]["p50"] < 400, f"hedge ttfb {pol['ttfb_ms']}")
    check(pol.get("hedge_delay_ms") == 80, f"hedge_delay_ms {pol.get('hedge_delay_ms')}")
    doc, wins = race(sof, "--policy", "hedge", "--providers", "flite:kal16,espeak",
                     "--hedge-delay", "300", "--runs", "5")
    check(wins == {"espeak": 0, "flite:kal16": 5}, f"healthy primary: wins {wins}")
    check(doc["policy"]["ttfb_ms"]["p99"] < 300, f"hedge waited: {doc['policy']}")
    check(doc["policy"].get("hedge_delay_ms") == 300, f"{doc['policy']}")


def case_report(sof, d):
    path = os.path.join(d, "race.html")
    rc, out, err = run(sof, "tts-race", "--text", TEXT, "--runs", "5", "--report", path)
    check(rc == 0, f"rc={rc} {err}")
    check("flite:kal16" in out and "espeak" in out and "report: " + path in out,
          f"text table: {out!r}")
    with open(path, encoding="utf-8") as f:
        page = f.read()
    print(f"{path}: {len(page)} bytes, {page.count('<svg')} plots")
    check(page.lstrip().lower().startswith("<!doctype html>"), "not an HTML page")
    check("<svg" in page, "no plot")
    check("flite:kal16" in page and "espeak" in page, "provider names missing")
    check("http://" not in page and "https://" not in page, "external reference")
    check("<table" in page and page.count("<tr") >= 4, "no table of the 3 rows")


def case_race_bad_input(sof, d):
    rc, _, err = run(sof, "tts-race", "--runs", "1", timeout=60)
    check(0 < rc < 128 and "--text" in err, f"no text: rc={rc} {err!r}")
    print(f"no text: rc={rc}: {err.splitlines()[0]}")
    comments = os.path.join(d, "comments.txt")
    with open(comments, "w") as f:
        f.write("# only comments\n#\n\n   \n")
    expect_error(sof, ["tts-race", "--texts", os.path.join(d, "missing.txt")], ["missing.txt"])
    expect_error(sof, ["tts-race", "--texts", comments], ["no texts"])
    t = ["tts-race", "--text", TEXT]
    expect_error(sof, t + ["--policy", "fastest"], ["fastest", "single, race, hedge"])
    expect_error(sof, t + ["--policy", "race", "--providers", "espeak"], ["two --providers"])
    expect_error(sof, t + ["--runs", "0"], ["--runs"])
    expect_error(sof, t + ["--providers", "flite:hal9000"], ["--providers"])
    expect_error(sof, t + ["--providers", "flite:hal9000", "--policy", "single"],
                 ["unknown voice", "hal9000"])
    expect_error(sof, t + ["--providers", "espeak,flite:hal9000"], ["unknown voice"])


CASES = {name[5:]: f for name, f in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    sof, cases = sys.argv[1], sys.argv[2:]
    check(cases and all(c in CASES for c in cases), f"cases: {' '.join(CASES)}")
    for case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            CASES[case](sof, tmp)
    print("ok")
