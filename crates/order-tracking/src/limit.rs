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
    /// At most `per_second` calls a second; a rate below one a day (or not
    /// a positive number) is one a day.
    pub fn per_second(per_second: f64) -> Self {
        let interval = Duration::try_from_secs_f64(1.0 / per_second)
            .ok()
            .filter(|i| *i <= Self::SLOWEST)
            .unwrap_or(Self::SLOWEST);
        Self {
            interval,
            next: Mutex::new(Instant::now()),
        }
    }

    /// The longest interval: one call a day.
    const SLOWEST: Duration = Duration::from_secs(24 * 60 * 60);

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_too_small_to_space_calls_by_is_one_a_day() {
        for rate in [1e-30, 0.0, -1.0, f64::NAN] {
            assert_eq!(RateLimiter::per_second(rate).interval, RateLimiter::SLOWEST);
        }
        assert_eq!(
            RateLimiter::per_second(4.0).interval,
            Duration::from_millis(250)
        );
    }
}
