//! A request rate limit: at most `rate` starts a second on average, and up
//! to `burst` at once after a quiet spell, as a token bucket allows (the
//! generic cell rate algorithm: one time, the theoretical arrival of the
//! next call, is all it keeps). A provider's limit spaces every call to it
//! ([`Pusher::with_rate_limit`](crate::Pusher::with_rate_limit)); an
//! operation's limit follows the platform's usage plan for it, and the rate
//! its answers announce.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Spaces calls: at most `per_second` starts a second, however many tasks
/// ask at once, with `burst` of them at once after a quiet spell.
#[derive(Debug)]
pub struct RateLimiter {
    state: Mutex<State>,
    burst: u32,
}

#[derive(Debug)]
struct State {
    interval: Duration,
    /// When the next call would start were calls evenly spaced.
    next: Instant,
}

impl RateLimiter {
    /// At most `per_second` calls a second, evenly spaced; a rate below one
    /// a day (or not a positive number) is one a day.
    pub fn per_second(per_second: f64) -> Self {
        Self::with_burst(per_second, 1)
    }

    /// At most `per_second` calls a second on average, `burst` of them at
    /// once (at least one).
    pub fn with_burst(per_second: f64, burst: u32) -> Self {
        Self {
            state: Mutex::new(State {
                interval: interval(per_second),
                next: Instant::now(),
            }),
            burst: burst.max(1),
        }
    }

    /// The longest interval: one call a day.
    const SLOWEST: Duration = Duration::from_secs(24 * 60 * 60);

    /// Follows a rate the platform announced, from the next call on.
    pub async fn set_rate(&self, per_second: f64) {
        self.state.lock().await.interval = interval(per_second);
    }

    /// Waits for this call's turn.
    pub async fn acquire(&self) {
        let turn = {
            let mut state = self.state.lock().await;
            let now = Instant::now();
            let next = state.next.max(now);
            // A burst may start that many intervals early.
            let early = state.interval * (self.burst - 1);
            let turn = next.checked_sub(early).map_or(now, |t| t.max(now));
            state.next = next + state.interval;
            turn
        };
        tokio::time::sleep_until(turn).await;
    }
}

fn interval(per_second: f64) -> Duration {
    Duration::try_from_secs_f64(1.0 / per_second)
        .ok()
        .filter(|i| *i <= RateLimiter::SLOWEST)
        .unwrap_or(RateLimiter::SLOWEST)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_too_small_to_space_calls_by_is_one_a_day() {
        for rate in [1e-30, 0.0, -1.0, f64::NAN] {
            assert_eq!(interval(rate), RateLimiter::SLOWEST);
        }
        assert_eq!(interval(4.0), Duration::from_millis(250));
    }

    /// The starts of `calls` calls made at once, from the first.
    async fn starts(limiter: &RateLimiter, calls: usize) -> Vec<Duration> {
        let begin = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..calls {
            limiter.acquire().await;
            starts.push(begin.elapsed());
        }
        starts
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_starts_at_once_then_calls_are_spaced_by_the_rate() {
        // Amazon's confirmShipment: 2 a second, a burst of 10.
        let limiter = RateLimiter::with_burst(2.0, 10);
        let starts = starts(&limiter, 14).await;
        assert!(
            starts[..10].iter().all(|s| *s == Duration::ZERO),
            "{starts:?}"
        );
        assert_eq!(
            starts[10..],
            [500, 1000, 1500, 2000].map(Duration::from_millis),
            "{starts:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_burst_every_call_waits_its_interval() {
        let limiter = RateLimiter::per_second(4.0);
        let starts = starts(&limiter, 3).await;
        assert_eq!(starts, [0, 250, 500].map(Duration::from_millis));
    }

    #[tokio::test(start_paused = true)]
    async fn an_announced_rate_spaces_the_calls_that_follow() {
        let limiter = RateLimiter::with_burst(2.0, 1);
        limiter.acquire().await;
        limiter.set_rate(0.5).await;
        let begin = Instant::now();
        limiter.acquire().await; // booked at the old interval
        limiter.acquire().await;
        assert_eq!(begin.elapsed(), Duration::from_millis(500 + 2000));
    }
}
