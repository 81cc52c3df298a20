//! How fast work goes: many jobs on one runtime with at most a window of them alive
//! ([`run_all`]), a concurrency limit that backs off on throttling ([`AdaptiveLimit`]), and
//! request and token rate limits ([`RateLimits`]). `batch` and `embed` pace their requests
//! with these.
//!
//! Everything runs on one current-thread runtime (uv's pattern): `buffer_unordered` polls
//! the jobs, one consumer receives results, so no locks and no `Send` bounds are needed.

use std::cell::Cell;
use std::future::Future;
use std::num::NonZeroU32;

use futures_util::{Stream, StreamExt};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::Notify;

/// A concurrency limit that halves on throttling and creeps back up on success (AIMD), as
/// DashScope's rate-limit guide advises ("ramp up slowly" after burst protection kicks in).
pub struct AdaptiveLimit {
    max: usize,
    limit: Cell<usize>,
    in_flight: Cell<usize>,
    successes: Cell<usize>,
    freed: Notify,
}

/// A slot taken from an [`AdaptiveLimit`]; dropping it frees the slot.
pub struct Slot<'a>(&'a AdaptiveLimit);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.in_flight.set(self.0.in_flight.get() - 1);
        // One slot, one waiter (the longest waiting): waking all of them made every free
        // slot poll each of the up to `window - limit` items queued behind the limit.
        self.0.freed.notify_one();
    }
}

impl AdaptiveLimit {
    /// Creates a limit of `max` requests in flight.
    pub fn new(max: usize) -> Self {
        let max = max.max(1);
        Self {
            max,
            limit: Cell::new(max),
            in_flight: Cell::new(0),
            successes: Cell::new(0),
            freed: Notify::new(),
        }
    }

    /// Waits for a free slot under the current limit.
    pub async fn acquire(&self) -> Slot<'_> {
        loop {
            // No slot can be freed between the check and the wait: the limit lives on one
            // thread and nothing awaits in between. A `notify_one` with nobody waiting is
            // kept for the next waiter, which then checks again.
            let freed = self.freed.notified();
            if self.in_flight.get() < self.limit.get() {
                self.in_flight.set(self.in_flight.get() + 1);
                return Slot(self);
            }
            freed.await;
        }
    }

    /// Halves the limit after a throttling answer (never below one).
    pub fn throttled(&self) {
        self.limit.set((self.limit.get() / 2).max(1));
        self.successes.set(0);
    }

    /// Counts a success; after as many successes as the limit, allows one more in flight.
    pub fn succeeded(&self) {
        let n = self.successes.get() + 1;
        if n >= self.limit.get() && self.limit.get() < self.max {
            self.limit.set(self.limit.get() + 1);
            self.successes.set(0);
            self.freed.notify_one();
        } else {
            self.successes.set(n);
        }
    }

    /// Returns the current limit.
    pub fn current(&self) -> usize {
        self.limit.get()
    }

    /// Returns the number of requests in flight.
    pub fn in_flight(&self) -> usize {
        self.in_flight.get()
    }
}

/// Client-side request and token rate limits (`--rpm`, `--tpm`).
pub struct RateLimits {
    rpm: Option<DefaultDirectRateLimiter>,
    tpm: Option<(DefaultDirectRateLimiter, NonZeroU32)>,
}

/// A per-minute quota whose burst is one second's share: DashScope enforces RPM and TPM
/// per second too (RPS = RPM/60, TPS = TPM/60, plus burst protection), so a client that
/// spends a whole minute's quota in its first second gets throttled.
fn smooth(per_minute: NonZeroU32) -> (Quota, NonZeroU32) {
    let burst = NonZeroU32::new(per_minute.get() / 60).unwrap_or(NonZeroU32::MIN);
    (Quota::per_minute(per_minute).allow_burst(burst), burst)
}

impl RateLimits {
    /// Creates the limiters that were asked for.
    pub fn new(rpm: Option<NonZeroU32>, tpm: Option<NonZeroU32>) -> Self {
        Self {
            rpm: rpm.map(|n| RateLimiter::direct(smooth(n).0)),
            tpm: tpm.map(|n| {
                let (quota, burst) = smooth(n);
                (RateLimiter::direct(quota), burst)
            }),
        }
    }

    /// Waits until a request estimated at `tokens` input tokens may start.
    pub async fn before(&self, tokens: u64) {
        if let Some(rpm) = &self.rpm {
            rpm.until_ready().await;
        }
        self.take_tokens(tokens).await;
    }

    /// Charges the difference between the real usage and the estimate, so that later
    /// requests wait for it.
    pub async fn after(&self, estimated: u64, actual: u64) {
        if actual > estimated {
            self.take_tokens(actual - estimated).await;
        }
    }

    async fn take_tokens(&self, tokens: u64) {
        let Some((limiter, capacity)) = &self.tpm else {
            return;
        };
        // A request larger than the bucket waits for a full bucket instead of failing: it can
        // never fit in one second's share, but it must still be allowed to run.
        let n = u32::try_from(tokens)
            .unwrap_or(u32::MAX)
            .min(capacity.get());
        if let Some(n) = NonZeroU32::new(n) {
            let _ = limiter.until_n_ready(n).await;
        }
    }
}

/// Runs `job` on every item with at most `window` futures alive, calling `on_done` as each
/// finishes. Stops pulling new items once `stop()` returns true.
pub async fn run_all<T, R, F, Fut>(
    items: impl Stream<Item = T>,
    window: usize,
    stop: impl Fn() -> bool,
    job: F,
    mut on_done: impl FnMut(R) -> anyhow::Result<()>,
) -> anyhow::Result<()>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = R>,
{
    let job = &job;
    let mut results = std::pin::pin!(
        items
            .take_while(|_| std::future::ready(!stop()))
            .map(job)
            .buffer_unordered(window.max(1))
    );
    // One consumer writes every result, so output lines never interleave.
    while let Some(result) = results.next().await {
        on_done(result)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;
    use std::time::Duration;

    #[test]
    fn adaptive_limit_halves_and_recovers() {
        let limit = AdaptiveLimit::new(8);
        limit.throttled();
        assert_eq!(limit.current(), 4);
        limit.throttled();
        limit.throttled();
        limit.throttled();
        assert_eq!(limit.current(), 1);
        for _ in 0..1 {
            limit.succeeded();
        }
        assert_eq!(limit.current(), 2);
        for _ in 0..100 {
            limit.succeeded();
        }
        assert_eq!(limit.current(), 8);
    }

    #[test]
    fn a_shrinking_and_regrowing_limit_loses_no_waiter() {
        // Each freed slot wakes one waiter; a waiter woken while the limit is too low must
        // not swallow the wake-up that a later free slot or a regrown limit gives.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let limit = Rc::new(AdaptiveLimit::new(4));
            let mut done = 0;
            let all = run_all(
                futures_util::stream::iter(0..40),
                40,
                || false,
                |i| {
                    let limit = Rc::clone(&limit);
                    async move {
                        let _slot = limit.acquire().await;
                        tokio::time::sleep(Duration::from_millis(1)).await;
                        if i % 10 == 3 {
                            limit.throttled();
                        } else {
                            limit.succeeded();
                        }
                        assert!(limit.in_flight() <= 4);
                    }
                },
                |()| {
                    done += 1;
                    Ok(())
                },
            );
            tokio::time::timeout(Duration::from_secs(10), all)
                .await
                .expect("no waiter was left behind")
                .unwrap();
            assert_eq!(done, 40);
        });
    }

    #[test]
    fn never_more_in_flight_than_the_limit() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let limit = Rc::new(AdaptiveLimit::new(3));
            let peak = Rc::new(Cell::new(0));
            let items = futures_util::stream::iter(0..20);
            let mut done = 0;
            run_all(
                items,
                10,
                || false,
                |i| {
                    let (limit, peak) = (Rc::clone(&limit), Rc::clone(&peak));
                    async move {
                        let _slot = limit.acquire().await;
                        peak.set(peak.get().max(limit.in_flight()));
                        tokio::time::sleep(Duration::from_millis(2)).await;
                        i
                    }
                },
                |_| {
                    done += 1;
                    Ok(())
                },
            )
            .await
            .unwrap();
            assert_eq!(done, 20);
            assert_eq!(peak.get(), 3);
        });
    }
}
