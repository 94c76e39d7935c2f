#!/usr/bin/env python3
"""Builds the speech-to-text domain adaptation at build time.

Outputs (into --out):
  corpus.txt   normalised training text, one "<s> ... </s>" sentence a line
  domain.arpa  trigram LM (irstlm, improved Kneser-Ney), ARPA text
  domain.dict  pronunciations (CMU phone set) for LM words missing from the
               general dictionary: hand lexicon first, espeak-ng otherwise

Inputs: the knowledge base (../shared/kb, optional: absent on a bare clone)
plus the hand-written domain text in config/stt/. Only Debian tools are used
(irstlm, espeak-ng); the whole run takes a few seconds.
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

ONES = ("zero one two three four five six seven eight nine ten eleven twelve "
        "thirteen fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
SCALES = [(10**9, "billion"), (10**6, "million"), (1000, "thousand"),
          (100, "hundred")]


def number_words(n):
    """Spells a non-negative integer the way people say it."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    for value, name in SCALES:
        if n >= value:
            head = number_words(n // value) + " " + name
            rest = n % value
            return head if rest == 0 else head + " " + number_words(rest)
    return ""


def spell_number(token):
    """'2.5' -> 'two point five', '1,000' -> 'one thousand', '1990s' -> ..."""
    token = token.replace(",", "")
    m = re.fullmatch(r"(\d+)(?:\.(\d+))?", token)
    if not m or len(m.group(1)) > 12:
        return None
    out = number_words(int(m.group(1)))
    if m.group(2):
        out += " point " + " ".join(ONES[int(d)] for d in m.group(2))
    return out


# Units and symbols as spoken in an interview answer.
SUFFIXES = {"k": "thousand", "m": "million", "b": "billion", "ms": "milliseconds",
            "s": "seconds", "gb": "gigabytes", "tb": "terabytes",
            "mb": "megabytes", "kb": "kilobytes", "pb": "petabytes",
            "x": "times", "th": "", "st": "", "nd": "", "rd": "", "%": "percent"}


def normalize_line(line):
    """Turns one line of prose into sentences of lower-case spoken words."""
    line = re.sub(r"`[^`]*`", " ", line)                 # inline code
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # md links
    line = re.sub(r"https?://\S+|www\.\S+|\S+@\S+", " ", line)
    line = re.sub(r"<[^>]+>", " ", line)
    line = line.replace("&", " and ").replace("%", " percent ")
    line = re.sub(r"\bp(\d\d)\b", lambda m: "p " + m.group(1), line,
                  flags=re.I)  # p95 -> p 95
    sentences = re.split(r"(?<=[.!?;:])\s+|[.!?;:]$|\s[-–—]+\s|[()\[\]{}|]", line)
    out = []
    for s in sentences:
        words = []
        for tok in re.split(r"[\s/\-_,\"“”‘*#=+<>~^]+", s):
            tok = tok.strip(".!?;:'’")
            if not tok:
                continue
            m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)([a-zA-Z%]*)", tok)
            if m:
                spelled = spell_number(m.group(1))
                suffix = m.group(2).lower()
                if spelled is None or suffix not in SUFFIXES and suffix:
                    words = None
                    break
                words += (spelled + " " + SUFFIXES.get(suffix, "")).split()
                continue
            tok = tok.lower().replace("’", "'")
            if not re.fullmatch(r"[a-z]+(?:'[a-z]+)?", tok):
                words = None  # code, symbols: drop the whole sentence
                break
            words.append(tok)
        if words and len(words) >= 3:
            out.append(words)
    return out


def read_prose(path):
    """Yields prose lines of a Markdown/text file, skipping code and tables."""
    in_code = False
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.strip()
            if line.startswith("```") or line.startswith("~~~"):
                in_code = not in_code
                continue
            if in_code or raw.startswith("    ") or line.startswith("|"):
                continue
            line = re.sub(r"^(#+|[-*+>]|\d+\.)\s*", "", line)
            if line:
                yield line


def read_domain(path):
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if line and not line.startswith("#"):
                yield line


def load_dict_words(path):
    words = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            w = line.split(" ", 1)[0]
            words.add(re.sub(r"\(\d+\)$", "", w))
    return words


def load_lexicon(path):
    """Hand lexicon: 'word PH ON ES' lines (several lines = variants)."""
    lex = collections.defaultdict(list)
    if os.path.exists(path):
        for line in read_domain(path):
            parts = line.split()
            lex[parts[0].lower()].append(" ".join(parts[1:]).upper())
    return lex


# espeak-ng phoneme mnemonics (-x, en-us) -> CMU phones; longest match first.
ESPEAK_TO_CMU = {
    "aI@": "AY ER", "aU@": "AW ER", "eI@": "EY ER",
    "aI": "AY", "aU": "AW", "eI": "EY", "oU": "OW", "OI": "OY",
    "A@": "AA R", "O@": "AO R", "e@": "EH R", "i@": "IH R", "U@": "UH R",
    "o@": "AO R", "i@3": "IH R", "3:": "ER", "@L": "AH L", "@r": "ER",
    "A:": "AA", "O:": "AO", "i:": "IY", "u:": "UW", "I2": "IH", "I#": "IH",
    "a#": "AH", "@2": "AH", "@5": "AH", "e#": "EH", "0": "AA", "a": "AE",
    "A": "AA", "O": "AO", "e": "EH", "E": "EH", "I": "IH", "i": "IY",
    "U": "UH", "u": "UW", "V": "AH", "@": "AH", "3": "ER", "o": "OW",
    "tS": "CH", "dZ": "JH", "t#": "T", "n-": "AH N", "l-": "AH L",
    "r-": "ER", "m-": "AH M", "p": "P", "b": "B", "t": "T", "d": "D",
    "k": "K", "g": "G", "f": "F", "v": "V", "T": "TH", "D": "DH", "s": "S",
    "z": "Z", "S": "SH", "Z": "ZH", "h": "HH", "m": "M", "n": "N",
    "N": "NG", "l": "L", "r": "R", "j": "Y", "w": "W", "x": "K", "?": "T",
    "C": "HH",
}
ESPEAK_KEYS = sorted(ESPEAK_TO_CMU, key=len, reverse=True)


def espeak_to_cmu(mnemonic):
    s = re.sub(r"[',%=_|:;]", lambda m: ":" if m.group(0) == ":" else "",
               mnemonic)
    phones, i = [], 0
    while i < len(s):
        for k in ESPEAK_KEYS:
            if s.startswith(k, i):
                phones += ESPEAK_TO_CMU[k].split()
                i += len(k)
                break
        else:
            i += 1  # length marks and unknown symbols carry no CMU phone
    # espeak writes some doubled consonants (e.g. across syllables).
    dedup = [p for j, p in enumerate(phones) if j == 0 or p != phones[j - 1]]
    return " ".join(dedup)


def espeak_pronunciations(words, espeak):
    """One espeak-ng run for all words: one word a line, one output a line."""
    if not words or not espeak:
        return {}
    res = subprocess.run([espeak, "-q", "-x", "-v", "en-us"],
                         input="\n".join(words) + "\n", capture_output=True,
                         text=True, check=True)
    lines = [l.strip() for l in res.stdout.splitlines() if l.strip()]
    if len(lines) != len(words):  # misaligned: fall back to one call a word
        lines = []
        for w in words:
            r = subprocess.run([espeak, "-q", "-x", "-v", "en-us", w],
                               capture_output=True, text=True, check=True)
            lines.append(r.stdout.strip())
    return {w: espeak_to_cmu(x) for w, x in zip(words, lines)}


def letters_pronunciation(word, cmudict_path, cache={}):
    """Acronyms spoken letter by letter ('cdn' -> 'S IY D IY EH N')."""
    if not cache:
        with open(cmudict_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                w, _, pron = line.strip().partition(" ")
                if len(w) == 1 and w.isalpha():
                    cache[w] = pron
    return " ".join(cache[c] for c in word)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kb", help="knowledge base folder (optional)")
    ap.add_argument("--domain-dir", required=True)
    ap.add_argument("--cmudict", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--irstlm", default="/usr/lib/irstlm")
    ap.add_argument("--domain-repeat", type=int, default=4,
                    help="copies of the hand-written text (weights it vs kb)")
    ap.add_argument("--kb-min-count", type=int, default=3,
                    help="kb sentences with rarer out-of-dictionary words "
                         "are dropped (names, typos, identifiers)")
    args = ap.parse_args()

    cmu_words = load_dict_words(args.cmudict)
    lexicon = load_lexicon(os.path.join(args.domain_dir, "lexicon.txt"))
    acronyms = set()
    acr_path = os.path.join(args.domain_dir, "acronyms.txt")
    if os.path.exists(acr_path):
        for line in read_domain(acr_path):
            acronyms.update(w.lower() for w in line.split())

    domain = []
    for name in sorted(os.listdir(args.domain_dir)):
        if name.endswith(".txt") and name not in ("lexicon.txt", "acronyms.txt"):
            for line in read_domain(os.path.join(args.domain_dir, name)):
                domain += normalize_line(line)

    kb = []
    if args.kb and os.path.isdir(args.kb):
        for root, _, files in os.walk(args.kb):
            for name in sorted(files):
                if name.endswith((".md", ".txt")) and name not in (
                        "SOURCE.txt", "README.md", "LICENSE.txt"):
                    for line in read_prose(os.path.join(root, name)):
                        kb += normalize_line(line)
    counts = collections.Counter(w for s in kb for w in s)
    known = cmu_words | set(lexicon) | acronyms | {w for s in domain for w in s}

    def keep(sentence):
        return all(w in known or counts[w] >= args.kb_min_count
                   for w in sentence)
    kb = [s for s in kb if keep(s)]

    os.makedirs(args.out, exist_ok=True)
    corpus = os.path.join(args.out, "corpus.txt")
    with open(corpus, "w", encoding="utf-8") as f:
        for s in kb + domain * args.domain_repeat:
            f.write("<s> " + " ".join(s) + " </s>\n")

    # Trigram, improved Kneser-Ney (irstlm maps it to improved shift-beta).
    env = dict(os.environ, IRSTLM=args.irstlm)
    tmp = tempfile.mkdtemp(prefix="sof_lm_")
    try:
        ilm = os.path.join(tmp, "domain.ilm.gz")
        subprocess.run([os.path.join(args.irstlm, "bin", "build-lm.sh"),
                        "-i", corpus, "-o", ilm, "-n", "3", "-k", "1",
                        "-s", "improved-kneser-ney", "-t",
                        os.path.join(tmp, "stat")],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        arpa = os.path.join(args.out, "domain.arpa")
        subprocess.run([os.path.join(args.irstlm, "bin", "compile-lm"), ilm,
                        "--text=yes", arpa], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    vocab = sorted({w for s in kb + domain for w in s})
    missing = [w for w in vocab if w not in cmu_words]
    # espeak-ng also for hand-lexicon words: its guess becomes an extra
    # variant, since people (and synthesizers) say "redis" both ways.
    espeak_words = [w for w in missing if w not in acronyms]
    espeak = espeak_pronunciations(espeak_words, shutil.which("espeak-ng"))
    entries = []
    for w in missing:
        if w in acronyms:
            prons = [letters_pronunciation(w, args.cmudict)]
        else:
            prons = list(lexicon.get(w, []))
            guess = espeak.get(w, "")
            if guess and guess not in prons:
                prons.append(guess)
        for i, p in enumerate(p for p in prons if p):
            entries.append((w if i == 0 else f"{w}({i + 1})", p))
    # Hand pronunciations for words cmudict knows are added as variants.
    for w, prons in sorted(lexicon.items()):
        if w in cmu_words:
            for i, p in enumerate(prons):
                entries.append((f"{w}(sof{i + 1})", p))
    with open(os.path.join(args.out, "domain.dict"), "w") as f:
        for w, p in entries:
            f.write(f"{w} {p}\n")
    print(f"domain lm: {len(kb)} kb + {len(domain)} domain sentences "
          f"(x{args.domain_repeat}), {len(vocab)} words, "
          f"{len(entries)} new pronunciations", file=sys.stderr)


if __name__ == "__main__":
    main()
