//! The explicit prompt cache's warm-up: the first marked item of a run goes alone.

use super::*;

/// The explicit prompt cache of a run. The first item whose request carries markers is
/// sent alone; the others wait for its reply, since the service creates the cache only
/// after a response, and items sent meanwhile would each write it (125 %) instead of
/// hitting it (10 %). The price is one item's latency added to the run.
#[derive(Default)]
pub struct WarmUp {
    /// Why no marker was placed (or how many were) has been said.
    noted: Cell<bool>,
    /// 0: no marked item sent yet; 1: the first one is under way; 2: it has its reply.
    state: Cell<u8>,
    warmed: Notify,
}

impl WarmUp {
    /// Waits until a marked request may go; returns true for the one that warms the cache.
    pub(super) async fn before_send(&self) -> bool {
        loop {
            let warmed = self.warmed.notified();
            match self.state.get() {
                0 => {
                    self.state.set(1);
                    return true;
                }
                1 => warmed.await,
                _ => return false,
            }
        }
    }

    /// Lets the waiting items go.
    pub(super) fn warmed(&self) {
        self.state.set(2);
        self.warmed.notify_waiters();
    }

    /// Says once per run what the prompt cache decided (see `prompt_cache::say`).
    pub fn say_once(
        &self,
        settings: &crate::config::Settings,
        ask: &crate::prompt_cache::Ask,
        decision: &crate::prompt_cache::Decision,
    ) {
        if !matches!(decision, crate::prompt_cache::Decision::Off) && !self.noted.replace(true) {
            crate::prompt_cache::say(settings, ask, decision);
        }
    }
}
