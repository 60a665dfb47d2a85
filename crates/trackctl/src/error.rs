//! Why a command could not do what it was asked, by what the operator does
//! about it; [`Error::exit_code`] is the one place an error becomes an exit
//! code. (What a run's rows came to has exit codes of its own: the
//! summary's, in `push`.)

/// A command refused or stopped before its work.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input file cannot be read as shipments.
    #[error("{0}")]
    File(String),
    /// A setting, a command-line value or a config file is wrong.
    #[error("{0}")]
    Setting(String),
    /// The journal cannot be opened or written.
    #[error("{0}")]
    Journal(String),
    /// The journal is in use by another run.
    #[error("{0}")]
    Busy(String),
    /// The mock providers could not be served.
    #[error("{0}")]
    Mock(String),
}

/// sysexits' EX_TEMPFAIL: a run refused because another run holds the
/// journal; try again later.
pub const BUSY_EXIT: u8 = 75;

impl Error {
    /// The same error with context added to its message; its kind (and so
    /// its exit code) kept.
    pub fn with_message(self, rewrite: impl FnOnce(String) -> String) -> Error {
        match self {
            Error::File(m) => Error::File(rewrite(m)),
            Error::Setting(m) => Error::Setting(rewrite(m)),
            Error::Journal(m) => Error::Journal(rewrite(m)),
            Error::Busy(m) => Error::Busy(rewrite(m)),
            Error::Mock(m) => Error::Mock(rewrite(m)),
        }
    }

    /// The exit code: [`BUSY_EXIT`] for a journal in use, else 2 (nothing
    /// was sent: fix the file, the setting or the journal, and run again).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Busy(_) => BUSY_EXIT,
            Error::File(_) | Error::Setting(_) | Error::Journal(_) | Error::Mock(_) => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_in_use_is_75_and_every_other_refusal_2() {
        assert_eq!(Error::Busy("x".into()).exit_code(), 75);
        for error in [
            Error::File("x".into()),
            Error::Setting("x".into()),
            Error::Journal("x".into()),
            Error::Mock("x".into()),
        ] {
            assert_eq!(error.exit_code(), 2, "{error:?}");
        }
        let busy = Error::Busy("in use".into()).with_message(|m| format!("journal j: {m}"));
        assert_eq!(
            (busy.exit_code(), busy.to_string().as_str()),
            (75, "journal j: in use")
        );
    }
}
