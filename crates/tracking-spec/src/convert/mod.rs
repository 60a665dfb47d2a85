//! Documents as platforms publish them, made OpenAPI 3.0 before anything
//! else reads them: Swagger 2.0 (Amazon's SP-API models, Magento) and
//! OpenAPI 3.1 (Shopware, ShipStation). progenitor and `openapiv3` read 3.0
//! only, and no kept Rust crate converts either (`paperclip` and
//! `mockforge` carry partial converters inside larger tools, for their own
//! use), so each rule is a module here, small enough to check against the
//! specifications it follows. Every conversion that loses or guesses
//! something leaves a [`Finding`] at its node; an exact one leaves none.
//!
//! A 3.0 document passes through unchanged.

pub(crate) mod nulls;
mod openapi31;
mod schemas;
mod swagger2;

use serde_json::Value;

use crate::{Finding, JsonPath};

/// The format a document was published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `swagger: "2.0"`.
    Swagger2,
    /// `openapi: 3.0.x`.
    OpenApi30,
    /// `openapi: 3.1.x`.
    OpenApi31,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Swagger2 => "Swagger 2.0",
            Format::OpenApi30 => "OpenAPI 3.0",
            Format::OpenApi31 => "OpenAPI 3.1",
        })
    }
}

/// The format of `json`, or why it has none this project reads (with the
/// node that says so).
pub fn format_of(json: &Value) -> Result<Format, (JsonPath, String)> {
    if let Some(version) = json.get("swagger") {
        // `swagger: 2.0` unquoted in YAML is a number.
        let two = version.as_str() == Some("2.0") || version.as_f64() == Some(2.0);
        return match two {
            true => Ok(Format::Swagger2),
            false => Err((
                JsonPath::root().key("swagger"),
                format!("Swagger {version} is not supported: only \"2.0\" is"),
            )),
        };
    }
    match json.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => Ok(Format::OpenApi30),
        Some(v) if v.starts_with("3.1.") => Ok(Format::OpenApi31),
        Some(v) => Err((
            JsonPath::root().key("openapi"),
            format!("OpenAPI {v} is not supported: Swagger 2.0, OpenAPI 3.0 and 3.1 are"),
        )),
        None => Err((
            JsonPath::root(),
            "neither `swagger: \"2.0\"` nor `openapi: 3.x` (is this an OpenAPI document?)".into(),
        )),
    }
}

/// `json` as OpenAPI 3.0, with a note for each conversion that loses or
/// guesses something; `Err` only for a document of no format read here.
pub fn to_openapi_30(json: Value) -> Result<(Format, Value, Vec<Finding>), (JsonPath, String)> {
    let format = format_of(&json)?;
    let mut notes = Vec::new();
    let json = match format {
        Format::OpenApi30 => json,
        Format::Swagger2 => swagger2::convert(json, &mut notes),
        Format::OpenApi31 => openapi31::convert(json, &mut notes),
    };
    Ok((format, json, notes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_format_is_read_from_the_version_as_yaml_writes_it() {
        assert_eq!(format_of(&json!({"swagger": "2.0"})), Ok(Format::Swagger2));
        // `swagger: 2.0` unquoted in YAML is a number.
        assert_eq!(format_of(&json!({"swagger": 2.0})), Ok(Format::Swagger2));
        assert_eq!(
            format_of(&json!({"openapi": "3.1.0"})),
            Ok(Format::OpenApi31)
        );
        assert_eq!(
            format_of(&json!({"openapi": "3.0.3"})),
            Ok(Format::OpenApi30)
        );
        assert!(format_of(&json!({"swagger": "1.2"})).is_err());
        assert!(format_of(&json!({"info": {}})).is_err());
    }
}
