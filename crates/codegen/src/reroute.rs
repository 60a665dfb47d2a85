//! A pass over progenitor's output: two helpers every call goes through are
//! pointed at leaner equivalents in tracking-runtime (its `wire.rs`), which
//! send the same bytes and return the same values with fewer copies
//! (measured in BENCHMARKS.md):
//! - `encode_path(&x.to_string())` in the URL's `format!` becomes
//!   `x.to_path_segment()` (`tracking_runtime::ToPathSegment`), written
//!   straight into the URL;
//! - `ResponseValue::from_response(r)` becomes
//!   `::tracking_runtime::response_value(r)`, which moves the headers out
//!   instead of cloning them.
//!
//! Output shaped otherwise is left alone: it stays correct, only slower.

use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Expr, Token};

/// Rewrites every call of the two helpers in `file`.
pub fn reroute_helpers(file: &mut syn::File) {
    Reroute.visit_file_mut(file);
}

struct Reroute;

impl VisitMut for Reroute {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let Some(rerouted) = rerouted(expr) {
            *expr = rerouted;
        }
    }

    // The URL is built by `format!`, whose arguments are tokens to syn:
    // parse them as expressions to reach the `encode_path` calls.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if !mac.path.is_ident("format") {
            return;
        }
        let Ok(mut args) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        else {
            return;
        };
        for arg in args.iter_mut() {
            self.visit_expr_mut(arg);
        }
        mac.tokens = args.into_token_stream();
    }
}

fn rerouted(expr: &Expr) -> Option<Expr> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Path(function) = call.func.as_ref() else {
        return None;
    };
    let names: Vec<String> = function
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    match names.as_slice() {
        [value, from] if value == "ResponseValue" && from == "from_response" => {
            let args = &call.args;
            Some(syn::parse_quote!(::tracking_runtime::response_value(#args)))
        }
        [encode] if encode == "encode_path" && call.args.len() == 1 => {
            let Expr::Reference(reference) = &call.args[0] else {
                return None;
            };
            let Expr::MethodCall(to_string) = reference.expr.as_ref() else {
                return None;
            };
            if to_string.method != "to_string" || !to_string.args.is_empty() {
                return None;
            }
            // Method syntax, as `to_string()`, so that the value derefs the same way.
            let value = &to_string.receiver;
            Some(syn::parse_quote!({
                use ::tracking_runtime::ToPathSegment as _;
                #value.to_path_segment()
            }))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn rewrite(code: proc_macro2::TokenStream) -> String {
        let mut file: syn::File = syn::parse2(code).unwrap();
        reroute_helpers(&mut file);
        quote!(#file).to_string()
    }

    #[test]
    fn both_helpers_are_rerouted() {
        let text = rewrite(quote! {
            async fn dispatch() {
                let url = format!(
                    "{}/orders/{}/invoice/{}", client.baseurl,
                    encode_path(&order_id.to_string()), encode_path(&invoice_number.to_string()),
                );
                match status {
                    200u16 => ResponseValue::from_response(response).await,
                    _ => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                }
            }
        });
        assert!(
            !text.contains("encode_path") && !text.contains("from_response"),
            "{text}"
        );
        assert!(
            text.contains("order_id . to_path_segment ()")
                && text.contains("invoice_number . to_path_segment ()"),
            "{text}"
        );
        assert_eq!(
            text.matches(":: tracking_runtime :: response_value (response)")
                .count(),
            2,
            "{text}"
        );
        assert!(
            text.contains("\"{}/orders/{}/invoice/{}\" , client . baseurl"),
            "{text}"
        );
    }

    #[test]
    fn other_code_is_left_alone() {
        let code = quote! {
            fn f() {
                let a = format!("{}", encode_path(name));
                let b = encode_path(&x.to_string(y));
                let c = println!("{}", encode_path(&x.to_string()));
                let d = ResponseValue::empty(response);
            }
        };
        assert_eq!(rewrite(code.clone()), code.to_string());
    }
}
