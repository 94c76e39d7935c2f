#!/usr/bin/env python3
"""End-to-end checks of `sof transcribe` and `sof replay`, run by ctest:
the real binary on real recordings (../shared/speech, see its README for
sources and licences) and on bad input.

usage: cli_transcribe_test.py SOF SHARED_DIR CASE
"""
import json
import os
import subprocess
import sys
import tempfile

from cli_common import words, wer, check, scaled


def run(sof, *args, timeout=300):
    p = subprocess.run([sof, *args], capture_output=True, text=True,
                       timeout=scaled(timeout))
    return p.returncode, p.stdout, p.stderr


def transcripts(shared):
    rows = []
    with open(os.path.join(shared, "speech", "transcripts.tsv")) as f:
        next(f)
        for line in f:
            name, text = line.rstrip("\n").split("\t")[:2]
            rows.append((os.path.join(shared, "speech", name), text))
    return rows


def case_real_speech(sof, shared):
    errors = total = 0
    for path, ref in transcripts(shared):
        rc, out, err = run(sof, "transcribe", "--json", "--quiet", path)
        check(rc == 0, f"{path}: rc={rc} {err}")
        doc = json.loads(out)
        for key in ("text", "segments", "audio_seconds", "restarts", "delivery"):
            check(key in doc, f"missing {key} in JSON")
        check(doc["audio_seconds"] > 0.5, "audio_seconds")
        for seg in doc["segments"]:
            check(0 <= seg["start"] <= seg["end"] <= doc["audio_seconds"] + 0.01,
                  f"segment times {seg}")
        e, n = wer(ref, doc["text"])
        print(f"{os.path.basename(path)}: '{doc['text']}' ({e}/{n})")
        errors, total = errors + e, total + n
    rate = errors / total
    print(f"aggregate WER over the real recordings: {rate:.3f}")
    # The recogniser's own accuracy tests hold the tight bound; through the
    # whole actor tree the result must be the same order.
    check(rate <= 0.40, f"WER {rate:.3f} > 0.40")


def case_chaos_equals_clean(sof, shared):
    path = transcripts(shared)[0][0]  # the longest read sentence
    rc, out, err = run(sof, "transcribe", "--json", "--quiet", path)
    check(rc == 0, err)
    clean = json.loads(out)
    restarted = 0
    for seed in (1, 2, 3):
        rc, out, err = run(sof, "transcribe", "--json", "--quiet", "--chaos",
                           "stt.crash=0.3", "--seed", str(seed), path)
        check(rc == 0, f"seed {seed}: {err}")
        doc = json.loads(out)
        check(doc["text"] == clean["text"],
              f"seed {seed}: '{doc['text']}' != '{clean['text']}'")
        restarted += doc["restarts"]["stt"] > 0
        print(f"seed {seed}: restarts.stt={doc['restarts']['stt']}, text identical")
    check(restarted > 0, "no seed produced a restart: the check proves nothing")


def same_segments(a, b, confidence_tolerance=0.02):
    """Everything equal, confidences within the tolerance."""
    def strip(segs):
        return json.dumps([{**s, "words": [{k: v for k, v in w.items()
                                             if k not in ("confidence", "uncertain")}
                                            for w in s["words"]]}
                           for s in segs], sort_keys=True)
    if strip(a) != strip(b):
        return False
    return all(abs(x["confidence"] - y["confidence"]) <= confidence_tolerance
               for sa, sb in zip(a, b) for x, y in zip(sa["words"], sb["words"]))


def case_adapted_replay_is_exact(sof, shared):
    """A multi-utterance answer with session adaptation on (the default):
    after stt crashes every segment's text, word timings and alternatives
    are byte-identical to the fault-free run, because each replayed
    utterance restarts from the adaptation state it was first decoded from.
    Word confidences (lattice posteriors) may differ in the third decimal:
    measured 0.393 vs 0.396 on one word, so a fresh decoder's posteriors
    are not bit-exact with one that decoded earlier utterances (docs/stt.md).
    --question biases recognition and must replay as exactly."""
    sample = os.path.join(os.path.dirname(sof), "..", "share", "sof", "samples",
                          "ticketing_interview.wav")
    for extra in ([], ["--question", "ticketing-flash-sale"]):
        rc, out, err = run(sof, "transcribe", "--json", "--quiet", *extra, sample)
        check(rc == 0, err)
        clean = json.loads(out)
        segs = clean["segments"]
        check(len(segs) >= 3, f"{len(segs)} segments: adaptation is not exercised")
        for seg in segs:
            check(seg["recognizer"] == "pocketsphinx", f"recognizer {seg}")
            ws = seg["words"]
            check(" ".join(w["word"] for w in ws) == seg["text"],
                  f"words do not spell the text: {seg}")
            for a, b in zip(ws, ws[1:]):
                check(a["start"] <= b["start"], f"word times out of order: {a} {b}")
            for w in ws:
                check(0.0 <= w["confidence"] <= 1.0, f"confidence {w}")
                check(seg["start"] - 0.01 <= w["start"] <= w["end"] <= seg["end"] + 0.5,
                      f"word outside its segment: {w} in {seg['start']}..{seg['end']}")
        restarted = 0
        for seed in (1, 2):
            rc, out, err = run(sof, "transcribe", "--json", "--quiet", *extra,
                               "--chaos", "stt.crash=0.3", "--seed", str(seed), sample)
            check(rc == 0, f"seed {seed}: {err}")
            doc = json.loads(out)
            restarted += doc["restarts"]["stt"] > 0
            check(same_segments(doc["segments"], segs),
                  f"{extra} seed {seed}: segments differ after "
                  f"{doc['restarts']['stt']} restarts")
            print(f"{extra} seed {seed}: restarts.stt={doc['restarts']['stt']}, "
                  f"{len(segs)} segments identical")
        check(restarted > 0, "no seed produced a restart: the check proves nothing")


def case_journal_replay(sof, shared):
    path = transcripts(shared)[3][0]
    with tempfile.TemporaryDirectory() as d:
        journal = os.path.join(d, "s.journal")
        rc, out, err = run(sof, "transcribe", "--quiet", "--journal", journal,
                           "--chaos", "stt.crash=0.5", "--seed", "4", path)
        check(rc == 0, err)
        rc, out, err = run(sof, "replay", journal)
        check(rc == 0, err)
        check("transcript_segment" in out and "audio_frame" in out,
              "timeline lacks entries")
        rc, seg_only, err = run(sof, "replay", "--type", "transcript_segment",
                                journal)
        check(rc == 0 and "audio_frame" not in seg_only, "type filter")
        print(seg_only)
        with open(journal, "r+b") as f:
            f.truncate(os.path.getsize(journal) - 5)
        rc, out, err = run(sof, "replay", journal)
        check(rc == 0 and "truncated" in err, f"truncated journal: {rc} {err}")


def expect_clean_error(sof, args, needle):
    rc, out, err = run(sof, *args, timeout=60)
    lines = [l for l in err.splitlines() if l.strip()]
    check(rc != 0 and rc < 128, f"{args}: rc={rc} (crash or success)")
    check(lines and lines[-1].startswith("sof: error:"), f"{args}: {err!r}")
    check(needle in err, f"{args}: expected '{needle}' in {err!r}")
    print(f"{' '.join(args[1:])[:60]!r}: {lines[-1]}")


def case_bad_input(sof, shared):
    with tempfile.TemporaryDirectory() as d:
        empty = os.path.join(d, "empty.wav")
        open(empty, "w").close()
        text = os.path.join(d, "notes.wav")
        with open(text, "w") as f:
            f.write("not audio at all\n" * 20)
        trunc = os.path.join(d, "trunc.wav")
        with open(transcripts(shared)[0][0], "rb") as f:
            data = f.read()
        with open(trunc, "wb") as f:
            f.write(data[: len(data) // 3])
        rate = os.path.join(d, "rate.wav")
        import struct
        with open(rate, "wb") as f:
            f.write(b"RIFF" + struct.pack("<I", 44) + b"WAVE")
            f.write(b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 1, 2, 2, 16))
            f.write(b"data" + struct.pack("<I", 8) + b"\0" * 8)
        badcfg = os.path.join(d, "bad.toml")
        with open(badcfg, "w") as f:
            f.write("[capture]\nend_of_trun_ms = 3\n")
        good = transcripts(shared)[3][0]
        expect_clean_error(sof, ["transcribe", os.path.join(d, "missing.wav")], "no such file")
        expect_clean_error(sof, ["transcribe", empty], "empty file")
        expect_clean_error(sof, ["transcribe", text], "not a readable audio file")
        expect_clean_error(sof, ["transcribe", trunc], "truncated")
        expect_clean_error(sof, ["transcribe", rate], "sample rate")
        expect_clean_error(sof, ["transcribe", "--chaos", "stt.crash=2", good], "probability")
        expect_clean_error(sof, ["transcribe", "--config", badcfg, good], "end_of_trun_ms")
        expect_clean_error(sof, ["replay", text], "journal")


CASES = {
    "real_speech": case_real_speech,
    "chaos_equals_clean": case_chaos_equals_clean,
    "adapted_replay_is_exact": case_adapted_replay_is_exact,
    "journal_replay": case_journal_replay,
    "bad_input": case_bad_input,
}

if __name__ == "__main__":
    sof, shared, case = sys.argv[1:4]
    CASES[case](sof, shared)
    print("ok")
