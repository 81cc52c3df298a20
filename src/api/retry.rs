//! The retry policy: how many tries, how long between them, and when `Retry-After` wins.
//!
//! The backoff sequence comes from `backon` (exponential, full jitter). The loop that uses it
//! lives in `turn.rs`, because whether a failure may be retried depends on whether output has
//! already reached the user, which a generic retry combinator cannot see.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

use super::ApiError;

/// The longest `Retry-After` we wait for; a server asking for more gets a final error.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// How to retry transient failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub retries: u32,
    /// The first backoff delay (before jitter).
    pub min_delay: Duration,
    /// The largest backoff delay.
    pub max_delay: Duration,
    /// Tests set `QWEN_TEST_NO_RETRY_DELAY` (read by debug builds only): backoff becomes
    /// zero, `Retry-After` still counts.
    pub no_delay: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            retries: 3,
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            no_delay: false,
        }
    }
}

impl RetryPolicy {
    /// Returns the backoff delays, one per retry.
    pub fn backoff(&self) -> impl Iterator<Item = Duration> + use<> {
        let builder = ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.retries as usize)
            .with_jitter();
        let no_delay = self.no_delay;
        builder
            .build()
            .map(move |d| if no_delay { Duration::ZERO } else { d })
    }

    /// Sends `call` until it succeeds, fails for good, or the retries run out, waiting the
    /// backoff (or the server's `Retry-After`) between tries.
    pub async fn retrying<T>(
        &self,
        mut call: impl AsyncFnMut() -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut backoff = self.backoff();
        loop {
            let err = match call().await {
                Ok(value) => return Ok(value),
                Err(err) => err,
            };
            match err
                .is_retryable()
                .then(|| backoff.next())
                .flatten()
                .and_then(|planned| self.delay(&err, planned))
            {
                Some(delay) => tokio::time::sleep(delay).await,
                None => return Err(err),
            }
        }
    }

    /// Returns how long to wait before retrying after `err`, given the planned backoff;
    /// `None` when the server asked for longer than we are willing to wait.
    pub fn delay(&self, err: &ApiError, planned: Duration) -> Option<Duration> {
        match err.retry_after() {
            Some(wait) if wait > MAX_RETRY_AFTER => None,
            // The server knows when it will take us back; never come earlier than it said.
            Some(wait) => Some(wait.max(planned)),
            None => Some(planned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_has_one_delay_per_retry_and_respects_the_cap() {
        let policy = RetryPolicy {
            retries: 6,
            min_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
            no_delay: false,
        };
        let delays: Vec<_> = policy.backoff().collect();
        assert_eq!(delays.len(), 6);
        // Jitter adds at most one more base delay on top of the capped value.
        assert!(
            delays.iter().all(|d| *d <= Duration::from_millis(800)),
            "{delays:?}"
        );
        let zero = RetryPolicy {
            no_delay: true,
            ..policy
        };
        assert!(zero.backoff().all(|d| d.is_zero()));
    }

    #[test]
    fn retry_after_is_a_floor() {
        let policy = RetryPolicy::default();
        let err = crate::api::error_from_body(Some(429), "{}", Some(Duration::from_secs(2)));
        assert_eq!(
            policy.delay(&err, Duration::from_millis(10)),
            Some(Duration::from_secs(2))
        );
        let err = crate::api::error_from_body(Some(429), "{}", Some(Duration::from_secs(3600)));
        assert_eq!(policy.delay(&err, Duration::ZERO), None);
    }
}
