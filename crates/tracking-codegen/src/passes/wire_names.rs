//! Puts back the wire names of properties that `adjust::names` renamed so
//! that their Rust fields do not collide: the field stays `message_2`, its
//! `#[serde(rename = "Message_2")]` becomes `"Message"`, so the JSON on the
//! wire is the provider's. The renamed names occur nowhere else in the
//! document, so a string equal to one can only be the rename.
//!
//! Fails when a renamed property is not found in a serde attribute: the
//! field would then carry the made-up name on the wire.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream, TokenTree};
use syn::visit_mut::VisitMut;

/// Restores every rename of `renamed` (name given → wire name) in `file`.
pub fn restore_wire_names(
    file: &mut syn::File,
    renamed: &[(String, String)],
) -> Result<(), String> {
    if renamed.is_empty() {
        return Ok(());
    }
    let mut restore = Restore {
        renamed: renamed
            .iter()
            .map(|(given, wire)| (format!("{given:?}"), (wire.clone(), 0)))
            .collect(),
    };
    restore.visit_file_mut(file);
    let missing: Vec<&str> = restore
        .renamed
        .iter()
        .filter(|(_, (_, found))| *found == 0)
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
    fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
        if attribute.path().is_ident("serde")
            && let syn::Meta::List(list) = &mut attribute.meta
        {
            list.tokens = self.tokens(std::mem::take(&mut list.tokens));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn the_wire_name_is_put_back_in_serde_attributes_only() {
        let mut file: syn::File = syn::parse2(quote! {
            pub struct Tx {
                #[serde(rename = "Message_2", default)]
                pub message_2: String,
                pub message: String,
            }
            const DOC: &str = "Message_2";
        })
        .unwrap();
        let renamed = vec![("Message_2".to_string(), "Message".to_string())];
        restore_wire_names(&mut file, &renamed).unwrap();
        let text = quote!(#file).to_string();
        assert!(text.contains(r#"rename = "Message""#), "{text}");
        assert!(text.contains("pub message_2"), "{text}");
        assert!(
            text.contains(r#"const DOC : & str = "Message_2""#),
            "{text}"
        );
    }

    #[test]
    fn a_rename_not_found_is_an_error() {
        let mut file: syn::File = syn::parse2(quote!(
            pub struct Tx;
        ))
        .unwrap();
        let renamed = vec![("Message_2".to_string(), "Message".to_string())];
        let error = restore_wire_names(&mut file, &renamed).unwrap_err();
        assert!(error.contains("\"Message_2\""), "{error}");
    }
}
