//! The `servers` module of every client, generated from the spec's `servers`.

use quote::quote;
use tracking_spec::Spec;

/// The spec's `servers` as a module: a server without variables is a
/// constant (`PRODUCTION`), one with variables a function of them
/// (`base_url(server_id)`), named by the server's `x-name` (else
/// `base_url`, `base_url_2`, ...). A variable whose `enum` has one value is
/// no parameter: it can only be that value.
pub fn servers(spec: &Spec) -> proc_macro2::TokenStream {
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
