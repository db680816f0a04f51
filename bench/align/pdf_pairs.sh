#!/usr/bin/env bash
# The real 10-K pairs as PDFs: each filing's text is set as HTML (a <p> per
# blank-line block, <br> between its lines), printed by Chromium headless
# with its default header and footer (print date and title; the file's
# address and `n/N`), ingested with `claimdiff ingest` (pdf-extract), and
# diffed; the drops are compared with those of the same filings ingested as
# text. Needs Debian's chromium (scripts/test.sh installs it).
#
#   bash bench/align/pdf_pairs.sh [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=$(cd "${1:-../shared/external/sec-10k-html}" && pwd)
cargo build --release --quiet
C=$PWD/target/release/claimdiff
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/c/statements"
for f in "$DATA"/*.txt; do
  b=$(basename "$f" .txt)
  python3 - "$f" "$W/$b.html" <<'PY'
import html, re, sys
blocks = re.split(r"\n\s*\n", open(sys.argv[1], encoding="utf-8").read())
out = ['<html><head><meta charset="utf-8"><title>%s</title><style>body{font:11pt Times;margin:0} p{margin:0 0 6pt 0}</style></head><body>' % sys.argv[1].split("/")[-1]]
for b in blocks:
    ls = [html.escape(l) for l in b.splitlines() if l.strip()]
    if ls:
        out.append("<p>" + "<br>".join(ls) + "</p>")
out.append("</body></html>")
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out))
PY
  chromium --headless --no-sandbox --disable-gpu --print-to-pdf="$W/$b.pdf" "file://$W/$b.html" 2>/dev/null
done
for pair in boeing:2023:2024 nike:2024:2025 tesla:2023:2024; do
  IFS=: read -r co old new <<<"$pair"
  for k in txt pdf; do
    src="$DATA"; [ "$k" = pdf ] && src="$W"
    for y in "$old" "$new"; do
      (cd "$W/c" && "$C" ingest "$src/$co-10-K-$y.$k" --entity "$co-$k" --kind annual-report \
        --date "$y" --period "$y" --source "$co 10-K $y" >/dev/null 2>&1)
    done
    (cd "$W/c" && "$C" diff "$co-$k" --only dropped --format json) > "$W/$co-$k.json"
  done
  python3 - "$W/$co-txt.json" "$W/$co-pdf.json" "$co" <<'PY'
import json, re, sys
def drops(p):
    d = json.load(open(p))
    d = d if isinstance(d, list) else [d]
    return [re.sub(r"\W+", " ", i["text"].lower()).strip() for i in d[0]["items"]]
txt, pdf = drops(sys.argv[1]), drops(sys.argv[2])
only_pdf = [t for t in pdf if t not in txt]
only_txt = [t for t in txt if t not in pdf]
print(f"{sys.argv[3]:8} text {len(txt):4} drops, PDF {len(pdf):4}; only in PDF {len(only_pdf)}, only in text {len(only_txt)}")
for t in only_pdf: print("   + PDF only: " + t[:120])
for t in only_txt: print("   - text only: " + t[:120])
PY
done
