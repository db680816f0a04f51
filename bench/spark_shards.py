#!/usr/bin/env python3
"""Runs `claimdiff check --shard K/N` as N Spark tasks and checks that the
merged output equals a single run (issue 5, part 7). Run on demand, not in CI.

    pip install pyspark          # PyPI's pyspark; needs Java 17 or newer
    python3 bench/spark_shards.py --claimdiff target/release/claimdiff \
        --corpus DATA/statements --rules DATA/rules --shards 4 --out /tmp/spark-shards

Spark runs in local mode (`--master local[2]`). Each of the N partitions holds
one shard number; `RDD.pipe` feeds it to a shell that runs claimdiff for that
shard, and `saveAsTextFile` writes one part file per shard. `claimdiff merge`
joins the parts on the driver, and the script compares the result, byte for
byte, with `claimdiff check` run once over everything. On a cluster the same
script runs with `--master yarn` (or `k8s://…`, `spark://…`) as long as every
executor sees the binary and the corpus at the same paths: see bench/README.md.
"""

import argparse
import hashlib
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

NL = b"\n"


def sha(b):
    return hashlib.sha256(b).hexdigest()[:16]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claimdiff", required=True, help="the claimdiff binary (same path on every executor)")
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--out", required=True, help="output folder (local path, or a cluster file system URI)")
    ap.add_argument("--master", help="Spark master; default: spark-submit's, else local[2]")
    ap.add_argument("--skip-single", action="store_true", help="do not run the single check to compare with")
    args = ap.parse_args()

    from pyspark import SparkConf, SparkContext

    cd = str(Path(args.claimdiff).resolve())
    corpus = str(Path(args.corpus).resolve())
    rules = str(Path(args.rules).resolve())
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    n = args.shards

    # One shell per partition: it reads the partition's one line (its shard
    # number K) and runs the check for shard K of N.
    check = " ".join(shlex.quote(x) for x in [cd, "--corpus", corpus, "--rules", rules, "check"])
    script = f'read k; exec {check} --shard "$k/{n}" --format jsonl'
    command = shlex.join(["sh", "-c", script])  # RDD.pipe takes a string and splits it with shlex

    conf = SparkConf().setAppName("claimdiff-shards")
    if args.master:
        conf.setMaster(args.master)
    elif not conf.contains("spark.master"):
        conf.setMaster("local[2]")
    sc = SparkContext(conf=conf)
    sc.setLogLevel("WARN")
    t0 = time.perf_counter()
    shards = sc.parallelize([str(k) for k in range(1, n + 1)], n)
    found = shards.pipe(command, env={"NO_COLOR": "1"}, checkCode=True)
    parts = out / "parts"
    found.saveAsTextFile(str(parts.resolve()))
    spark_s = time.perf_counter() - t0
    print(f"spark {sc.version} ({sc.master}), {n} shards: {spark_s:.1f} s", file=sys.stderr)
    sc.stop()

    files = sorted(str(p) for p in parts.glob("part-*"))
    merged = subprocess.run([cd, "merge", *files], capture_output=True, check=True).stdout
    (out / "merged.jsonl").write_bytes(merged)
    per_shard = [sum(1 for _ in open(f, "rb")) for f in files]
    print(f"findings per shard: {per_shard} (sum {sum(per_shard)}), merged: {merged.count(NL)} lines, sha256 {sha(merged)}")
    if args.skip_single:
        return 0
    t0 = time.perf_counter()
    single = subprocess.run([cd, "--corpus", corpus, "--rules", rules, "check", "--format", "jsonl"],
                            capture_output=True, check=True, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"}).stdout
    single_s = time.perf_counter() - t0
    (out / "single.jsonl").write_bytes(single)
    print(f"single run: {single.count(NL)} lines, sha256 {sha(single)}, {single_s:.1f} s")
    if merged == single:
        print("OK: the merged shards are byte-identical to the single run")
        return 0
    print("DIFFERENT: merged shards and single run differ (see merged.jsonl, single.jsonl)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
