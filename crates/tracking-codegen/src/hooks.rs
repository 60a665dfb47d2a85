//! What every client gets beside progenitor's output: the operationIds as
//! constants, the lists the hooks read, progenitor's `pre` and `exec` hooks
//! delegated to `tracking_runtime::Runtime`, and the constructor that sets
//! the runtime up.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use tracking_spec::Spec;

/// The items added to the client generated for `spec`.
pub fn hooks(spec: &Spec) -> TokenStream {
    let public = public_operations(spec);
    let idempotent = tracking_spec::idempotent_operations(&spec.openapi);
    let ids: Vec<&str> = operation_ids(spec).collect();
    let id_names = ids
        .iter()
        .map(|id| format_ident!("{}", heck::ToShoutySnakeCase::to_shouty_snake_case(*id)));
    let id_docs = ids.iter().map(|id| format!("`{id}`."));
    // progenitor puts its `api-version` header (the document's
    // `info.version`) on every request; no provider documents it, so it is
    // removed unless the spec makes it a parameter.
    let drop_version_header = (!has_header_parameter(spec, "api-version")).then(|| {
        quote! {
            request.headers_mut().remove("api-version");
        }
    });
    // Operations whose answers the generator made bytes still ask for the
    // media types the spec gives them (progenitor would send no `Accept`).
    let set_accept = set_per_operation(
        &operations_with_accept(spec),
        format_ident!("accept"),
        quote!(::reqwest::header::ACCEPT),
    );
    // Operations whose vendor JSON body was given to progenitor as JSON
    // still send its exact media type (`adjust::vendor_json`).
    let set_content_type = set_per_operation(
        &operations_with(spec, crate::adjust::vendor_json::CONTENT_TYPE),
        format_ident!("content_type"),
        quote!(::reqwest::header::CONTENT_TYPE),
    );
    quote! {
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

        // Every call goes through tracking-runtime: credentials in `pre`,
        // retries in `exec`, its span and error in `tracking_runtime::call`,
        // which every `send()` goes through.
        impl ClientHooks<::tracking_runtime::Runtime> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> Result<(), Error<E>> {
                #drop_version_header
                #set_accept
                #set_content_type
                let authenticate = !PUBLIC_OPERATIONS.contains(&info.operation_id);
                self.inner.prepare(request, authenticate).await
                    .map_err(Error::Custom)
            }

            // Each attempt sends a copy of the request `pre` made, given the
            // credentials of its moment.
            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                let authenticate = !PUBLIC_OPERATIONS.contains(&info.operation_id);
                let idempotent = IDEMPOTENT_OPERATIONS.contains(&info.operation_id);
                self.inner.execute(&self.client, request, authenticate, idempotent).await
            }
        }

        impl Client {
            /// A client that puts credentials of your own on requests
            /// (`auth`). The crate's own constructors (`with_token`, ...)
            /// are the usual way in.
            pub fn with_auth(
                base_url: &str,
                auth: ::std::sync::Arc<dyn ::tracking_runtime::auth::Authenticate>,
            ) -> Result<Self, ::tracking_runtime::ConfigError> {
                Self::with_auth_and_config(base_url, auth, &::tracking_runtime::ClientConfig::default())
            }

            /// [`Client::with_auth`] with timeouts, retries and user agent of
            /// your choosing.
            pub fn with_auth_and_config(
                base_url: &str,
                auth: ::std::sync::Arc<dyn ::tracking_runtime::auth::Authenticate>,
                config: &::tracking_runtime::ClientConfig,
            ) -> Result<Self, ::tracking_runtime::ConfigError> {
                Self::connect(base_url, config, Some(auth))
            }

            /// What every constructor comes down to: `auth` is `None` for a
            /// client of the calls that need no credentials (a login).
            #[doc(hidden)]
            pub fn connect(
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
    }
}

/// The `pre` hook's code that sets `header` to each operation's value of
/// `values` (operationId, value): none when there are none.
fn set_per_operation(
    values: &[(String, String)],
    name: proc_macro2::Ident,
    header: TokenStream,
) -> Option<TokenStream> {
    if values.is_empty() {
        return None;
    }
    let (ops, media): (Vec<&String>, Vec<&String>) = values.iter().map(|(o, m)| (o, m)).unzip();
    Some(quote! {
        let #name = match info.operation_id {
            #(#ops => Some(#media),)*
            _ => None,
        };
        if let Some(#name) = #name {
            request.headers_mut().insert(
                #header,
                ::reqwest::header::HeaderValue::from_static(#name),
            );
        }
    })
}

/// The spec's operationIds, in document order.
pub fn operation_ids(spec: &Spec) -> impl Iterator<Item = &str> {
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

/// Whether any operation (or its path) takes a header parameter `name`.
fn has_header_parameter(spec: &Spec, name: &str) -> bool {
    use openapiv3::{Parameter, ReferenceOr};
    let components = spec.openapi.components.as_ref();
    let header = |p: &ReferenceOr<Parameter>| {
        // A referenced parameter is looked up: it may be the header.
        let found = crate::check::resolve(
            &tracking_spec::JsonPath::root(),
            p,
            components,
            "parameters",
            |c, n| c.parameters.get(n),
        );
        matches!(found, Ok(Parameter::Header { parameter_data, .. })
            if parameter_data.name.eq_ignore_ascii_case(name))
    };
    spec.openapi.paths.paths.values().any(|item| {
        item.as_item().is_some_and(|item| {
            item.parameters.iter().any(header)
                || item.iter().any(|(_, op)| op.parameters.iter().any(header))
        })
    })
}

/// The operations the adjustments gave an `Accept` (`x-accept`), with it.
pub(crate) fn operations_with_accept(spec: &Spec) -> Vec<(String, String)> {
    operations_with(spec, crate::adjust::responses::ACCEPT)
}

/// The operations the adjustments gave the string extension `key`, with it.
fn operations_with(spec: &Spec, key: &str) -> Vec<(String, String)> {
    spec.openapi
        .operations()
        .filter_map(|(_, _, op)| {
            let value = op.extensions.get(key)?.as_str()?;
            Some((op.operation_id.clone()?, value.to_string()))
        })
        .collect()
}
