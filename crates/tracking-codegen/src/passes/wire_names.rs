//! Puts back the wire names of properties and parameters that
//! `adjust::names` renamed so that their Rust names do not collide: the
//! field stays `message_2`, its `#[serde(rename = "Message-2")]` becomes
//! `"Message"`; the builder method stays `send_2`, its
//! `QueryParam::new("send-2", …)` becomes `"send"`. So what goes on the wire
//! is the provider's. The made-up names occur nowhere else in the document,
//! so a string equal to one can only be where progenitor wrote the name.
//!
//! Fails when a made-up name is not found: it would then be on the wire.
//! The output's `types` module is restored on a thread of its own, so the
//! names each part put back ([`restore`]) are checked together
//! ([`all_put_back`]).

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream, TokenTree};
use syn::visit_mut::VisitMut;

/// How many times each made-up name (as a Rust string literal) was put
/// back.
pub type Found = BTreeMap<String, usize>;

/// Fails naming the made-up names that no part of the output had.
pub fn all_put_back(parts: &[Found]) -> Result<(), String> {
    let mut times = Found::new();
    for (given, n) in parts.iter().flatten() {
        *times.entry(given.clone()).or_default() += n;
    }
    let missing: Vec<&str> = times
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(given, _)| given.as_str())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "no `#[serde(rename = …)]` of {} in progenitor's output, so their wire names cannot be put back",
            missing.join(", ")
        ))
    }
}

/// Restores every rename of `renamed` in `file`, and says how many times
/// each was found.
pub fn restore(file: &mut syn::File, renamed: &[(String, String)]) -> Found {
    if renamed.is_empty() {
        return Found::new();
    }
    let mut restore = Restore {
        renamed: renamed
            .iter()
            .map(|(given, wire)| (format!("{given:?}"), (wire.clone(), 0)))
            .collect(),
    };
    restore.visit_file_mut(file);
    restore
        .renamed
        .into_iter()
        .map(|(given, (_, times))| (given, times))
        .collect()
}

struct Restore {
    /// The given name as a Rust string literal → (wire name, times restored).
    renamed: BTreeMap<String, (String, usize)>,
}

impl Restore {
    fn tokens(&mut self, tokens: TokenStream) -> TokenStream {
        tokens
            .into_iter()
            .map(|token| match token {
                TokenTree::Literal(literal) => match self.renamed.get_mut(&literal.to_string()) {
                    Some((wire, found)) => {
                        *found += 1;
                        TokenTree::Literal(Literal::string(wire))
                    }
                    None => TokenTree::Literal(literal),
                },
                TokenTree::Group(group) => {
                    let mut new =
                        proc_macro2::Group::new(group.delimiter(), self.tokens(group.stream()));
                    new.set_span(group.span());
                    TokenTree::Group(new)
                }
                other => other,
            })
            .collect()
    }
}

impl VisitMut for Restore {
    // Attributes (`#[serde(rename = …)]`) and macro bodies (`format!`) are
    // tokens to syn; expressions (`QueryParam::new("…", …)`) are literals.
    fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
        if attribute.path().is_ident("serde")
            && let syn::Meta::List(list) = &mut attribute.meta
        {
            list.tokens = self.tokens(std::mem::take(&mut list.tokens));
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = self.tokens(std::mem::take(&mut mac.tokens));
    }

    fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
        if let Some((wire, found)) = self.renamed.get_mut(&format!("{:?}", literal.value())) {
            *found += 1;
            *literal = syn::LitStr::new(wire, literal.span());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn the_wire_name_is_put_back_where_the_name_is_whole() {
        let mut file: syn::File = syn::parse2(quote! {
            pub struct Tx {
                #[serde(rename = "Message-2", default)]
                pub message_2: String,
                pub message: String,
            }
            const DOC: &str = "no Message-2 here";
        })
        .unwrap();
        let renamed = vec![("Message-2".to_string(), "Message".to_string())];
        all_put_back(&[restore(&mut file, &renamed)]).unwrap();
        let text = quote!(#file).to_string();
        assert!(text.contains(r#"rename = "Message""#), "{text}");
        assert!(text.contains("pub message_2"), "{text}");
        // A longer string that contains the name is not the name.
        assert!(text.contains(r#""no Message-2 here""#), "{text}");
    }

    #[test]
    fn a_query_parameters_name_is_put_back() {
        let mut file: syn::File = syn::parse2(quote! {
            fn f() { let r = b.query(&progenitor_client::QueryParam::new("send-2", &send_2)); }
        })
        .unwrap();
        let renamed = vec![("send-2".to_string(), "send".to_string())];
        all_put_back(&[restore(&mut file, &renamed)]).unwrap();
        let text = quote!(#file).to_string();
        assert!(
            text.contains(r#"QueryParam :: new ("send" , & send_2)"#),
            "{text}"
        );
    }

    #[test]
    fn a_rename_found_only_in_the_types_module_is_no_error() {
        let mut file: syn::File = syn::parse2(quote!(
            pub struct Client;
        ))
        .unwrap();
        let renamed = vec![("Message-2".to_string(), "Message".to_string())];
        let mut types: syn::File = syn::parse2(quote! {
            pub struct Tx { #[serde(rename = "Message-2")] pub message_2: String }
        })
        .unwrap();
        let in_types = restore(&mut types, &renamed);
        assert!(quote!(#types).to_string().contains(r#"rename = "Message""#));
        let in_rest = restore(&mut file, &renamed);
        assert!(all_put_back(std::slice::from_ref(&in_rest)).is_err());
        all_put_back(&[in_rest, in_types]).unwrap();
    }

    #[test]
    fn a_rename_not_found_is_an_error() {
        let mut file: syn::File = syn::parse2(quote!(
            pub struct Tx;
        ))
        .unwrap();
        let renamed = vec![("Message-2".to_string(), "Message".to_string())];
        let error = all_put_back(&[restore(&mut file, &renamed)]).unwrap_err();
        assert!(error.contains("\"Message-2\""), "{error}");
    }
}
