//! Running progenitor on a checked spec and shaping its output.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;
use schemars::schema::{InstanceType, NumberValidation, SchemaObject};

use crate::error::CodegenError;
use crate::lengths::shorten_length_checks;
use crate::rebuild::rebuild_requests;
use crate::reroute::reroute_helpers;
use crate::version_header::drop_version_header;
use crate::wrap::wrap_send_methods;
use tracking_spec::Spec;

/// The settings every client crate is generated with.
fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // Auth, retries and header hygiene live in tracking-runtime; the
        // client must delegate to it, so a missing hook is a compile error.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(::tracking_runtime::Runtime))
        .with_derive("PartialEq")
        // Passwords and tokens become a type whose Debug prints nothing secret.
        .with_conversion(
            SchemaObject {
                instance_type: Some(InstanceType::String.into()),
                format: Some("password".to_string()),
                ..Default::default()
            },
            "::tracking_runtime::Secret",
            std::iter::empty(),
        )
        // Two-place decimals (money, weights) become an exact fixed-point type.
        .with_conversion(
            SchemaObject {
                instance_type: Some(InstanceType::Number.into()),
                format: Some("decimal".to_string()),
                number: Some(Box::new(NumberValidation {
                    multiple_of: Some(0.01),
                    ..Default::default()
                })),
                ..Default::default()
            },
            "::tracking_runtime::Decimal2",
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    settings
}

/// Generates the formatted Rust source of the client for `spec`.
pub fn generate(file: &Path, spec: &Spec) -> Result<String, CodegenError> {
    let generator_error = |message: String| CodegenError::Generator {
        file: file.to_path_buf(),
        message,
    };
    let mut generator = Generator::new(&settings());

    // Our checks run first; this only catches what they missed, so that a
    // maintainer still gets a message and not a backtrace.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let tokens = catch_unwind(AssertUnwindSafe(|| {
        generator.generate_tokens(&spec.openapi)
    }));
    std::panic::set_hook(previous_hook);
    let tokens = match tokens {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(e)) => return Err(generator_error(e.to_string())),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "progenitor panicked".to_string());
            return Err(generator_error(format!("progenitor panicked: {message}")));
        }
    };

    let public = public_operations(spec);
    let idempotent = tracking_spec::idempotent_operations(&spec.openapi);
    let ids: Vec<&str> = operation_ids(spec).collect();
    let id_names = ids
        .iter()
        .map(|id| quote::format_ident!("{}", heck::ToShoutySnakeCase::to_shouty_snake_case(*id)));
    let id_docs = ids.iter().map(|id| format!("`{id}`."));
    let servers = servers(spec);
    let hooks = quote! {
        #servers

        /// Every operationId of the spec, as a constant: code that names an
        /// operation (to match an error's `operation()`, say) uses these, so
        /// a typo does not compile.
        pub mod operation_ids {
            #(
                #[doc = #id_docs]
                pub const #id_names: &str = #ids;
            )*
        }

        /// Operations the spec marks `security: []`: no credentials are sent.
        const PUBLIC_OPERATIONS: &[&str] = &[#(#public),*];

        /// The operations that may be repeated without changing the result:
        /// GET, PUT and DELETE unless the spec says `x-idempotent: false`,
        /// and POST or PATCH where it says `x-idempotent: true`. Only these
        /// are retried after an ambiguous failure, and only these may be
        /// resent when it is unknown whether a call arrived.
        pub const IDEMPOTENT_OPERATIONS: &[&str] = &[#(#idempotent),*];

        // Every call goes through tracking-runtime: credentials here; retries
        // in `Runtime::execute`, which each operation calls with a way to
        // make its request again (the `rebuild.rs` pass); its span and
        // errors in `tracking_runtime::call`.
        impl ClientHooks<::tracking_runtime::Runtime> for Client {
            // Credentials only, through `prepare`: `Runtime::execute` gives
            // every retry its credentials through `prepare` too. Anything
            // else done here would be missing from retries.
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> Result<(), Error<E>> {
                let authenticate = !PUBLIC_OPERATIONS.contains(&info.operation_id);
                self.inner.prepare(request, authenticate).await
                    .map_err(Error::Custom)
            }
        }

        impl Client {
            /// Builds a client for `base_url` with the given configuration and
            /// credentials (`None` for calls that need none). The crate's own
            /// constructors (`with_token`, ...) are the usual way in.
            pub fn with_auth(
                base_url: &str,
                config: &::tracking_runtime::ClientConfig,
                auth: Option<::std::sync::Arc<dyn ::tracking_runtime::auth::Authenticate>>,
            ) -> Result<Self, ::tracking_runtime::ConfigError> {
                let connection = ::tracking_runtime::connect(
                    base_url,
                    config,
                    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
                    auth,
                )?;
                Ok(Self::new_with_client(&connection.base_url, connection.http, connection.runtime))
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.baseurl
            }
        }
    };

    let mut ast: syn::File = syn::parse2(quote!(#tokens #hooks)).map_err(|e| {
        generator_error(format!("progenitor produced code that does not parse: {e}"))
    })?;
    wrap_send_methods(&mut ast, operation_ids(spec)).map_err(generator_error)?;
    // Before `rebuild_requests`, which drops a header map left empty.
    drop_version_header(&mut ast);
    rebuild_requests(&mut ast, &public, &idempotent).map_err(generator_error)?;
    reroute_helpers(&mut ast);
    shorten_length_checks(&mut ast);

    let name = file
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    Ok(format!(
        "// Generated by tracking-codegen from specs/{name}. Do not edit: change the spec.\n\n{}",
        prettyplease::unparse(&ast)
    ))
}

/// The spec's `servers` as a module: a server without variables is a
/// constant (`PRODUCTION`), one with variables a function of them
/// (`base_url(server_id)`), named by the server's `x-name` (else
/// `base_url`, `base_url_2`, ...). A variable whose `enum` has one value is
/// no parameter: it can only be that value.
fn servers(spec: &Spec) -> proc_macro2::TokenStream {
    use heck::{ToShoutySnakeCase, ToSnakeCase};
    let items = spec.openapi.servers.iter().enumerate().map(|(i, server)| {
        let name = server
            .extensions
            .get("x-name")
            .and_then(|n| n.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| match i {
                0 => "base_url".to_string(),
                _ => format!("base_url_{}", i + 1),
            });
        let mut doc = server
            .description
            .clone()
            .unwrap_or_else(|| "A documented server.".into());
        doc.push_str(&format!("\n\n`{}`", server.url));
        let variables = server.variables.clone().unwrap_or_default();
        let mut template = server.url.clone();
        let mut params = Vec::new();
        for (variable, spec) in &variables {
            let placeholder = format!("{{{variable}}}");
            if spec.enumeration.len() == 1 {
                template = template.replace(&placeholder, &spec.enumeration[0]);
                continue;
            }
            let param = variable.to_snake_case();
            template = template.replace(&placeholder, &format!("{{{param}}}"));
            let about = spec.description.clone().unwrap_or_default();
            doc.push_str(&format!("\n\n`{param}`: {about} (e.g. `{}`)", spec.default));
            params.push(quote::format_ident!("{}", param));
        }
        if params.is_empty() {
            let name = quote::format_ident!("{}", name.to_shouty_snake_case());
            quote! {
                #[doc = #doc]
                pub const #name: &str = #template;
            }
        } else {
            let name = quote::format_ident!("{}", name.to_snake_case());
            quote! {
                #[doc = #doc]
                pub fn #name(#(#params: &str),*) -> String {
                    format!(#template)
                }
            }
        }
    });
    quote! {
        /// The servers the spec documents (its `servers`).
        pub mod servers {
            #(#items)*
        }
    }
}

fn operation_ids(spec: &Spec) -> impl Iterator<Item = &str> {
    spec.openapi
        .operations()
        .filter_map(|(_, _, op)| op.operation_id.as_deref())
}

/// Operations whose `security` is explicitly empty.
fn public_operations(spec: &Spec) -> Vec<String> {
    spec.openapi
        .operations()
        .filter(|(_, _, op)| op.security.as_ref().is_some_and(|s| s.is_empty()))
        .filter_map(|(_, _, op)| op.operation_id.clone())
        .collect()
}
