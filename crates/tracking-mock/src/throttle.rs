//! Throttling of one provider: a token bucket (see
//! [`MockConfig::with_throttle`](crate::MockConfig::with_throttle)).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::lock;

/// One provider's bucket and the requests it refused.
pub(crate) struct Throttle {
    /// Tokens added per second.
    pub rate: f64,
    /// Tokens the bucket holds at most: the rate rounded up.
    pub burst: f64,
    bucket: Mutex<Bucket>,
    refused: AtomicU64,
}

struct Bucket {
    tokens: f64,
    /// When `tokens` was last brought up to date.
    at: Instant,
}

impl Throttle {
    /// A full bucket at `now`; `rate` must be above zero.
    pub fn new(rate: f64, now: Instant) -> Self {
        let burst = rate.ceil();
        Self {
            rate,
            burst,
            bucket: Mutex::new(Bucket {
                tokens: burst,
                at: now,
            }),
            refused: AtomicU64::new(0),
        }
    }

    /// Takes a token for a request arriving at `now`; if there is none, the
    /// request is refused (and counted), and the answer is how long until
    /// there is one.
    pub fn admit(&self, now: Instant) -> Result<(), Duration> {
        let mut bucket = lock(&self.bucket);
        // Requests are not handled in the order their `now` was taken: one
        // from the past adds nothing.
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.burst);
        bucket.at = bucket.at.max(now);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        self.refused.fetch_add(1, Ordering::Relaxed);
        Err(Duration::from_secs_f64((1.0 - bucket.tokens) / self.rate))
    }

    /// How many requests it refused.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }
}

/// `Retry-After` for a wait: whole seconds, rounded up, at least 1 (0 would
/// invite a retry at once, which would be refused again).
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    (wait.as_secs_f64().ceil() as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_bucket_admits_the_burst_then_one_per_refill() {
        let start = Instant::now();
        let throttle = Throttle::new(2.5, start);
        assert_eq!(throttle.burst, 3.0, "the rate rounded up");
        for _ in 0..3 {
            assert_eq!(throttle.admit(start), Ok(()));
        }
        let wait = throttle.admit(start).unwrap_err();
        assert!(
            (wait.as_secs_f64() - 0.4).abs() < 1e-6,
            "1 token at 2.5/s: {wait:?}"
        );
        assert_eq!(retry_after_secs(wait), 1);
        assert!(throttle.admit(start + Duration::from_millis(390)).is_err());
        assert_eq!(throttle.admit(start + Duration::from_millis(410)), Ok(()));
        assert_eq!(throttle.refused(), 2);

        // Idle long enough, it is full again, and no fuller.
        let later = start + Duration::from_secs(60);
        for _ in 0..3 {
            assert_eq!(throttle.admit(later), Ok(()));
        }
        assert!(throttle.admit(later).is_err());
        // A request stamped before the last one neither adds nor panics.
        assert!(throttle.admit(start).is_err());
    }

    #[test]
    fn a_slow_rate_waits_whole_seconds() {
        let start = Instant::now();
        let throttle = Throttle::new(0.2, start);
        assert_eq!(throttle.burst, 1.0);
        assert_eq!(throttle.admit(start), Ok(()));
        let wait = throttle
            .admit(start + Duration::from_millis(500))
            .unwrap_err();
        assert_eq!(retry_after_secs(wait), 5, "{wait:?}: 4.5 s, rounded up");
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
    }
}
