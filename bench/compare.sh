#!/usr/bin/env bash
# Did a change make qwen slower? Two qwen binaries side by side, in one run, against the same
# fake server (these machines are noisy: only ratios measured together mean anything):
#   1. startup: `qwen --version`
#   2. one non-stream request (20-token reply)
#   3. relaying a 2,000-token stream to a pipe
#   4. `qwen batch` of 500 files at -j 64 with 100 ms server latency, runs interleaved
#   5. client CPU per batch item at zero latency
# Usage: bench/compare.sh BEFORE_QWEN [RUNS]
#   BEFORE_QWEN is the other binary, e.g. built from main in another worktree:
#   git worktree add /tmp/before main && (cd /tmp/before && cargo build --release --bin qwen)
#   bench/compare.sh /tmp/before/target/release/qwen
source "$(dirname "$0")/common.sh"
BEFORE="${1:?usage: bench/compare.sh BEFORE_QWEN [RUNS]}"
RUNS="${2:-30}"
build; hermetic
OUT="$ROOT/target/bench"; mkdir -p "$OUT"
machine
echo "before: $BEFORE ($("$BEFORE" --version))"
medians() { python3 -c "import json,sys; [print(f\"  {r['command']}: median {r['median']*1000:.2f} ms (±{r['stddev']*1000:.2f})\") for r in json.load(open(sys.argv[1]))['results']]" "$1"; }

echo; echo "== 1. startup =="
hyperfine -N --warmup 20 --runs 300 --export-json "$OUT/cmp-version.json" \
  -n before "$BEFORE --version" -n after "$QWEN --version" >/dev/null
medians "$OUT/cmp-version.json"

echo; echo "== 2. one non-stream request =="
start_fake --tokens 20
hyperfine -N --warmup 10 --runs "$RUNS" --export-json "$OUT/cmp-request.json" \
  -n before "$BEFORE chat --no-stream --base-url $URL hi" \
  -n after "$QWEN chat --no-stream --base-url $URL hi" >/dev/null
medians "$OUT/cmp-request.json"
kill $FAKE_PID

echo; echo "== 3. relay a 2,000-token stream to a pipe =="
start_fake --tokens 2000
hyperfine --warmup 5 --runs "$RUNS" --export-json "$OUT/cmp-stream.json" \
  -n before "$BEFORE chat --base-url $URL hi | cat >/dev/null" \
  -n after "$QWEN chat --base-url $URL hi | cat >/dev/null" >/dev/null
medians "$OUT/cmp-stream.json"
kill $FAKE_PID

WORK="$BENCH_TMP/work"; mkdir -p "$WORK/in"
for i in $(seq -w 1 500); do echo "document $i: a short note to summarise." >"$WORK/in/f$i.md"; done
echo; echo "== 4. batch, 500 files, -j 64, 100 ms latency (ideal 0.78 s) =="
start_fake --latency-ms 100 --tokens 20
hyperfine -N --warmup 1 --runs 10 --export-json "$OUT/cmp-batch.json" \
  -n before "$BEFORE batch $WORK/in -j 64 --no-stream --base-url $URL -q -o /dev/null" \
  -n after "$QWEN batch $WORK/in -j 64 --no-stream --base-url $URL -q -o /dev/null" >/dev/null
medians "$OUT/cmp-batch.json"
kill $FAKE_PID

echo; echo "== 5. client CPU per batch item, zero latency (mean of 5 runs each, interleaved) =="
start_fake --tokens 20
b=0; a=0
for _ in 1 2 3 4 5; do
  b=$(echo "$b + $(cpu_seconds 1 "$BEFORE" batch "$WORK/in" -j 64 --no-stream --base-url "$URL" -q -o /dev/null)" | bc -l)
  a=$(echo "$a + $(cpu_seconds 1 "$QWEN" batch "$WORK/in" -j 64 --no-stream --base-url "$URL" -q -o /dev/null)" | bc -l)
done
echo "  before: $(echo "scale=1; $b * 1000000 / 2500" | bc -l) µs per item; after: $(echo "scale=1; $a * 1000000 / 2500" | bc -l) µs per item"
rm -rf "$BENCH_TMP"
