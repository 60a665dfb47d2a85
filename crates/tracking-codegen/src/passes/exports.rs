//! The names a client's API uses from other crates, re-exported by the
//! generated code itself, so that no client crate writes the list by hand
//! and a user needs no dependency of their own to name a type of it: the
//! runtime's (`ApiError`, which is also the crate's `Error`, `ErrorKind`,
//! `ClientConfig`, `Secret`, `Authenticate`, …), `Uuid` and `chrono` where
//! the code uses them. They are in `pub mod exports`, which the crate root
//! re-exports. progenitor's own `Error`, which the generated code uses
//! inside, is no longer exported (the crate's `Error` is the one its calls
//! return). The output's `types` module is read on a thread of its own:
//! what it uses comes as `used_in_types`.

use syn::{Item, UseTree, parse_quote};

/// The crates whose names are re-exported where the code uses them.
pub const EXPORTED_CRATES: [&str; 2] = ["uuid", "chrono"];

pub fn add_exports(file: &mut syn::File, used_in_types: &[&str]) -> Result<(), String> {
    // progenitor's `pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};`
    let mut found = false;
    for item in &mut file.items {
        let Item::Use(used) = item else { continue };
        let UseTree::Path(path) = &mut used.tree else {
            continue;
        };
        if path.ident != "progenitor_client" {
            continue;
        }
        let UseTree::Group(group) = path.tree.as_mut() else {
            continue;
        };
        let before = group.items.len();
        group.items = group
            .items
            .iter()
            .filter(|t| !matches!(t, UseTree::Name(n) if n.ident == "Error"))
            .cloned()
            .collect();
        found |= group.items.len() < before;
    }
    if !found {
        return Err(
            "progenitor's `pub use progenitor_client::{.., Error, ..}` is not there".into(),
        );
    }
    let used = crate::dependencies::file_uses(file, &EXPORTED_CRATES);
    let uses = |name| used.contains(&name) || used_in_types.contains(&name);
    let uuid = uses("uuid").then(|| -> Item {
        parse_quote!(
            pub use ::uuid::Uuid;
        )
    });
    let chrono = uses("chrono").then(|| -> Item {
        parse_quote!(
            pub use ::chrono;
        )
    });
    file.items.push(parse_quote!(
        #[allow(unused_imports)]
        use progenitor_client::Error;
    ));
    file.items.push(parse_quote!(
        /// The names this crate's API uses from other crates, re-exported
        /// (the crate root exports them): a user needs no dependency of
        /// their own to name them.
        pub mod exports {
            /// What every call fails with: the one error type of this crate.
            pub use ::tracking_runtime::ApiError as Error;
            pub use ::tracking_runtime::auth::Authenticate;
            pub use ::tracking_runtime::{
                ApiError, Bytes, ClientConfig, ConfigError, CredentialError, Decimal2, ErrorKind,
                HeaderMap, RetryPolicy, Runtime, Secret, StatusCode,
            };
            #uuid
            #chrono
        }
    ));
    Ok(())
}
