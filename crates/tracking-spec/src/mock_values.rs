//! The value a stand-in provider accepts for an API-key security scheme:
//! one rule from the scheme's name, which `tracking-mock` applies to every
//! built-in spec and `cargo xtask new-provider` writes into a new
//! provider's mock settings, so that the two never disagree.

use heck::ToKebabCase;

/// `mock-` and the scheme's name in kebab case: `tokenAuth` gives
/// `mock-token-auth`, `X-Auth-Token` gives `mock-x-auth-token`.
pub fn mock_api_key(scheme: &str) -> String {
    format!("mock-{}", scheme.to_kebab_case())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_name_becomes_its_value_in_kebab_case() {
        assert_eq!(mock_api_key("tokenAuth"), "mock-token-auth");
        assert_eq!(mock_api_key("appKey"), "mock-app-key");
        assert_eq!(mock_api_key("api_key"), "mock-api-key");
        assert_eq!(mock_api_key("X-Auth-Token"), "mock-x-auth-token");
        assert_eq!(mock_api_key("key"), "mock-key");
    }
}
