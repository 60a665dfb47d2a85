//! The output's `types` module, on a thread of its own. On a large document
//! `syn` and prettyplease take most of the generator's time, and the
//! `types` module is about half of the output. proc_macro2's tokens cannot
//! cross threads, so the second thread runs progenitor too (the two runs at
//! once, on the two cores) and keeps that module of its output: it parses,
//! restores wire names in (`wire_names`), and formats it, while the first
//! thread does the rest with the module left empty. The two texts are then
//! one: prettyplease formats each top-level item alone, so the file is the
//! same as if formatted whole (a test below holds it to that).

use std::sync::mpsc::Sender;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

use crate::passes::{TypesFacts, exports::EXPORTED_CRATES, wire_names};

/// The `types` module of progenitor's output for `openapi`, formatted, with
/// its facts sent to `facts` as soon as they are known (the passes over
/// the rest wait for them; the formatting does not).
pub fn format_types(
    openapi: &openapiv3::OpenAPI,
    renamed: &[(String, String)],
    facts: Sender<TypesFacts>,
) -> Result<String, String> {
    let tokens = crate::generate::run_progenitor(openapi)?;
    let mut items: Vec<TokenTree> = tokens.into_iter().collect();
    let at = types_module(&items)?;
    // `pub mod types { … }`: its attributes stay with the rest.
    let module: TokenStream = items.drain(at - 3..=at).collect();
    drop(items);
    let mut file: syn::File = syn::parse2(module)
        .map_err(|e| format!("progenitor produced a `types` module that does not parse: {e}"))?;
    let found = wire_names::restore(&mut file, renamed);
    let uses = crate::dependencies::file_uses(&file, &EXPORTED_CRATES);
    // The other thread has gone (its run failed) if this fails: nothing to tell.
    let _ = facts.send(TypesFacts { found, uses });
    Ok(prettyplease::unparse(&file))
}

/// `tokens` with the `types` module's content taken out.
pub fn without_types(tokens: TokenStream) -> Result<TokenStream, String> {
    let mut items: Vec<TokenTree> = tokens.into_iter().collect();
    let at = types_module(&items)?;
    items[at] = TokenTree::Group(Group::new(Delimiter::Brace, TokenStream::new()));
    Ok(items.into_iter().collect())
}

/// The file formatted without its `types` module's content (`rest`) with
/// the module formatted alone (`types`) put back in its place.
pub fn assemble(rest: &str, types: &str) -> Result<String, String> {
    const EMPTY: &str = "\npub mod types {}\n";
    if rest.matches(EMPTY).count() != 1 {
        return Err("the formatted output has no one empty `types` module to fill".into());
    }
    Ok(rest.replacen(EMPTY, &format!("\n{types}"), 1))
}

/// The index of the `types` module's braces among the top-level tokens:
/// progenitor writes `pub mod types { … }`.
fn types_module(items: &[TokenTree]) -> Result<usize, String> {
    let found = items.windows(4).position(|window| match window {
        [
            TokenTree::Ident(public),
            TokenTree::Ident(module),
            TokenTree::Ident(name),
            TokenTree::Group(body),
        ] => {
            public == "pub"
                && module == "mod"
                && name == "types"
                && body.delimiter() == Delimiter::Brace
        }
        _ => false,
    });
    found
        .map(|at| at + 3)
        .ok_or_else(|| "progenitor's output has no `pub mod types { … }`".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn formatted(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).unwrap())
    }

    #[test]
    fn the_halves_formatted_apart_are_the_file_formatted_whole() {
        let whole = quote! {
            #[allow(unused_imports)]
            pub use progenitor_client::{ByteStream, Error};
            /// Types used as operation parameters and responses.
            #[allow(clippy::all)]
            pub mod types {
                /// A long enough item that prettyplease breaks its lines.
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
                pub struct Shipment { #[serde(rename = "trackingNumber")] pub tracking_number: String, pub items: Vec<Item> }
                impl Shipment { pub fn new() -> Self { Self { tracking_number: String::new(), items: Vec::new() } } }
            }
            #[derive(Clone, Debug)]
            pub struct Client { pub(crate) baseurl: String }
            pub mod builder { pub struct Shipment; }
        };
        let items: Vec<TokenTree> = whole.clone().into_iter().collect();
        let at = types_module(&items).unwrap();
        let module: TokenStream = items[at - 3..=at].iter().cloned().collect();
        let rest = formatted(without_types(whole.clone()).unwrap());
        let apart = assemble(&rest, &formatted(module)).unwrap();
        assert_eq!(apart, formatted(whole));
    }

    #[test]
    fn output_without_a_types_module_is_an_error() {
        let error = without_types(quote!(
            pub struct Client;
        ))
        .unwrap_err();
        assert!(error.contains("pub mod types"), "{error}");
        let error = assemble("pub struct Client;\n", "pub mod types {}\n").unwrap_err();
        assert!(error.contains("empty `types` module"), "{error}");
    }
}
