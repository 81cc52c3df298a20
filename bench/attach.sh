#!/usr/bin/env bash
# Benchmarks for `--attach` (issue #14), in one run against the fake server:
#   1. client CPU (user+sys) of `qwen chat -a` with a 5 MB image sent inline (max_body raised
#      so it is not uploaded), with the same image through the fake temporary storage, and of
#      the same chat without an attachment, side by side (RUNS runs each, medians)
#   2. `qwen batch` over 2,000 images of 200 KB vs 2,000 small text files at -j 64 against a
#      100 ms fake: throughput of each (ratio of the ideal 640 items/s) and peak RSS
# Usage: bench/attach.sh       (RUNS=N to change the number of runs, default 5; NO_BUILD=1
#        uses the release binaries already built, e.g. under a shared build lock)
source "$(dirname "$0")/common.sh"
if [ -n "${NO_BUILD:-}" ]; then
  QWEN="$ROOT/target/release/qwen"; FAKE="$ROOT/target/release/examples/fake_server"
else
  build
fi
hermetic
RUNS="${RUNS:-5}"
machine
WORK="$BENCH_TMP/work"; mkdir -p "$WORK"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# img FILE BYTES: a PNG signature followed by random bytes (incompressible, like a photo)
img() { python3 -c "import os,sys; open(sys.argv[1],'wb').write(b'\x89PNG\r\n\x1a\n'+os.urandom(int(sys.argv[2])-8))" "$1" "$2"; }
img "$WORK/5mb.png" 5000000

echo; echo "== 1. client CPU of one chat, 5 MB image vs none (zero latency) =="
start_fake --tokens 20
mkdir -p "$QWEN_CONFIG_DIR"
# cpu CMD... → user+sys ms of CMD, from the child's rusage (microseconds, unlike time(1)'s 10 ms)
cpu() { python3 -c 'import resource,subprocess,sys; subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,check=True); r=resource.getrusage(resource.RUSAGE_CHILDREN); print("%.2f" % ((r.ru_utime+r.ru_stime)*1000))' "$@"; }
: >"$WORK/t"; : >"$WORK/i"; : >"$WORK/u"
for _ in $(seq "$RUNS"); do
  printf 'max_body = "16MiB"\n' >"$QWEN_CONFIG_DIR/config.toml"
  cpu "$QWEN" chat -q --no-stdin -m qwen3-vl-plus --base-url "$URL" "Describe" >>"$WORK/t"
  cpu "$QWEN" chat -q --no-stdin -m qwen3-vl-plus --base-url "$URL" -a "$WORK/5mb.png" "Describe" >>"$WORK/i"
  # Through the storage: a fresh store each time, so it really uploads.
  printf 'native_base_url = "%s"\n' "${URL%/v1}/api/v1" >"$QWEN_CONFIG_DIR/config.toml"
  rm -rf "$QWEN_DATA_DIR"
  cpu "$QWEN" chat -q --no-stdin -m qwen3-vl-plus --base-url "$URL" -a "$WORK/5mb.png" "Describe" >>"$WORK/u"
done
t=$(median <"$WORK/t"); i=$(median <"$WORK/i"); u=$(median <"$WORK/u")
echo "text only: ${t} ms CPU; 5 MB image inline: ${i} ms (+$(echo "$i - $t" | bc -l) ms); 5 MB image uploaded: ${u} ms (+$(echo "$u - $t" | bc -l) ms) (medians of $RUNS)"

kill $FAKE_PID

echo; echo "== 2. 2,000 images of 200 KB vs 2,000 text files, -j 64, 100 ms latency =="
python3 - "$WORK" <<'PY'
import os, sys
w = sys.argv[1]
for kind in ("img", "txt"):
    os.makedirs(os.path.join(w, kind), exist_ok=True)
for i in range(2000):
    with open(os.path.join(w, "img", f"p{i:04d}.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + os.urandom(200_000 - 8))
    with open(os.path.join(w, "txt", f"f{i:04d}.md"), "w") as f:
        f.write(f"document {i}: a short note to summarise.\n")
PY
start_fake --latency-ms 100 --tokens 20
rm -f "$QWEN_CONFIG_DIR/config.toml"
ratio() { echo "scale=3; (2000 / $1) / 640" | bc -l; }
: >"$WORK/bt"; : >"$WORK/bi"
for r in $(seq "$RUNS"); do
  for kind in txt img; do
    t0=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$WORK/rss-$kind" "$QWEN" batch "$WORK/$kind" -j 64 --no-stream -m qwen3-vl-plus --base-url "$URL" -q --force -o "$WORK/out-$kind.jsonl"
    t1=$(date +%s.%N); s=$(echo "$t1 - $t0" | bc -l)
    ok=$(grep -c '"status":"ok"' "$WORK/out-$kind.jsonl")
    echo "$s" >>"$WORK/b${kind:0:1}"
    echo "run $r $kind: ${s}s, ratio $(ratio "$s"), $ok ok, peak RSS $(( $(tail -1 "$WORK/rss-$kind") / 1024 )) MiB"
  done
done
t=$(median <"$WORK/bt"); i=$(median <"$WORK/bi")
echo "text: median ${t}s (ratio $(ratio "$t")); images: median ${i}s (ratio $(ratio "$i")); images at $(echo "scale=3; $t / $i" | bc -l) of text"
echo "server: $(curl -s "$URL/stats")"
rm -rf "$BENCH_TMP"
