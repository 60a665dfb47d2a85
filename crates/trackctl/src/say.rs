//! Lines for people, on stderr (and `validate`'s on stdout), written so that
//! a closed pipe never panics: `println!` and `eprintln!` panic when the
//! reader is gone (`trackctl push 2>&1 | head -3`), which would kill the run
//! with rows in flight. The first failed write marks the output closed; the
//! push then stops as a Ctrl-C stops it ([`closed`]), and nothing more is
//! written.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);

/// Whether a write failed: nobody reads what the run says any more.
pub fn closed() -> bool {
    CLOSED.load(Ordering::SeqCst)
}

fn line(mut stream: impl Write, args: std::fmt::Arguments<'_>) {
    if closed() {
        return;
    }
    if writeln!(stream, "{args}")
        .and_then(|()| stream.flush())
        .is_err()
    {
        CLOSED.store(true, Ordering::SeqCst);
    }
}

/// A line on stderr.
pub fn err(args: std::fmt::Arguments<'_>) {
    line(std::io::stderr().lock(), args);
}

/// A line on stdout.
pub fn out(args: std::fmt::Arguments<'_>) {
    line(std::io::stdout().lock(), args);
}

/// Where the logs go: stderr, through [`line()`]'s rule. A failed write
/// marks the output closed (the run then stops as a Ctrl-C stops it) and
/// is not reported: tracing's own report of it is an `eprintln!`, which
/// panics on the closed pipe it reports.
pub struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !closed() && std::io::stderr().lock().write_all(buf).is_err() {
            CLOSED.store(true, Ordering::SeqCst);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `eprintln!` that never panics.
macro_rules! note {
    ($($arg:tt)*) => { $crate::say::err(format_args!($($arg)*)) };
}

/// `println!` that never panics.
macro_rules! say {
    ($($arg:tt)*) => { $crate::say::out(format_args!($($arg)*)) };
}

pub(crate) use {note, say};

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that went away.
    struct Gone;

    impl Write for Gone {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_stream_is_noted_not_a_panic() {
        assert!(!closed());
        line(Gone, format_args!("line {}", 1));
        assert!(closed());
        // Later lines are dropped quietly.
        line(Gone, format_args!("line {}", 2));
    }
}
