//! The documented Crux servers (the `servers` of `specs/crux.yaml`).

/// The sandbox, for trying things out.
pub const SANDBOX: &str = "https://api-sandbox.cruxconnect.com";

/// Production.
pub const PRODUCTION: &str = "https://api.cruxconnect.com";
