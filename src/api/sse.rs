//! Bytes → server-sent events, over any byte stream. No protocol knowledge lives here.
//!
//! A hand-written parser of the WHATWG event-stream format (CRLF, CR or LF line ends,
//! comments, multi-line data, a BOM, no space after the colon as in DashScope's native
//! stream). It replaced `eventsource-stream`, which re-parses its whole buffer from the
//! start on every chunk: a 10 MB line took 10 s of CPU, a 10 MB tool-call argument 16.6 s.
//! Here each byte is scanned once and moved at most once, and one event may not grow past
//! a limit (`max_event_size`), so a server cannot make the client buffer without end.

use std::collections::VecDeque;

use futures_util::{Stream, StreamExt};

use super::ApiError;

/// The largest event accepted unless `max_event_size` says otherwise.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 << 20;

/// One server-sent event: its `event:` name (empty for the default) and its `data:` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, or `""`.
    pub event: String,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
}

/// Parses a byte stream into events; a transport error ends the stream with an error, and
/// so does an event larger than `max_event` bytes.
///
/// A server that closes the connection right after its last `data:` line, without the
/// blank line that ends an event, still delivered that event: the spec would drop it, but
/// a dropped final chunk (the one with the finish reason) is worse than accepting it.
pub fn events<S, B, E>(body: S, max_event: usize) -> impl Stream<Item = Result<SseEvent, ApiError>>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
    E: Into<ApiError>,
{
    // The parser lives in the stream, not in a pending `next()` future, so dropping such a
    // future (`Reply::next_now`) loses no bytes.
    let state = (Box::pin(body), Parser::new(max_event));
    futures_util::stream::unfold(state, |(mut body, mut parser)| async move {
        loop {
            if let Some(item) = parser.ready.pop_front() {
                return Some((item, (body, parser)));
            }
            if parser.done {
                return None;
            }
            match body.next().await {
                Some(Ok(chunk)) => parser.feed(chunk.as_ref()),
                Some(Err(err)) => parser.fail(err.into()),
                None => parser.finish(),
            }
        }
    })
}

/// `16 MiB`, `64 KiB` or `100 bytes`.
pub(crate) fn size_text(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// The incremental parser: bytes in, complete events out.
struct Parser {
    /// Bytes not yet consumed; `buf[..start]` are consumed lines not yet dropped.
    buf: Vec<u8>,
    start: usize,
    /// Bytes of `buf` already searched for a line end, so none is scanned twice.
    scanned: usize,
    /// The event being built: its type and its data lines, each followed by `\n`.
    event: String,
    data: String,
    max_event: usize,
    /// The byte-order mark has been looked for (only the stream's first bytes may hold it).
    bom_checked: bool,
    ready: VecDeque<Result<SseEvent, ApiError>>,
    /// Nothing more will come: the body ended, broke, or was refused.
    done: bool,
}

impl Parser {
    fn new(max_event: usize) -> Self {
        Self {
            buf: Vec::new(),
            start: 0,
            scanned: 0,
            event: String::new(),
            data: String::new(),
            max_event,
            bom_checked: false,
            ready: VecDeque::new(),
            done: false,
        }
    }

    fn feed(&mut self, chunk: &[u8]) {
        if self.done {
            return;
        }
        self.buf.extend_from_slice(chunk);
        if !self.bom_checked {
            if self.buf.len() < 3 && b"\xEF\xBB\xBF".starts_with(&self.buf) {
                return;
            }
            self.bom_checked = true;
            if self.buf.starts_with(b"\xEF\xBB\xBF") {
                self.start = 3;
                self.scanned = 3;
            }
        }
        while let Some((end, next)) = self.line_end() {
            if end - self.start + self.data.len() + self.event.len() > self.max_event {
                return self.too_large();
            }
            let line = std::mem::take(&mut self.buf);
            let result = self.line(&line[self.start..end]);
            self.buf = line;
            self.start = next;
            self.scanned = next;
            if let Err(err) = result {
                return self.fail(err);
            }
        }
        // Drop the consumed lines: what moves is only the unfinished line's bytes from this
        // chunk, so every byte moves at most once.
        self.buf.drain(..self.start);
        self.scanned -= self.start;
        self.start = 0;
        let pending = self.buf.len() + self.data.len() + self.event.len();
        if pending > self.max_event {
            self.too_large();
        }
    }

    fn too_large(&mut self) {
        self.fail(ApiError::Stream(format!(
            "the server sent an event larger than {}, the `max_event_size` limit",
            size_text(self.max_event)
        )));
    }

    /// Finds the next line end after `scanned`: the line's end and where the next line
    /// starts. A `\r` at the very end of the buffer waits for the next byte (it may be the
    /// first half of `\r\n`).
    fn line_end(&mut self) -> Option<(usize, usize)> {
        let from = self.scanned.max(self.start);
        match self.buf[from..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
        {
            None => {
                self.scanned = self.buf.len();
                None
            }
            Some(i) => {
                let at = from + i;
                if self.buf[at] == b'\n' {
                    Some((at, at + 1))
                } else if at + 1 < self.buf.len() {
                    Some((at, at + 1 + usize::from(self.buf[at + 1] == b'\n')))
                } else {
                    self.scanned = at;
                    None
                }
            }
        }
    }

    /// Interprets one line (without its line end).
    fn line(&mut self, line: &[u8]) -> Result<(), ApiError> {
        if line.is_empty() {
            self.dispatch();
            return Ok(());
        }
        if line[0] == b':' {
            return Ok(());
        }
        let line = std::str::from_utf8(line).map_err(|e| {
            ApiError::Stream(format!("the response stream is not valid UTF-8: {e}"))
        })?;
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            // `id` and `retry` steer reconnection, which a POST reply never does.
            _ => {}
        }
        Ok(())
    }

    /// Ends the event being built, per the spec: no data, no event.
    fn dispatch(&mut self) {
        let mut event = std::mem::take(&mut self.event);
        let mut data = std::mem::take(&mut self.data);
        if data.is_empty() {
            return;
        }
        data.pop();
        if event.is_empty() {
            event.push_str("message");
        }
        self.ready.push_back(Ok(SseEvent { event, data }));
    }

    /// The body ended: the unfinished line and event still count (see [`events`]).
    fn finish(&mut self) {
        if self.done {
            return;
        }
        let rest = std::mem::take(&mut self.buf);
        let mut rest = &rest[self.start..];
        if let Some(stripped) = rest.strip_suffix(b"\r") {
            rest = stripped;
        }
        if !rest.is_empty()
            && let Err(err) = self.line(rest)
        {
            return self.fail(err);
        }
        self.dispatch();
        self.done = true;
    }

    fn fail(&mut self, err: ApiError) {
        self.ready.push_back(Err(err));
        self.done = true;
        self.buf = Vec::new();
        self.data = String::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;
    use proptest::prelude::*;

    #[derive(Debug)]
    struct Never;
    impl From<Never> for ApiError {
        fn from(_: Never) -> Self {
            unreachable!()
        }
    }

    fn parse(pieces: Vec<Vec<u8>>) -> Vec<SseEvent> {
        let body = stream::iter(pieces.into_iter().map(Ok::<_, Never>));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(
            events(body, DEFAULT_MAX_EVENT_SIZE)
                .map(|e| e.unwrap())
                .collect(),
        )
    }

    fn parse_results(pieces: Vec<Vec<u8>>, max: usize) -> Vec<Result<SseEvent, ApiError>> {
        let body = stream::iter(pieces.into_iter().map(Ok::<_, Never>));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(events(body, max).collect())
    }

    /// Every framing feature at once: CRLF, LF, a comment, a multi-line data field, a named
    /// event without a space after the colon, and no newline after the last line.
    const BODY: &[u8] =
        b"data: {\"a\":1}\r\n\r\n: keep-alive\n\ndata: line one\ndata: line two\n\n\
id:7\nevent:result\n:HTTP_STATUS/200\ndata:{\"b\":2}\n\ndata: [DONE]\n\n";

    fn expected() -> Vec<SseEvent> {
        let ev = |event: &str, data: &str| SseEvent {
            event: event.into(),
            data: data.into(),
        };
        vec![
            ev("message", "{\"a\":1}"),
            ev("message", "line one\nline two"),
            ev("result", "{\"b\":2}"),
            ev("message", "[DONE]"),
        ]
    }

    #[test]
    fn whole_body_parses() {
        assert_eq!(parse(vec![BODY.to_vec()]), expected());
    }

    #[test]
    fn every_split_point_gives_the_same_events() {
        for cut in 1..BODY.len() {
            let got = parse(vec![BODY[..cut].to_vec(), BODY[cut..].to_vec()]);
            assert_eq!(got, expected(), "cut at {cut}");
        }
    }

    #[test]
    fn every_pair_of_split_points_gives_the_same_events() {
        for a in 1..BODY.len() {
            for b in a + 1..BODY.len() {
                let got = parse(vec![
                    BODY[..a].to_vec(),
                    BODY[a..b].to_vec(),
                    BODY[b..].to_vec(),
                ]);
                assert_eq!(got, expected(), "cuts at {a} and {b}");
            }
        }
    }

    #[test]
    fn last_event_without_trailing_newline_is_not_lost() {
        // A server that closes right after its last data line (no blank line) still
        // delivered that event; the parser must not drop it silently.
        let got = parse(vec![b"data: x\n\ndata: y\n".to_vec()]);
        assert_eq!(got[0].data, "x");
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn cr_line_ends_a_bom_and_a_field_without_a_colon() {
        let body = b"\xEF\xBB\xBFdata: a\rdata\r\revent: e\r\ndata:b\r\n\r\n";
        let want = vec![
            SseEvent {
                event: "message".into(),
                data: "a\n".into(),
            },
            SseEvent {
                event: "e".into(),
                data: "b".into(),
            },
        ];
        assert_eq!(parse(vec![body.to_vec()]), want);
        // Byte by byte: the BOM and every `\r\n` arrive split.
        assert_eq!(parse(body.iter().map(|b| vec![*b]).collect()), want);
    }

    #[test]
    fn an_event_past_the_limit_is_an_error_and_ends_the_stream() {
        let big = format!("data: {}\n\ndata: after\n\n", "x".repeat(5000));
        let got = parse_results(vec![b"data: ok\n\n".to_vec(), big.into_bytes()], 4096);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].as_ref().unwrap().data, "ok");
        let err = got[1].as_ref().unwrap_err().to_string();
        assert!(err.contains("larger than 4 KiB"), "{err}");
        assert!(err.contains("max_event_size"), "{err}");
        // Many data lines add up too, even when each is small.
        let lines = "data: 0123456789\n".repeat(500);
        let got = parse_results(vec![lines.into_bytes()], 4096);
        assert!(got[0].is_err(), "{got:?}");
    }

    #[test]
    fn bad_utf8_is_an_error() {
        let got = parse_results(vec![b"data: \xff\n\n".to_vec()], 1024);
        assert!(got[0].as_ref().unwrap_err().to_string().contains("UTF-8"));
    }

    /// The old parser re-read its whole buffer on every chunk: a 10 MB line in 1 KiB chunks
    /// took minutes of CPU. Linear parsing takes well under a second even unoptimised; the
    /// release figure (bench/sse.sh) is in BENCHMARKS.md.
    #[test]
    fn a_ten_megabyte_event_in_small_chunks_parses_in_linear_time() {
        let payload = "x".repeat(10 << 20);
        let body = format!("data: {payload}\n\n").into_bytes();
        let pieces: Vec<Vec<u8>> = body.chunks(1024).map(<[u8]>::to_vec).collect();
        let start = std::time::Instant::now();
        let got = parse(pieces);
        let took = start.elapsed();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].data.len(), 10 << 20);
        assert!(took < std::time::Duration::from_secs(3), "took {took:?}");
    }

    proptest! {
        #[test]
        fn any_chunking_gives_the_same_events(cuts in proptest::collection::vec(0..BODY.len(), 0..12)) {
            let mut cuts = cuts;
            cuts.sort_unstable();
            cuts.dedup();
            let mut pieces = Vec::new();
            let mut start = 0;
            for cut in cuts {
                pieces.push(BODY[start..cut].to_vec());
                start = cut;
            }
            pieces.push(BODY[start..].to_vec());
            prop_assert_eq!(parse(pieces), expected());
        }
    }
}
