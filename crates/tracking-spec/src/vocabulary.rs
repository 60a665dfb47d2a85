//! Words of an OpenAPI document that every crate reading one needs alike:
//! the methods a path item may have, a media type without parameters, and
//! which values are data.

use serde_json::Value;

use crate::JsonPath;

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

/// Whether the value of `key`, in the object at `at`, is data its author
/// wrote (an example, a default, an enum's values, an extension), not
/// document: its `$ref`s, `null`s and `schema`s are not the document's
/// (GitHub's SCIM examples hold `$ref` URLs). A key of a schema's
/// `properties` is a property's name, never data, and `default` among
/// `responses` is a response.
pub fn is_data(at: &JsonPath, key: &str, value: &Value) -> bool {
    match at.key_from_end(0) {
        Some("properties") => return false,
        Some("responses") if key == "default" => return false,
        _ => {}
    }
    key.starts_with("x-")
        || matches!(key, "example" | "default" | "enum" | "const")
        // 3.1's list in a schema; elsewhere a map of Example Objects.
        || (key == "examples" && value.is_array())
        || (key == "value" && at.key_from_end(1) == Some("examples"))
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

    #[test]
    fn data_is_told_from_document_by_its_place() {
        let root = JsonPath::root();
        let schema = root.key("components").key("schemas").key("A");
        let v = Value::Null;
        assert!(is_data(&schema, "example", &v));
        assert!(is_data(&schema, "default", &v));
        assert!(is_data(&schema, "x-a", &v));
        assert!(is_data(&schema, "examples", &serde_json::json!([])));
        // A property of that name, a default response, a map of examples.
        assert!(!is_data(&schema.key("properties"), "example", &v));
        assert!(!is_data(
            &root.key("paths").key("/a").key("get").key("responses"),
            "default",
            &v
        ));
        assert!(!is_data(
            &root.key("components"),
            "examples",
            &serde_json::json!({})
        ));
        assert!(is_data(
            &root.key("components").key("examples").key("one"),
            "value",
            &v
        ));
    }
}
