//! Bytes → server-sent events, over any byte stream. No protocol knowledge lives here.
//!
//! `eventsource-stream` does the parsing (CRLF, comments, multi-line data, a missing space
//! after the colon as in DashScope's native stream); this module only names the result and
//! turns its errors into [`ApiError`]s.

use eventsource_stream::{EventStreamError, Eventsource};
use futures_util::{Stream, StreamExt};

use super::ApiError;

/// One server-sent event: its `event:` name (empty for the default) and its `data:` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, or `""`.
    pub event: String,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
}

/// A body chunk, or the blank line we add at the end of the body.
enum Piece<B> {
    Body(B),
    End,
}

impl<B: AsRef<[u8]>> AsRef<[u8]> for Piece<B> {
    fn as_ref(&self) -> &[u8] {
        match self {
            Piece::Body(b) => b.as_ref(),
            Piece::End => b"\n\n",
        }
    }
}

/// Parses a byte stream into events; a transport error ends the stream with an error.
///
/// A server that closes the connection right after its last `data:` line, without the
/// blank line that ends an event, still delivered that event: the spec would drop it, but
/// a dropped final chunk (the one with the finish reason) is worse than accepting it.
pub fn events<S, B, E>(body: S) -> impl Stream<Item = Result<SseEvent, ApiError>>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
    E: Into<ApiError>,
{
    let body = body
        .map(|r| r.map(Piece::Body))
        .chain(futures_util::stream::once(std::future::ready(Ok(
            Piece::End,
        ))));
    body.eventsource().map(|item| match item {
        Ok(event) => Ok(SseEvent {
            event: event.event,
            data: event.data,
        }),
        Err(EventStreamError::Transport(err)) => Err(err.into()),
        Err(EventStreamError::Utf8(err)) => Err(ApiError::Stream(format!(
            "the response stream is not valid UTF-8: {err}"
        ))),
        Err(EventStreamError::Parser(err)) => Err(ApiError::Stream(format!(
            "the response stream is not valid server-sent events: {err}"
        ))),
    })
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
        rt.block_on(events(body).map(|e| e.unwrap()).collect())
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
