//! The value a stand-in provider accepts for an API-key security scheme:
//! one rule from the scheme's name, which `tracking-mock` applies to every
//! built-in spec and `cargo xtask new-provider` writes into a new
//! provider's mock settings, so that the two never disagree.

/// `mock-` and the scheme's name in kebab case: `tokenAuth` gives
/// `mock-token-auth`, `X-Auth-Token` gives `mock-x-auth-token`.
pub fn mock_api_key(scheme: &str) -> String {
    let mut words: Vec<String> = vec!["mock".into()];
    let mut word = String::new();
    let mut previous_lower = false;
    for c in scheme.chars() {
        let boundary = !c.is_ascii_alphanumeric() || (c.is_ascii_uppercase() && previous_lower);
        if boundary && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.join("-")
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
