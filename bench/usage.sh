#!/usr/bin/env bash
# Benchmarks for the usage ledger and `qwen usage` (issue #5), side by side in one run:
#   1. what recording a ledger row costs a call: `qwen chat` with and without --no-ledger
#      against the fake server (and the same with --no-save, so the store is not opened at
#      all without the ledger)
#   2. `qwen usage --by day,model` over 1,000,000 ledger rows vs the same GROUP BY in the
#      sqlite3 shell (which computes no percentiles)
# Usage: bench/usage.sh [--runs N]   (writes hyperfine JSON to target/bench/)
source "$(dirname "$0")/common.sh"
command -v sqlite3 >/dev/null || { echo "bench: install sqlite3 (apt-get install sqlite3)" >&2; exit 2; }
RUNS=${RUNS:-100}
[ "${1:-}" = "--runs" ] && RUNS=$2
build; hermetic
OUT="$ROOT/target/bench"; mkdir -p "$OUT"
machine
echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1)"

echo; echo "== 1. ledger cost per call (fake server, 20-token reply, $RUNS runs each) =="
start_fake --tokens 20
CHAT="$QWEN chat --no-stream --base-url $URL hi"
"$QWEN" chat --no-stream --base-url "$URL" warm-up >/dev/null # create the store first
hyperfine -N --warmup 10 --runs "$RUNS" --export-json "$OUT/ledger.json" \
  -n "ledger on" "$CHAT" \
  -n "ledger off" "$QWEN chat --no-stream --no-ledger --base-url $URL hi" \
  -n "no-save, ledger on" "$QWEN chat --no-stream --no-save --base-url $URL hi" \
  -n "no-save, ledger off" "$QWEN chat --no-stream --no-save --no-ledger --base-url $URL hi"
kill $FAKE_PID

echo; echo "== 2. qwen usage --by day,model over 1,000,000 rows =="
DB="$QWEN_DATA_DIR/qwen.db"
rm -f "$DB" "$DB-wal" "$DB-shm"
start_fake --tokens 1
"$QWEN" chat --no-stream --no-save --base-url "$URL" hi >/dev/null # the current schema
kill $FAKE_PID
START=$(( ($(date +%s) - 30 * 86400) * 1000 ))
t0=$(date +%s.%N)
# 30 days of calls, one every 2.6 s: 5 models, 2 commands, 2 % throttled, random tokens,
# latencies and costs.
sqlite3 "$DB" <<SQL
DELETE FROM calls;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
INSERT INTO calls (ts_ms, command, host, model, status, error_code, attempt, prompt_tokens,
    completion_tokens, reasoning_tokens, cached_tokens, ttft_ms, latency_ms, cost, currency)
SELECT $START + i * 2592,
    CASE i % 3 WHEN 0 THEN 'batch' ELSE 'chat' END,
    'dashscope-intl.aliyuncs.com',
    CASE i % 5 WHEN 0 THEN 'qwen-plus' WHEN 1 THEN 'qwen-max' WHEN 2 THEN 'qwen-flash'
        WHEN 3 THEN 'qwen3-max' ELSE 'qwen-turbo' END,
    CASE WHEN i % 50 = 0 THEN 429 ELSE 200 END,
    CASE WHEN i % 50 = 0 THEN 'limit_requests' END,
    1, abs(random() % 4000), abs(random() % 800), 0, abs(random() % 100),
    50 + abs(random() % 500), 100 + abs(random() % 5000),
    abs(random() % 1000) / 1e6, 'USD'
FROM n;
SQL
echo "generated $(sqlite3 "$DB" 'SELECT count(*) FROM calls') rows in $(echo "$(date +%s.%N) - $t0" | bc -l | cut -c1-5) s ($(du -h "$DB" | cut -f1))"
SQL_BY="SELECT date(ts_ms / 1000, 'unixepoch') AS day, model, count(*), sum(error_code IS NOT NULL), sum(prompt_tokens), sum(completion_tokens), sum(reasoning_tokens), sum(cached_tokens), sum(cost) FROM calls GROUP BY day, model"
hyperfine -N --warmup 2 --runs 10 --export-json "$OUT/usage.json" \
  -n "qwen usage --by day,model" "$QWEN usage --by day,model" \
  -n "qwen usage --by day,model --format csv" "$QWEN usage --by day,model --format csv" \
  -n "sqlite3 GROUP BY day, model" "sqlite3 $DB \"$SQL_BY\""
"$QWEN" usage --by day,model | head -4
echo "peak RSS qwen usage --by day,model: $(peak_rss_kib "$QWEN" usage --by day,model) KiB"
