//! A note about a node of a document: what a conversion or an adjustment
//! changed there, or what must change.

use crate::JsonPath;

/// Something in a document that was changed, or is refused, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule, e.g. `mixed-error-bodies`.
    pub rule: &'static str,
    /// Where.
    pub path: JsonPath,
    /// What was done, or what to change.
    pub message: String,
}

impl Finding {
    /// A finding of `rule` at `path`.
    pub fn new(rule: &'static str, path: JsonPath, message: impl Into<String>) -> Self {
        Self {
            rule,
            path,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at {}: {} [{}]", self.path, self.message, self.rule)
    }
}
