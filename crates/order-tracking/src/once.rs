//! A call that may not be repeated, applied once all the same: when its
//! answer is lost, the provider is asked whether it was applied (a lookup
//! of the provider's module), and it is sent again only if not. Every
//! provider whose write creates a record on each arrival but whose reads
//! can find it (Crux's lookup, BigCommerce's shipment list) sends through
//! [`send_once`].

use std::future::Future;

use crate::outcome::PushError;
use crate::pusher::Delivery;

/// How many times a call that may not be repeated is sent while its
/// answers are lost and lookups show it was not applied.
pub const MAX_SENDS: usize = 3;

/// A wait before a lookup this long or longer is said in the log.
const LONG_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// What a lookup found.
pub(crate) enum Found {
    /// The provider has what the call makes: it was applied.
    Applied,
    /// The provider has none of it: it was not applied.
    NotApplied,
    /// The provider has some of it only (several numbers, some there):
    /// nothing can be said.
    Partly(String),
}

/// Sends `operation` through `send` (which may read what the call needs
/// first; its reads are made again before every send), applied once: when its answer is lost
/// (or with `lookup_first`: an earlier process may have sent it), waits
/// [`Pusher::with_lookup_delay`](crate::Pusher::with_lookup_delay), asks
/// the provider through `look`, and sends again only if it was not
/// applied; at most [`MAX_SENDS`] sends, each followed by a lookup if its
/// answer is lost. Without a lookup (`has_lookup` false), a lost answer is
/// an in-doubt error. True when the provider already had it.
pub(crate) async fn send_once<T, S, SF, L, LF>(
    delivery: &Delivery<'_>,
    operation: &'static str,
    has_lookup: bool,
    mut lookup_first: bool,
    mut send: S,
    mut look: L,
) -> Result<(bool, Option<T>), PushError>
where
    S: FnMut() -> SF,
    SF: Future<Output = Result<T, PushError>>,
    L: FnMut() -> LF,
    LF: Future<Output = Result<Found, String>>,
{
    let mut lost = None;
    let mut sends = 0;
    loop {
        if lookup_first {
            let delay = delivery.lookup_delay();
            // A wait people see: what for, and until when.
            if delay >= LONG_WAIT {
                tracing::warn!(
                    operation,
                    wait_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    until = %(chrono::Utc::now() + delay).format("%H:%M:%S UTC"),
                    "waiting before asking whether a lost call was applied"
                );
            }
            tokio::time::sleep(delay).await;
            match look().await {
                Ok(Found::Applied) => return Ok((true, None)),
                Ok(Found::NotApplied) if sends < MAX_SENDS => {}
                // The last send's answer was lost too, and the provider
                // may apply it after this lookup: in doubt, so that the
                // next run looks it up first rather than sending it again.
                Ok(Found::NotApplied) => {
                    let why = format!(
                        "looked up after {sends} sends whose answers were lost: not applied yet; the next run looks it up first"
                    );
                    return Err(restated(operation, lost, why, true, true));
                }
                Ok(Found::Partly(why)) => {
                    return Err(restated(operation, lost, why, true, true));
                }
                Err(e) => {
                    let why = format!("looking it up failed: {e}");
                    return Err(restated(operation, lost, why, true, false));
                }
            }
        }
        delivery.wait_for(operation).await;
        sends += 1;
        match send().await {
            Ok(answer) => return Ok((false, Some(answer))),
            Err(e) if e.in_doubt() && has_lookup => lost = Some(e),
            // An earlier send's answer was lost, and its lookup may have
            // come before the provider applied it: still in doubt, so that
            // the next run looks it up first rather than sending it again.
            Err(e) if lost.is_some() => {
                let why = "an earlier send's answer was lost and it may have been applied late: the next run looks it up first";
                // A lookup answered to get here: the provider is there.
                return Err(restated(operation, Some(e), why.into(), true, true));
            }
            Err(e) => return Err(e),
        }
        lookup_first = true;
    }
}

/// The error of a call a lookup left unsettled (`in_doubt`: it may have
/// been applied), showed was not applied, or whose later send failed: the
/// failed send's own error with `why` added when this process sent it, else
/// one for a send of an earlier process. `looked_up`: the provider answered
/// the lookup (it is there, whatever became of the call).
fn restated(
    operation: &'static str,
    failed: Option<PushError>,
    why: String,
    in_doubt: bool,
    looked_up: bool,
) -> PushError {
    let (operation, status, message, completed) = match failed {
        Some(PushError::Failed {
            operation,
            status,
            message,
            completed,
            ..
        }) => (operation, status, format!("{message}; {why}"), completed),
        Some(other) => (operation, None, format!("{other}; {why}"), Vec::new()),
        None => (
            operation,
            None,
            format!("an earlier send may have been applied; {why}"),
            Vec::new(),
        ),
    };
    PushError::Failed {
        operation,
        status,
        message,
        completed,
        in_doubt,
        unreachable: false,
        looked_up,
    }
}

/// A failure of a read made before `operation` was sent: not in doubt,
/// and said so.
pub(crate) fn not_sent(error: PushError, operation: &str) -> PushError {
    match error {
        PushError::Failed {
            operation: failed,
            status,
            message,
            completed,
            unreachable,
            looked_up,
            ..
        } => PushError::Failed {
            operation: failed,
            status,
            message: format!("{message} (a read before {operation}: nothing was sent)"),
            completed,
            in_doubt: false,
            unreachable,
            looked_up,
        },
        other => other,
    }
}
