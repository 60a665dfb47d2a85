//! The crates a generated client names, so that a client crate depends on
//! what its spec needs and nothing else (`futures` only where an operation
//! is paginated, `regress` only where a schema has a `pattern`, `base64` and
//! `rand` only where one is a websocket).

/// The crates generated code may name, besides the client's own, by their
/// names in Rust (`serde_json`, `progenitor_client`).
pub const CRATES: &[&str] = &[
    "base64",
    "bytes",
    "chrono",
    "futures",
    "progenitor_client",
    "rand",
    "regress",
    "reqwest",
    "serde",
    "serde_json",
    "tracking_runtime",
    "uuid",
];

/// The package names (`serde_json`, …) of the crates `code` uses: the
/// identifier before each `::`, in one walk (a client's code is megabytes).
pub fn used_by(code: &str) -> Vec<&'static str> {
    let mut used = vec![false; CRATES.len()];
    for (at, _) in code.match_indices("::") {
        let before = &code[..at];
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
        if let Some(i) = CRATES.iter().position(|name| *name == &before[start..]) {
            used[i] = true;
        }
    }
    CRATES
        .iter()
        .zip(used)
        .filter_map(|(name, used)| used.then_some(*name))
        .collect()
}

/// Which of `names` `file` uses (a path that starts with one, or `name::`
/// in a macro's tokens): what [`used_by`] finds in its text, without
/// writing the file out, in one walk.
pub fn file_uses<'n>(file: &syn::File, names: &[&'n str]) -> Vec<&'n str> {
    struct Finder<'a, 'n> {
        names: &'a [&'n str],
        found: Vec<&'n str>,
    }
    impl<'ast> syn::visit::Visit<'ast> for Finder<'_, '_> {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            if path.segments.len() > 1 {
                let first = &path.segments[0].ident;
                for name in self.names {
                    if first == name && !self.found.contains(name) {
                        self.found.push(name);
                    }
                }
            }
            syn::visit::visit_path(self, path);
        }
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            self.tokens(mac.tokens.clone());
            syn::visit::visit_macro(self, mac);
        }
    }
    impl Finder<'_, '_> {
        /// Every name in `tokens` followed by `::`.
        fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
            use proc_macro2::{Spacing, TokenTree};
            let mut tokens = tokens.into_iter().peekable();
            while let Some(token) = tokens.next() {
                match token {
                    TokenTree::Group(group) => self.tokens(group.stream()),
                    TokenTree::Ident(ident) => {
                        let path = matches!(
                            tokens.peek(),
                            Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint
                        );
                        for name in self.names {
                            if path && ident == name && !self.found.contains(name) {
                                self.found.push(name);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let mut finder = Finder {
        names,
        found: Vec::new(),
    };
    syn::visit::Visit::visit_file(&mut finder, file);
    finder.found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_uses_a_crate_its_paths_or_macros_name() {
        let file: syn::File = syn::parse_quote! {
            fn f(id: ::uuid::Uuid) -> Vec<my_chrono::Date> { todo!() }
            fn g() { let _ = format!("{}", chrono::Utc::now()); }
        };
        assert_eq!(
            file_uses(&file, &["regress", "chrono", "uuid"]),
            ["uuid", "chrono"]
        );
    }

    #[test]
    fn crates_are_found_by_their_paths_only() {
        let code = "use ::serde::Serialize; fn f() -> futures::Stream {} // my_uuid::x";
        assert_eq!(used_by(code), ["futures", "serde"]);
    }
}
