//! The error every generated operation returns: which operation failed, the
//! status, and the provider's error body.

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Serialize;

use crate::auth::CredentialError;

/// Longest body text kept from an undocumented response, and shown in messages.
const MAX_BODY_TEXT: usize = 4096;

/// A failed call: [`ApiError::operation`] names it, [`ApiError::kind`] says what happened.
#[derive(Debug)]
pub struct ApiError<E> {
    operation: &'static str,
    kind: ErrorKind<E>,
    /// Attempts made, and the time they took, where there were several.
    tries: Option<(u32, std::time::Duration)>,
}

/// What went wrong in a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind<E> {
    /// The provider answered with an error status the spec documents; `body`
    /// is its error body, typed (`()` where the spec documents none).
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The decoded error body.
        body: E,
    },
    /// The provider answered with a status the spec does not list.
    UnexpectedStatus {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The body as text (cut after 4 KiB).
        body: String,
    },
    /// A documented response whose body does not match the spec.
    InvalidBody {
        /// The HTTP status of that response.
        status: Option<StatusCode>,
        /// The body received.
        body: Bytes,
        /// Why it did not decode.
        source: serde_json::Error,
    },
    /// No complete answer: connection refused, timeout, reset.
    Transport(reqwest::Error),
    /// The request was not sent: its credentials could not be had (a login
    /// or token call failed: [`CredentialError::status`] is its status).
    Credentials(CredentialError),
    /// The request was not sent: it could not be built (a bad argument).
    Request(String),
}

impl<E> ApiError<E> {
    /// An error for `operation` that happened before any request was sent.
    pub fn request(operation: &'static str, message: impl Into<String>) -> Self {
        Self {
            operation,
            kind: ErrorKind::Request(message.into()),
            tries: None,
        }
    }

    /// The operationId of the failed call, e.g. `addOrderTracking`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What happened.
    pub fn kind(&self) -> &ErrorKind<E> {
        &self.kind
    }

    /// What happened, by value.
    pub fn into_kind(self) -> ErrorKind<E> {
        self.kind
    }

    /// The HTTP status, if the provider answered.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.kind {
            ErrorKind::Status { status, .. } | ErrorKind::UnexpectedStatus { status, .. } => {
                Some(*status)
            }
            ErrorKind::InvalidBody { status, .. } => *status,
            ErrorKind::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// Whether the provider may have applied the call although it failed:
    /// no complete answer (except a request never built or a connection
    /// never made), a 500 (it may have failed after committing), a 502 or
    /// 504 (a gateway may have passed it on), or a success status the spec
    /// does not list or whose body did not decode. Such a call is sent again
    /// only if the operation may be repeated (see [`crate::retry`]).
    pub fn in_doubt(&self) -> bool {
        match &self.kind {
            ErrorKind::Transport(e) => !(e.is_connect() || e.is_builder()),
            ErrorKind::Status { status, .. } | ErrorKind::UnexpectedStatus { status, .. } => {
                status.is_success() || matches!(status.as_u16(), 500 | 502 | 504)
            }
            ErrorKind::InvalidBody { status, .. } => status.is_none_or(|s| s.is_success()),
            ErrorKind::Credentials(_) | ErrorKind::Request(_) => false,
        }
    }

    /// Whether no connection to the provider could be made, for the call
    /// or for its credentials (a login or token call), after the retries:
    /// the provider is down or the URL wrong, and a next call would most
    /// likely fare the same. Such a call never went out.
    pub fn is_unreachable(&self) -> bool {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = match &self.kind {
            ErrorKind::Transport(e) => Some(e),
            ErrorKind::Credentials(e) => Some(e),
            _ => None,
        };
        while let Some(error) = cause {
            if error
                .downcast_ref::<reqwest::Error>()
                .is_some_and(reqwest::Error::is_connect)
            {
                return true;
            }
            cause = error.source();
        }
        false
    }

    /// The provider's typed error body, if it sent a documented one.
    pub fn body(&self) -> Option<&E> {
        match &self.kind {
            ErrorKind::Status { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Converts progenitor's error, reading the body of an undocumented response.
    /// `last_status` is the status of the last response received, if any
    /// (progenitor's error for an undecodable body does not carry it), and
    /// `credentials` why the credentials could not be had, if that stopped
    /// the call (progenitor's error for it carries text only).
    pub async fn from_progenitor(
        operation: &'static str,
        error: progenitor_client::Error<E>,
        last_status: Option<StatusCode>,
        credentials: Option<CredentialError>,
    ) -> Self {
        if let (Some(credentials), progenitor_client::Error::Custom(_)) = (credentials, &error) {
            return Self {
                operation,
                kind: ErrorKind::Credentials(credentials),
                tries: None,
            };
        }
        use progenitor_client::Error as P;
        let kind = match error {
            P::ErrorResponse(value) => {
                let status = value.status();
                let headers = value.headers().clone();
                ErrorKind::Status {
                    status,
                    headers,
                    body: value.into_inner(),
                }
            }
            P::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                let body = match response.bytes().await {
                    Ok(bytes) => truncate(&String::from_utf8_lossy(&bytes)),
                    Err(e) => format!("<body could not be read: {e}>"),
                };
                ErrorKind::UnexpectedStatus {
                    status,
                    headers,
                    body,
                }
            }
            P::InvalidResponsePayload(body, source) => ErrorKind::InvalidBody {
                status: last_status,
                body,
                source,
            },
            P::CommunicationError(e) | P::InvalidUpgrade(e) | P::ResponseBodyError(e) => {
                ErrorKind::Transport(e)
            }
            P::InvalidRequest(message) | P::Custom(message) => ErrorKind::Request(message),
        };
        Self {
            operation,
            kind,
            tries: None,
        }
    }

    /// Says the call made `attempts` attempts over `took`, where it made
    /// more than one.
    pub(crate) fn with_tries(mut self, attempts: u32, took: std::time::Duration) -> Self {
        if attempts > 1 {
            self.tries = Some((attempts, took));
        }
        self
    }

    /// How many attempts the call made, where it made more than one, and
    /// over how long.
    pub fn tries(&self) -> Option<(u32, std::time::Duration)> {
        self.tries
    }
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(MAX_BODY_TEXT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

impl<E: Serialize> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.what(f)?;
        match self.tries {
            Some((attempts, took)) => write!(
                f,
                " (after {attempts} attempts over {:.1} s)",
                took.as_secs_f64()
            ),
            None => Ok(()),
        }
    }
}

impl<E: Serialize> ApiError<E> {
    /// What went wrong, for `Display`.
    fn what(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = self.operation;
        match &self.kind {
            ErrorKind::Status { status, body, .. } => {
                write!(f, "{op} failed: HTTP {status}")?;
                match serde_json::to_string(body) {
                    Ok(json) if json != "null" => write!(f, ": {}", truncate(&json)),
                    _ => Ok(()),
                }
            }
            ErrorKind::UnexpectedStatus { status, body, .. } if body.is_empty() => {
                write!(
                    f,
                    "{op} failed: HTTP {status} (a status the spec does not list)"
                )
            }
            ErrorKind::UnexpectedStatus { status, body, .. } => {
                write!(
                    f,
                    "{op} failed: HTTP {status} (a status the spec does not list): {body}"
                )
            }
            // The cause is the source: each layer's Display says its own
            // part only, so that a chain printed whole (anyhow's `{:#}`,
            // eyre, tracing) says each once.
            ErrorKind::InvalidBody { status, body, .. } => {
                write!(f, "{op}: ")?;
                if let Some(status) = status {
                    write!(f, "HTTP {status} with ")?;
                }
                write!(
                    f,
                    "a body that does not match the spec: {:?}",
                    truncate(&String::from_utf8_lossy(body))
                )
            }
            ErrorKind::Transport(_) => write!(f, "{op} failed: no complete answer"),
            ErrorKind::Credentials(_) => write!(f, "{op}: request not sent"),
            ErrorKind::Request(message) => write!(f, "{op}: request not sent: {message}"),
        }
    }
}

impl<E: Serialize + fmt::Debug> std::error::Error for ApiError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Transport(e) => Some(e),
            ErrorKind::InvalidBody { source, .. } => Some(source),
            ErrorKind::Credentials(e) => Some(e),
            _ => None,
        }
    }
}

/// `error` and each of its sources, joined by `: `: a whole chain as one
/// line, for a message that goes where no reporter prints the sources (a
/// row's outcome, a log field).
pub fn report(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
