//! When to send a request again, and how long to wait first.
//!
//! The rule, for every client of this workspace:
//! - 429 and 503 mean the provider did not process the request: any method is
//!   retried.
//! - 502 and 504 come from a gateway that may have passed the request on, and
//!   a failure after the request was sent (timeout, connection reset) leaves
//!   it unknown whether it was applied. Those are retried only for operations
//!   that may be repeated: by default GET, HEAD, PUT, DELETE, OPTIONS; the
//!   spec's `x-idempotent: true|false` on an operation overrides its method
//!   (VTEX's tracking PATCH is `true`, its events PUT `false`). Each client
//!   crate lists them in `IDEMPOTENT_OPERATIONS`. Anything else is never
//!   replayed blindly, because VTEX's invoice POST, for one, records a second
//!   invoice when sent twice. [`RetryPolicy::retry_unsafe_methods`] opts out.
//! - A connection that could not be established never carried the request:
//!   any method is retried.
//! - The wait is exponential with jitter, or what the provider asked for:
//!   `Retry-After` (seconds or an HTTP date; BigCommerce's `X-Retry-After`
//!   and `X-Rate-Limit-Time-Reset-Ms` too, the longest winning) or a throttled body's
//!   `RateLimitResetTime` field. A wait that would go past the total
//!   budget ends the retries instead.
//! - A retry sends a copy of the request (the same bytes, copied before each
//!   attempt), with the credentials of then ([`crate::Runtime::execute`]).
//!   If it cannot be (a token that cannot be renewed, a body that cannot be
//!   copied), the call reports the last answer.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use tokio::sync::Notify;

/// How many times and for how long a failed call is tried again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 turns retries off).
    pub max_retries: u32,
    /// The first backoff; doubled on every retry.
    pub initial_backoff: Duration,
    /// Cap of one computed backoff.
    pub max_backoff: Duration,
    /// Cap of the whole call, waits included; no retry starts past it.
    pub max_elapsed: Duration,
    /// Also retry operations that may not be repeated after an ambiguous
    /// failure (502, 504, a timeout or reset after sending). Off by default:
    /// they may be applied twice.
    pub retry_unsafe_methods: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(120),
            retry_unsafe_methods: false,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The backoff before retry number `retry` (0-based): exponential, capped,
    /// with "equal jitter" (half fixed, half random) so that many clients
    /// throttled at once do not come back at once.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_backoff);
        let half = exp / 2;
        half + half.mul_f64(fastrand::f64())
    }

    /// Whether a response with `status` may be retried; `idempotent` says
    /// whether the operation may be repeated.
    pub fn retries_status(&self, idempotent: bool, status: StatusCode) -> bool {
        match status.as_u16() {
            429 | 503 => true,
            502 | 504 => self.may_replay(idempotent),
            _ => false,
        }
    }

    /// Whether a transport failure may be retried.
    pub fn retries_error(&self, idempotent: bool, error: &reqwest::Error) -> bool {
        error.is_connect() || self.may_replay(idempotent)
    }

    fn may_replay(&self, idempotent: bool) -> bool {
        self.retry_unsafe_methods || idempotent
    }
}

/// A stop for retries: once [`StopRetries::stop`] is called, no call made
/// inside [`StopRetries::scope`] starts a new attempt, and one waiting to
/// retry stops waiting: it ends with the answer it had (a 429, a 503, a
/// dropped connection). For a process that is shutting down (a SIGTERM),
/// so that it exits in seconds, not after the provider's `Retry-After`.
#[derive(Clone, Default)]
pub struct StopRetries(Arc<(AtomicBool, Notify)>);

tokio::task_local! {
    static STOP: StopRetries;
}

impl StopRetries {
    /// A stop not given yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// No new attempt starts, from now on, in the calls of its scope.
    pub fn stop(&self) {
        self.0.0.store(true, Ordering::SeqCst);
        self.0.1.notify_waiters();
    }

    /// Whether [`StopRetries::stop`] was called.
    pub fn stopped(&self) -> bool {
        self.0.0.load(Ordering::SeqCst)
    }

    /// Whether the stop of the scope this runs in was called (false
    /// outside any): a failure then may be the stop's, not the provider's.
    pub fn requested() -> bool {
        STOP.try_with(StopRetries::stopped).unwrap_or(false)
    }

    /// Runs `future` with this stop for every call it makes.
    pub async fn scope<F: Future>(self, future: F) -> F::Output {
        STOP.scope(self, future).await
    }

    /// Until stopped.
    async fn wait(&self) {
        loop {
            let notified = self.0.1.notified();
            if self.stopped() {
                return;
            }
            notified.await;
        }
    }
}

impl std::fmt::Debug for StopRetries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StopRetries(stopped: {})", self.stopped())
    }
}

/// Whether the calls of this task are not to start another attempt.
pub(crate) fn stopping() -> bool {
    STOP.try_with(StopRetries::stopped).unwrap_or(false)
}

/// Sleeps `wait`, or less if the task's [`StopRetries`] is stopped
/// meanwhile; false then.
pub(crate) async fn sleep_unless_stopped(wait: Duration) -> bool {
    match STOP.try_with(Clone::clone) {
        Ok(stop) => {
            let slept = std::pin::pin!(tokio::time::sleep(wait));
            let stopped = std::pin::pin!(stop.wait());
            match futures_util::future::select(slept, stopped).await {
                futures_util::future::Either::Left(_) => !stop.stopped(),
                futures_util::future::Either::Right(_) => false,
            }
        }
        Err(_) => {
            tokio::time::sleep(wait).await;
            true
        }
    }
}

/// The wait a response asks for: the longest of `Retry-After`
/// (delta-seconds or HTTP date), `X-Retry-After` (seconds) and
/// `X-Rate-Limit-Time-Reset-Ms` (milliseconds until the quota refills;
/// BigCommerce's, whose documentation says to honour the longer of the two).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = |name: &str| Some(headers.get(name)?.to_str().ok()?.trim().to_string());
    let standard = text("retry-after").and_then(|value| {
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        let at = httpdate::parse_http_date(&value).ok()?;
        Some(at.duration_since(SystemTime::now()).unwrap_or_default())
    });
    let seconds = text("x-retry-after")
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_secs);
    let reset = text("x-rate-limit-time-reset-ms")
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis);
    [standard, seconds, reset].into_iter().flatten().max()
}

/// The wait a throttled body asks for, where a provider gives it there:
/// `{"Error": "Too many requests.", "RateLimitResetTime": "<date-time>"}`.
/// A time without an offset is taken as UTC.
pub fn rate_limit_reset(body: &[u8]) -> Option<Duration> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = value.get("RateLimitResetTime")?.as_str()?;
    let at = chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .or_else(|_| text.parse::<chrono::NaiveDateTime>().map(|t| t.and_utc()))
        .ok()?;
    Some((at - chrono::Utc::now()).to_std().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    fn headers(retry_after: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        h
    }

    #[test]
    fn retry_after_in_seconds() {
        assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(&headers(" 0 ")), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_as_http_date() {
        let at = SystemTime::now() + Duration::from_secs(30);
        let wait = retry_after(&headers(&httpdate::fmt_http_date(at))).unwrap();
        assert!(
            wait > Duration::from_secs(28) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        // A date in the past means "now".
        assert_eq!(
            retry_after(&headers("Tue, 09 Apr 2024 12:26:18 GMT")),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn unreadable_retry_after_is_ignored() {
        assert_eq!(retry_after(&headers("soon")), None);
    }

    #[test]
    fn bigcommerce_reset_headers_count_and_the_longest_wait_wins() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-rate-limit-time-reset-ms",
            HeaderValue::from_static("15000"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(15)));
        headers.insert("x-retry-after", HeaderValue::from_static("20"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(20)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(20)));
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn rate_limit_reset_time_with_and_without_offset() {
        let at = chrono::Utc::now() + chrono::Duration::seconds(60);
        let with_offset = format!(
            r#"{{"Error":"Too many requests.","RateLimitResetTime":"{}"}}"#,
            at.to_rfc3339()
        );
        let wait = rate_limit_reset(with_offset.as_bytes()).unwrap();
        assert!(
            wait > Duration::from_secs(58) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        // .NET style: seven fractional digits, no offset.
        let seven = format!(
            "{}.{:07}",
            at.format("%Y-%m-%dT%H:%M:%S"),
            at.timestamp_subsec_nanos() / 100
        );
        let naive = format!(r#"{{"RateLimitResetTime":"{seven}"}}"#);
        let wait = rate_limit_reset(naive.as_bytes()).unwrap();
        assert!(
            wait > Duration::from_secs(58) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert_eq!(
            rate_limit_reset(br#"{"RateLimitResetTime":"2000-01-01T00:00:00"}"#),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn bodies_without_a_reset_time_give_none() {
        assert_eq!(rate_limit_reset(b""), None);
        assert_eq!(rate_limit_reset(b"not json"), None);
        assert_eq!(rate_limit_reset(br#"{"RateLimitResetTime": 5}"#), None);
        assert_eq!(
            rate_limit_reset(br#"{"RateLimitResetTime": "tomorrow"}"#),
            None
        );
    }

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            for (retry, full) in [
                (0, 100),
                (1, 200),
                (2, 400),
                (3, 800),
                (4, 1000),
                (30, 1000),
            ] {
                let wait = policy.backoff(retry);
                let full = Duration::from_millis(full);
                assert!(wait >= full / 2 && wait <= full, "retry {retry}: {wait:?}");
            }
        }
    }

    #[test]
    fn which_statuses_are_retried_for_which_operations() {
        let policy = RetryPolicy::default();
        for idempotent in [true, false] {
            for status in [429, 503] {
                assert!(policy.retries_status(idempotent, StatusCode::from_u16(status).unwrap()));
            }
            for status in [200, 400, 401, 404, 409, 422, 500] {
                assert!(!policy.retries_status(idempotent, StatusCode::from_u16(status).unwrap()));
            }
        }
        for status in [502, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(policy.retries_status(true, status));
            assert!(!policy.retries_status(false, status));
            let opted_in = RetryPolicy {
                retry_unsafe_methods: true,
                ..RetryPolicy::default()
            };
            assert!(opted_in.retries_status(false, status));
        }
    }
}
