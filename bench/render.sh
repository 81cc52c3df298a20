#!/usr/bin/env bash
# The terminal Markdown renderer (issue #16): CPU per token for a ~1,900-token reply with
# prose, lists, quotes, two tables and six fenced code blocks (tests/fixtures/render/bench.md),
# pushed in token-sized pieces into a buffer, so terminal time is not counted.
# examples/render.rs does the timing; this builds it and prints the machine.
# With BEFORE=/path/to/an/older/qwen, it also compares `qwen --version` startup side by side
# (the highlighter must cost nothing to commands that do not render) and the binary sizes.
# Usage: [REPLIES=200] [BEFORE=/tmp/qwen-main] bench/render.sh
# Nothing here touches the network.
source "$(dirname "$0")/common.sh"
REPLIES=${REPLIES:-200}
flock -o /tmp/qwen-cargo.lock cargo build --release --locked --bin qwen --example render >&2
QWEN="$ROOT/target/release/qwen"
machine

echo
"$ROOT/target/release/examples/render" --bench "$REPLIES"

if [ -n "${BEFORE:-}" ]; then
  echo
  echo "binary size: before $(stat -c %s "$BEFORE") bytes, after $(stat -c %s "$QWEN") bytes"
  hyperfine -N --warmup 50 --runs 500 "$BEFORE --version" "$QWEN --version"
fi
