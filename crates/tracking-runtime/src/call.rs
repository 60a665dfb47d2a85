//! The one place every generated operation runs: a tracing span per call,
//! the status of the last response, and progenitor's error turned into an
//! [`ApiError`] that names the operation.

use std::cell::RefCell;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};
use std::task::{Context, Poll, ready};

use progenitor_client::ResponseValue;
use reqwest::StatusCode;

use crate::auth::{BoxFuture, CredentialError};
use crate::error::ApiError;

/// Runs one generated operation in a tracing span and converts its error.
/// The generated `send()` of every operation calls this. The span is the
/// call's only one: the runtime's `execute` fills in its `method`, `path`,
/// `status` and `attempts`.
// The generated future is large (over a kilobyte): `send` makes it here,
// straight into its box (see `boxed`), once, when the call is made, so that
// neither the caller's future nor any wrapper below carries or copies it
// (measured in BENCHMARKS.md).
pub fn call<'a, T: Send + 'a, E: Send + 'a, F>(
    operation: &'static str,
    send: impl FnOnce() -> F,
) -> impl Future<Output = Result<ResponseValue<T>, ApiError<E>>> + Send + 'a
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + Send + 'a,
{
    let span = tracing::info_span!(
        "call",
        operation,
        method = tracing::field::Empty,
        path = tracing::field::Empty,
        status = tracing::field::Empty,
        attempts = tracing::field::Empty,
    );
    Call {
        operation,
        state: Arc::new(CallState {
            status: AtomicU16::new(0),
            credentials: std::sync::Mutex::new(None),
            span,
            attempts: std::sync::atomic::AtomicU32::new(1),
            started: std::time::Instant::now(),
        }),
        send: boxed(send),
        failing: None,
    }
}

/// `make()`, made in the box it is put in. `Box::pin(make())` makes the
/// value on the stack and copies it into the box: for a future, every byte
/// of its largest state, on every call. With the box allocated first, an
/// optimised build writes the value straight into it (not guaranteed, but
/// done for every future here: measured in BENCHMARKS.md).
#[inline(always)]
pub(crate) fn boxed<T>(make: impl FnOnce() -> T) -> Pin<Box<T>> {
    Box::into_pin(Box::write(Box::new_uninit(), make()))
}

/// The future [`call`] returns. Written out rather than as an `async` block
/// in `Instrument` and a tokio task-local: those three layers moved the
/// call's state and its result through each of them on every poll
/// (measured in BENCHMARKS.md). Every field is `Unpin`: the operation's
/// future is boxed.
///
/// Fields drop in order: the operation's future goes before the span, which
/// so outlives everything the call does.
struct Call<'a, F, E> {
    send: Pin<Box<F>>,
    /// The error being converted, once the operation has failed. Boxed: the
    /// error path reads bodies, and its future would otherwise make every
    /// call's future larger.
    failing: Option<BoxFuture<'a, ApiError<E>>>,
    operation: &'static str,
    state: Arc<CallState>,
}

impl<'a, F, T, E> Future for Call<'a, F, E>
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + Send + 'a,
    E: Send + 'a,
{
    type Output = Result<ResponseValue<T>, ApiError<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let _entered = this.state.span.enter();
        if this.failing.is_none() {
            let send = &mut this.send;
            match ready!(CallState::current(&this.state, || send.as_mut().poll(cx))) {
                Ok(value) => {
                    tracing::debug!(status = value.status().as_u16(), "ok");
                    return Poll::Ready(Ok(value));
                }
                Err(error) => {
                    let status = this.state.status();
                    let credentials = this
                        .state
                        .credentials
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .take();
                    let attempts = this.state.attempts.load(Ordering::Relaxed);
                    let took = this.state.started.elapsed();
                    let converted =
                        ApiError::from_progenitor(this.operation, error, status, credentials);
                    this.failing = Some(Box::pin(async move {
                        converted.await.with_tries(attempts, took)
                    }));
                }
            }
        }
        let Some(failing) = this.failing.as_mut() else {
            unreachable!("set above when the operation failed")
        };
        let error = ready!(failing.as_mut().poll(cx));
        tracing::debug!(status = error.status().map(|s| s.as_u16()), "failed");
        Poll::Ready(Err(error))
    }
}

/// What [`crate::Runtime::execute`] records about the call it runs in.
struct CallState {
    /// The status of the last response (0: none yet), for errors that
    /// progenitor reports without it.
    status: AtomicU16,
    /// Why the credentials could not be had, when that stopped the call
    /// (progenitor's error for it carries text only).
    credentials: std::sync::Mutex<Option<CredentialError>>,
    /// The call's span. Named here rather than taken as the current span:
    /// when a filter disables it, the current span is the caller's own.
    span: tracing::Span,
    /// Attempts made so far, and when the call started, for its error.
    attempts: std::sync::atomic::AtomicU32,
    started: std::time::Instant,
}

thread_local! {
    /// The state of the call whose operation this thread is polling, if any
    /// (what a tokio task-local does, without moving the state in and out:
    /// a shared handle is put in place for the poll).
    static CURRENT: RefCell<Option<Arc<CallState>>> = const { RefCell::new(None) };
}

impl CallState {
    /// Runs `poll` with `state` as the current call, and restores the
    /// previous one afterwards, also when `poll` panics.
    fn current<R>(state: &Arc<CallState>, poll: impl FnOnce() -> R) -> R {
        struct Restore(Option<Arc<CallState>>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                CURRENT.with(|current| *current.borrow_mut() = previous);
            }
        }
        let previous = CURRENT.with(|current| current.replace(Some(state.clone())));
        let _restore = Restore(previous);
        poll()
    }

    fn status(&self) -> Option<StatusCode> {
        StatusCode::from_u16(self.status.load(Ordering::Relaxed)).ok()
    }

    fn record(&self, field: &str, value: impl tracing::Value) {
        // A disabled span (no subscriber wants it) would still go through
        // tracing's recording path: measurable on every call.
        if !self.span.is_disabled() {
            self.span.record(field, value);
        }
    }
}

/// Runs `f` on the current call's state, if there is a call.
fn with_current(f: impl FnOnce(&CallState)) {
    // A clone of the handle, so that no borrow of the thread-local is held
    // while `f` runs (it may log, and a subscriber may poll again).
    let state = CURRENT.with(|current| current.borrow().clone());
    if let Some(state) = state {
        f(&state);
    }
}

/// Records a field of the current call's span, if there is a call.
pub(crate) fn record_on_call(field: &str, value: impl tracing::Value) {
    with_current(|c| c.record(field, value));
}

/// Keeps why the current call's credentials could not be had, for its error.
pub(crate) fn record_credentials(error: CredentialError) {
    with_current(|c| *c.credentials.lock().unwrap_or_else(|e| e.into_inner()) = Some(error));
}

/// Records the number of the current call's attempt.
pub(crate) fn record_attempt(attempt: u32) {
    with_current(|c| {
        c.attempts.store(attempt, Ordering::Relaxed);
        c.record("attempts", attempt);
    });
}

/// Records the status of the last response of the current call.
pub(crate) fn record_status(status: StatusCode) {
    with_current(|c| {
        c.status.store(status.as_u16(), Ordering::Relaxed);
        c.record("status", status.as_u16());
    });
}
