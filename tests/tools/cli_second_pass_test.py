#!/usr/bin/env python3
"""End-to-end checks of the second-pass recogniser (docs/stt.md "Second
pass"), run by ctest: `sof transcribe --config FILE` on real speech with
[stt] second_pass = "openai" pointed at a loopback OpenAI-compatible server
(tests/actors/providers/stt/openai_transcriptions_server.py, which echoes
what it received instead of recognising it).

healthy: every segment carries the server's text and recognizer "openai",
  with the local text as its first alternative.
error500, garbled, hang: every segment carries the local final (the same
  text as a run without a second pass, recognizer "pocketsphinx"), emitted
  within the deadline of its utterance closing, measured in a real-time
  run from the session journal.

usage: cli_second_pass_test.py SOF SOURCE_DIR SHARED_DIR CASE
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
import wave

from cli_common import check, scaled

DEADLINE_MS = 1500
UTTERANCE_END_S = 0.45  # capture closes an utterance after this much silence


def run(sof, *args, timeout=300):
    p = subprocess.run([sof, *args], capture_output=True, text=True,
                       timeout=scaled(timeout))
    return p.returncode, p.stdout, p.stderr


def two_utterances(shared, path):
    """goforward, 1 s of silence, cards, 1 s of silence: two utterances that
    each close on their own silence, also when fed in real time."""
    frames, params = [], None
    for name in ("pocketsphinx_goforward.wav", "pocketsphinx_cards_001.wav"):
        with wave.open(os.path.join(shared, "speech", name)) as w:
            p = (w.getnchannels(), w.getsampwidth(), w.getframerate())
            check(p == (1, 2, 16000), f"{name}: expected 16 kHz mono PCM16, got {p}")
            params = w.getparams()
            frames.append(w.readframes(w.getnframes()))
            frames.append(b"\0\0" * 16000)
    with wave.open(path, "wb") as out:
        out.setparams(params)
        out.writeframes(b"".join(frames))


class server:
    """The loopback protocol server, for the lifetime of a `with` block."""

    def __init__(self, source):
        script = os.path.join(source, "tests", "actors", "providers", "stt",
                              "openai_transcriptions_server.py")
        self.proc = subprocess.Popen([sys.executable, script],
                                     stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def stats(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/stats",
                                    timeout=5) as r:
            return json.loads(r.read())


def config(directory, port, model):
    path = os.path.join(directory, "second_pass.toml")
    with open(path, "w") as f:
        f.write(f"""[stt]
second_pass = "openai"
second_pass_deadline_ms = {DEADLINE_MS}

[stt.openai]
url = "http://127.0.0.1:{port}/v1/audio/transcriptions"
model = "{model}"
api_key_env = "SOF_TEST_STT_KEY_UNSET"
""")
    return path


def journal(sof, path, *types):
    """[(seconds since session start, type, summary)] from `sof replay`."""
    args = ["replay", path]
    for t in types:
        args += ["--type", t]
    rc, out, err = run(sof, *args)
    check(rc == 0, f"sof replay: {err}")
    rows = []
    for line in out.splitlines()[1:]:
        m = re.match(r"\s*([\d.]+)s\s+(\S+)\s+(\S+)\s+(.*)$", line)
        if m:
            rows.append((float(m.group(1)), m.group(3), m.group(4)))
    return rows


def emission_lags(sof, path):
    """Per segment of a real-time run: seconds from the audio of the
    utterance's end reaching the session to its segment."""
    rows = journal(sof, path, "audio_frame", "transcript_segment")
    frames = []  # (audio ms, arrival s)
    lags = []
    for t, typ, summary in rows:
        if typ == "audio_frame":
            frames.append((int(re.search(r"ts=(\d+)ms", summary).group(1)), t))
        else:
            end_ms = float(re.search(r"-([\d.]+)s\]", summary).group(1)) * 1000
            arrived = next(at for ts, at in frames if ts >= end_ms - 20)
            lags.append(t - arrived)
    return lags


def outcomes(sof, path):
    rows = journal(sof, path, "second_pass_outcome")
    return [re.search(r'"(won|late|failed)"', s).group(1) for _, _, s in rows]


def case_run(sof, source, shared, case):
    model = {"healthy": "echo", "error500": "error500", "garbled": "garbled",
             # Far longer than the deadline: the HTTP call gives up at
             # deadline + 500 ms, long before the server would answer.
             "hang": "sleep:20000"}[case]
    with tempfile.TemporaryDirectory() as d:
        wav = os.path.join(d, "two.wav")
        two_utterances(shared, wav)
        rc, out, err = run(sof, "transcribe", "--json", "--quiet", wav)
        check(rc == 0, f"reference run: {err}")
        clean = json.loads(out)
        check(len(clean["segments"]) == 2,
              f"expected two utterances, got {clean['segments']}")
        with server(source) as srv:
            cfg = config(d, srv.port, model)
            jpath = os.path.join(d, "fast.journal")
            rc, out, err = run(sof, "transcribe", "--json", "--quiet", "--config",
                               cfg, "--journal", jpath, wav)
            check(rc == 0, f"rc={rc}: {err}")
            doc = json.loads(out)
            segs = doc["segments"]
            check(len(segs) == len(clean["segments"]),
                  f"{len(segs)} segments, {len(clean['segments'])} without a second pass")
            kinds = outcomes(sof, jpath)
            print(f"{case}: outcomes {kinds}; segments "
                  + "; ".join(f"{s.get('recognizer')}: '{s['text']}'" for s in segs))
            if case == "healthy":
                for seg, ref in zip(segs, clean["segments"]):
                    check(seg.get("recognizer") == "openai", f"recognizer {seg}")
                    check(seg["text"].startswith("received "), f"text {seg['text']}")
                    check(seg["alternatives"][:1] == [ref["text"]],
                          f"local text not first alternative: {seg['alternatives']}"
                          f" vs '{ref['text']}'")
                check(kinds == ["won", "won"], f"outcomes {kinds}")
            else:
                check(doc["text"] == clean["text"],
                      f"'{doc['text']}' != '{clean['text']}'")
                for seg in segs:
                    check(seg.get("recognizer") == "pocketsphinx", f"recognizer {seg}")
                check("won" not in kinds, f"outcomes {kinds}")
                if case != "hang":  # a hang's failures may land after the end
                    check(kinds == ["failed", "failed"], f"outcomes {kinds}")
            # Real time: each segment within the deadline of its utterance
            # closing (loosely: 2 s of slack for a loaded machine).
            jpath = os.path.join(d, "realtime.journal")
            rc, out, err = run(sof, "transcribe", "--realtime", "--quiet",
                               "--config", cfg, "--journal", jpath, wav)
            check(rc == 0, f"realtime rc={rc}: {err}")
            lags = emission_lags(sof, jpath)
            print(f"{case}: segment lags after the end of speech "
                  + ", ".join(f"{x:.2f}s" for x in lags))
            check(len(lags) == 2, f"lags {lags}")
            bound = UTTERANCE_END_S + DEADLINE_MS / 1000 + scaled(2.0)
            for lag in lags:
                check(lag < bound, f"segment {lag:.2f}s after the end of speech "
                                   f"(bound {bound:.2f}s)")
            # At most one request per utterance (a failed one is not
            # retried, one still queued at its deadline is never sent) and
            # one at a time per session: a hung server gets no pile.
            st = srv.stats()
            print(f"{case}: server {st}")
            utterances = 2 * len(clean["segments"])  # two runs
            check(2 <= st["requests"] <= utterances,
                  f"{st['requests']} requests for {utterances} utterances")
            if case == "healthy":
                check(st["requests"] == utterances, f"requests: {st}")
            if case != "hang":
                # A hung request is counted until the server notices the
                # client hung up (within a few ms): no exact count there.
                check(st["max_in_flight"] <= 1, f"requests piled up: {st}")


if __name__ == "__main__":
    sof, source, shared, case = sys.argv[1:5]
    case_run(sof, source, shared, case)
    print("ok")
