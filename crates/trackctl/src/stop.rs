//! Ctrl-C and SIGTERM: the first stops starting rows and lets those in
//! flight finish without another attempt (one waiting to retry ends with
//! the answer it had: not sent, or in doubt if it may have been applied);
//! the second stops at once (the rows in flight are
//! journaled as uncertain); a third exits on the spot, should the second
//! stop itself hang.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;
use tracking_runtime::StopRetries;

use crate::say::note;

/// What the signals have asked for.
#[derive(Default)]
pub struct Stop {
    requested: AtomicBool,
    forced: AtomicBool,
    force: Notify,
    /// Stopped with the first signal: a call waiting to retry (a
    /// `Retry-After`) ends with the answer it had, and no new attempt
    /// starts, so that the rows in flight finish in seconds.
    retries: StopRetries,
}

impl Stop {
    /// Listens for signals in the background.
    pub fn listen() -> Arc<Self> {
        let stop = Arc::new(Self::default());
        // Made here, not in the task, so that a signal from now on counts.
        let signals = Signals::new();
        tokio::spawn(listen(stop.clone(), signals));
        stop
    }

    /// Whether a stop was asked for: start no new row.
    pub fn requested(&self) -> bool {
        self.requested.load(Ordering::SeqCst)
    }

    /// The stop of the retries of the calls made in its scope.
    pub fn retries(&self) -> StopRetries {
        self.retries.clone()
    }

    /// Whether a forced stop was asked for.
    pub fn forced(&self) -> bool {
        self.forced.load(Ordering::SeqCst)
    }

    /// Waits for a forced stop.
    pub async fn force_requested(&self) {
        loop {
            // Registered before the check, so that a notification between
            // the two is not lost.
            let notified = self.force.notified();
            if self.forced() {
                return;
            }
            notified.await;
        }
    }
}

/// Each Ctrl-C or SIGTERM, from streams made once, so that none is missed
/// between two waits.
struct Signals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Self {
                interrupt: signal(SignalKind::interrupt()).ok(),
                terminate: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        {
            async fn recv(signal: &mut Option<tokio::signal::unix::Signal>) {
                match signal {
                    Some(signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending().await,
                }
            }
            tokio::select! {
                _ = recv(&mut self.interrupt) => {}
                _ = recv(&mut self.terminate) => {}
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn listen(stop: Arc<Stop>, mut signals: Signals) {
    signals.next().await;
    note!(
        "stopping: no new rows, and no new attempt of those in flight (Ctrl-C again to stop at once)"
    );
    stop.requested.store(true, Ordering::SeqCst);
    stop.retries.stop();
    signals.next().await;
    note!("stopping at once: the rows in flight are journaled as uncertain");
    stop.forced.store(true, Ordering::SeqCst);
    stop.force.notify_waiters();
    signals.next().await;
    note!("stopped");
    std::process::exit(130);
}
