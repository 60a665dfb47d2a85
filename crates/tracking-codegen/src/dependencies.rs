//! The crates a generated client names, so that a client crate depends on
//! what its spec needs and nothing else (`futures` only where an operation
//! is paginated, `regress` only where a schema has a `pattern`, `base64` and
//! `rand` only where one is a websocket).

/// The crates generated code may name, besides the client's own, by their
/// names in Rust (`serde_json`, `progenitor_client`).
pub const CRATES: &[&str] = &[
    "base64",
    "bytes",
    "chrono",
    "futures",
    "progenitor_client",
    "rand",
    "regress",
    "reqwest",
    "serde",
    "serde_json",
    "tracking_runtime",
    "uuid",
];

/// The package names (`serde_json`, …) of the crates `code` uses.
pub fn used_by(code: &str) -> Vec<&'static str> {
    CRATES
        .iter()
        .copied()
        .filter(|name| uses_crate(code, name))
        .collect()
}

/// Whether `code` has the path `name::` not inside a longer identifier.
fn uses_crate(code: &str, name: &str) -> bool {
    let needle = format!("{name}::");
    code.match_indices(&needle).any(|(at, _)| {
        !code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_are_found_by_their_paths_only() {
        let code = "use ::serde::Serialize; fn f() -> futures::Stream {} // my_uuid::x";
        assert_eq!(used_by(code), ["futures", "serde"]);
    }
}
