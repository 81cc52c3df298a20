#!/usr/bin/env bash
# One huge server-sent event through `qwen chat` (issue #11, item 19): a 10 MB text delta,
# and a 10 MB tool-call argument, each as ONE event, relayed to /dev/null end to end
# (process start, request, parse, output). `curl -N` reading the same bytes is the floor.
# The old parser re-read its buffer on every chunk: 10 s of CPU for the text, 16.6 s for the
# tool call. A tiny generator on 127.0.0.1 serves the bodies in 16 KiB writes.
# Usage: bench/sse.sh [--runs N] [--mb N]
source "$(dirname "$0")/common.sh"
RUNS=${RUNS:-10}
MB=${MB:-10}
[ "${1:-}" = "--runs" ] && RUNS=$2
[ "${3:-}" = "--mb" ] && MB=$4
build; hermetic
machine

SERVER_OUT="$(mktemp)"
python3 - "$MB" >"$SERVER_OUT" <<'PY' &
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

size = int(sys.argv[1]) << 20
def frame(v):
    return b"data: " + json.dumps(v, separators=(",", ":")).encode() + b"\n\n"
def chunk(delta, finish=None):
    return {"choices": [{"delta": delta, "finish_reason": finish, "index": 0}],
            "model": "qwen-plus", "id": "chatcmpl-bench"}
text = "x" * size
args = json.dumps({"blob": "y" * (size - 11)})
bodies = {
    "text": frame(chunk({"content": text})) + frame(chunk({}, "stop")) + b"data: [DONE]\n\n",
    "tool": frame(chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                         "function": {"name": "f", "arguments": args}}]}))
            + frame(chunk({}, "tool_calls")) + b"data: [DONE]\n\n",
}

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = bodies[self.path.split("/")[1]]
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        for i in range(0, len(body), 16384):
            self.wfile.write(body[i:i + 16384])
        self.wfile.flush()

server = ThreadingHTTPServer(("127.0.0.1", 0), H)
print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
PY
GEN_PID=$!
trap 'kill $GEN_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$SERVER_OUT" ] && break; sleep 0.05; done
URL="$(head -1 "$SERVER_OUT")"

echo; echo "== one ${MB} MB text event, then one ${MB} MB tool-call argument =="
hyperfine -N --warmup 2 --runs "$RUNS" \
  "curl -sN -o /dev/null -X POST -H content-type:application/json -d {} $URL/text/v1/chat/completions" \
  "$QWEN --base-url $URL/text/v1 --no-ledger chat --no-save hi" \
  "$QWEN --base-url $URL/tool/v1 --no-ledger chat --no-save --format jsonl hi"
echo "CPU seconds per run (user+sys), text: $(cpu_seconds 5 "$QWEN" --base-url "$URL/text/v1" --no-ledger chat --no-save hi)"
echo "CPU seconds per run (user+sys), tool: $(cpu_seconds 5 "$QWEN" --base-url "$URL/tool/v1" --no-ledger chat --no-save --format jsonl hi)"
