//! The object every generated client carries and delegates its hooks to.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Request, Response, StatusCode};

use crate::auth::Authenticate;
use crate::error::{record_on_call, record_status};
use crate::retry::{RetryPolicy, rate_limit_reset, retry_after};

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
    pub async fn prepare(
        &self,
        request: &mut Request,
        operation: &str,
        authenticate: bool,
    ) -> Result<(), String> {
        if let Some(auth) = self.auth.as_ref().filter(|_| authenticate) {
            auth.authorize(request)
                .await
                .map_err(|e| format!("{operation}: authentication failed: {e}"))?;
        }
        Ok(())
    }

    /// Called by the generated client to send: retries what may be retried
    /// (see [`crate::retry`]; `idempotent` says whether the operation may be
    /// repeated) and, for an operation that sends credentials
    /// (`authenticate`), renews them once after a 401.
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
        self.send_with_retries(client, request, authenticate, idempotent)
            .await
    }

    async fn send_with_retries(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        authenticate: bool,
        idempotent: bool,
    ) -> reqwest::Result<Response> {
        let started = tokio::time::Instant::now();
        let mut retries = 0;
        // Credentials are renewed at most once per call, and never for a public operation.
        let mut refreshed = !authenticate;
        loop {
            record_on_call("attempts", retries + 1);
            // A streaming body cannot be cloned: such a request is sent once.
            let Some(attempt) = request.try_clone() else {
                return client.execute(request).await;
            };
            let outcome = client.execute(attempt).await;

            let wait = match &outcome {
                Ok(response) => {
                    let status = response.status();
                    record_status(status);
                    if status == StatusCode::UNAUTHORIZED
                        && !refreshed
                        && let Some(auth) = &self.auth
                    {
                        refreshed = true;
                        if auth.refresh(&mut request).await {
                            tracing::debug!("401: credentials renewed, sending again");
                            continue;
                        }
                    }
                    if !self.retry.retries_status(idempotent, status) {
                        return outcome;
                    }
                    retry_after(response.headers())
                }
                Err(error) => {
                    if !self.retry.retries_error(idempotent, error) {
                        return outcome;
                    }
                    None
                }
            };
            if retries >= self.retry.max_retries {
                return outcome;
            }
            // The body is only read when it may say how long to wait.
            let (outcome, wait) = match (outcome, wait) {
                (Ok(response), None) if response.status() == StatusCode::TOO_MANY_REQUESTS => {
                    // Boxed, as the sleep below: rare paths that would
                    // otherwise make every call's future larger.
                    let (response, body) = Box::pin(buffer(response)).await?;
                    (Ok(response), rate_limit_reset(&body))
                }
                (outcome, wait) => (outcome, wait),
            };
            let wait = wait.unwrap_or_else(|| self.retry.backoff(retries));
            if started.elapsed() + wait > self.retry.max_elapsed {
                tracing::debug!(?wait, "retry budget spent");
                return outcome;
            }
            match &outcome {
                Ok(r) => tracing::info!(status = r.status().as_u16(), ?wait, "retrying"),
                Err(e) => tracing::info!(error = %e, ?wait, "retrying"),
            }
            Box::pin(sleep(wait)).await;
            retries += 1;
        }
    }
}

async fn sleep(wait: Duration) {
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
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
