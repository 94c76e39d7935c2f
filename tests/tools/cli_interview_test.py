#!/usr/bin/env python3
"""End-to-end checks of `sof interview` and `sof questions`: the real binary,
a spoken answer synthesised at build time (tools/samples/speak_turns.sh) and
the typed answers of tests/data/grading.

usage: cli_interview_test.py SOF DATA_DIR SOURCE_DIR CASE
"""
import json
import os
import subprocess
import sys
import tempfile

from cli_common import check, scaled


def run(sof, *args, timeout=600):
    p = subprocess.run([sof, *args], capture_output=True, text=True,
                       timeout=scaled(timeout))
    return p.returncode, p.stdout, p.stderr


def scorecard(sof, *args):
    rc, out, err = run(sof, "interview", "--json", *args)
    check(rc == 0, f"rc={rc}: {err[-2000:]}")
    return json.loads(out)


def check_shape(card):
    for key in ("verdict", "overall", "dimensions", "followups", "transcript",
                "improvements"):
        check(key in card, f"missing {key}")
    check(card["verdict"] in ("scale", "fail"), card["verdict"])
    check(0 <= card["overall"] <= 100, card["overall"])
    for d in card["dimensions"]:
        for key in ("name", "score", "status", "evidence", "missing", "citations"):
            check(key in d, f"dimension lacks {key}")


def case_spoken(sof, data, src, ):
    wav = os.path.join(data, "samples", "ticketing_interview.wav")
    with tempfile.TemporaryDirectory() as d:
        html = os.path.join(d, "report.html")
        card = scorecard(sof, "--question", "ticketing-flash-sale", "--audio",
                         wav, "--html", html)
        check_shape(card)
        names = [x["name"] for x in card["dimensions"]]
        check(names == ["requirements", "architecture", "data", "scalability",
                        "reliability", "communication"], names)
        asked = [f for f in card["followups"] if f["action"] == "ask"]
        check(asked, f"no follow-up asked: {card['followups']}")
        for f in asked:
            # A question, or a request for one ("Walk me through what
            # happens.", as two hand rubric follow-ups are written).
            last = f["text"].rstrip().rsplit(". ", 1)[-1]
            check(last.endswith("?") or last.startswith("Walk me through"), f["text"])
        check(len({f["point_id"] for f in asked}) == len(asked), "repeated point")
        check("conditional update" in card["transcript"]
              or "waiting room" in card["transcript"], card["transcript"][:200])
        quotes = [e["quote"] for x in card["dimensions"] for e in x["evidence"]]
        check(quotes and all(q.strip() for q in quotes), "no evidence quotes")
        cites = [c for x in card["dimensions"] for c in x["citations"]]
        check(cites and all(c["attribution"] for c in cites), "citations lack attribution")
        report = open(html).read()
        check("<svg" in report and "Ticketing" in report, "html report")
        for f in asked:
            print("follow-up:", f["text"])
        print("verdict", card["verdict"], round(card["overall"], 1))
        # A strong, concise answer (typed: Scale, 72; spoken through kal16: 79): it keeps Scale.
        check(card["verdict"] == "scale" and 62 <= card["overall"] <= 90,
              (card["verdict"], card["overall"], card.get("reason")))


def case_typed_levels(sof, data, src):
    base = os.path.join(src, "tests", "data", "grading", "rate-limiter")
    overall = {}
    for level in ("strong", "partial", "weak", "off-topic"):
        card = scorecard(sof, "--question", "rate-limiter", "--text",
                         os.path.join(base, level + ".txt"))
        check_shape(card)
        overall[level] = card["overall"]
        if level == "strong":
            check(card["verdict"] == "scale", f"strong: {card['verdict']}")
        if level in ("weak", "off-topic"):
            check(card["verdict"] == "fail", f"{level}: {card['verdict']}")
    print(overall)
    check(overall["strong"] > overall["partial"] > overall["weak"], overall)
    check(overall["partial"] > overall["off-topic"], overall)


def case_question_text(sof, data, src):
    base = os.path.join(src, "tests", "data", "grading", "url-shortener")
    card = scorecard(sof, "--question-text",
                     "Design a service that turns long links into short ones",
                     "--text", os.path.join(base, "strong.txt"))
    check_shape(card)
    check(len(card["dimensions"]) == 6, card["dimensions"])
    # An expert answer reaches Scale without a hand rubric, and the card
    # shows the rubric it was graded against, with the question's own asks.
    check(card["verdict"] == "scale", (card["overall"], card["reason"]))
    points = [p["id"] for d in card["derived_rubric"] for p in d["points"]]
    check(len(card["derived_rubric"]) == 6 and "arch-components" in points, points)
    check(card["relevance"] == 1.0, card["relevance"])
    # The same answer to a different question fails, and says why.
    other = scorecard(sof, "--question-text",
                      "Design a ride-hailing service like Uber: riders request a ride, "
                      "and nearby drivers are matched.",
                      "--text", os.path.join(base, "strong.txt"))
    check(other["verdict"] == "fail", other["verdict"])
    check(other["relevance"] < 0.5 and other["overall"] < card["overall"],
          (other["relevance"], other["overall"]))
    check("rider" in " ".join(other["unmentioned"]) or "little" in other["reason"]
          or "another question" in other["reason"], other["reason"])


def case_grader_chaos(sof, data, src):
    text = os.path.join(src, "tests", "data", "grading", "rate-limiter", "strong.txt")
    clean = scorecard(sof, "--question", "rate-limiter", "--text", text)
    # Crashes are restarted: the verdict and scores stay those of the clean run.
    restarted = 0
    for seed in (1, 2, 3):
        card = scorecard(sof, "--question", "rate-limiter", "--text", text,
                         "--chaos", "grader.crash=0.4", "--seed", str(seed))
        restarted += card["restarts"].get("grader", 0)
        if not card["unavailable"]:
            check(card["verdict"] == clean["verdict"], f"seed {seed}")
            check(abs(card["overall"] - clean["overall"]) < 1e-6, f"seed {seed}")
    check(restarted > 0, "no grader was restarted: the check proves nothing")
    # A grader that never answers is reported unavailable, never a zero.
    card = scorecard(sof, "--question", "rate-limiter", "--text", text,
                     "--chaos", "grader.reliability.hang=1.0", "--config",
                     os.path.join(src, "tests", "tools", "fast_graders.toml"))
    rel = [d for d in card["dimensions"] if d["name"] == "reliability"][0]
    check(rel["status"] == "unavailable", rel)
    check("reliability" in card["unavailable"], card["unavailable"])
    print("hung grader:", rel["note"])


def case_questions(sof, data, src):
    rc, out, err = run(sof, "questions", "--json")
    check(rc == 0, err)
    ids = [q["id"] for q in json.loads(out)["questions"]]
    for must in ("ticketing-flash-sale", "task-processing-llm",
                 "load-balancer-dispatcher", "realtime-speech-feedback",
                 "project-deep-dive"):
        check(must in ids, must)
    rc, out, err = run(sof, "interview", "--question", "nope", "--text", __file__)
    check(rc == 2 and "unknown question" in err, err)
    # The rubric of an ad-hoc question, before anyone answers it.
    rc, out, err = run(sof, "questions", "--json", "--derive",
                       "Design a ride-hailing service like Uber: riders request a ride, "
                       "and nearby drivers are matched.")
    check(rc == 0, err)
    q = json.loads(out)
    check(q["derived"] is True and len(q["dimensions"]) == 6, q.get("derived"))
    arch = [d for d in q["dimensions"] if d["name"] == "architecture"][0]
    asks = [p["point"] for p in arch["points"] if p["id"].startswith("ask-")]
    check(any("drivers are matched" in a for a in asks), asks)
    rc, out, err = run(sof, "questions", "--derive", "  ")
    check(rc == 2 and "question's text" in err, err)


CASES = {
    "spoken": case_spoken,
    "typed_levels": case_typed_levels,
    "question_text": case_question_text,
    "grader_chaos": case_grader_chaos,
    "questions": case_questions,
}

if __name__ == "__main__":
    sof, data, src, case = sys.argv[1:5]
    CASES[case](sof, data, src)
    print("ok")
