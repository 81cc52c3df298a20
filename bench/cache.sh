#!/usr/bin/env bash
# The explicit prompt cache (issue #15): 50 questions over one 20,000-token document, with
# and without --cache-prompt, against the fake server's model of DashScope's explicit cache
# (`fake_server --cache`: the marked prefix is written on its first request and hit within
# 5 minutes). The costs come from `qwen usage`, with qwen-plus's international input price
# ($0.4 per 1M) and output priced at 0, so the ratio is the input part's.
# Usage: bench/cache.sh            (N=50 questions, DOC_TOKENS=20000; PROFILE=debug builds
#                                   faster and gives the same figures: nothing here is timed;
#                                   NO_BUILD=1 with it uses the debug binaries as built)
source "$(dirname "$0")/common.sh"
N=${N:-50}
DOC_TOKENS=${DOC_TOKENS:-20000}
if [ "${PROFILE:-release}" = debug ]; then
  [ -n "${NO_BUILD:-}" ] || cargo build --locked --bin qwen --example fake_server >&2
  QWEN="$ROOT/target/debug/qwen"
  FAKE="$ROOT/target/debug/examples/fake_server"
else
  build
fi
hermetic
machine
start_fake --cache --tokens 20

# A document of DOC_TOKENS estimated tokens (four ASCII characters each, as both qwen and
# the fake count them).
DOC="$BENCH_TMP/doc.txt"
python3 - "$DOC" "$DOC_TOKENS" <<'PY'
import sys
path, tokens = sys.argv[1], int(sys.argv[2])
words = "the cache keeps a long prefix for five minutes and bills a hit at ten percent ".split()
out, n = [], 0
while n < tokens * 4:
    w = words[len(out) % len(words)]
    out.append(w)
    n += len(w) + 1
text = " ".join(out)[: tokens * 4 - 1] + "\n"
open(path, "w").write(text)
PY

mkdir -p "$QWEN_CONFIG_DIR"
cat >"$QWEN_CONFIG_DIR/config.toml" <<'TOML'
[prices."qwen-plus"]
input = 0.4
output = 0
currency = "USD"
TOML

for mode in plain cached; do
  export QWEN_DATA_DIR="$BENCH_TMP/data-$mode"
  flags=(); [ "$mode" = cached ] && flags=(--cache-prompt)
  for i in $(seq "$N"); do
    "$QWEN" chat --no-stream --no-save -m qwen-plus --base-url "$URL" "${flags[@]}" \
      -f "$DOC" "Question $i: what does part $i of the document say?" >/dev/null
  done
  "$QWEN" usage --format json >"$BENCH_TMP/$mode.json"
done

echo
echo "== $N questions over a $DOC_TOKENS-token document (qwen usage --format json) =="
printf '%-8s %12s %12s %12s %14s %14s\n' run input cache_write cached cost_usd cache_saved
for mode in plain cached; do
  jq -r --arg m "$mode" '.total | [$m, .input_tokens, .cache_write_tokens, .cached_tokens,
      (.cost.USD // 0), (.cache_saved.USD // 0)] | @tsv' "$BENCH_TMP/$mode.json" |
    awk -F'\t' '{printf "%-8s %12d %12d %12d %14.6f %14.6f\n", $1, $2, $3, $4, $5, $6}'
done
plain=$(jq '.total.cost.USD' "$BENCH_TMP/plain.json")
cached=$(jq '.total.cost.USD' "$BENCH_TMP/cached.json")
echo "input cost ratio (cached / plain): $(echo "scale=4; $cached / $plain" | bc -l)"
