//! Words of an OpenAPI document that every crate reading one needs alike:
//! the methods a path item may have, and a media type without parameters.

/// The HTTP methods an OpenAPI path item may have, lower case.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A media type without its parameters, lower case: `application/json` of
/// `Application/JSON; charset=utf-8`.
pub fn media_essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_media_types_essence_drops_parameters_and_case() {
        assert_eq!(
            media_essence("Application/JSON; charset=utf-8"),
            "application/json"
        );
        assert_eq!(media_essence("text/plain"), "text/plain");
    }
}
