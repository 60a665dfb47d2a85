//! When to send a request again, and how long to wait first.
//!
//! The rule, for every client of this workspace:
//! - 429 and 503 mean the provider did not process the request: any method is
//!   retried.
//! - 502 and 504 come from a gateway that may have passed the request on, and
//!   a failure after the request was sent (timeout, connection reset) leaves
//!   it unknown whether it was applied. Those are retried only for idempotent
//!   methods (GET, HEAD, PUT, DELETE, OPTIONS): a POST or PATCH is never
//!   replayed blindly, because VTEX's invoice POST, for one, records a second
//!   invoice when sent twice. [`RetryPolicy::retry_unsafe_methods`] opts out.
//! - A connection that could not be established never carried the request:
//!   any method is retried.
//! - The wait is exponential with jitter, or what the provider asked for:
//!   `Retry-After` (seconds or an HTTP date) or SellerCloud's
//!   `RateLimitResetTime` body field. A wait that would go past the total
//!   budget ends the retries instead.

use std::time::{Duration, SystemTime};

use reqwest::{Method, StatusCode};

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
    /// Also retry POST and PATCH after an ambiguous failure (502, 504, a
    /// timeout or reset after sending). Off by default: they may be applied twice.
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

    /// Whether a response with `status` to a `method` request may be retried.
    pub fn retries_status(&self, method: &Method, status: StatusCode) -> bool {
        match status.as_u16() {
            429 | 503 => true,
            502 | 504 => self.may_replay(method),
            _ => false,
        }
    }

    /// Whether a transport failure may be retried.
    pub fn retries_error(&self, method: &Method, error: &reqwest::Error) -> bool {
        error.is_connect() || self.may_replay(method)
    }

    fn may_replay(&self, method: &Method) -> bool {
        self.retry_unsafe_methods || method.is_idempotent()
    }
}

/// The wait a response asks for: `Retry-After` (delta-seconds or HTTP date).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}

/// The wait a throttled SellerCloud body asks for:
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
