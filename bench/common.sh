# Shared helpers for the benchmark scripts: build, start the fake server, measure RSS.
# Sourced, not run. Everything talks to 127.0.0.1 only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v hyperfine >/dev/null || { echo "bench: install hyperfine (apt-get install hyperfine)" >&2; exit 2; }

build() {
  cargo build --release --locked --bin qwen --example fake_server >&2
  QWEN="$ROOT/target/release/qwen"
  FAKE="$ROOT/target/release/examples/fake_server"
}

# start_fake ARGS... → sets URL; the server is stopped when the script exits.
start_fake() {
  local out; out="$(mktemp)"
  "$FAKE" "$@" >"$out" &
  FAKE_PID=$!
  trap 'kill $FAKE_PID 2>/dev/null || true' EXIT
  for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.05; done
  URL="$(head -1 "$out")"
}

# A hermetic environment for qwen: throwaway config and data dirs, a fake key.
hermetic() {
  BENCH_TMP="$(mktemp -d)"
  export QWEN_CONFIG_DIR="$BENCH_TMP/config" QWEN_DATA_DIR="$BENCH_TMP/data"
  export DASHSCOPE_API_KEY=sk-bench
  unset QWEN_MODEL QWEN_PROFILE DASHSCOPE_REGION DASHSCOPE_BASE_URL
}

# peak_rss_kib CMD... → the peak resident set size of CMD in KiB (median of 5 runs).
peak_rss_kib() {
  for _ in 1 2 3 4 5; do /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; done | sort -n | sed -n 3p
}

# cpu_seconds N CMD... → user+sys seconds of CMD, averaged over N runs.
cpu_seconds() {
  local n=$1; shift
  local total=0
  for _ in $(seq "$n"); do
    t=$(/usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1+$2}')
    total=$(echo "$total + $t" | bc -l)
  done
  echo "scale=6; $total / $n" | bc -l
}

machine() {
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr)"
  echo "qwen: $("$QWEN" --version), $(rustc --version)"
}
