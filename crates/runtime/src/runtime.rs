//! The object every generated client carries and delegates its hooks to.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Request, Response, StatusCode};

use crate::auth::Authenticate;
use crate::call::{record_on_call, record_status};
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
    pub async fn prepare(&self, request: &mut Request, authenticate: bool) -> Result<(), String> {
        if let Some(auth) = self.auth.as_ref().filter(|_| authenticate) {
            auth.authorize(request)
                .await
                .map_err(|e| format!("authentication failed: {e}"))?;
        }
        Ok(())
    }

    /// Called by the generated client to send `request`: retries what may be
    /// retried (see [`crate::retry`]; `idempotent` says whether the operation
    /// may be repeated) and, for an operation that sends credentials
    /// (`authenticate`), renews them once after a 401.
    ///
    /// Every further attempt sends a request `rebuild` makes anew from the
    /// call's arguments, with fresh credentials: nothing is copied for an
    /// attempt that may never come (measured in BENCHMARKS.md), and a body
    /// is never held twice.
    ///
    /// A plain `fn` returning a boxed `async move` block, made in its box:
    /// the block uses the arguments in place, where an `async fn` would copy
    /// them into locals beside themselves (rust-lang/rust#62958), and the
    /// generated operation's future that awaits it stays small. `method` and
    /// `path` go onto the call's span when this is called, so it must be
    /// called inside the call (as the generated operations do).
    pub fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        rebuild: &'a Rebuild<'a>,
        authenticate: bool,
        idempotent: bool,
    ) -> Pin<Box<impl Future<Output = reqwest::Result<Response>> + Send + 'a>> {
        // Onto the call's span, opened by `crate::call`.
        record_on_call("method", tracing::field::display(request.method()));
        record_on_call("path", request.url().path());
        crate::boxed(move || async move {
            let mut request = request;
            let started = tokio::time::Instant::now();
            let mut retries = 0;
            // Credentials are renewed at most once per call, and never for a public operation.
            let mut refreshed = !authenticate;
            loop {
                record_on_call("attempts", retries + 1);
                // Which credential a 401 would reject, while one may still be renewed.
                let sent_credential = match &self.auth {
                    Some(auth) if !refreshed => auth.credential(&request),
                    _ => None,
                };
                let outcome = client.execute(request).await;

                let wait = match &outcome {
                    Ok(response) => {
                        let status = response.status();
                        record_status(status);
                        if status == StatusCode::UNAUTHORIZED
                            && let Some(rejected) = sent_credential
                            && let Some(auth) = &self.auth
                        {
                            refreshed = true;
                            if let Some(mut again) = rebuilt(rebuild)
                                && auth.refresh(rejected, &mut again).await
                            {
                                tracing::debug!("401: credentials renewed, sending again");
                                request = again;
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
                // Matched on `outcome` itself, not on a tuple of it: a tuple
                // would be a temporary held across the await beside it.
                let (outcome, wait) = match outcome {
                    Ok(response)
                        if wait.is_none() && response.status() == StatusCode::TOO_MANY_REQUESTS =>
                    {
                        // Boxed, as the sleep below: rare paths that would
                        // otherwise make every call's future larger.
                        let (response, body) = Box::pin(buffer(response)).await?;
                        (Ok(response), rate_limit_reset(&body))
                    }
                    outcome => (outcome, wait),
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
                // Made after the wait, so that it carries the credentials of then.
                let Some(again) = self.again(rebuild, authenticate).await else {
                    return outcome;
                };
                // Getting them (a login, with retries of its own) may have
                // spent what was left of the budget.
                if started.elapsed() > self.retry.max_elapsed {
                    tracing::debug!("retry budget spent getting credentials");
                    return outcome;
                }
                request = again;
                retries += 1;
            }
        })
    }

    /// The call's request made again, with credentials, for another
    /// attempt. `None` (logged) if it cannot be: the caller then reports the
    /// last outcome rather than an error of its own.
    async fn again(&self, rebuild: &Rebuild<'_>, authenticate: bool) -> Option<Request> {
        let mut request = rebuilt(rebuild)?;
        // Boxed: a rare path that would otherwise make every call's future larger.
        Box::pin(self.prepare(&mut request, authenticate))
            .await
            .inspect_err(|message| tracing::warn!(%message, "could not send the request again"))
            .ok()?;
        Some(request)
    }
}

/// The call's request made again, without credentials; `None` (logged) if
/// it cannot be.
fn rebuilt(rebuild: &Rebuild<'_>) -> Option<Request> {
    rebuild()
        .inspect_err(|error| tracing::warn!(%error, "could not build the request again"))
        .ok()
}

/// Makes a call's request again from its arguments, for another attempt:
/// the generated code passes one to [`Runtime::execute`].
pub type Rebuild<'a> = dyn Fn() -> reqwest::Result<Request> + Send + Sync + 'a;

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
