//! Settings: environment variables, or the same names in a `--config` file
//! (YAML `NAME: value`, or `.env` style `NAME=value`); the environment wins.
//!
//! The values are credentials, so no message here ever shows one: errors
//! name the file, the line and the setting, never what it was set to.

use std::collections::BTreeMap;
use std::path::Path;

/// The variables read; a provider is configured when its credentials are there.
pub const VARIABLES: &[&str] = &[
    "CRUX_TOKEN",
    "CRUX_USERNAME",
    "CRUX_PASSWORD",
    "CRUX_BASE_URL",
    "CRUX_ACCOUNT",
    "VTEX_APP_KEY",
    "VTEX_APP_TOKEN",
    "VTEX_ACCOUNT",
    "VTEX_BASE_URL",
    "SELLERCLOUD_USERNAME",
    "SELLERCLOUD_PASSWORD",
    "SELLERCLOUD_SERVER_ID",
    "SELLERCLOUD_BASE_URL",
];

/// Settings from the config file, overridden by the environment.
pub struct Settings(BTreeMap<String, String>);

impl Settings {
    /// Reads `config` (if given) and the environment.
    pub fn load(config: Option<&Path>) -> Result<Self, String> {
        let mut values = BTreeMap::new();
        if let Some(path) = config {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let parsed = if is_dotenv(path, &text) {
                dotenv(&text)
            } else {
                yaml(&text)
            };
            let file = parsed.map_err(|e| format!("{}: {e}", path.display()))?;
            values.extend(file);
        }
        for name in VARIABLES {
            if let Ok(value) = std::env::var(name) {
                values.insert(name.to_string(), value);
            }
        }
        Ok(Self(values))
    }

    /// A setting, trimmed, if set and not blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    /// Whether any provider's credentials are set.
    pub fn any_credentials(&self) -> bool {
        [
            "CRUX_TOKEN",
            "CRUX_USERNAME",
            "VTEX_APP_KEY",
            "SELLERCLOUD_USERNAME",
        ]
        .iter()
        .any(|n| self.get(n).is_some())
    }
}

fn known(name: &str, line: usize) -> Result<(), String> {
    if VARIABLES.contains(&name) {
        Ok(())
    } else {
        Err(format!(
            "line {line}: unknown setting {name} (known: {})",
            VARIABLES.join(", ")
        ))
    }
}

/// `.env` by name, or a file whose first setting reads `NAME=`.
fn is_dotenv(path: &Path, text: &str) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name == ".env" || name.ends_with(".env") {
        return true;
    }
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .and_then(|l| l.strip_prefix("export ").unwrap_or(l).split_once('='))
        .is_some_and(|(name, _)| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
}

/// `NAME=value` lines: `#` comments, an optional `export `, values in
/// single or double quotes or bare. (dotenvy's errors quote the line, which
/// would print a secret: this parser's name the line only.)
fn dotenv(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut values = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else {
            return Err(format!(
                "line {number}: not a NAME=value setting (the value is not shown)"
            ));
        };
        let name = name.trim();
        known(name, number)?;
        let value = value.trim();
        let value = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value
                .strip_prefix(q)
                .and_then(|v| v.strip_suffix(q))
                .ok_or_else(|| {
                    format!(
                        "line {number}: {name}: the quote is not closed (the value is not shown)"
                    )
                })?,
            _ => value.split(" #").next().unwrap_or(value).trim_end(),
        };
        if values.insert(name.to_string(), value.to_string()).is_some() {
            return Err(format!("line {number}: {name} is set twice"));
        }
    }
    Ok(values)
}

/// A YAML map of `NAME: value`; a parse error gives its position only.
fn yaml(text: &str) -> Result<BTreeMap<String, String>, String> {
    let position = |e: &yaml_serde::Error| match e.location() {
        Some(at) => format!("line {}, column {}", at.line(), at.column()),
        None => "the file".to_string(),
    };
    let value: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
        format!(
            "{}: not YAML (the value is not shown; use NAME: value or NAME=value lines)",
            position(&e)
        )
    })?;
    let yaml_serde::Value::Mapping(map) = value else {
        return Err(
            "not a map of settings (use NAME: value or NAME=value lines; the content is not shown)"
                .into(),
        );
    };
    let mut values = BTreeMap::new();
    for (i, (name, value)) in map.into_iter().enumerate() {
        let Some(name) = name.as_str().map(str::to_string) else {
            return Err(format!("setting {}: its name is not text", i + 1));
        };
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with(&name))
            .map_or(0, |p| p + 1);
        known(&name, line)?;
        let value = match value {
            yaml_serde::Value::String(s) => s,
            yaml_serde::Value::Number(n) => n.to_string(),
            yaml_serde::Value::Bool(b) => b.to_string(),
            _ => {
                return Err(format!(
                    "line {line}: {name}: not a single value (the value is not shown)"
                ));
            }
        };
        values.insert(name, value);
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "s3cr3t-Value";

    #[test]
    fn dotenv_files_are_read() {
        let text = format!(
            "# comment\nexport CRUX_TOKEN=\"{SECRET}\"\nVTEX_APP_KEY='k ey'\nVTEX_ACCOUNT=mystore # note\n"
        );
        let values = dotenv(&text).unwrap();
        assert_eq!(values["CRUX_TOKEN"], SECRET);
        assert_eq!(values["VTEX_APP_KEY"], "k ey");
        assert_eq!(values["VTEX_ACCOUNT"], "mystore");
        assert!(is_dotenv(Path::new("settings"), &text));
        assert!(!is_dotenv(Path::new("settings.yaml"), "CRUX_TOKEN: x\n"));
    }

    #[test]
    fn errors_never_show_values() {
        let broken = [
            (
                Path::new("c.env"),
                format!("CRUX_TOKEN={SECRET}\n{SECRET}\n"),
            ),
            (Path::new("c.env"), format!("CRUX_TOKEN=\"{SECRET}\n")),
            (Path::new("c.env"), format!("CRUX_TOKNE={SECRET}\n")),
            (Path::new("c.yaml"), format!("CRUX_TOKEN: [{SECRET}\n")),
            (
                Path::new("c.yaml"),
                format!("CRUX_TOKEN: {{a: {SECRET}}}\n"),
            ),
            (Path::new("c.yaml"), format!("- {SECRET}\n")),
            (Path::new("c.yaml"), format!("{SECRET}\n")),
        ];
        for (path, text) in broken {
            let result = if is_dotenv(path, &text) {
                dotenv(&text)
            } else {
                yaml(&text)
            };
            let error = result.expect_err(&text);
            assert!(!error.contains(SECRET), "{error}");
            assert!(error.contains("line") || error.contains("not"), "{error}");
        }
    }
}
