#!/usr/bin/env python3
"""The other two matchers of `./build.sh bench`, over the SAME labelled data.

Reads `candidates.tsv` (id, first, last, location) and `queries.tsv` (first,
last, location, true id or empty for a stranger) that benches/quality.rs
writes, and measures, over "name location" text:

* rapidfuzz `token_sort_ratio`: a full scan of every candidate per query
  (`process.extract`, top 10, strings preprocessed once up front);
* PostgreSQL `pg_trgm`: recall from a GiST index, `ORDER BY txt <-> q LIMIT 10`
  (nearest neighbours); latency from a GIN index,
  `WHERE txt % q ORDER BY similarity(txt, q) DESC LIMIT 10`, as a team would
  deploy it. It runs in a schema of its own, dropped at the end.

Both full scans cost seconds per hundred queries at a million candidates, so
each runs over a deterministic sample of the labelled queries (every k-th,
`SOURCEBAR_BENCH_OTHERS_QUERIES`, default 400; duplicates and strangers in
the same proportion as the full set).

recall@1/@5: the true record is first / in the first five, with no threshold.
false-possible rate: neither matcher has a "possible duplicate" cut-off of its
own, so each gets the one that serves it best: the threshold on the top score
with the best F1 on one half of the sample (even positions; a duplicate is a
true positive when its top score passes and its record is in the top 5, a
stranger whose top score passes is a false positive), and the rate is
measured on the held-out half (odd positions).

Writes `others.json` beside the TSVs; quality.rs merges it into report.json.
"""

import io
import json
import math
import os
import sys
import time


def load(data_dir):
    candidates = []
    with open(os.path.join(data_dir, "candidates.tsv"), encoding="utf-8") as f:
        for line in f:
            cid, first, last, loc = line.rstrip("\n").split("\t")
            candidates.append((cid, f"{first} {last} {loc}".strip()))
    queries = []
    with open(os.path.join(data_dir, "queries.tsv"), encoding="utf-8") as f:
        for line in f:
            first, last, loc, truth = line.rstrip("\n").split("\t")
            queries.append((" ".join(p for p in (first, last, loc) if p), truth or None))
    return candidates, queries


# quality.rs cycles its duplicates through this many kinds of corruption.
KINDS = 12


def sample(queries, want):
    """Half duplicates, half strangers, each every step-th, the step prime to
    the number of kinds so that every kind is sampled alike (400 of 10,000:
    every 25th)."""

    def every(part, n):
        step = max(1, len(part) // max(1, n))
        while step > 1 and math.gcd(step, KINDS) != 1:
            step -= 1
        return part[::step][:n]

    dups = [q for q in queries if q[1] is not None]
    strangers = [q for q in queries if q[1] is None]
    return every(dups, want // 2) + every(strangers, want - want // 2)


def percentile(sorted_ms, p):
    return sorted_ms[round((len(sorted_ms) - 1) * p)]


def best_threshold(rows):
    """rows: (top_score, is_duplicate, truth_in_top5). The top-score cut-off
    with the best F1 (ties: the higher, stricter one)."""
    dups = sum(1 for _, d, _ in rows if d)
    best = (-1.0, 0.0)
    for t in sorted({s for s, _, _ in rows}):
        tp = sum(1 for s, d, hit in rows if d and hit and s >= t)
        fp = sum(1 for s, d, _ in rows if not d and s >= t)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / dups if dups else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 >= best[0]:
            best = (f1, t)
    return best[1]


def figures(results, times_ms):
    """results: per sampled query (top ids, top score or None, truth)."""
    dups = [(ids, truth) for ids, _, truth in results if truth is not None]
    at1 = sum(1 for ids, truth in dups if ids[:1] == [truth]) / max(1, len(dups))
    at5 = sum(1 for ids, truth in dups if truth in ids[:5]) / max(1, len(dups))
    rows = [
        (score if score is not None else float("-inf"), truth is not None, truth in ids[:5])
        for ids, score, truth in results
    ]
    tune, held = rows[0::2], rows[1::2]
    threshold = best_threshold(tune)
    strangers = [s for s, d, _ in held if not d]
    false_possible = sum(1 for s in strangers if s >= threshold) / max(1, len(strangers))
    # For comparison with Sourcebar, whose recall counts only what it shows:
    # the duplicates whose record is in the top 5 with a top score that
    # passes the threshold (on the held-out half).
    held_dups = [(s, hit) for s, d, hit in held if d]
    at5_shown = sum(1 for s, hit in held_dups if hit and s >= threshold) / max(1, len(held_dups))
    times_ms = sorted(times_ms)
    return {
        "p50_ms": percentile(times_ms, 0.50),
        "p99_ms": percentile(times_ms, 0.99),
        "recall_at_1": at1,
        "recall_at_5": at5,
        "false_possible_rate": false_possible,
        "threshold": threshold,
        "recall_at_5_above_threshold": at5_shown,
        "queries": len(results),
    }


def run_rapidfuzz(candidates, queries):
    from rapidfuzz import fuzz, process, utils

    ids = [cid for cid, _ in candidates]
    # Preprocessed once: each query then costs the scan alone.
    choices = [utils.default_process(text) for _, text in candidates]
    results, times = [], []
    for text, truth in queries:
        started = time.perf_counter()
        top = process.extract(
            utils.default_process(text),
            choices,
            scorer=fuzz.token_sort_ratio,
            processor=None,
            limit=10,
        )
        times.append((time.perf_counter() - started) * 1e3)
        results.append(([ids[i] for _, _, i in top], top[0][1] if top else None, truth))
    return figures(results, times)


def run_pg_trgm(candidates, queries, dsn):
    import psycopg2

    schema = f"sourcebar_bench_{os.getpid()}"
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    cur = conn.cursor()
    try:
        cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cur.execute(f"CREATE SCHEMA {schema}")
        cur.execute(f"CREATE TABLE {schema}.people (id text, txt text)")
        buf = io.StringIO()
        for cid, text in candidates:
            buf.write(f"{cid}\t{text.replace(chr(92), ' ')}\n")
        buf.seek(0)
        cur.copy_expert(f"COPY {schema}.people (id, txt) FROM STDIN", buf)
        started = time.perf_counter()
        cur.execute(f"CREATE INDEX people_gist ON {schema}.people USING gist (txt gist_trgm_ops)")
        gist_s = time.perf_counter() - started
        started = time.perf_counter()
        cur.execute(f"CREATE INDEX people_gin ON {schema}.people USING gin (txt gin_trgm_ops)")
        gin_s = time.perf_counter() - started
        cur.execute(f"ANALYZE {schema}.people")
        cur.execute(
            f"SELECT pg_relation_size('{schema}.people_gin'), pg_relation_size('{schema}.people_gist')"
        )
        gin_bytes, gist_bytes = cur.fetchone()

        # Recall: GiST nearest neighbours (every candidate is reachable).
        results = []
        for text, truth in queries:
            cur.execute(
                f"SELECT id, 1 - (txt <-> %s) FROM {schema}.people ORDER BY txt <-> %s LIMIT 10",
                (text, text),
            )
            rows = cur.fetchall()
            results.append(([r[0] for r in rows], rows[0][1] if rows else None, truth))
        # Latency: GIN with the similarity threshold (pg_trgm's default, 0.3).
        cur.execute(f"DROP INDEX {schema}.people_gist")
        times = []
        for text, _ in queries:
            started = time.perf_counter()
            cur.execute(
                f"SELECT id FROM {schema}.people WHERE txt %% %s "
                "ORDER BY similarity(txt, %s) DESC LIMIT 10",
                (text, text),
            )
            cur.fetchall()
            times.append((time.perf_counter() - started) * 1e3)
        out = figures(results, times)
        out.update(
            {
                "gin_bytes_per_row": gin_bytes / max(1, len(candidates)),
                "gist_bytes_per_row": gist_bytes / max(1, len(candidates)),
                "gin_build_s": gin_s,
                "gist_build_s": gist_s,
            }
        )
        return out
    finally:
        cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.close()


def main():
    data_dir = sys.argv[1]
    want = int(os.environ.get("SOURCEBAR_BENCH_OTHERS_QUERIES", "400"))
    dsn = os.environ.get("SOURCEBAR_BENCH_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
    candidates, queries = load(data_dir)
    queries = sample(queries, want)
    report = {}
    started = time.perf_counter()
    report["rapidfuzz"] = run_rapidfuzz(candidates, queries)
    print(f"others: rapidfuzz over {len(queries)} queries in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    try:
        report["pg_trgm"] = run_pg_trgm(candidates, queries, dsn)
        print(f"others: pg_trgm over {len(queries)} queries in {time.perf_counter() - started:.0f} s", flush=True)
    except Exception as e:  # noqa: BLE001 - no PostgreSQL: the figures stay null
        print(f"others: pg_trgm not measured: {e}", file=sys.stderr)
        report["pg_trgm"] = None
    with open(os.path.join(data_dir, "others.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, sort_keys=True)
    for name, r in report.items():
        if r:
            print(
                f"others: {name}: recall@1 {r['recall_at_1'] * 100:.1f}%, recall@5 {r['recall_at_5'] * 100:.1f}%, "
                f"false possible {r['false_possible_rate'] * 100:.2f}% (top score from {r['threshold']:.3g}, "
                f"where recall@5 is {r['recall_at_5_above_threshold'] * 100:.1f}%), "
                f"p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms"
            )


if __name__ == "__main__":
    main()
