//! The object every generated client carries and delegates its hooks to.

use std::sync::Arc;

use reqwest::header::HeaderValue;
use reqwest::{Request, Response, StatusCode};

use crate::auth::Authenticate;
use crate::call::{record_attempt, record_on_call, record_status};
use crate::retry::{RetryPolicy, rate_limit_reset, retry_after, sleep_unless_stopped, stopping};

/// A wait between attempts long enough to be told at `warn`.
const LONG_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Auth and retries of one client. Cloning shares the credentials.
#[derive(Clone, Debug, Default)]
pub struct Runtime {
    auth: Option<Arc<dyn Authenticate>>,
    retry: RetryPolicy,
}

impl Runtime {
    /// A runtime with the given retry policy and credentials.
    pub fn new(retry: RetryPolicy, auth: Option<Arc<dyn Authenticate>>) -> Self {
        Self { auth, retry }
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Called by the generated client before sending: adds credentials when
    /// the operation needs them.
    pub async fn prepare(&self, request: &mut Request, authenticate: bool) -> Result<(), String> {
        if let Some(auth) = self.auth.as_ref().filter(|_| authenticate) {
            // progenitor's error carries text only: the typed error goes to
            // the call, which makes it the `ErrorKind::Credentials` of its
            // `ApiError`.
            if let Err(error) = auth.authorize(request).await {
                let text = error.to_string();
                crate::call::record_credentials(error);
                return Err(text);
            }
        }
        Ok(())
    }

    /// Called by the generated client's `exec` hook to send `request` (which
    /// `pre` gave its credentials): retries what may be retried (see
    /// [`crate::retry`]; `idempotent` says whether the operation may be
    /// repeated) and, for an operation that sends credentials
    /// (`authenticate`), renews them once after a 401.
    ///
    /// Each attempt sends a copy of the request (`Request::try_clone`: the
    /// same bytes), given the credentials of that moment. A request whose
    /// body cannot be copied (a stream) is sent once.
    ///
    /// `method` and `path` go onto the call's span, so this must be called
    /// inside the call (as the generated operations do).
    #[doc(hidden)]
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        request: Request,
        authenticate: bool,
        idempotent: bool,
    ) -> reqwest::Result<Response> {
        // Onto the call's span, opened by `crate::call`.
        record_on_call("method", tracing::field::display(request.method()));
        record_on_call("path", request.url().path());
        let mut attempt = Attempt {
            started: tokio::time::Instant::now(),
            retries: 0,
            // Credentials are renewed at most once per call, and never for a public operation.
            refreshed: !authenticate,
            authenticate,
            idempotent,
        };
        let mut request = request;
        loop {
            record_attempt(attempt.retries + 1);
            // Which credential a 401 would reject, while one may still be renewed.
            let sent_credential = match &self.auth {
                Some(auth) if !attempt.refreshed => auth.credential(&request),
                _ => None,
            };
            let spare = request.try_clone();
            let outcome = client.execute(request).await;
            if let Ok(response) = &outcome {
                record_status(response.status());
            }
            if self.is_final(&outcome, &attempt, sent_credential.is_some()) {
                return outcome;
            }
            let Some(spare) = spare else {
                tracing::debug!("the request's body is a stream, which cannot be sent again");
                return outcome;
            };
            // Boxed: the rare path, whose state would otherwise make every
            // call's future larger.
            let next = Box::pin(self.next_attempt(outcome, sent_credential, spare, &mut attempt));
            request = match next.await {
                Ok(request) => request,
                Err(outcome) => return outcome,
            };
        }
    }

    /// Whether `outcome` ends the call: neither a renewal of the credential
    /// (`renewable`: one was sent and may still be renewed) nor a retry may
    /// follow it.
    fn is_final(
        &self,
        outcome: &reqwest::Result<Response>,
        attempt: &Attempt,
        renewable: bool,
    ) -> bool {
        match outcome {
            Ok(response) if response.status() == StatusCode::UNAUTHORIZED && renewable => false,
            Ok(response) => !self
                .retry
                .retries_status(attempt.idempotent, response.status()),
            Err(error) => !self.retry.retries_error(attempt.idempotent, error),
        }
    }

    /// What follows an attempt that [`Self::is_final`] did not end the call
    /// with: the request again with a renewed credential after a 401, or
    /// after a wait. `Err` carries the outcome the call ends with instead.
    async fn next_attempt(
        &self,
        outcome: reqwest::Result<Response>,
        sent_credential: Option<HeaderValue>,
        mut spare: Request,
        attempt: &mut Attempt,
    ) -> Result<Request, reqwest::Result<Response>> {
        if let Ok(response) = &outcome
            && response.status() == StatusCode::UNAUTHORIZED
        {
            attempt.refreshed = true;
            if let (Some(rejected), Some(auth)) = (sent_credential, &self.auth)
                && auth.refresh(rejected, &mut spare).await
            {
                tracing::debug!("401: credentials renewed, sending again");
                return Ok(spare);
            }
            // A 401 is never retried as it is.
            return Err(outcome);
        }
        if attempt.retries >= self.retry.max_retries {
            return Err(outcome);
        }
        // The body is only read when it may say how long to wait.
        let (outcome, wait) = match outcome {
            Ok(response) => match retry_after(response.headers()) {
                None if response.status() == StatusCode::TOO_MANY_REQUESTS => {
                    let (response, body) = buffer(response).await.map_err(Err)?;
                    (Ok(response), rate_limit_reset(&body))
                }
                wait => (Ok(response), wait),
            },
            Err(error) => (Err(error), None),
        };
        let wait = wait.unwrap_or_else(|| self.retry.backoff(attempt.retries));
        if attempt.started.elapsed().saturating_add(wait) > self.retry.max_elapsed {
            tracing::debug!(?wait, "retry budget spent");
            return Err(outcome);
        }
        if stopping() {
            tracing::info!("stopping: no new attempt");
            return Err(outcome);
        }
        // A long wait is said where it is seen by default: what for, and
        // how long.
        match &outcome {
            Ok(r) if wait >= LONG_WAIT => tracing::warn!(
                status = r.status().as_u16(),
                ?wait,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                // Which platform: its host and path (a query may hold a key).
                to = %format_args!("{}{}", r.url().host_str().unwrap_or_default(), r.url().path()),
                until = %(chrono::Utc::now() + wait).format("%H:%M:%S UTC"),
                "waiting before trying again, as the provider asked"
            ),
            Ok(r) => tracing::info!(status = r.status().as_u16(), ?wait, "retrying"),
            Err(e) => tracing::info!(error = %e, ?wait, "retrying"),
        }
        if !wait.is_zero() && !sleep_unless_stopped(wait).await {
            tracing::info!("stopped while waiting: no new attempt");
            return Err(outcome);
        }
        // Given after the wait, so that it carries the credentials of then.
        // Credentials that cannot be had for a retry end the call with the
        // answer it had (logged with why).
        if self
            .prepare(&mut spare, attempt.authenticate)
            .await
            .is_err()
        {
            tracing::warn!("could not send the request again: no credentials");
            return Err(outcome);
        }
        // Getting them (a login, with retries of its own) may have spent
        // what was left of the budget.
        if attempt.started.elapsed() > self.retry.max_elapsed {
            tracing::debug!("retry budget spent getting credentials");
            return Err(outcome);
        }
        attempt.retries += 1;
        Ok(spare)
    }
}

/// Where a call stands between its attempts.
struct Attempt {
    started: tokio::time::Instant,
    /// Attempts made after the first.
    retries: u32,
    /// Whether the credential was renewed (or may not be).
    refreshed: bool,
    authenticate: bool,
    idempotent: bool,
}

/// Reads a response's body and gives back an equivalent response.
async fn buffer(response: Response) -> reqwest::Result<(Response, bytes::Bytes)> {
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    let mut rebuilt = http::Response::new(body.clone());
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok((Response::from(rebuilt), body))
}
