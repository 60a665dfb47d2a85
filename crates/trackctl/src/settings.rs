//! Settings: environment variables, or the same names in a `--config` file
//! (YAML `NAME: value`, or `.env` style `NAME=value`); the environment wins.
//!
//! The values are credentials, so no message here ever shows one: errors
//! name the file, the line and the setting, never what it was set to.
//!
//! A setting that is there but blank is an error, not an absent setting: it
//! is what a secret injection that failed leaves (`CRUX_TOKEN=`), and read
//! as absent it could turn a real push into a rehearsal against the mock.

use crate::error::Error;
use std::collections::BTreeMap;
use std::path::Path;

use order_tracking::Provider;

/// trackctl's own settings: the journal's path (default: the input's folder's).
pub const JOURNAL: &str = "TRACKCTL_JOURNAL";

/// Every provider's variables (its module's settings).
pub fn provider_variables() -> impl Iterator<Item = &'static str> {
    Provider::all().flat_map(|p| p.settings().variables.iter().copied())
}

/// Every variable read.
fn variables() -> impl Iterator<Item = &'static str> {
    provider_variables().chain([JOURNAL])
}

/// Settings from the config file, overridden by the environment.
pub struct Settings {
    values: BTreeMap<String, String>,
    /// A config file was given.
    config: bool,
    /// Variables of the environment with a provider's prefix that are no
    /// setting ([`unknown_in_environment`]).
    pub unknown: Vec<String>,
}

impl Settings {
    /// Reads `config` (if given) and the environment; a blank value is an
    /// error naming the setting and where it was set.
    pub fn load(config: Option<&Path>) -> Result<Self, Error> {
        let mut values = BTreeMap::new();
        if let Some(path) = config {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::Setting(format!("{}: {e}", path.display())))?;
            let parsed = if is_dotenv(path, &text) {
                dotenv(&text)
            } else {
                yaml(&text)
            };
            let file = parsed.map_err(|e| Error::Setting(format!("{}: {e}", path.display())))?;
            values.extend(file);
        }
        for name in variables() {
            if let Some(value) = std::env::var_os(name) {
                let value = value.into_string().map_err(|_| {
                    Error::Setting(format!(
                        "{name} in the environment is not UTF-8 text (the value is not shown)"
                    ))
                })?;
                if value.trim().is_empty() {
                    return Err(Error::Setting(format!(
                        "{name} is set but blank in the environment: give it a value, or unset it"
                    )));
                }
                values.insert(name.to_string(), value);
            }
        }
        Ok(Self {
            values,
            config: config.is_some(),
            unknown: unknown_in_environment(),
        })
    }

    /// A setting, trimmed, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(|v| v.trim())
    }

    /// Whether anything names a provider: a config file, any provider's
    /// variable, or a variable with a provider's prefix that is no setting
    /// (a misspelled one). Only when nothing does is the built-in mock the
    /// default.
    pub fn names_a_provider(&self) -> bool {
        self.config
            || !self.unknown.is_empty()
            || provider_variables().any(|name| self.values.contains_key(name))
    }

    /// The variables of `provider` that are set, by name.
    pub fn set_for(&self, provider: Provider) -> Vec<&'static str> {
        provider
            .settings()
            .variables
            .iter()
            .copied()
            .filter(|name| self.values.contains_key(*name))
            .collect()
    }
}

/// A blank value, with where it is.
fn blank(name: &str, line: usize) -> Error {
    Error::Setting(format!(
        "line {line}: {name} is blank: give it a value, or remove the line"
    ))
}

/// Whether `name` is spelled as a setting's name is (`NAME_2`): only such
/// a name is shown in a message; anything else may be a piece of a secret
/// (a token wrapped onto a line of its own).
fn looks_like_a_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn known(name: &str, line: usize) -> Result<(), Error> {
    if variables().any(|v| v == name) {
        Ok(())
    } else if looks_like_a_name(name) {
        Err(Error::Setting(format!(
            "line {line}: unknown setting {name} (known: {})",
            variables().collect::<Vec<_>>().join(", ")
        )))
    } else {
        Err(Error::Setting(format!(
            "line {line}: not a setting (the line is not shown; a value wrapped onto a line of its own?)"
        )))
    }
}

/// Variables of the environment that look like settings of trackctl's (a
/// provider's prefix) but are none: a misspelled name would otherwise be
/// read as absent.
fn unknown_in_environment() -> Vec<String> {
    let prefixes: Vec<&str> = Provider::all()
        .map(|p| p.settings().prefix)
        .chain(["TRACKCTL_"])
        .collect();
    // In any case: `crux_token` is a misspelled `CRUX_TOKEN`.
    let mut unknown: Vec<String> = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter(|name| {
            let upper = name.to_ascii_uppercase();
            prefixes.iter().any(|p| upper.starts_with(p))
        })
        .filter(|name| !variables().any(|v| v == name))
        .collect();
    unknown.sort();
    unknown
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
fn dotenv(text: &str) -> Result<BTreeMap<String, String>, Error> {
    let mut values = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else {
            return Err(Error::Setting(format!(
                "line {number}: not a NAME=value setting (the value is not shown)"
            )));
        };
        let name = name.trim();
        known(name, number)?;
        let value = value.trim();
        let value = match value.chars().next() {
            // Quoted, then nothing or a comment.
            Some(q @ ('"' | '\'')) => value[1..]
                .split_once(q)
                .filter(|(_, rest)| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
                .map(|(quoted, _)| quoted)
                .ok_or_else(|| {
                    Error::Setting(format!(
                        "line {number}: {name}: the quote is not closed, or something other than a comment follows it (the value is not shown)"
                    ))
                })?,
            _ => value.split(" #").next().unwrap_or(value).trim_end(),
        };
        if value.trim().is_empty() {
            return Err(blank(name, number));
        }
        if values.insert(name.to_string(), value.to_string()).is_some() {
            return Err(Error::Setting(format!(
                "line {number}: {name} is set twice"
            )));
        }
    }
    Ok(values)
}

/// A YAML map of `NAME: value`; a parse error gives its position only.
fn yaml(text: &str) -> Result<BTreeMap<String, String>, Error> {
    let position = |e: &yaml_serde::Error| match e.location() {
        Some(at) => format!("line {}, column {}", at.line(), at.column()),
        None => "the file".to_string(),
    };
    let value: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
        Error::Setting(if e.to_string().starts_with("duplicate entry") {
            format!(
                "{}: a setting is set twice (the name is not shown)",
                position(&e)
            )
        } else {
            format!(
                "{}: not YAML (the value is not shown; use NAME: value or NAME=value lines)",
                position(&e)
            )
        })
    })?;
    let yaml_serde::Value::Mapping(map) = value else {
        return Err(Error::Setting(
            "not a map of settings (use NAME: value or NAME=value lines; the content is not shown)"
                .into(),
        ));
    };
    let mut values = BTreeMap::new();
    for (i, (name, value)) in map.into_iter().enumerate() {
        let Some(name) = name.as_str().map(str::to_string) else {
            return Err(Error::Setting(format!(
                "setting {}: its name is not text",
                i + 1
            )));
        };
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with(&name))
            .map_or(0, |p| p + 1);
        known(&name, line)?;
        // A number or a boolean is taken as written, or refused: YAML reads
        // `1.50` as 1.5 and `0o17` as 15, which would change a server id or
        // a password.
        let as_written = |read: String| {
            let written = text
                .lines()
                .nth(line.saturating_sub(1))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.split(" #").next().unwrap_or(v).trim())
                .unwrap_or_default();
            if written == read {
                Ok(read)
            } else {
                Err(Error::Setting(format!(
                    "line {line}: {name}: YAML reads this value as a number or a boolean, not as it is written (the value is not shown): put it in quotes"
                )))
            }
        };
        let value = match value {
            yaml_serde::Value::String(s) => s,
            yaml_serde::Value::Number(n) => as_written(n.to_string())?,
            yaml_serde::Value::Bool(b) => as_written(b.to_string())?,
            yaml_serde::Value::Null => return Err(blank(&name, line)),
            _ => {
                return Err(Error::Setting(format!(
                    "line {line}: {name}: not a single value (the value is not shown)"
                )));
            }
        };
        if value.trim().is_empty() {
            return Err(blank(&name, line));
        }
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
    fn yaml_values_are_taken_as_written_or_refused() {
        let values = yaml("SELLERCLOUD_SERVER_ID: 123\nCRUX_ACCOUNT: '1.50'\n").unwrap();
        assert_eq!(values["SELLERCLOUD_SERVER_ID"], "123");
        assert_eq!(values["CRUX_ACCOUNT"], "1.50");
        for text in [
            "SELLERCLOUD_SERVER_ID: 1.50\n",
            "CRUX_PASSWORD: 0o17 # octal\n",
            "CRUX_PASSWORD: 1e3\n",
        ] {
            let error = yaml(text).expect_err(text).to_string();
            assert!(error.contains("put it in quotes"), "{error}");
        }
        let values = dotenv("CRUX_TOKEN=\"a b\" # a comment\n").unwrap();
        assert_eq!(values["CRUX_TOKEN"], "a b");
    }

    #[test]
    fn a_blank_value_is_an_error_naming_it() {
        for text in ["CRUX_TOKEN=\n", "CRUX_TOKEN=''\n", "# c\nCRUX_TOKEN=   \n"] {
            let error = dotenv(text).expect_err(text).to_string();
            assert!(error.contains(": CRUX_TOKEN is blank"), "{error}");
        }
        for text in ["CRUX_TOKEN:\n", "CRUX_TOKEN: ''\n", "CRUX_TOKEN: \"  \"\n"] {
            let error = yaml(text).expect_err(text).to_string();
            assert!(error.contains("line 1: CRUX_TOKEN is blank"), "{error}");
        }
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
            // A token wrapped onto a line of its own, base64 padding and all.
            (Path::new("c.env"), format!("CRUX_TOKEN=abc\n{SECRET}=\n")),
            (Path::new("c.yaml"), format!("{SECRET}: 1\n")),
            (
                Path::new("c.yaml"),
                "CRUX_TOKEN: x\nCRUX_TOKEN: y\n".to_string(),
            ),
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
            let error = result.expect_err(&text).to_string();
            assert!(!error.contains(SECRET), "{error}");
            assert!(error.contains("line") || error.contains("not"), "{error}");
        }
    }
}
