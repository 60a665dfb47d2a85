//! progenitor's `Client::new` and `Client::new_with_client` are hidden from
//! the docs. They make a client without the crate's constructors: no
//! credentials, no `User-Agent`, no timeouts of the user's choosing, and a
//! `reqwest` client built with `.unwrap()`. Users see one way in per way of
//! authenticating (`with_token`, `with_token_and_config`, …, all through
//! `with_auth`); the generated code still calls these.

use syn::{ImplItem, Item, parse_quote};

/// Marks `Client::new` and `Client::new_with_client` `#[doc(hidden)]`.
pub fn hide_constructors(file: &mut syn::File) -> Result<(), String> {
    let mut hidden = 0;
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        let is_client = block.trait_.is_none()
            && matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client {
            continue;
        }
        for member in &mut block.items {
            if let ImplItem::Fn(function) = member
                && matches!(
                    function.sig.ident.to_string().as_str(),
                    "new" | "new_with_client"
                )
            {
                function.attrs.push(parse_quote!(#[doc(hidden)]));
                hidden += 1;
            }
        }
    }
    if hidden == 2 {
        Ok(())
    } else {
        Err(format!(
            "expected progenitor's Client::new and Client::new_with_client, found {hidden} of them"
        ))
    }
}
