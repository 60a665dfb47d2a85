//! What is wrong with a spec: which file, which node, what.

use std::fmt;
use std::path::{Path, PathBuf};

/// A location inside an OpenAPI document, written as a JSONPath
/// (`$.paths['/orders/{id}'].post.responses.default`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonPath(Vec<Segment>);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl JsonPath {
    /// The document root, `$`.
    pub fn root() -> Self {
        Self::default()
    }

    /// This path extended by an object key.
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Key(key.into()));
        next
    }

    /// This path extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Index(index));
        next
    }

    /// Parses a local JSON pointer (`#/components/schemas/X`) into a path.
    pub fn from_pointer(pointer: &str) -> Self {
        let mut path = Self::root();
        for token in pointer.trim_start_matches('#').split('/').skip(1) {
            path = path.key(token.replace("~1", "/").replace("~0", "~"));
        }
        path
    }

    /// The `n`th segment from the end (0: the last), if it is an object key.
    pub fn key_from_end(&self, n: usize) -> Option<&str> {
        match self.0.iter().rev().nth(n)? {
            Segment::Key(k) => Some(k),
            Segment::Index(_) => None,
        }
    }

    /// The object keys and indices of this path, in order.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0.iter().map(|s| match s {
            Segment::Key(k) => k.clone(),
            Segment::Index(i) => i.to_string(),
        })
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in &self.0 {
            match segment {
                Segment::Key(k) if is_identifier(k) => write!(f, ".{k}")?,
                Segment::Key(k) => write!(f, "['{}']", k.replace('\'', "\\'"))?,
                Segment::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Why a spec could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The spec file could not be read.
    #[error("{file}: cannot read the spec: {source}")]
    Read {
        /// The spec file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid YAML (or, for a `.json` file, JSON).
    #[error("{file}:{line}:{column}: not valid {format}: {message}")]
    Syntax {
        /// The spec file.
        file: PathBuf,
        /// `YAML` or `JSON`.
        format: &'static str,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// A node of the document is wrong, or uses something that cannot be handled.
    #[error("{file}: at {path}: {message}")]
    Invalid {
        /// The spec file.
        file: PathBuf,
        /// Where in the document.
        path: JsonPath,
        /// What is wrong, in words a maintainer understands.
        message: String,
    },
}
impl SpecError {
    /// A problem at `path` in `file`.
    pub fn invalid(file: &Path, path: JsonPath, message: impl Into<String>) -> Self {
        Self::Invalid {
            file: file.to_path_buf(),
            path,
            message: message.into(),
        }
    }

    /// The JSON path of the offending node, when the error is about one.
    pub fn path(&self) -> Option<&JsonPath> {
        match self {
            Self::Invalid { path, .. } => Some(path),
            _ => None,
        }
    }
}
