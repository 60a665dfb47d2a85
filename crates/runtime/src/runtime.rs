//! The object every generated client carries and delegates its hooks to.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
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
    ///
    /// A plain `fn` returning an `async move` block: the block uses the
    /// arguments in place, where an `async fn` would copy them into locals
    /// beside themselves (rust-lang/rust#62958), and every call's future
    /// would be larger (measured in BENCHMARKS.md). `method` and `path` go
    /// onto the call's span when this is called, so it must be called inside
    /// the call (as the generated `exec` hook does).
    pub fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        mut request: Request,
        authenticate: bool,
        idempotent: bool,
    ) -> impl Future<Output = reqwest::Result<Response>> + Send + 'a {
        // Onto the call's span, opened by `crate::call`.
        record_on_call("method", tracing::field::display(request.method()));
        record_on_call("path", request.url().path());
        async move {
            // The body, copied once and shared by every attempt; `None` for a
            // streaming body, which cannot be copied.
            let body = match request.body() {
                None => Some(None),
                Some(body) => body.as_bytes().map(|b| Some(Bytes::copy_from_slice(b))),
            };
            let started = tokio::time::Instant::now();
            let mut retries = 0;
            // Credentials are renewed at most once per call, and never for a public operation.
            let mut refreshed = !authenticate;
            loop {
                record_on_call("attempts", retries + 1);
                // A streaming body cannot be copied: such a request is sent once.
                let Some(body) = &body else {
                    return client.execute(request).await;
                };
                let outcome = client.execute(duplicate(&request, body.clone())).await;

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
                retries += 1;
            }
        }
    }
}

async fn sleep(wait: Duration) {
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
}

/// A copy of `request` with `body`, to send while the original is kept for
/// a retry. `Request::try_clone` would do, but in reqwest 0.13 it allocates
/// an extensions map for the timeout and then overwrites it: two
/// allocations per call for nothing. The timeout is the only extension a
/// request built by the generated code (or by `reqwest::RequestBuilder`)
/// carries; a test checks that the two copies agree.
fn duplicate(request: &Request, body: Option<Bytes>) -> Request {
    let mut copy = Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    *copy.body_mut() = body.map(Into::into);
    copy
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `duplicate` against reqwest's own `try_clone`, compared as the
    /// `http::Request`s reqwest hands to hyper: every part, extensions
    /// included, so that a reqwest that adds one to its requests is noticed.
    fn as_http(request: Request) -> (http::request::Parts, Option<Vec<u8>>) {
        let body = request
            .body()
            .and_then(|b| b.as_bytes())
            .map(<[u8]>::to_vec);
        let (parts, _) = http::Request::try_from(request).unwrap().into_parts();
        (parts, body)
    }

    #[test]
    fn a_duplicate_is_what_try_clone_makes() {
        let client = reqwest::Client::new();
        let requests = [
            client
                .patch("http://127.0.0.1:1/a%2Fb?x=1")
                .header("x-vtex-api-appkey", "key")
                .timeout(Duration::from_secs(7))
                .version(reqwest::Version::HTTP_11)
                .body(r#"{"trackingNumber":"BR1"}"#)
                .build()
                .unwrap(),
            client.get("http://127.0.0.1:1/").build().unwrap(),
        ];
        for original in requests {
            let body = original
                .body()
                .and_then(|b| b.as_bytes())
                .map(Bytes::copy_from_slice);
            let copy = duplicate(&original, body);
            assert_eq!(copy.timeout(), original.timeout());
            let ours = as_http(copy);
            let theirs = as_http(original.try_clone().unwrap());
            assert_eq!(ours.0.method, theirs.0.method);
            assert_eq!(ours.0.uri, theirs.0.uri);
            assert_eq!(ours.0.version, theirs.0.version);
            assert_eq!(ours.0.headers, theirs.0.headers);
            assert_eq!(ours.0.extensions.len(), theirs.0.extensions.len());
            assert_eq!(ours.1, theirs.1);
        }
    }
}
