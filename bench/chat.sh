#!/usr/bin/env bash
# Benchmarks for `qwen chat` (issue #2), side by side with curl in one run:
#   1. startup: `qwen --version` wall time and peak RSS
#   2. one non-stream request: wall vs curl, peak RSS
#   3. relaying a 2,000-token stream to a pipe: wall vs `curl -N`, client CPU per token
# Usage: bench/chat.sh [--runs N]   (writes hyperfine JSON to target/bench/)
source "$(dirname "$0")/common.sh"
RUNS=${RUNS:-50}
[ "${1:-}" = "--runs" ] && RUNS=$2
build; hermetic
OUT="$ROOT/target/bench"; mkdir -p "$OUT"
machine

echo; echo "== 1. startup =="
hyperfine -N --warmup 20 --runs 300 --export-json "$OUT/version.json" "$QWEN --version"
echo "peak RSS qwen --version: $(peak_rss_kib "$QWEN" --version) KiB"

echo; echo "== 2. one non-stream request (fake server, 20-token reply) =="
start_fake --tokens 20
BODY='{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}]}'
hyperfine -N --warmup 10 --runs "$RUNS" --export-json "$OUT/request.json" \
  -n curl "curl -s -X POST $URL/chat/completions -H 'Authorization: Bearer sk-bench' -H 'Content-Type: application/json' -d '$BODY'" \
  -n qwen "$QWEN chat --no-stream --base-url $URL hi" \
  -n "qwen --no-ledger --no-save" "$QWEN chat --no-stream --no-ledger --no-save --base-url $URL hi"
echo "peak RSS qwen one request: $(peak_rss_kib "$QWEN" chat --no-stream --base-url "$URL" hi) KiB"
echo "peak RSS curl one request: $(peak_rss_kib curl -s -X POST "$URL/chat/completions" -H 'Content-Type: application/json' -d "$BODY") KiB"
kill $FAKE_PID

echo; echo "== 3. relay a 2,000-token stream to a pipe =="
start_fake --tokens 2000
SBODY='{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}'
hyperfine --warmup 5 --runs "$RUNS" --export-json "$OUT/stream.json" \
  -n "curl -N" "curl -sN -X POST $URL/chat/completions -H 'Authorization: Bearer sk-bench' -H 'Content-Type: application/json' -d '$SBODY' | cat >/dev/null" \
  -n qwen "$QWEN chat --base-url $URL hi | cat >/dev/null"
q=$(cpu_seconds 20 "$QWEN" chat --base-url "$URL" hi)
c=$(cpu_seconds 20 curl -sN -X POST "$URL/chat/completions" -H 'Content-Type: application/json' -d "$SBODY")
echo "client CPU (user+sys) per run: qwen ${q}s, curl ${c}s; qwen per token: $(echo "scale=2; $q * 1000000 / 2000" | bc -l) µs"
echo "peak RSS qwen 2,000-token stream: $(peak_rss_kib "$QWEN" chat --base-url "$URL" hi) KiB"
