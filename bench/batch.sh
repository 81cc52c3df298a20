#!/usr/bin/env bash
# Benchmarks for `qwen batch` (issue #3), in one run against the fake server:
#   1. 2,000 items at -j 64 with 100 ms server latency: throughput as a ratio of the ideal
#      (64 / 0.1 s = 640 items/s), RUNS runs interleaved with a bare reqwest client (the
#      best this HTTP stack does here: no per-item work), then `xargs -P 64 qwen chat` and
#      `xargs -P 64 curl` once each; the server reports how long it really held requests
#   2. client CPU per item at zero latency, next to curl's per request
#   3. peak RSS for 10,000 vs 100,000 small files
# Usage: bench/batch.sh        (RUNS=N to change the number of runs of part 1, default 7)
source "$(dirname "$0")/common.sh"
build; hermetic
cargo build --release --locked --example bare_client >&2
BARE="$ROOT/target/release/examples/bare_client"
RUNS="${RUNS:-7}"
machine
WORK="$BENCH_TMP/work"; mkdir -p "$WORK"
mkfiles() { # mkfiles DIR N
  mkdir -p "$1"; python3 - "$1" "$2" <<'PY'
import sys, os
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    sub = os.path.join(d, f"{i // 1000:03d}")
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, f"f{i:06d}.md"), "w") as f:
        f.write(f"document {i}: a short note to summarise.\n")
PY
}
mkfiles "$WORK/2k" 2000
BODY='{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}]}'
ratio() { echo "scale=3; ($1 / $2) / $3" | bc -l; }

echo; echo "== 1. 2,000 items, -j 64, 100 ms latency (ideal 640 items/s) =="
start_fake --latency-ms 100 --tokens 20
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: >"$WORK/q.times"; : >"$WORK/b.times"
for i in $(seq "$RUNS"); do
  t0=$(date +%s.%N); "$QWEN" batch "$WORK/2k" -j 64 --no-stream --base-url "$URL" -q -o "$WORK/out.jsonl"; t1=$(date +%s.%N)
  q=$(echo "$t1 - $t0" | bc -l); echo "$q" >>"$WORK/q.times"
  lines=$(wc -l <"$WORK/out.jsonl"); ok=$(grep -c '"status":"ok"' "$WORK/out.jsonl")
  t0=$(date +%s.%N); "$BARE" "$URL" 2000 64 >/dev/null; t1=$(date +%s.%N)
  b=$(echo "$t1 - $t0" | bc -l); echo "$b" >>"$WORK/b.times"
  echo "run $i: qwen batch ${q}s (ratio $(ratio 2000 "$q" 640), $lines lines, $ok ok); bare client ${b}s (ratio $(ratio 2000 "$b" 640))"
done
q=$(median <"$WORK/q.times"); b=$(median <"$WORK/b.times")
echo "qwen batch -j 64: median ${q}s of $RUNS runs = $(echo "scale=1; 2000 / $q" | bc -l) items/s, ratio $(ratio 2000 "$q" 640) (range $(ratio 2000 "$(sort -n "$WORK/q.times" | tail -1)" 640)-$(ratio 2000 "$(sort -n "$WORK/q.times" | head -1)" 640))"
echo "bare reqwest client (no per-item work): median ${b}s, ratio $(ratio 2000 "$b" 640); qwen at $(echo "scale=3; $b / $q" | bc -l) of it"
echo "server: $(curl -s "$URL/stats") (mean_held_ms: request's last byte to reply's last byte)"
t0=$(date +%s.%N)
find "$WORK/2k" -type f | xargs -P 64 -I{} "$QWEN" chat --no-stream --no-stdin --base-url "$URL" -q -f {} "Summarise" >/dev/null
t1=$(date +%s.%N); x=$(echo "$t1 - $t0" | bc -l)
echo "xargs -P 64 qwen chat: ${x}s, $(echo "scale=1; 2000 / $x" | bc -l) items/s, ratio $(ratio 2000 "$x" 640)"
t0=$(date +%s.%N)
find "$WORK/2k" -type f | xargs -P 64 -I{} curl -s -X POST "$URL/chat/completions" -H 'Content-Type: application/json' -d "$BODY" -o /dev/null
t1=$(date +%s.%N); c=$(echo "$t1 - $t0" | bc -l)
echo "xargs -P 64 curl: ${c}s, $(echo "scale=1; 2000 / $c" | bc -l) items/s, ratio $(ratio 2000 "$c" 640)"
kill $FAKE_PID

echo; echo "== 2. client CPU per item at zero latency =="
start_fake --tokens 20
qcpu=$(/usr/bin/time -f '%U %S' "$QWEN" batch "$WORK/2k" -j 64 --no-stream --base-url "$URL" -q -o /dev/null 2>&1 | tail -1 | awk '{print $1+$2}')
ccpu=$(cpu_seconds 50 curl -s -X POST "$URL/chat/completions" -H 'Content-Type: application/json' -d "$BODY")
echo "qwen batch: $(echo "scale=1; $qcpu * 1000000 / 2000" | bc -l) µs CPU per item; curl: $(echo "scale=1; $ccpu * 1000000" | bc -l) µs per request; ratio $(echo "scale=6; ($qcpu / 2000) / $ccpu" | bc -l)"

echo; echo "== 3. peak RSS, 10,000 vs 100,000 files (zero latency) =="
mkfiles "$WORK/10k" 10000
mkfiles "$WORK/100k" 100000
for n in 10k 100k; do
  /usr/bin/time -f "%M %e" "$QWEN" batch "$WORK/$n" -j 64 --no-stream --base-url "$URL" -q -o "$WORK/out-$n.jsonl" 2>"$WORK/time-$n" || true
  read -r rss secs < <(tail -1 "$WORK/time-$n")
  echo "$n files: peak RSS $((rss / 1024)) MiB, ${secs}s, $(wc -l <"$WORK/out-$n.jsonl") lines"
done
rm -rf "$BENCH_TMP"
