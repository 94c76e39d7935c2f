"""Helpers shared by the CLI end-to-end tests (imported from the script's
own folder, which python puts on sys.path)."""
import os
import sys

# Sanitizer builds run several times slower; tests/CMakeLists.txt puts the
# factor in SOF_TEST_TIME_SCALE and every wait on `sof` is multiplied by it.
TIME_SCALE = float(os.environ.get("SOF_TEST_TIME_SCALE") or 1)


# A sanitizer build: checks about speed or memory hold only without one.
INSTRUMENTED = TIME_SCALE > 1


def scaled(seconds):
    return seconds * TIME_SCALE


def words(text):
    out = []
    for w in text.lower().replace("-", " ").split():
        w = "".join(c for c in w if c.isalnum() or c == "'").strip("'")
        if w:
            out.append(w)
    return out


def wer(ref, hyp):
    """(word errors, reference words) by Levenshtein over normalised words."""
    r, h = words(ref), words(hyp)
    d = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(h) + 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (r[i - 1] != h[j - 1]))
            prev, d[j] = d[j], cur
    return d[len(h)], len(r)


def check(cond, msg):
    if not cond:
        print("FAIL:", msg)
        sys.exit(1)
