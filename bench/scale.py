#!/usr/bin/env python3
"""Scale benchmark for `claimdiff check` (issue 5). Run on demand, not in CI.

    python3 bench/scale.py generate --external /path/to/external --out DATA --size 100M
    python3 bench/scale.py run --data DATA --claimdiff target/release/claimdiff
    python3 bench/scale.py small --claimdiff target/release/claimdiff --repo .

`generate` writes a corpus of real sentence text (10-K filings, Climate-FEVER
and AVeriTeC claims and evidence), about 2,000 entities (some subsidiaries
with a `parent`, some with aliases, some statements `about` another entity),
statement sizes from 200 B to 400 KB, and about 200 rules (flag,
contradiction, reversal) whose patterns hit in ~1% of statements on the
claim side and ~1% on the evidence side (`--dense`: 10% each, up to three
hits a statement). The text comes from `--external`: the folder holding
`sec-10k-html/`, `climate-fever/` and `averitec/` (the team's copy is
/work/shared/external; anyone else downloads the three public data sets,
see bench/README.md). Generated data never goes in the repository.

`run` times `claimdiff check --format jsonl` and the anchors on the same
bytes and prints one table: wall time, MB/s, peak RSS (from
`/usr/bin/time -v`) and the ratio to the ASCII-pattern ripgrep. Slow
anchors run on a prefix (`--slow-prefix`, default 20 MB) and are scaled
linearly to the full size; the table marks them.

Standard library only. Needs `/usr/bin/time` (GNU time) and `rg`.
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

MB = 1_000_000

# --------------------------------------------------------------------------
# Vocabulary of the rules. Each subject is (regex, an instance, topic,
# script). The rules combine subjects with claim / evidence / reversal
# templates the way a fact-checker writes them: word boundaries, optional
# letters, alternations, a bounded gap between two phrases.
# --------------------------------------------------------------------------

SUBJECTS = [
    (r"forced labou?r", "forced labour", "labour", "latin"),
    (r"child labou?r", "child labor", "labour", "latin"),
    (r"prison labou?r", "prison labour", "labour", "latin"),
    (r"human trafficking", "human trafficking", "labour", "latin"),
    (r"wage theft", "wage theft", "labour", "latin"),
    (r"union[- ]busting", "union-busting", "labour", "latin"),
    (r"debt bondage", "debt bondage", "labour", "latin"),
    (r"deforestation", "deforestation", "environment", "latin"),
    (r"illegal logging", "illegal logging", "environment", "latin"),
    (r"oil spills?", "oil spills", "environment", "latin"),
    (r"toxic waste dumping", "toxic waste dumping", "environment", "latin"),
    (r"groundwater contamination", "groundwater contamination", "environment", "latin"),
    (r"PFAS discharges?", "PFAS discharges", "environment", "latin"),
    (r"methane leaks?", "methane leaks", "climate", "latin"),
    (r"greenwashing", "greenwashing", "climate", "latin"),
    (r"defeat devices?", "defeat devices", "emissions", "latin"),
    (r"emissions cheating", "emissions cheating", "emissions", "latin"),
    (r"bribe(?:ry|s)", "bribery", "corruption", "latin"),
    (r"kickbacks?", "kickbacks", "corruption", "latin"),
    (r"money laundering", "money laundering", "corruption", "latin"),
    (r"price[- ]fixing", "price fixing", "competition", "latin"),
    (r"bid[- ]rigging", "bid-rigging", "competition", "latin"),
    (r"cartel (?:agreements?|meetings?)", "cartel meetings", "competition", "latin"),
    (r"insider trading", "insider trading", "governance", "latin"),
    (r"accounting fraud", "accounting fraud", "governance", "latin"),
    (r"whistle-?blower retaliation", "whistleblower retaliation", "governance", "latin"),
    (r"tax evasion", "tax evasion", "tax", "latin"),
    (r"sanctions? (?:evasion|violations?)", "sanctions violations", "sanctions", "latin"),
    (r"export[- ]control violations?", "export-control violations", "sanctions", "latin"),
    (r"arms sales to (?:Myanmar|Sudan|Russia)", "arms sales to Myanmar", "sanctions", "latin"),
    (r"mass surveillance", "mass surveillance", "human-rights", "latin"),
    (r"ethnic profiling", "ethnic profiling", "human-rights", "latin"),
    (r"land grabs?", "land grabs", "human-rights", "latin"),
    (r"Uyghur (?:detection|recognition|analytics)", "Uyghur detection", "xinjiang", "latin"),
    (r"re-?education camps?", "re-education camps", "xinjiang", "latin"),
    (r"internment camps?", "internment camps", "xinjiang", "latin"),
    (r"mosque (?:surveillance|cameras?)", "mosque cameras", "xinjiang", "latin"),
    (r"conflict minerals?", "conflict minerals", "supply-chain", "latin"),
    (r"artisanal cobalt mines?", "artisanal cobalt mines", "supply-chain", "latin"),
    (r"data breach(?:es)?", "data breaches", "privacy", "latin"),
    (r"unauthori[sz]ed data sharing", "unauthorized data sharing", "privacy", "latin"),
    (r"spyware sales", "spyware sales", "privacy", "latin"),
    (r"opioid diversion", "opioid diversion", "health", "latin"),
    (r"asbestos exposure", "asbestos exposure", "health", "latin"),
    (r"safety violations?", "safety violations", "safety", "latin"),
    (r"falsified (?:safety|inspection) records", "falsified inspection records", "safety", "latin"),
    # Non-English subjects: literals outside ASCII, case folding beyond ASCII.
    (r"Zwangsarbeit", "Zwangsarbeit", "labour", "latin"),
    (r"Kinderarbeit", "Kinderarbeit", "labour", "latin"),
    (r"travail forcé", "travail forcé", "labour", "latin"),
    (r"déforestation", "déforestation", "environment", "latin"),
    (r"corrupción", "corrupción", "corruption", "latin"),
    (r"강제 노동", "강제 노동", "labour", "latin"),
    (r"强迫劳动", "强迫劳动", "labour", "cjk"),
    (r"清真寺", "清真寺", "xinjiang", "cjk"),
    (r"维吾尔族", "维吾尔族", "xinjiang", "cjk"),
    (r"贿赂", "贿赂", "corruption", "cjk"),
]

# (pattern template, sentence template). {S}: the subject regex, {s}: its
# instance, {E}: the entity's name.
CLAIM = {
    "latin": [
        (r"\b(?:never|not) knowingly\b.{0,40}\b{S}\b", "{E} has never knowingly been involved in {s}."),
        (r"\bzero tolerance (?:for|of|towards?) {S}\b", "{E} has zero tolerance for {s} across its operations."),
        (r"\bno evidence of {S}\b", "An internal review found no evidence of {s} at {E}."),
        (r"\b(?:do|does|did) not (?:engage in|tolerate|condone) {S}\b", "We do not tolerate {s} anywhere in our business."),
        (r"\b(?:free|clean) (?:of|from) {S}\b", "Our supply chain is free of {s}, {E} said."),
        (r"\bhas never been (?:involved in|linked to) {S}\b", "{E} has never been linked to {s}."),
    ],
    "cjk": [
        (r"(?:从未|没有)(?:使用|参与)?{S}", "{E}从未使用{s}。"),
        (r"不存在{S}", "{E}的供应链中不存在{s}。"),
    ],
}
EVIDENCE = {
    "latin": [
        (r"\b(?:fined|charged|sanctioned|convicted|indicted)\b.{0,50}\b{S}\b", "Regulators fined {E} over {s} at two plants."),
        (r"\b{S}\b.{0,50}\b(?:documented|confirmed|uncovered)\b", "Cases of {s} at the supplier were documented by inspectors."),
        (r"\b(?:audit|investigation|inspection) (?:found|uncovered|revealed) {S}\b", "An inspection uncovered {s} at a {E} subcontractor."),
        (r"\b{S} (?:was|were) (?:found|detected|reported)\b", "At the {E} site, {s} were reported in two audits."),
    ],
    "cjk": [
        (r"(?:调查|审计)(?:发现|证实)了?{S}", "调查发现了{s}，涉及{E}的供应商。"),
    ],
}
LATER = {
    "latin": [
        (r"\b(?:admitted|acknowledged|conceded)\b.{0,40}\b{S}\b", "{E} later acknowledged {s} at one of its facilities."),
        (r"\b(?:stopped|ended|halted) (?:all |its |our )?{S}\b", "The company has stopped all {s}, {E} said."),
    ],
    "cjk": [
        (r"承认(?:了)?{S}", "{E}承认了{s}。"),
    ],
}

KINDS_LONG = ["annual-report", "interim-report", "esg-report", "filing", "prospectus", "court-filing", "investigation"]
KINDS_SHORT = [
    "press-release", "press-reply", "statement", "speech", "interview", "testimony", "earnings-call",
    "advertisement", "website", "social-post", "contract", "tender", "recording", "leaked-document",
    "media-report", "government-action", "academic", "other",
]
ROLE_OF = {
    "annual-report": "entity", "interim-report": "entity", "esg-report": "entity", "filing": "entity",
    "prospectus": "entity", "press-release": "entity", "press-reply": "entity", "statement": "entity",
    "speech": "entity", "interview": "entity", "earnings-call": "entity", "advertisement": "entity",
    "website": "entity", "social-post": "entity", "contract": "entity", "tender": "government",
    "testimony": "agent", "court-filing": "government", "investigation": "third-party",
    "recording": "third-party", "leaked-document": "entity", "media-report": "third-party",
    "government-action": "government", "academic": "third-party", "other": "third-party",
}
TOPICS = sorted({s[2] for s in SUBJECTS})

NAME_A = """Acme Aurora Baltic Beacon Borealis Cardinal Cascade Cobalt Condor Crescent Delta Ember Equinox
Falcon Fjord Frontier Galena Granite Harbor Helix Horizon Indigo Ironwood Juniper Keystone Lakeshore Lumen
Magellan Meridian Monarch Nimbus Northwind Obsidian Orion Pacifica Paragon Pinnacle Polaris Quarry Redwood
Sable Saffron Sierra Solstice Sterling Summit Tamarack Terra Titan Tundra Umbra Vanguard Verdant Volta
Westbrook Yarrow Zenith Aster Bastion Calder Dunmore""".split()
NAME_B = """Mining Motors Energy Holdings Foods Textiles Logistics Chemicals Pharma Steel Cement Shipping
Semiconductors Security Apparel Airlines Telecom Paper Plastics Retail Bank Insurance Agritech Water
Robotics Cobalt Lithium Timber Palm Oil Gas Power Construction Defense Optics Media Software Cloud Freight
Rail""".split()

TEN_K_NAMES = re.compile(r"\b(?:The Boeing Company|Boeing|BOEING|NIKE, Inc\.|NIKE|Nike|Tesla, Inc\.|Tesla|TESLA)\b")
SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def parse_size(s):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG]?)B?", s.upper())
    if not m:
        sys.exit(f"error: `{s}` is not a size (e.g. 100M, 1G)")
    return int(float(m.group(1)) * {"": 1, "K": 1_000, "M": MB, "G": 1_000 * MB}[m.group(2)])


# --------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------

def make_rules(n_rules, rng):
    """About `n_rules` rules: 30% flag, 50% contradiction, 20% reversal.
    Returns (toml text, rule list with the sentences that trigger each side)."""
    rules = []
    n_flag = n_rules * 3 // 10
    n_rev = n_rules * 2 // 10
    n_con = n_rules - n_flag - n_rev
    plan = ["flag"] * n_flag + ["contradiction"] * n_con + ["reversal"] * n_rev
    for i, kind in enumerate(plan):
        subj, inst, topic, script = SUBJECTS[i % len(SUBJECTS)]
        turn = i // len(SUBJECTS)

        def side(templates, k):
            ts = templates[script]
            first = ts[(turn + k) % len(ts)]
            picks = [first]
            if rng.random() < 0.5 and len(ts) > 1:
                picks.append(ts[(turn + k + 1) % len(ts)])
            return {
                "patterns": [t[0].replace("{S}", subj) for t in picks],
                "sentences": [t[1].replace("{s}", inst) for t in picks],
            }

        r = {"id": f"bench-{i + 1:03}-{kind}-{re.sub(r'[^a-z0-9]+', '-', inst.lower()).strip('-') or 'cjk'}",
             "kind": kind, "topic": topic if rng.random() < 0.5 else None}
        if kind == "flag":
            r["sides"] = {"claim": side(CLAIM, 0)}
        elif kind == "contradiction":
            r["sides"] = {"claim": side(CLAIM, 1), "evidence": side(EVIDENCE, 0)}
        else:
            r["sides"] = {"earlier": side(CLAIM, 2), "later": side(LATER, 0)}
        rules.append(r)

    out = ["# Generated by bench/scale.py: about 200 rules over the benchmark corpus.\n"]
    sev = ["low", "medium", "high", "critical"]
    for i, r in enumerate(rules):
        out.append("[[rule]]")
        out.append(f'id = "{r["id"]}"')
        out.append(f'kind = "{r["kind"]}"')
        out.append(f'severity = "{sev[i % 4]}"')
        if r["kind"] != "flag":
            out.append('order = "any"' if r["kind"] == "contradiction" else "")
            out.append('window = "5y"')
        if r["topic"]:
            out.append(f'topics = ["{r["topic"]}"]')
        for name, s in r["sides"].items():
            out.append(f"[rule.{name}]")
            if name in ("claim", "earlier", "later"):
                out.append('speaker_roles = ["entity", "agent"]')
            else:
                out.append('speaker_roles = ["third-party", "government"]')
            pats = ", ".join(f"'{p}'" for p in s["patterns"])
            out.append(f"pattern = [{pats}]")
        out.append("")
    return "\n".join(x for x in out if x is not None) + "\n", rules


def all_patterns(rules):
    seen, out = set(), []
    for r in rules:
        for s in r["sides"].values():
            for p in s["patterns"]:
                if p not in seen:
                    seen.add(p)
                    out.append(p)
    return out


def ascii_equivalent(p):
    """The same pattern with Unicode off: ASCII `\\b`, `\\w`, `.` (any byte)
    and case folding. A non-ASCII literal becomes its UTF-8 bytes (matched
    exactly, without case folding), and a `\\b` beside one is dropped: an
    ASCII word boundary never holds next to a non-ASCII byte."""
    p = re.sub(r"\\b(?=[^\x00-\x7f])", "", p)
    p = re.sub(r"(?<=[^\x00-\x7f])\\b", "", p)
    p = "".join(c if ord(c) < 128 else "".join(f"\\x{b:02X}" for b in c.encode("utf-8")) for c in p)
    return "(?-u)" + p


def py_compile_any(patterns):
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


class AnyPattern:
    """Whether a text matches any rule pattern. Every pattern contains its
    subject, so the full (slow, backtracking) alternation runs only on texts
    holding a subject's longest literal."""

    def __init__(self, patterns):
        self.rx = py_compile_any(patterns)
        self.keys = sorted({self.key(s[0]) for s in SUBJECTS})

    @staticmethod
    def key(subject):
        """The longest literal every match of `subject` contains."""
        t = re.sub(r"\([^()]*\)\??", "\0", subject)
        t = re.sub(r"\[[^\]]*\]\??", "\0", t)
        t = re.sub(r".\?", "\0", t)
        return max(re.split(r"[\0\\()|*+{}.]", t), key=len).lower()

    def search(self, text):
        low = text.lower()
        return any(k in low for k in self.keys) and self.rx.search(text)


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------

class Text:
    """Real text, cleaned of anything a benchmark pattern matches, so the
    only hits are the sentences `generate` injects."""

    def __init__(self, external, any_pat):
        ext = Path(external)
        need = [ext / "sec-10k-html", ext / "climate-fever" / "climate-fever.jsonl", ext / "averitec" / "averitec-dev.json"]
        for n in need:
            if not n.exists():
                sys.exit(f"error: {n} not found: --external must hold sec-10k-html/, climate-fever/ and averitec/ (see bench/README.md)")
        self.filings = []
        dropped = 0
        for f in sorted((ext / "sec-10k-html").glob("*.txt")):
            lines = []
            for line in f.read_text(encoding="utf-8").splitlines(keepends=True):
                if any_pat.search(line):
                    dropped += 1
                    continue
                lines.append(line)
            self.filings.append("".join(lines))
        sents = []
        for f in sorted((ext / "sec-10k-html").glob("*.txt")):
            for para in f.read_text(encoding="utf-8").split("\n"):
                if len(para) > 200:
                    sents.extend(SENT_SPLIT.split(para.strip()))
        with open(ext / "climate-fever" / "climate-fever.jsonl", encoding="utf-8") as fh:
            for line in fh:
                o = json.loads(line)
                sents.append(o["claim"])
                sents.extend(e["evidence"] for e in o["evidences"])
        for o in json.loads((ext / "averitec" / "averitec-dev.json").read_text(encoding="utf-8")):
            sents.append(o["claim"])
            if o.get("justification"):
                sents.extend(SENT_SPLIT.split(o["justification"]))
            for q in o.get("questions") or []:
                sents.append(q["question"])
                for a in q.get("answers") or []:
                    if a.get("answer"):
                        sents.append(a["answer"])
        sents = [s.strip() for s in sents if 20 <= len(s.strip()) <= 600]
        self.sentences = [s for s in sents if not any_pat.search(s)]
        self.dropped = dropped + len(sents) - len(self.sentences)

    def filing_excerpt(self, rng, size, name):
        out, total = [], 0
        while total < size:
            doc = rng.choice(self.filings)
            start = doc.find("\n", rng.randrange(len(doc))) + 1
            chunk = doc[start:start + (size - total)]
            cut = chunk.rfind("\n")
            if cut > 0 and len(chunk) == size - total:
                chunk = chunk[:cut + 1]
            if not chunk:
                continue
            out.append(chunk)
            total += len(chunk.encode("utf-8"))
        return TEN_K_NAMES.sub(name, "".join(out))

    def prose(self, rng, size):
        paras, total = [], 0
        while total < size:
            p = " ".join(rng.choice(self.sentences) for _ in range(rng.randint(1, 5)))
            paras.append(p)
            total += len(p.encode("utf-8")) + 2
        return "\n\n".join(paras)


def log_uniform(rng, lo, hi):
    import math
    return int(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def make_entities(n, rng):
    combos = [(a, b) for a in NAME_A for b in NAME_B]
    rng.shuffle(combos)
    ents = []
    used = set()
    for a, b in combos:
        if len(ents) == n:
            break
        name = f"{a} {b}"
        eid = re.sub(r"[^a-z0-9]+", "-", name.lower())
        if eid in used:
            continue
        used.add(eid)
        ents.append({"id": eid, "name": name, "aliases": [], "parent": None})
    if len(ents) < n:
        for i in range(len(ents), n):
            ents.append({"id": f"entity-{i}", "name": f"Entity {i}", "aliases": [], "parent": None})
    for i, e in enumerate(ents):
        if rng.random() < 0.3:
            e["aliases"] = [e["name"].split()[0]]
        if i >= 50 and rng.random() < 0.1:  # a subsidiary of an earlier, top-level entity
            p = ents[rng.randrange(50)]
            if p["parent"] is None:
                e["parent"] = p["id"]
    return ents


def entity_toml(e):
    lines = [f'name = "{e["name"]}"']
    if e["aliases"]:
        lines.append("aliases = [" + ", ".join(f'"{a}"' for a in e["aliases"]) + "]")
    if e["parent"]:
        lines.append(f'parent = "{e["parent"]}"')
    return "\n".join(lines) + "\n"


def random_date(rng):
    y = rng.randint(2012, 2025)
    r = rng.random()
    if r < 0.5:
        return f"{y}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
    if r < 0.8:
        return f"{y}-{rng.randint(1, 12):02}"
    return str(y)


def inject(text, sentence, rng):
    """Puts a sentence at a paragraph or line start."""
    cuts = [m.start() for m in re.finditer(r"\n", text[: 200_000])] or [0]
    at = rng.choice(cuts) if rng.random() < 0.9 else len(text)
    return text[:at] + "\n" + sentence + " " + text[at:]


def stories(ents, rules, rng):
    """Each entity's storylines: two contradiction rules, a reversal and a
    flag. Injected hits follow them, so a company's claims and the evidence
    against it are about the same thing, as in a real case file."""
    by_kind = {k: [r for r in rules if r["kind"] == k] for k in ("flag", "contradiction", "reversal")}
    out = {}
    for e in ents:
        out[e["id"]] = (rng.sample(by_kind["contradiction"], 2) + [rng.choice(by_kind["reversal"]), rng.choice(by_kind["flag"])])
    return out


def statements(args, text, ents, rules, rng, count=None):
    """Yields statement dicts until `args.size` bytes of text (or `count`
    statements). Most hits go to a few "newsworthy" entities (`--hot`)."""
    story = stories(ents, rules, rng)
    hot = ents[: args.hot]
    total, i = 0, 0
    per_entity = {}
    while (count is None and total < args.size) or (count is not None and i < count):
        # Claims are injected in what the company (or its agent) says,
        # evidence in what others say: the selectors' speaker roles.
        want = {"claim": rng.random() < args.claim_rate, "evidence": rng.random() < args.evidence_rate}
        if (want["claim"] or want["evidence"]) and rng.random() < 0.8:
            e = rng.choice(hot)
        else:
            e = ents[rng.randrange(len(ents))]
        long = rng.random() < args.long_share
        kinds = KINDS_LONG if long else KINDS_SHORT
        if want["claim"]:
            kinds = [k for k in kinds if ROLE_OF[k] in ("entity", "agent")]
        elif want["evidence"]:
            kinds = [k for k in kinds if ROLE_OF[k] in ("third-party", "government")]
        kind = rng.choice(kinds)
        if long:
            size = log_uniform(rng, 20_000, 400_000)
            body = text.filing_excerpt(rng, size, e["name"])
        else:
            size = log_uniform(rng, 200, 8_000)
            body = text.prose(rng, size)
        hits = {"claim": 0, "evidence": 0}
        topics = set(rng.sample(TOPICS, rng.randint(1, 2))) if rng.random() < 0.7 else set()
        claim_sides = [(r, n) for r in story[e["id"]] for n in r["sides"] if n != "evidence"]
        ev_sides = [(r, n) for r in story[e["id"]] for n in r["sides"] if n == "evidence"]
        for side, pool in (("claim", claim_sides), ("evidence", ev_sides)):
            if want[side]:
                for _ in range(rng.randint(1, args.max_hits)):
                    r, n = rng.choice(pool)
                    sent = rng.choice(r["sides"][n]["sentences"]).replace("{E}", e["name"])
                    body = inject(body, sent, rng)
                    hits[side] += 1
                    if topics and r["topic"]:
                        topics.add(r["topic"])
        n = per_entity.get(e["id"], 0) + 1
        per_entity[e["id"]] = n
        date = random_date(rng)
        st = {
            "id": f'{e["id"]}/{date}-{kind}-{n}',
            "entity": e["id"],
            "date": date,
            "kind": kind,
            "speaker_role": ROLE_OF[kind],
            "source": f'{e["name"]} {kind.replace("-", " ")} {date}',
        }
        if topics:
            st["topics"] = sorted(topics)
        if rng.random() < 0.05:
            other = ents[rng.randrange(len(ents))]["id"]
            if other != e["id"]:
                st["about"] = [other]
        st["text"] = body
        total += len(body.encode("utf-8"))
        i += 1
        yield st, hits


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


def write_md(root, st):
    entity, stem = st["id"].split("/", 1)
    fm = [f"date = {toml_str(st['date'])}", f"kind = {toml_str(st['kind'])}",
          f"speaker_role = {toml_str(st['speaker_role'])}", f"source = {toml_str(st['source'])}"]
    if "topics" in st:
        fm.append("topics = [" + ", ".join(toml_str(t) for t in st["topics"]) + "]")
    if "about" in st:
        fm.append("about = [" + ", ".join(toml_str(t) for t in st["about"]) + "]")
    path = root / entity / f"{stem}.md"
    data = "+++\n" + "\n".join(fm) + "\n+++\n" + st["text"] + "\n"
    path.write_text(data, encoding="utf-8")
    return len(data.encode("utf-8"))


def cmd_generate(args):
    rng = random.Random(args.seed)
    if args.dense:
        args.claim_rate, args.evidence_rate, args.max_hits = 0.10, 0.10, 3
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        sys.exit(f"error: {out} exists and is not empty")
    (out / "rules").mkdir(parents=True, exist_ok=True)
    st_root = out / "statements"
    st_root.mkdir(exist_ok=True)
    t0 = time.time()
    rules_toml, rules = make_rules(args.rules, rng)
    (out / "rules" / "bench.toml").write_text(rules_toml, encoding="utf-8")
    pats = all_patterns(rules)
    (out / "patterns-unicode.txt").write_text("\n".join(pats) + "\n", encoding="utf-8")
    (out / "patterns-ascii.txt").write_text("\n".join(ascii_equivalent(p) for p in pats) + "\n", encoding="utf-8")
    # Check that each injected sentence matches its own patterns.
    for r in rules:
        for s in r["sides"].values():
            for sent in s["sentences"]:
                x = sent.replace("{E}", "Acme Mining")
                assert any(re.search(p, x, re.I) for p in s["patterns"]), (r["id"], x, s["patterns"])
    any_pat = AnyPattern(pats)
    text = Text(args.external, any_pat)
    ents = make_entities(args.entities, rng)
    for e in ents:
        d = st_root / e["id"]
        d.mkdir(exist_ok=True)
        # Every entity gets a folder with its entity.toml: a `parent` must
        # name an entity folder, also when the statements are in JSONL.
        (d / "entity.toml").write_text(entity_toml(e), encoding="utf-8")
    n = 0
    hits = {"claim": 0, "evidence": 0}
    sts_with = {"claim": 0, "evidence": 0}
    written = 0
    if args.layout == "jsonl":
        with open(st_root / "bulk.jsonl", "w", encoding="utf-8") as fh:
            for st, h in statements(args, text, ents, rules, rng):
                line = json.dumps(st, ensure_ascii=False, separators=(",", ":")) + "\n"
                fh.write(line)
                written += len(line.encode("utf-8"))
                n += 1
                for k in h:
                    hits[k] += h[k]
                    sts_with[k] += h[k] > 0
                if n % 5000 == 0:
                    print(f"  {n} statements, {written / MB:.0f} MB", file=sys.stderr)
    else:
        # A tree: --files statements, sizes from the same distribution.
        for st, h in statements(args, text, ents, rules, rng, count=args.files):
            written += write_md(st_root, st)
            n += 1
            for k in h:
                hits[k] += h[k]
                sts_with[k] += h[k] > 0
            if n % 10000 == 0:
                print(f"  {n} files, {written / MB:.0f} MB", file=sys.stderr)
    meta = {
        "layout": args.layout, "seed": args.seed, "statements": n, "bytes": written,
        "entities": len(ents), "subsidiaries": sum(1 for e in ents if e["parent"]),
        "rules": len(rules), "patterns": sum(len(s["patterns"]) for r in rules for s in r["sides"].values()),
        "unique_patterns": len(pats), "claim_rate": args.claim_rate, "evidence_rate": args.evidence_rate,
        "dense": args.dense, "injected_hits": hits, "statements_with_hits": sts_with,
        "source_units_dropped_for_matching": text.dropped, "external": str(args.external),
        "seconds": round(time.time() - t0, 1),
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta, indent=2))


# --------------------------------------------------------------------------
# Run
# --------------------------------------------------------------------------

def measure(cmd, stdout_path, cwd=None, shell=False):
    """Runs `cmd` under /usr/bin/time -v; returns (wall s, peak RSS MB, rc,
    stderr, CPU s = user + system)."""
    tfile = stdout_path.with_suffix(".time")
    full = ["/usr/bin/time", "-v", "-o", str(tfile)] + (["sh", "-c", cmd] if shell else cmd)
    with open(stdout_path, "wb") as out:
        t0 = time.perf_counter()
        p = subprocess.run(full, stdout=out, stderr=subprocess.PIPE, cwd=cwd)
        wall = time.perf_counter() - t0
    rss, cpu = None, 0.0
    for line in tfile.read_text().splitlines():
        if "Maximum resident set size" in line:
            rss = int(line.split(":")[1]) / 1024
        if "User time (seconds)" in line or "System time (seconds)" in line:
            cpu += float(line.split(":")[1])
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr.decode(errors="replace")[-2000:])
    return wall, rss, p.returncode, p.stderr.decode(errors="replace"), cpu


def data_bytes(path):
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def make_prefix(data, layout, nbytes):
    """The first `nbytes` of the corpus, cut at a statement edge: a file
    for JSONL, hard links for a tree."""
    pre = data / f"prefix-{nbytes}" / "statements"
    marker = pre.parent / "complete"
    if marker.exists():
        return pre
    if pre.parent.exists():
        shutil.rmtree(pre.parent)
    pre.mkdir(parents=True)
    src = data / "statements"
    if layout == "jsonl":
        with open(src / "bulk.jsonl", "rb") as fi, open(pre / "bulk.jsonl", "wb") as fo:
            n = 0
            for line in fi:
                if n >= nbytes:
                    break
                fo.write(line)
                n += len(line)
        for t in src.glob("*/entity.toml"):
            (pre / t.parent.name).mkdir(exist_ok=True)
            os.link(t, pre / t.parent.name / "entity.toml")
    else:
        n = 0
        for d in sorted(src.iterdir()):
            (pre / d.name).mkdir()
            for f in sorted(d.iterdir()):
                if f.name == "entity.toml" or n < nbytes:
                    os.link(f, pre / d.name / f.name)
                    if f.name != "entity.toml":
                        n += f.stat().st_size
    marker.touch()
    return pre


def cmd_run(args):
    data = Path(args.data).resolve()
    meta = json.loads((data / "meta.json").read_text())
    layout = meta["layout"]
    outdir = Path(args.out or data / "out")
    outdir.mkdir(parents=True, exist_ok=True)
    st = data / "statements"
    full_target = st / "bulk.jsonl" if layout == "jsonl" else st
    full_bytes = data_bytes(st)
    def prefix(size):
        """(target, bytes) of a prefix of about `size` bytes."""
        n = parse_size(size)
        if args.full_slow or n >= full_bytes:
            return full_target, full_bytes
        pre = make_prefix(data, layout, n)
        return (pre / "bulk.jsonl" if layout == "jsonl" else pre), data_bytes(pre)

    rg_pre, rg_pre_bytes = prefix(args.slow_prefix)
    py_pre, py_pre_bytes = prefix(args.py_prefix)
    uni = str(data / "patterns-unicode.txt")
    asc = str(data / "patterns-ascii.txt")
    cd = str(Path(args.claimdiff).resolve())
    rg = args.rg
    rg_common = [rg, "--no-config", "-uu", "-c", "-i"]

    def cat(target):
        if layout == "jsonl":
            return f"cat '{target}' > /dev/null", True
        return f"find '{target}' -type f -print0 | xargs -0 cat > /dev/null", True

    one_rule = outdir / "one-rule"
    one_rule.mkdir(exist_ok=True)
    (one_rule / "r.toml").write_text(
        '[[rule]]\nid = "never"\nkind = "flag"\n[rule.claim]\npattern = \'qqxyzzyqq\'\n')

    # Diagnostic: the same rules with ASCII word boundaries, everything else
    # unchanged, to show what the Unicode `\b` costs claimdiff's own regexes.
    ascii_b = outdir / "ascii-b-rules"
    ascii_b.mkdir(exist_ok=True)
    (ascii_b / "bench.toml").write_text(
        (data / "rules" / "bench.toml").read_text(encoding="utf-8").replace("\\b", "(?-u:\\b)"), encoding="utf-8")

    anchors = [
        # name, command, bytes it reads, shell?
        ("cat (I/O floor)", cat(full_target)[0], full_bytes, True),
        ("rg -c -f, ASCII patterns", rg_common + ["-f", asc, str(full_target)], full_bytes, False),
        ("rg -c -f, Unicode patterns", rg_common + ["-f", uni, str(rg_pre)], rg_pre_bytes, False),
        ("python re, Unicode", [sys.executable, str(Path(__file__).resolve()), "pyscan", uni, str(py_pre)], py_pre_bytes, False),
        ("claimdiff check, 1 literal rule", [cd, "--corpus", str(st), "--rules", str(one_rule), "check", "--format", "jsonl"], full_bytes, False),
        ("claimdiff check", [cd, "--corpus", str(st), "--rules", str(data / "rules"), "check", "--format", "jsonl"], full_bytes, False),
        ("claimdiff check, rules with ASCII \\b (diagnostic)", [cd, "--corpus", str(st), "--rules", str(ascii_b), "check", "--format", "jsonl"], full_bytes, False),
    ]
    if args.only:
        keep = [k.strip() for k in args.only.split(",")]
        anchors = [a for a in anchors if any(k in a[0] for k in keep)]
    # Warm the page cache so every anchor reads from memory.
    subprocess.run(cat(full_target)[0], shell=True)
    rows = []
    for name, cmd, nbytes, shell in anchors:
        walls, cpus, rss_max, rc, err = [], [], 0, 0, ""
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        # The slow anchors take minutes even on their prefix and do not
        # depend on claimdiff: one run of each is enough.
        runs = 1 if nbytes < full_bytes else args.repeat
        for _ in range(runs):
            w, rss, rc, err, cpu = measure(cmd, outdir / f"{slug}.out", shell=shell)
            walls.append(w)
            cpus.append(cpu)
            rss_max = max(rss_max, rss or 0)
        w = min(walls)
        cpu = cpus[walls.index(w)]
        on_prefix = nbytes < full_bytes
        scaled = w * full_bytes / nbytes
        out_lines = sum(1 for _ in open(outdir / f"{slug}.out", "rb"))
        note = summarize(name, outdir / f"{slug}.out", layout)
        if rc not in (0, 1):
            note += f" exit {rc}"
        rows.append({"anchor": name, "measured_bytes": nbytes, "wall": w, "wall_full": scaled,
                     "cpu_full": cpu * full_bytes / nbytes,
                     "mbps": nbytes / MB / w, "rss": rss_max, "prefix": on_prefix, "note": note,
                     "output_lines": out_lines, "cmd": cmd if isinstance(cmd, str) else " ".join(cmd)})
        print(f"  {name}: {w:.2f}s on {nbytes / MB:.1f} MB, peak RSS {rss_max:.0f} MB {note}", file=sys.stderr)
    base = next((r["wall_full"] for r in rows if r["anchor"].startswith("rg -c -f, ASCII")), None)
    base_cpu = next((r["cpu_full"] for r in rows if r["anchor"].startswith("rg -c -f, ASCII")), None)
    size = f'{full_bytes / MB:,.0f} MB {layout}' + (f' ({meta["statements"]:,} files)' if layout == "tree" else f' ({meta["statements"]:,} statements)')
    title = f"{size}{', dense' if meta.get('dense') else ''}"
    lines = [f"### {title}", "",
             "| anchor | size | wall s | MB/s | peak RSS MB | ratio vs ASCII rg | CPU s | CPU ratio | result |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        star = "*" if r["prefix"] else ""
        ratio = f'{r["wall_full"] / base:.2f}×' if base else "–"
        sz = f'{r["measured_bytes"] / MB:,.0f} MB' + (" prefix" if r["prefix"] else "")
        cpu_ratio = f'{r["cpu_full"] / base_cpu:.2f}×' if base_cpu else "–"
        lines.append(f'| {r["anchor"]} | {sz} | {r["wall_full"]:.2f}{star} | {r["mbps"]:.3g} | {r["rss"]:.0f} | {ratio} '
                     f'| {r["cpu_full"]:.2f}{star} | {cpu_ratio} | {r["note"]} |')
    lines.append("")
    if any(r["prefix"] for r in rows):
        lines.append(f"\\* measured on the prefix shown and scaled linearly to {full_bytes / MB:,.0f} MB; MB/s and RSS are as measured.")
    load = os.getloadavg()
    lines.append("MB = 10^6 bytes; warm page cache; wall = best of "
                 f"{args.repeat} (prefix rows: 1 run); peak RSS from `/usr/bin/time -v`; {rg_version(rg)}; "
                 f"{os.cpu_count()} CPUs, load average {load[0]:.1f} at the end (the machine is shared).")
    table = "\n".join(lines) + "\n"
    print(table)
    res = {"meta": meta, "bytes": full_bytes, "rows": rows, "rg": rg_version(rg)}
    (outdir / "results.json").write_text(json.dumps(res, indent=2) + "\n")
    (outdir / "table.md").write_text(table)


def rg_version(rg):
    try:
        return subprocess.run([rg, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except OSError:
        return None


def summarize(name, path, layout):
    """What an anchor found: matching lines (grep), findings (claimdiff)."""
    try:
        if name.startswith("rg") or name.startswith("python"):
            total = 0
            files = 0
            for line in open(path, encoding="utf-8", errors="replace"):
                line = line.strip()
                if not line:
                    continue
                total += int(line.rsplit(":", 1)[-1])
                files += 1
            return f"{total:,} matching lines" + (f" in {files:,} files" if layout == "tree" else "")
        if name.startswith("claimdiff"):
            n = sum(1 for _ in open(path, "rb"))
            return f"{n:,} findings"
    except (OSError, ValueError):
        pass
    return ""


def cmd_pyscan(args):
    """The Python anchor: one compiled alternation of every pattern,
    case-insensitive and Unicode-aware, searched line by line; prints
    `path:count` like `rg -c`."""
    rx = py_compile_any([p for p in Path(args.patterns).read_text(encoding="utf-8").splitlines() if p])
    target = Path(args.path)
    files = [target] if target.is_file() else sorted(f for f in target.rglob("*") if f.is_file())
    for f in files:
        n = 0
        with open(f, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if rx.search(line):
                    n += 1
        if n:
            print(f"{f}:{n}")


def cmd_small(args):
    """The bundled corpus: `check` must take <= 20 ms."""
    cd = str(Path(args.claimdiff).resolve())
    cmd = [cd, "check", "--format", "jsonl"]
    for _ in range(3):
        subprocess.run(cmd, cwd=args.repo, capture_output=True)
    walls = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=args.repo, capture_output=True)
        walls.append(time.perf_counter() - t0)
    walls.sort()
    w, rss, rc, _, _ = measure(cmd, Path("/tmp/claimdiff-small.out"), cwd=args.repo)
    print(f"bundled corpus: median {walls[len(walls) // 2] * 1000:.1f} ms, min {walls[0] * 1000:.1f} ms, "
          f"max {walls[-1] * 1000:.1f} ms over {args.runs} runs; peak RSS {rss:.0f} MB")


def cmd_doubling(args):
    """Issue 5 point 3: doubling a corpus with dense matches must not more
    than about double the time. The doubled corpus is the same statements
    twice (the copy's ids suffixed, its dates kept), so every entity group
    holds exactly twice the claims and twice the evidence: a pairing that
    were quadratic in a group's matches would show ~4x, a linear one ~2x."""
    data = Path(args.data).resolve()
    meta = json.loads((data / "meta.json").read_text())
    if meta["layout"] != "jsonl":
        sys.exit("doubling: needs a JSONL corpus (generate --layout jsonl)")
    src = data / "statements"
    dbl = data / "doubled"
    st2 = dbl / "statements"
    if not (st2 / "bulk.jsonl").exists():
        st2.mkdir(parents=True, exist_ok=True)
        for d in src.iterdir():
            if d.is_dir() and not (st2 / d.name).exists():
                (st2 / d.name).symlink_to(d)
        with open(src / "bulk.jsonl", "rb") as fi, open(st2 / "bulk.jsonl.tmp", "wb") as fo:
            lines = fi.readlines()
            fo.writelines(lines)
            for line in lines:
                o = json.loads(line)
                o["id"] = o["id"] + "-copy"
                fo.write(json.dumps(o, ensure_ascii=False).encode() + b"\n")
        os.replace(st2 / "bulk.jsonl.tmp", st2 / "bulk.jsonl")
    cd = str(Path(args.claimdiff).resolve())
    outdir = dbl / "out"
    outdir.mkdir(exist_ok=True)
    rows = []
    for name, st in [("corpus", src), ("doubled", st2)]:
        cmd = [cd, "--corpus", str(st), "--rules", str(data / "rules"), "check", "--format", "jsonl",
               "--max-findings", "100000000"]
        subprocess.run(f"cat '{st / 'bulk.jsonl'}' > /dev/null", shell=True)
        walls = []
        for _ in range(args.repeat):
            w, rss, rc, err, _ = measure(cmd, outdir / f"{name}.out")
            if rc not in (0, 1):
                sys.exit(f"claimdiff failed ({rc}): {err}")
            walls.append(w)
        n = sum(1 for _ in open(outdir / f"{name}.out", "rb"))
        rows.append((name, data_bytes(st), min(walls), rss, n))
    print("| corpus | size | wall s (best of %d) | peak RSS MB | findings |" % args.repeat)
    print("|---|---:|---:|---:|---:|")
    for name, b, w, rss, n in rows:
        print(f"| {name} | {b / MB:,.0f} MB | {w:.2f} | {rss:.0f} | {n:,} |")
    print(f"\ntime ratio doubled / corpus: {rows[1][2] / rows[0][2]:.2f}x "
          f"(findings {rows[1][4] / max(rows[0][4], 1):.2f}x); linear pairing is ~2x, quadratic ~4x")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write a corpus and ~200 rules")
    g.add_argument("--external", required=True,
                   help="folder with sec-10k-html/, climate-fever/, averitec/ (team copy: /work/shared/external)")
    g.add_argument("--out", required=True, help="output folder, outside the repository")
    g.add_argument("--layout", choices=["jsonl", "tree"], default="jsonl")
    g.add_argument("--size", type=parse_size, default=parse_size("100M"), help="JSONL: bytes of text (100M, 1G)")
    g.add_argument("--files", type=int, default=100_000, help="tree: number of statement files")
    g.add_argument("--entities", type=int, default=2000)
    g.add_argument("--rules", type=int, default=200)
    g.add_argument("--claim-rate", type=float, default=0.01)
    g.add_argument("--evidence-rate", type=float, default=0.01)
    g.add_argument("--max-hits", type=int, default=1)
    g.add_argument("--hot", type=int, default=100, help="entities that get 80%% of the hits")
    g.add_argument("--long-share", type=float, default=0.08,
                   help="share of filing-sized statements (20-400 KB); the rest are 200 B-8 KB")
    g.add_argument("--dense", action="store_true", help="10%% claim and 10%% evidence hits, up to 3 each")
    g.add_argument("--seed", type=int, default=5)
    g.set_defaults(fn=cmd_generate)
    r = sub.add_parser("run", help="time claimdiff and the anchors")
    r.add_argument("--data", required=True)
    r.add_argument("--claimdiff", default="target/release/claimdiff")
    r.add_argument("--rg", default="rg")
    r.add_argument("--slow-prefix", default="20M", help="input size for the slow anchors (Unicode rg, Python)")
    r.add_argument("--py-prefix", default="2M", help="input size for the Python anchor")
    r.add_argument("--full-slow", action="store_true", help="run the slow anchors on everything")
    r.add_argument("--repeat", type=int, default=1)
    r.add_argument("--only", help="comma-separated substrings of anchor names")
    r.add_argument("--out", help="where outputs go (default DATA/out)")
    r.set_defaults(fn=cmd_run)
    p = sub.add_parser("pyscan", help="(internal) the Python re anchor")
    p.add_argument("patterns")
    p.add_argument("path")
    p.set_defaults(fn=cmd_pyscan)
    d = sub.add_parser("doubling", help="time check on a dense corpus and on it doubled")
    d.add_argument("--data", required=True, help="a JSONL corpus from generate (use --dense)")
    d.add_argument("--claimdiff", default="target/release/claimdiff")
    d.add_argument("--repeat", type=int, default=3)
    d.set_defaults(fn=cmd_doubling)

    s = sub.add_parser("small", help="time check on the bundled corpus")
    s.add_argument("--claimdiff", default="target/release/claimdiff")
    s.add_argument("--repo", default=".")
    s.add_argument("--runs", type=int, default=30)
    s.set_defaults(fn=cmd_small)
    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
