//! `collectionFormat` becomes a `style` (and `explode`).
//!
//! | 2.0 | query (and form fields) | path, header |
//! |---|---|---|
//! | `csv` (the default) | `form`, explode false | `simple` |
//! | `ssv` | `spaceDelimited` | none: noted, taken as `simple` |
//! | `pipes` | `pipeDelimited` | none: noted, taken as `simple` |
//! | `multi` | `form`, explode true | none: noted, taken as `simple` |
//! | `tsv` | none: noted, taken as `csv` | none: noted, taken as `simple` |

use serde_json::{Map, Value};

use crate::{Finding, JsonPath};

/// Sets `style` and `explode` on `target` (a parameter, or a form field's
/// encoding) for an array sent `in` (query, formData, path, header) with
/// `format` (`None`: csv).
pub fn style(
    format: Option<&str>,
    location: &str,
    target: &mut Map<String, Value>,
    at: &JsonPath,
    notes: &mut Vec<Finding>,
) {
    let format = format.unwrap_or("csv");
    let form = matches!(location, "query" | "formData");
    let (style, explode) = match (format, form) {
        ("csv", true) => ("form", false),
        ("ssv", true) => ("spaceDelimited", false),
        ("pipes", true) => ("pipeDelimited", false),
        ("multi", true) => ("form", true),
        ("tsv", true) => {
            notes.push(Finding::new(
                "swagger-collection-format",
                at.key("collectionFormat"),
                "tab-separated values have no OpenAPI 3.0 style: sent comma-separated (form, explode false)",
            ));
            ("form", false)
        }
        ("csv", false) => ("simple", false),
        (other, false) => {
            notes.push(Finding::new(
                "swagger-collection-format",
                at.key("collectionFormat"),
                format!(
                    "collectionFormat {other:?} has no OpenAPI 3.0 style in {location}: sent comma-separated (simple)"
                ),
            ));
            ("simple", false)
        }
        (other, true) => {
            notes.push(Finding::new(
                "swagger-collection-format",
                at.key("collectionFormat"),
                format!(
                    "collectionFormat {other:?} is none of Swagger 2.0's: sent comma-separated"
                ),
            ));
            ("form", false)
        }
    };
    target.insert("style".into(), style.into());
    target.insert("explode".into(), explode.into());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(format: Option<&str>, location: &str) -> (Value, usize) {
        let mut target = Map::new();
        let mut notes = Vec::new();
        style(format, location, &mut target, &JsonPath::root(), &mut notes);
        (Value::Object(target), notes.len())
    }

    #[test]
    fn each_format_has_its_style_or_a_note() {
        assert_eq!(
            of(None, "query"),
            (json!({"style": "form", "explode": false}), 0)
        );
        assert_eq!(
            of(Some("multi"), "query"),
            (json!({"style": "form", "explode": true}), 0)
        );
        assert_eq!(
            of(Some("ssv"), "query"),
            (json!({"style": "spaceDelimited", "explode": false}), 0)
        );
        assert_eq!(
            of(Some("pipes"), "formData"),
            (json!({"style": "pipeDelimited", "explode": false}), 0)
        );
        assert_eq!(
            of(Some("csv"), "path"),
            (json!({"style": "simple", "explode": false}), 0)
        );
        assert_eq!(of(Some("tsv"), "query").1, 1);
        assert_eq!(of(Some("pipes"), "header").1, 1);
    }
}
