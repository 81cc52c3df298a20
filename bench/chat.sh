#!/usr/bin/env bash
# Benchmarks for `qwen chat` (issue #2), side by side with curl in one run:
#   1. startup: `qwen --version` wall time and peak RSS
#   2. one non-stream request: wall vs curl, peak RSS
#   3. relaying a 2,000-token stream to a pipe: wall vs `curl -N`, client CPU per token
# Usage: bench/chat.sh [--runs N]   (writes hyperfine JSON to target/bench/)
# If `aichat` is on PATH (or AICHAT=/path/to/aichat), it runs side by side: it is the
# fastest peer the issue names (`cargo install --locked aichat`).
source "$(dirname "$0")/common.sh"
RUNS=${RUNS:-50}
[ "${1:-}" = "--runs" ] && RUNS=$2
build; hermetic
OUT="$ROOT/target/bench"; mkdir -p "$OUT"
machine

AICHAT="${AICHAT:-$(command -v aichat || true)}"
aichat_setup() { # aichat_setup URL: an openai-compatible client named `fake` at URL
  export AICHAT_CONFIG_DIR="$BENCH_TMP/aichat"; mkdir -p "$AICHAT_CONFIG_DIR"
  cat >"$AICHAT_CONFIG_DIR/config.yaml" <<YAML
model: fake:qwen-plus
save: false
highlight: false
clients:
  - type: openai-compatible
    name: fake
    api_base: $1
    api_key: sk-bench
    models:
      - name: qwen-plus
YAML
}

echo; echo "== 1. startup =="
if [ -n "$AICHAT" ]; then
  hyperfine -N --warmup 20 --runs 300 --export-json "$OUT/version.json" "$QWEN --version" "$AICHAT --version"
  echo "peak RSS aichat --version: $(peak_rss_kib "$AICHAT" --version) KiB"
else
  hyperfine -N --warmup 20 --runs 300 --export-json "$OUT/version.json" "$QWEN --version"
fi
echo "peak RSS qwen --version: $(peak_rss_kib "$QWEN" --version) KiB"
python3 -c "import json,sys; [print(f\"median {r['command']}: {r['median']*1000:.2f} ms\") for r in json.load(open(sys.argv[1]))['results']]" "$OUT/version.json"

echo; echo "== 2. one non-stream request (fake server, 20-token reply) =="
start_fake --tokens 20
BODY='{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}]}'
EXTRA=()
if [ -n "$AICHAT" ]; then aichat_setup "$URL"; EXTRA=(-n aichat "$AICHAT -S hi"); fi
hyperfine -N --warmup 10 --runs "$RUNS" --export-json "$OUT/request.json" \
  -n curl "curl -s -X POST $URL/chat/completions -H 'Authorization: Bearer sk-bench' -H 'Content-Type: application/json' -d '$BODY'" \
  -n qwen "$QWEN chat --no-stream --base-url $URL hi" \
  -n "qwen --no-ledger --no-save" "$QWEN chat --no-stream --no-ledger --no-save --base-url $URL hi" \
  "${EXTRA[@]}"
echo "peak RSS qwen one request: $(peak_rss_kib "$QWEN" chat --no-stream --base-url "$URL" hi) KiB"
echo "peak RSS curl one request: $(peak_rss_kib curl -s -X POST "$URL/chat/completions" -H 'Content-Type: application/json' -d "$BODY") KiB"
kill $FAKE_PID

echo; echo "== 3. relay a 2,000-token stream to a pipe =="
start_fake --tokens 2000
SBODY='{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}'
EXTRA=()
if [ -n "$AICHAT" ]; then aichat_setup "$URL"; EXTRA=(-n aichat "$AICHAT hi | cat >/dev/null"); fi
hyperfine --warmup 5 --runs "$RUNS" --export-json "$OUT/stream.json" \
  -n "curl -N" "curl -sN -X POST $URL/chat/completions -H 'Authorization: Bearer sk-bench' -H 'Content-Type: application/json' -d '$SBODY' | cat >/dev/null" \
  -n qwen "$QWEN chat --base-url $URL hi | cat >/dev/null" \
  "${EXTRA[@]}"
q=$(cpu_seconds 20 "$QWEN" chat --base-url "$URL" hi)
c=$(cpu_seconds 20 curl -sN -X POST "$URL/chat/completions" -H 'Content-Type: application/json' -d "$SBODY")
echo "client CPU (user+sys) per run: qwen ${q}s, curl ${c}s; qwen per token: $(echo "scale=2; $q * 1000000 / 2000" | bc -l) µs"
echo "peak RSS qwen 2,000-token stream: $(peak_rss_kib "$QWEN" chat --base-url "$URL" hi) KiB"
