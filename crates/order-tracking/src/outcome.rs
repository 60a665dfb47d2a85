//! What a push ends with: a receipt, or why the shipment was not delivered.

use serde::Serialize;
use tracking_runtime::ApiError;

use crate::provider::Provider;
use crate::shipment::FieldError;

/// What a delivered shipment got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The provider.
    pub provider: Provider,
    /// The operations called, in order.
    pub operations: Vec<&'static str>,
    /// The provider's receipt, when it gives one (VTEX).
    pub reference: Option<String>,
    /// The provider already had it: the answer to an earlier send was lost
    /// (or the process stopped during it), and a lookup found the tracking
    /// number on the order, so the add was not sent again. The lookup also
    /// set this shipment's fields on it, so it carries them even if the
    /// number had been added by someone else, or changed in Crux since the
    /// earlier send.
    pub already_applied: bool,
}

/// Why a shipment was not delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    /// No provider given, neither on the shipment nor as a default.
    #[error("provider: required (give it per row or for the whole file)")]
    NoProvider,
    /// The shipment cannot be sent to its provider; nothing was sent.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// No client is configured for the provider.
    #[error("no credentials are configured for {0}")]
    NotConfigured(Provider),
    /// The provider refused or could not be reached (after the client's retries).
    #[error("{message}")]
    Failed {
        /// The operation that failed.
        operation: &'static str,
        /// The HTTP status, if the provider answered.
        status: Option<u16>,
        /// The client's error message (operation, status, provider's body).
        message: String,
        /// Operations that had already succeeded for this shipment.
        completed: Vec<&'static str>,
        /// Whether the provider may have applied the failed call anyway
        /// ([`ApiError::in_doubt`]).
        in_doubt: bool,
        /// Whether no connection to the provider could be made (after the
        /// client's retries): the request never went out, and a next call
        /// would most likely fare the same.
        unreachable: bool,
        /// Whether the provider answered the lookup that tried to settle
        /// the failed call (it is there), though the lookup could not tell
        /// whether the call was applied.
        looked_up: bool,
    },
}

impl PushError {
    /// Whether the provider may have applied the call that failed.
    pub fn in_doubt(&self) -> bool {
        matches!(self, PushError::Failed { in_doubt: true, .. })
    }

    pub(crate) fn failed<E: Serialize + std::fmt::Debug + 'static>(
        error: ApiError<E>,
        completed: Vec<&'static str>,
    ) -> Self {
        // A login or token call the provider refused is told (and stops a
        // run) as a refused call is: a 401, whatever 4xx it came with
        // (OAuth 2 refuses a refresh token with 400 `invalid_grant`, which
        // the message names); a 429 or a 5xx as it came.
        let status = error.status().or_else(|| match error.kind() {
            tracking_runtime::ErrorKind::Credentials(refused) => refused.status().map(|s| {
                if s.is_client_error() && s.as_u16() != 429 {
                    tracking_runtime::StatusCode::UNAUTHORIZED
                } else {
                    s
                }
            }),
            _ => None,
        });
        PushError::Failed {
            operation: error.operation(),
            status: status.map(|s| s.as_u16()),
            // The whole chain: a row's message is read where nothing prints
            // an error's sources.
            message: tracking_runtime::report(&error),
            in_doubt: error.in_doubt(),
            unreachable: error.is_unreachable(),
            looked_up: false,
            completed,
        }
    }
}
