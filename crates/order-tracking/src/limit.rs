//! A per-provider request rate limit: starts spaced at least `1 / rate` apart.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Spaces calls evenly: at most `per_second` starts a second, however many
/// tasks ask at once.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    next: Mutex<Instant>,
}

impl RateLimiter {
    /// At most `per_second` calls a second (must be > 0).
    pub fn per_second(per_second: f64) -> Self {
        Self {
            interval: Duration::from_secs_f64(1.0 / per_second.max(f64::MIN_POSITIVE)),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this call's turn.
    pub async fn acquire(&self) {
        let turn = {
            let mut next = self.next.lock().await;
            let turn = (*next).max(Instant::now());
            *next = turn + self.interval;
            turn
        };
        tokio::time::sleep_until(turn).await;
    }
}
