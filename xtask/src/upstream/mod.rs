//! `cargo xtask upstream`: one of our specs beside a provider's own published
//! document, for the operations both have (paired by [`crate::operations::match_operations`];
//! their parts by [`crate::pairs`], the walk `diff` shares).
//!
//! Each difference gets a class, by what it lets through on the wire:
//! - **ours looser**: ours accepts what theirs refuses. In a request, our
//!   client may send what the provider refuses: an *error*.
//! - **ours stricter**: ours refuses what theirs accepts. In a request, our
//!   client never sends it: a *warning* (say why in the spec). In a
//!   response it is the dangerous direction (our client may refuse what the
//!   provider answers): an *error*.
//! - **incompatible**: neither contains the other (another type): an error.
//! - **other**: a difference that changes neither (a status or a field only
//!   one side documents, where nothing refuses it): information.
//!
//! As OpenAPI says, header parameters named `Accept`, `Content-Type` and
//! `Authorization` are ignored; security schemes are compared by what they
//! put on the wire (the header's name, bearer, basic), not by their names.

mod schema;
mod walk;

use std::collections::BTreeSet;
use std::fmt;

use serde_json::Value;

use crate::operations::{Operation, match_operations};
use walk::Walk;

/// What a difference lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Ours accepts what theirs refuses.
    OursLooser,
    /// Ours refuses what theirs accepts.
    OursStricter,
    /// Neither contains the other.
    Incompatible,
    /// Neither side refuses more.
    Other,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::OursLooser => "ours looser",
            Class::OursStricter => "ours stricter",
            Class::Incompatible => "incompatible",
            Class::Other => "other",
        })
    }
}

/// How much a difference matters: an error, our client may send what the
/// provider refuses or refuse what it answers; a warning, ours is stricter
/// where that is safe (say why in the spec); info, worth knowing.
pub use tracking_spec::Severity;

/// One difference, with where it is in both documents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Difference {
    /// `POST /path (operationId)` in ours.
    pub operation: String,
    /// Its class.
    pub class: Class,
    /// How much it matters.
    pub severity: Severity,
    /// What differs, e.g. `request body.courier: required in theirs only`.
    pub what: String,
    /// Where in ours (JSONPath), if ours has the node.
    pub ours: Option<String>,
    /// Where in theirs, if theirs has the node.
    pub theirs: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}] {}: {}",
            self.severity, self.class, self.operation, self.what
        )?;
        if let Some(at) = &self.ours {
            write!(f, "\n    ours:   {at}")?;
        }
        if let Some(at) = &self.theirs {
            write!(f, "\n    theirs: {at}")?;
        }
        Ok(())
    }
}

/// The comparison of two documents.
#[derive(Debug, serde::Serialize)]
pub struct Report {
    /// Pairs compared: `(ours, theirs)` labels.
    pub compared: Vec<(String, String)>,
    /// Operations of ours that theirs does not have (an error: the provider
    /// does not document them).
    pub only_ours: Vec<String>,
    /// Operations of theirs that ours does not have (not compared).
    pub only_theirs: Vec<String>,
    /// Every difference of the pairs, errors first.
    pub differences: Vec<Difference>,
}

impl Report {
    /// Whether anything is an error.
    pub fn has_errors(&self) -> bool {
        !self.only_ours.is_empty()
            || self
                .differences
                .iter()
                .any(|d| d.severity == Severity::Error)
    }

    /// How many differences of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.differences
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Compares `ours` with `theirs` (both OpenAPI 3.0 documents as JSON).
pub fn compare(ours: &Value, theirs: &Value) -> Report {
    let matched = match_operations(ours, theirs);
    let mut differences = Vec::new();
    for (o, t) in &matched.pairs {
        let mut walk = Walk {
            ours,
            theirs,
            operation: o.label(),
            found: &mut differences,
            seen: BTreeSet::new(),
        };
        walk.operation(o, t);
    }
    differences.sort_by(|a, b| (a.severity, &a.operation).cmp(&(b.severity, &b.operation)));
    Report {
        compared: matched
            .pairs
            .iter()
            .map(|(o, t)| (o.label(), t.label()))
            .collect(),
        only_ours: matched.only_left.iter().map(Operation::label).collect(),
        only_theirs: matched.only_right.iter().map(Operation::label).collect(),
        differences,
    }
}

/// The report as text: every difference, then the counts.
pub fn render(report: &Report) -> String {
    let mut text = String::new();
    for (ours, theirs) in &report.compared {
        text.push_str(&format!("compared {ours} with {theirs}\n"));
    }
    for label in &report.only_ours {
        text.push_str(&format!(
            "error[ours looser] {label}: not in theirs (the provider does not document it)\n"
        ));
    }
    if !report.only_theirs.is_empty() {
        text.push_str(&format!(
            "info: {} operation(s) of theirs not in ours (not compared)\n",
            report.only_theirs.len()
        ));
    }
    for difference in &report.differences {
        text.push_str(&format!("{difference}\n"));
    }
    text.push_str(&format!(
        "{} error(s), {} warning(s), {} other difference(s) in {} operation(s)\n",
        report.count(Severity::Error) + report.only_ours.len(),
        report.count(Severity::Warning),
        report.count(Severity::Info),
        report.compared.len()
    ));
    text
}
