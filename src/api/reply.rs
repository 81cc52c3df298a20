//! A reply being read: neutral [`Event`]s one at a time, from a stream of server-sent events
//! or a whole JSON body, whichever the server sent; a stream cut before its end is an error.

use std::collections::VecDeque;
use std::pin::Pin;

use futures_util::{Stream, StreamExt};

use super::error::{request_id_header, with_request_id};
use super::types::Event;
use super::{ApiError, Endpoint, Protocol, compat, error_from_body, native, sse};

type SseStream = Pin<Box<dyn Stream<Item = Result<sse::SseEvent, ApiError>>>>;

enum Source {
    Stream(SseStream),
    /// A whole JSON body, read up to `max_event_size` bytes.
    Whole(Option<reqwest::Response>, usize),
}

/// A reply being read: yields events one at a time, whichever way the server sends them.
pub struct Reply {
    source: Source,
    pending: VecDeque<Event>,
    /// `[DONE]` or a finish reason arrived, so the end of the stream is expected. A native
    /// stream has no `[DONE]`: it ends at connection close after its finish reason.
    complete: bool,
    ended: bool,
    protocol: Protocol,
    /// The `x-request-id` header, for errors that arrive inside the reply (an error
    /// object in a 200 body, a mid-stream `data: {"error":…}` or `event:error`).
    header_id: Option<String>,
}

impl Reply {
    /// Reads a stream of already-parsed server-sent events (tests feed canned bytes).
    #[cfg(test)]
    pub(crate) fn from_sse(events: SseStream, protocol: Protocol) -> Self {
        Self {
            source: Source::Stream(events),
            pending: VecDeque::new(),
            complete: false,
            ended: false,
            protocol,
            header_id: None,
        }
    }

    pub(super) fn new(response: reqwest::Response, stream: bool, endpoint: &Endpoint) -> Self {
        let protocol = endpoint.protocol;
        // A server that answers a streamed request with one JSON body (some proxies and
        // local servers ignore `stream`) is read as the whole reply it is.
        let json = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let stream = stream && !json;
        let mut pending = VecDeque::new();
        let header_id = request_id_header(response.headers());
        if let Some(id) = &header_id {
            pending.push_back(Event::Meta {
                model: None,
                request_id: Some(id.clone()),
            });
        }
        let source = if stream {
            Source::Stream(Box::pin(sse::events(
                response.bytes_stream(),
                endpoint.max_event_size,
            )))
        } else {
            Source::Whole(Some(response), endpoint.max_event_size)
        };
        Self {
            source,
            pending,
            complete: false,
            ended: false,
            protocol,
            header_id,
        }
    }

    /// Returns the next event if it can be had without waiting for the network, else `None`.
    pub fn next_now(&mut self) -> Option<Result<Option<Event>, ApiError>> {
        use futures_util::FutureExt as _;
        match self.source {
            // Dropping a pending `next()` here loses nothing: the SSE parser keeps its state
            // and buffered bytes in the stream, not in the future.
            Source::Stream(_) => self.next().now_or_never(),
            // A whole reply is read by one future that must not be dropped half-way.
            Source::Whole(Some(_), _) if self.pending.is_empty() => None,
            Source::Whole(..) => self.next().now_or_never(),
        }
    }

    /// Returns the next event, `None` at the end of a complete reply.
    ///
    /// A stream that ends before `[DONE]` or a finish reason is an error: the reply was cut.
    pub async fn next(&mut self) -> Result<Option<Event>, ApiError> {
        let next = self.read().await;
        next.map_err(|err| with_request_id(err, self.header_id.as_deref()))
    }

    async fn read(&mut self) -> Result<Option<Event>, ApiError> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                if matches!(event, Event::Finish(_)) {
                    self.complete = true;
                }
                return Ok(Some(event));
            }
            if self.ended {
                return Ok(None);
            }
            match &mut self.source {
                Source::Whole(response, limit) => {
                    let Some(response) = response.take() else {
                        self.ended = true;
                        continue;
                    };
                    let body = super::error::read_whole(response, *limit).await?;
                    let body = String::from_utf8_lossy(&body);
                    self.pending.extend(match self.protocol {
                        Protocol::Compat => compat::response_events(&body)?,
                        Protocol::Native => native::response_events(&body)?,
                    });
                    self.ended = true;
                    self.complete = true;
                }
                Source::Stream(events) => match events.next().await {
                    Some(Ok(event)) => self.on_sse(event)?,
                    Some(Err(err)) => return Err(err),
                    None => {
                        self.ended = true;
                        if !self.complete {
                            return Err(ApiError::Incomplete);
                        }
                    }
                },
            }
        }
    }

    fn on_sse(&mut self, event: sse::SseEvent) -> Result<(), ApiError> {
        let data = event.data.trim();
        if event.event == "error" {
            return Err(match self.protocol {
                Protocol::Compat => error_from_body(None, data, None),
                Protocol::Native => native::error_event(data),
            });
        }
        if data.is_empty() || event.event == "keepalive" || event.event == "ping" {
            return Ok(());
        }
        if data == "[DONE]" {
            self.complete = true;
            self.ended = true;
            return Ok(());
        }
        let mut events = Vec::new();
        match self.protocol {
            Protocol::Compat => compat::chunk_events(data, &mut events)?,
            Protocol::Native => native::chunk_events(data, &mut events)?,
        }
        self.pending.extend(events);
        Ok(())
    }
}
