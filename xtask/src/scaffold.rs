//! `cargo xtask new-provider NAME`: from `specs/NAME.yaml`, the client
//! crate and the provider module that compile, registered where the
//! workspace lists them, so that the mock, the contract tests and the tour
//! cover the provider at once. Nothing it writes pretends to be done: the
//! provider refuses every row ("not implemented yet") until its module's
//! `plan` is written, and an authentication the scaffold cannot write (a
//! login, OAuth) is an error at connection, naming what to write.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

/// The names a provider goes by, from its spec's file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The spec's file stem, and the provider's name: `big-commerce`.
    pub spec: String,
    /// Its module: `big_commerce`.
    pub module: String,
    /// Its client crate: `big-commerce-client`.
    pub krate: String,
    /// The crate as a path: `big_commerce_client`.
    pub krate_path: String,
    /// Its type: `BigCommerce`.
    pub ty: String,
    /// Its `Provider` constant and settings prefix: `BIG_COMMERCE`.
    pub constant: String,
}

impl Names {
    /// The names of spec `spec` (lower case, digits and hyphens).
    pub fn of(spec: &str) -> Result<Self, String> {
        let ok = !spec.is_empty()
            && spec.starts_with(|c: char| c.is_ascii_lowercase())
            && spec
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            return Err(format!(
                "{spec:?}: a provider's name is lower case letters, digits and hyphens, starting with a letter"
            ));
        }
        let module = spec.to_snake_case();
        Ok(Self {
            spec: spec.to_string(),
            krate: format!("{spec}-client"),
            krate_path: format!("{module}_client"),
            ty: module.to_upper_camel_case(),
            constant: module.to_shouty_snake_case(),
            module,
        })
    }
}

/// A credential the client is made with: one security scheme of the
/// spec's first alternative, as a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The scheme's name in the spec.
    pub scheme: String,
    /// The header it fills.
    pub header: String,
    /// A bearer token (`Authorization: Bearer …`), else the header's whole value.
    pub bearer: bool,
    /// Its setting: `PREFIX_SCHEME`.
    pub setting: String,
}

/// What the scaffold reads from the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The credentials of the first security alternative, where every
    /// scheme of it is a header the scaffold can fill.
    pub credentials: Vec<Credential>,
    /// The schemes it cannot fill (a login, OAuth, a query key), by name
    /// and kind.
    pub unwritten: Vec<String>,
    /// The first server URL, when it has no variables: the default base URL.
    pub default_url: Option<String>,
    /// The path of the first server URL (`/rest`).
    pub server_path: String,
}

/// Reads the facts of `spec` (the document as JSON) for `names`.
pub fn facts(spec: &Value, names: &Names) -> Facts {
    let alternative = tracking_spec::security_requirements(spec, &Value::Null)
        .into_iter()
        .find(|a| !a.is_empty())
        .or_else(|| {
            operations(spec)
                .flat_map(|op| tracking_spec::security_requirements(spec, op))
                .find(|a| !a.is_empty())
        })
        .unwrap_or_default();
    let mut credentials = Vec::new();
    let mut unwritten = Vec::new();
    for (name, scheme) in alternative {
        let text = |key: &str| {
            scheme
                .and_then(|s| s.get(key))
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        let setting = format!("{}_{}", names.constant, name.to_shouty_snake_case());
        match (
            text("type"),
            text("in"),
            text("scheme").to_ascii_lowercase().as_str(),
        ) {
            ("apiKey", "header", _) => credentials.push(Credential {
                scheme: name.to_string(),
                header: text("name").to_ascii_lowercase(),
                bearer: false,
                setting,
            }),
            ("http", _, "bearer") => credentials.push(Credential {
                scheme: name.to_string(),
                header: "authorization".into(),
                bearer: true,
                setting,
            }),
            (kind, _, _) => unwritten.push(format!("{name} ({kind})")),
        }
    }
    let url = spec
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let host_and_path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let server_path = host_and_path
        .find('/')
        .map(|i| host_and_path[i..].trim_end_matches('/').to_string())
        .unwrap_or_default();
    Facts {
        credentials,
        unwritten,
        default_url: (!url.is_empty() && !url.contains('{')).then(|| url.to_string()),
        server_path,
    }
}

fn operations(spec: &Value) -> impl Iterator<Item = &Value> {
    spec.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .flat_map(|item| {
            tracking_spec::METHODS
                .iter()
                .filter_map(move |method| item.get(*method))
        })
}

/// Writes the client crate and the provider module of spec `name` under
/// `root` (the workspace), and registers them; the paths written or
/// edited. Refuses a provider that has either already.
pub fn new_provider(root: &Path, name: &str) -> Result<Vec<PathBuf>, String> {
    let names = Names::of(name)?;
    let spec_file = root.join("specs").join(format!("{name}.yaml"));
    let spec = tracking_spec::load(&spec_file).map_err(|e| e.to_string())?;
    let crate_dir = root.join("crates").join(&names.krate);
    let module_dir = root
        .join("crates/order-tracking/src/providers")
        .join(&names.module);
    for taken in [&crate_dir, &module_dir] {
        if taken.exists() {
            return Err(format!("{} exists already", taken.display()));
        }
    }
    let facts = facts(&spec.json, &names);
    let generated =
        tracking_codegen::generate_file(&spec_file, tracking_codegen::Strictness::Strict)
            .map_err(|e| e.to_string())?;
    let title = spec
        .json
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or(&names.ty)
        .to_string();
    let version = workspace_version(root)?;

    let mut written = Vec::new();
    let mut write = |path: PathBuf, text: String| -> Result<(), String> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
        Ok(())
    };
    write(
        crate_dir.join("Cargo.toml"),
        client_manifest(&names, &title, &generated.code),
    )?;
    write(
        crate_dir.join("README.md"),
        client_readme(&names, &title, &version),
    )?;
    write(
        crate_dir.join("src/lib.rs"),
        client_lib(&names, &title, &facts),
    )?;
    write(crate_dir.join("src/auth.rs"), client_auth(&names, &facts))?;
    write(
        module_dir.join("mod.rs"),
        provider_module(&names, &title, &facts),
    )?;

    let edits: [(&str, Registration); 3] = [
        ("Cargo.toml", register_dependency),
        (
            "crates/order-tracking/Cargo.toml",
            register_in_order_tracking,
        ),
        (
            "crates/order-tracking/src/providers/mod.rs",
            register_module,
        ),
    ];
    for (file, edit) in edits {
        let path = root.join(file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        write(path, edit(&text, &names, &version)?)?;
    }
    Ok(written)
}

/// An edit that registers a provider in a file's text (names, version).
type Registration = fn(&str, &Names, &str) -> Result<String, String>;

fn workspace_version(root: &Path) -> Result<String, String> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let package = text
        .split_once("[workspace.package]")
        .ok_or("Cargo.toml has no [workspace.package]")?
        .1;
    package
        .lines()
        .find_map(|l| l.trim().strip_prefix("version = "))
        .map(|v| v.trim_matches('"').to_string())
        .ok_or_else(|| "[workspace.package] has no version".into())
}

/// `[workspace.dependencies]` gains the client, after the last client.
pub fn register_dependency(text: &str, names: &Names, version: &str) -> Result<String, String> {
    let line = format!(
        "{} = {{ path = \"crates/{}\", version = \"{version}\", default-features = false }}",
        names.krate, names.krate
    );
    insert_after_last(text, |l| l.contains("-client = { path = \"crates/"), &line)
        .ok_or_else(|| "Cargo.toml: no client in [workspace.dependencies] to add it after".into())
}

/// order-tracking depends on the client and passes its TLS features on.
pub fn register_in_order_tracking(text: &str, names: &Names, _: &str) -> Result<String, String> {
    let dependency = format!("{}.workspace = true", names.krate);
    let mut out = insert_after_last(
        text,
        |l| l.ends_with("-client.workspace = true"),
        &dependency,
    )
    .ok_or("order-tracking's Cargo.toml: no client dependency to add it after")?;
    for feature in ["rustls", "rustls-ring", "native-tls"] {
        let start = format!("{feature} = [");
        let line = out
            .lines()
            .find(|l| l.starts_with(&start))
            .ok_or_else(|| format!("order-tracking's Cargo.toml: no feature {feature}"))?
            .to_string();
        let extended = line.replacen('[', &format!("[\"{}/{feature}\", ", names.krate), 1);
        out = out.replacen(&line, &extended, 1);
    }
    Ok(out)
}

/// The registry gains the module and its entry.
pub fn register_module(text: &str, names: &Names, _: &str) -> Result<String, String> {
    let declaration = format!("pub mod {};", names.module);
    let out = insert_after_last(text, |l| l.starts_with("pub mod "), &declaration)
        .ok_or("providers/mod.rs: no `pub mod` to add it after")?;
    let (head, rest) = out
        .split_once("static ALL: &[&dyn Platform] =")
        .ok_or("providers/mod.rs: no `static ALL`")?;
    let (list, tail) = rest
        .split_once("];")
        .ok_or("providers/mod.rs: `static ALL` does not end")?;
    let mut entries: Vec<String> = list
        .split([',', '['])
        .map(str::trim)
        .filter(|e| e.starts_with('&') && e.contains("::"))
        .map(str::to_string)
        .collect();
    entries.push(format!("&{}::{}", names.module, names.ty));
    let mut listed = String::from(" &[\n");
    for entry in &entries {
        let _ = writeln!(listed, "    {entry},");
    }
    Ok(format!(
        "{head}static ALL: &[&dyn Platform] ={listed}];{tail}"
    ))
}

/// `text` with `line` after the last line that `is` matches.
fn insert_after_last(text: &str, is: impl Fn(&str) -> bool, line: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().rposition(|l| is(l))?;
    let mut out: Vec<&str> = lines[..=at].to_vec();
    out.push(line);
    out.extend(&lines[at + 1..]);
    Some(out.join("\n") + if text.ends_with('\n') { "\n" } else { "" })
}

/// The client crate's manifest, depending on what its generated `code` names.
pub fn client_manifest(names: &Names, title: &str, code: &str) -> String {
    let used = tracking_codegen::crates_used_by(code);
    let mut dependencies = String::from(
        "tracking-runtime.workspace = true\nprogenitor-client.workspace = true\nreqwest.workspace = true\nserde.workspace = true\n",
    );
    // What the generated code names beyond those (a spec whose schemas
    // all have types names no `serde_json`).
    for krate in used
        .iter()
        .filter(|k| ["serde_json", "uuid", "chrono", "regress"].contains(k))
    {
        let _ = writeln!(dependencies, "{krate}.workspace = true");
    }
    format!(
        r#"[package]
name = "{krate}"
description = "A typed client for {title}, generated from its OpenAPI spec."
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
repository.workspace = true
documentation = "https://docs.rs/{krate}"
readme = "README.md"
keywords = ["{spec}", "tracking", "shipping", "api-client", "openapi"]
categories = ["api-bindings", "web-programming::http-client"]
publish = true

[features]
# TLS for `https` URLs, passed through to reqwest (as in every client
# manifest): `rustls` (aws-lc-rs) by default, `rustls-ring`, `native-tls`;
# none speaks plain `http` only.
default = ["rustls"]
rustls = ["tracking-runtime/rustls"]
rustls-ring = ["tracking-runtime/rustls-ring"]
native-tls = ["tracking-runtime/native-tls"]

[dependencies]
{dependencies}
[dev-dependencies]
tokio = {{ workspace = true, features = ["macros", "rt-multi-thread"] }}
"#,
        krate = names.krate,
        spec = names.spec,
    )
}

fn client_readme(names: &Names, title: &str, version: &str) -> String {
    let minor = version.rsplit_once('.').map_or(version, |(m, _)| m);
    format!(
        r#"# {krate}

A typed client for {title}, generated from its OpenAPI spec (`specs/{spec}.yaml`).

```toml
[dependencies]
{krate} = "{minor}"
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}

[dev-dependencies]
tracking-mock = "={version}"   # the provider's stand-in, for your tests
```

TLS: `rustls` (default, aws-lc-rs), `rustls-ring`, or `native-tls`; with
`default-features = false` the client speaks plain `http` only.

It is part of the tracking push clients workspace: one OpenAPI document per provider, one
generated client crate each, a shared runtime, a mock, a provider-neutral layer and `trackctl`.
"#,
        krate = names.krate,
        spec = names.spec,
    )
}

fn client_lib(names: &Names, title: &str, facts: &Facts) -> String {
    let auth = if facts.unwritten.is_empty() {
        format!(
            "//! [`Client::with_credentials`] sends the credentials of the spec's\n//! security schemes ({}); each is a [`Secret`]: `Debug` and errors never\n//! show it.",
            facts
                .credentials
                .iter()
                .map(|c| format!("`{}`", c.scheme))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        format!(
            "//! Not written yet: the spec's security schemes {} need constructors\n//! in `auth.rs` over the generated [`Client::with_auth_and_config`].",
            facts.unwritten.join(", ")
        )
    };
    format!(
        r#"//! A typed client for {title}, generated from `specs/{spec}.yaml`.
//!
//! Every operation is a builder named after its operationId and ends in
//! `.send().await`, which returns the typed response or an [`ApiError`]
//! naming the operation, the status and the provider's error body.
//!
//! # Authentication
//!
{auth}
//!
//! As in every client of this workspace, and written once in the
//! [`tracking_runtime`] crate's documentation: errors, retries, timeouts,
//! logging, and `tracking-mock` for your tests.

#![forbid(unsafe_code)]

pub mod auth;

// Generated from the spec by `cargo xtask regen`, committed and shipped, so
// that users never compile the generator; `cargo xtask check` and the
// contract tests' build script prove it is what the spec generates now.
#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
mod generated;

pub use generated::exports::*;
pub use generated::*;
"#,
        spec = names.spec,
    )
}

fn client_auth(names: &Names, facts: &Facts) -> String {
    if !facts.unwritten.is_empty() || facts.credentials.is_empty() {
        let what = if facts.unwritten.is_empty() {
            "the spec declares none".to_string()
        } else {
            facts.unwritten.join(", ")
        };
        return format!(
            "//! {} credentials: not written yet ({what}). Write a constructor per way\n//! the provider authenticates, each with a short form and one ending in\n//! `_and_config`, over the generated `Client::with_auth_and_config` (see the\n//! other client crates' `auth.rs`: a login, a token that is renewed).\n",
            names.ty
        );
    }
    let params: Vec<String> = facts
        .credentials
        .iter()
        .map(|c| format!("{}: impl Into<Secret>", c.scheme.to_snake_case()))
        .collect();
    let args: Vec<String> = facts
        .credentials
        .iter()
        .map(|c| c.scheme.to_snake_case())
        .collect();
    let headers: Vec<String> = facts
        .credentials
        .iter()
        .map(|c| format!("`{}`", c.header))
        .collect();
    let mut values = String::new();
    for c in &facts.credentials {
        let var = c.scheme.to_snake_case();
        if c.bearer {
            let _ = writeln!(
                values,
                "        let {var} = Secret::from(format!(\"Bearer {{}}\", {var}.into().expose()));"
            );
        } else {
            let _ = writeln!(values, "        let {var}: Secret = {var}.into();");
        }
    }
    let pairs: Vec<String> = facts
        .credentials
        .iter()
        .map(|c| format!("(\"{}\", &{})", c.header, c.scheme.to_snake_case()))
        .collect();
    format!(
        r#"//! {ty} credentials, one header per security scheme of the spec ({headers}).
//! Written by `cargo xtask new-provider`: check them against the
//! provider's documentation. Each way has a short form and one ending in
//! `_and_config` that takes a [`ClientConfig`].

use std::sync::Arc;

use tracking_runtime::auth::HeaderAuth;

use crate::{{Client, ClientConfig, ConfigError, Secret}};

impl Client {{
    /// A client that sends {headers} on every call.
    pub fn with_credentials(
        base_url: &str,
        {params},
    ) -> Result<Self, ConfigError> {{
        Self::with_credentials_and_config(base_url, {args}, &ClientConfig::default())
    }}

    /// [`Client::with_credentials`] with timeouts, retries and user agent of your choosing.
    pub fn with_credentials_and_config(
        base_url: &str,
        {params},
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {{
{values}        let auth = HeaderAuth::new([{pairs}])?;
        Self::with_auth_and_config(base_url, Arc::new(auth), config)
    }}
}}
"#,
        ty = names.ty,
        headers = headers.join(", "),
        params = params.join(",\n        "),
        args = args.join(", "),
        pairs = pairs.join(", "),
    )
}

fn provider_module(names: &Names, title: &str, facts: &Facts) -> String {
    let base = format!("{}_BASE_URL", names.constant);
    let mut variables: Vec<String> = facts
        .credentials
        .iter()
        .map(|c| c.setting.clone())
        .collect();
    variables.push(base.clone());
    let variables: String = variables
        .iter()
        .map(|v| format!("        \"{v}\",\n"))
        .collect();
    let required: Vec<String> = facts
        .credentials
        .iter()
        .map(|c| format!("\"{}\"", c.setting))
        .collect();
    let mock: String = facts
        .credentials
        .iter()
        .map(|c| {
            let value = if c.bearer {
                "mock-bearer-token".to_string()
            } else {
                tracking_spec::mock_api_key(&c.scheme)
            };
            format!("            (\"{}\", \"{value}\"),\n", c.setting)
        })
        .collect();
    let base_url = match &facts.default_url {
        Some(url) => format!("settings.get(\"{base}\").unwrap_or_else(|| \"{url}\".to_string())"),
        None => format!(
            "match settings.get(\"{base}\") {{\n            Some(url) => url,\n            None => return Err(settings.missing(&[\"{base}\"], \"\")),\n        }}"
        ),
    };
    let connect = if facts.unwritten.is_empty() && !facts.credentials.is_empty() {
        let secrets: String = facts
            .credentials
            .iter()
            .map(|c| {
                format!(
                    "            Secret::from(settings.get(\"{}\").unwrap_or_default()),\n",
                    c.setting
                )
            })
            .collect();
        format!(
            "        let client = {krate}::Client::with_credentials_and_config(\n            base_url,\n{secrets}            config,\n        )\n        .map_err(|e| format!(\"{spec}: {{e}}\"))\n        .map(Connection::from);\n        Box::pin(std::future::ready(client))",
            krate = names.krate_path,
            spec = names.spec,
        )
    } else {
        let what = if facts.unwritten.is_empty() {
            "its spec declares no security scheme".to_string()
        } else {
            format!("its security schemes {}", facts.unwritten.join(", "))
        };
        format!(
            "        let _ = (settings, base_url, config);\n        Box::pin(std::future::ready(Err(\n            \"{spec}: its authentication is not written yet ({what}): write it in crates/{krate}/src/auth.rs and in this module's connect\".to_string(),\n        )))",
            spec = names.spec,
            krate = names.krate,
        )
    };
    let server_path = if facts.server_path.is_empty() {
        String::new()
    } else {
        format!(
            "\n    fn server_path(&self) -> &'static str {{\n        \"{}\"\n    }}\n",
            facts.server_path
        )
    };
    let secret_import = if connect.contains("Secret::") {
        "use tracking_runtime::{ClientConfig, Secret};"
    } else {
        "use tracking_runtime::ClientConfig;"
    };
    format!(
        r#"//! {title}: NOT IMPLEMENTED YET. `cargo xtask new-provider {spec}` wrote
//! this module so that the client, the mock, the contract tests and the
//! tour cover {spec} at once; every row is refused until `plan` (and
//! `plan_change`, and the settings, checked against the provider's
//! documentation) are written. See the other modules of `providers/`.
//!
//! Settings: {settings_doc}.

use futures_util::future::BoxFuture;
{secret_import}

use crate::outcome::PushError;
use crate::plan::{{Errors, Plan, Sent}};
use crate::provider::{{
    Account, Connection, Lookup, Platform, Provider, ProviderClient, Settings, Settled,
}};
use crate::pusher::Delivery;
use crate::shipment::Shipment;
use crate::update::Unchangeable;

/// The provider.
pub(crate) struct {ty};

impl Provider {{
    /// {title} (`{spec}`).
    pub const {constant}: Provider = Provider(&{ty});
}}

impl ProviderClient for {krate}::Client {{
    fn provider() -> Provider {{
        Provider::{constant}
    }}
}}

static SETTINGS: Settings = Settings {{
    prefix: "{constant}_",
    variables: &[
{variables}    ],
    base_url: "{base}",
}};

/// {title}'s calls for one shipment: none yet.
#[derive(Debug, Clone)]
pub enum Calls {{}}

impl Platform for {ty} {{
    fn name(&self) -> &'static str {{
        "{spec}"
    }}

    fn title(&self) -> &'static str {{
        "{title}"
    }}

    fn settings(&self) -> &'static Settings {{
        &SETTINGS
    }}

    fn settle(&self, settings: &Lookup<'_>) -> Result<Settled, String> {{
        let needs: &[&str] = &[{required}];
        if needs.iter().any(|n| settings.get(n).is_none()) {{
            return Err(settings.missing(needs, ""));
        }}
        let base_url = {base_url};
        Ok(Settled {{
            base_url,
            // Check: does one base URL serve several accounts?
            account: Account::InUrl,
        }})
    }}

    fn connect<'a>(
        &'a self,
        settings: &'a Lookup<'a>,
        base_url: &'a str,
        config: &'a ClientConfig,
    ) -> BoxFuture<'a, Result<Connection, String>> {{
{connect}
    }}

    fn mock_credentials(&self) -> &'static [(&'static str, &'static str)] {{
        &[
{mock}        ]
    }}
{server_path}
    fn plan(&self, _shipment: &Shipment, errors: &mut Errors) -> Option<Plan> {{
        errors.add(
            "provider",
            "{spec} is not implemented yet: nothing can be sent to it (its module in order-tracking/src/providers/{module}/ has no plan)",
        );
        None
    }}

    fn plan_change(
        &self,
        _old: &Shipment,
        _new: &Shipment,
        _changed: &[String],
    ) -> Result<Plan, Unchangeable> {{
        Err(Unchangeable("{spec} is not implemented yet".into()))
    }}
}}

impl crate::plan::Calls for Calls {{
    fn operations(&self) -> Vec<&'static str> {{
        match *self {{}}
    }}

    fn idempotent_operations(&self) -> &'static [&'static str] {{
        {krate}::IDEMPOTENT_OPERATIONS
    }}

    fn tracking_slot(&self) -> Option<&'static str> {{
        match *self {{}}
    }}

    fn send<'a>(
        self: Box<Self>,
        _delivery: &'a mut Delivery<'_>,
        _may_be_applied: bool,
    ) -> BoxFuture<'a, Result<Sent, PushError>> {{
        match *self {{}}
    }}
}}
"#,
        ty = names.ty,
        spec = names.spec,
        module = names.module,
        constant = names.constant,
        krate = names.krate_path,
        required = required.join(", "),
        settings_doc = {
            let mut all: Vec<String> = facts
                .credentials
                .iter()
                .map(|c| format!("`{}` (`{}`)", c.setting, c.header))
                .collect();
            all.push(format!("`{base}`"));
            all.join(", ")
        },
    )
}
