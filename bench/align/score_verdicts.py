#!/usr/bin/env python3
"""Scores the aligner's current drops on the real 10-K pairs against the hand
verdicts in bench/align/verdicts/*.md (every drop reported at commit 3a18c32,
judged one by one; see real-10k-judgement.md).

    python3 bench/align/score_verdicts.py [--reverse] [ALIGN_BENCH] [DATA_DIR]

ALIGN_BENCH defaults to target/release/examples/align_bench (build it with
`cargo build --release --examples`), DATA_DIR to
../shared/external/sec-10k-html. Prints, per pair, the drops reported, how
many have a verdict, and how many of those are false (false, layout and
unsure count as false); then the drops no verdict covers yet (judge them and
add rows to the verdict files), and the judged-false items no longer
reported. A verdict is keyed by company and old line; a change of the item
splitter that moves lines needs the verdicts re-keyed.
"""
import collections
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
# --reverse: the newer filing aligned against the older one (`drops
# reverse`), scored against verdicts/reverse-*.md and reverse2-*.md, two
# hand-judged even samples of 20 per pair, keyed by the NEWER file's line:
# items no rule was written against. Only the samples are judged; the rest
# show as unjudged.
args = [a for a in sys.argv[1:] if a != "--reverse"]
reverse = len(args) < len(sys.argv) - 1
bench = args[0] if len(args) > 0 else str(ROOT / "target/release/examples/align_bench")
data = args[1] if len(args) > 1 else str(ROOT.parent / "shared/external/sec-10k-html")

# Reverse samples: reverse-*.md (drawn in session 7) and reverse2-*.md (a
# second even sample of the items left unjudged, drawn in session 8 after
# that session's changes); each is scored on its own too.
verdicts, sample_of = {}, {}
for f in sorted((HERE / "verdicts").glob("*.md")):
    m = re.match(r"^(reverse\d*)-", f.stem)
    if bool(m) != reverse:
        continue
    company = f.stem[m.end():] if m else f.stem
    company = company.split("-")[0]
    for row in f.read_text().splitlines():
        if re.match(r"^\| \d", row):
            cells = [c.strip() for c in row.strip().strip("|").split("|")]
            verdicts[(company, int(cells[0]))] = (cells[3].lower(), cells[2])
            sample_of[(company, int(cells[0]))] = m.group(1) if m else "all"

cmd = [bench, data, "drops"] + (["reverse"] if reverse else [])
out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
drops = re.findall(r"^=== (\w+) line (\d+) (\w+): (.*)$", out, re.M)
reported, judged, false = collections.Counter(), collections.Counter(), collections.Counter()
s_judged, s_false = collections.Counter(), collections.Counter()
unjudged, seen = [], set()
for company, line, kind, text in drops:
    key = (company, int(line))
    seen.add(key)
    reported[company] += 1
    v = verdicts.get(key)
    if v is None:
        unjudged.append(f"{company} line {line} {kind}: {text[:100]}")
        continue
    judged[company] += 1
    s_judged[sample_of[key]] += 1
    if not v[0].startswith("true"):
        false[company] += 1
        s_false[sample_of[key]] += 1

print(f"{'pair':8} {'dropped':>8} {'judged':>7} {'false':>6} {'false %':>8}")
for c in sorted(reported):
    pct = 100 * false[c] / judged[c] if judged[c] else 0
    print(f"{c:8} {reported[c]:8} {judged[c]:7} {false[c]:6} {pct:7.1f}%")
tj, tf = sum(judged.values()), sum(false.values())
print(f"{'all':8} {sum(reported.values()):8} {tj:7} {tf:6} {100 * tf / max(tj, 1):7.1f}%")
if reverse:
    for smp in sorted(s_judged):
        j, f_ = s_judged[smp], s_false[smp]
        print(f"  sample {smp + '-*.md':13} judged {j:3}, false {f_:3} ({100 * f_ / max(j, 1):.1f}%)")
if unjudged and reverse:
    print(f"\n{len(unjudged)} reported item(s) outside the judged sample")
elif unjudged:
    print(f"\n{len(unjudged)} drop(s) with no verdict yet:")
    for u in unjudged:
        print("  " + u)
gone = [(k, v) for k, v in verdicts.items() if k not in seen and not v[0].startswith("true")]
if gone:
    print(f"\n{len(gone)} item(s) judged false and no longer reported:")
    for (c, l), (v, short) in sorted(gone):
        print(f"  {c} line {l} ({v}): {short}")
gone_true = [k for k, v in verdicts.items() if k not in seen and v[0].startswith("true")]
if gone_true:
    print(f"\n{len(gone_true)} item(s) judged TRUE and no longer reported (lost recall):")
    for c, l in sorted(gone_true):
        print(f"  {c} line {l}: {verdicts[(c, l)][1]}")
