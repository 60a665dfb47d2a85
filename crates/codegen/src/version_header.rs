//! A pass over progenitor's output: drops the `api-version` header it adds to
//! every request. No provider documents that header, so it must not go on the
//! wire; removing it here rather than at run time spares every call a header
//! map allocation and a removal (measured in BENCHMARKS.md).
//!
//! progenitor 0.15 writes, per operation:
//! `let mut header_map = HeaderMap::with_capacity(N);`
//! `header_map.append(HeaderName::from_static("api-version"), …);`
//! The `append` goes and `N` shrinks by one. Output shaped otherwise is left
//! alone: the wire tests fail if the header ever reaches the wire.

use syn::visit_mut::VisitMut;
use syn::{Expr, Lit, Stmt};

use crate::lengths::int_literal;

const HEADER: &str = "api-version";

/// Removes the `api-version` header from every generated request.
pub fn drop_version_header(file: &mut syn::File) {
    Dropper.visit_file_mut(file);
}

struct Dropper;

impl VisitMut for Dropper {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !appends_version_header(stmt));
        if block.stmts.len() < before {
            for stmt in &mut block.stmts {
                shrink_capacity(stmt);
            }
        }
        syn::visit_mut::visit_block_mut(self, block);
    }
}

/// `header_map.append(HeaderName::from_static("api-version"), …);`
fn appends_version_header(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    let Some(Expr::Call(name)) = call.args.first() else {
        return false;
    };
    call.method == "append"
        && matches!(
            name.args.first(),
            Some(Expr::Lit(lit)) if matches!(&lit.lit, Lit::Str(s) if s.value() == HEADER)
        )
}

/// `let mut header_map = HeaderMap::with_capacity(N)` → `N - 1`; the map
/// may now stay empty, hence `unused_mut`.
fn shrink_capacity(stmt: &mut Stmt) {
    let Stmt::Local(local) = stmt else { return };
    let Some(init) = &mut local.init else { return };
    let Some(n) = capacity(&init.expr).filter(|&n| n > 0) else {
        return;
    };
    let Expr::Call(call) = init.expr.as_mut() else {
        unreachable!("capacity() saw a call")
    };
    let n = n - 1;
    call.args[0] = syn::parse_quote!(#n);
    local.attrs.push(syn::parse_quote!(#[allow(unused_mut)]));
}

/// `N` in `…::with_capacity(N)`, N a literal.
pub(crate) fn capacity(expr: &Expr) -> Option<usize> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Path(function) = call.func.as_ref() else {
        return None;
    };
    if function.path.segments.last()?.ident != "with_capacity" || call.args.len() != 1 {
        return None;
    }
    int_literal(&call.args[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn the_version_header_and_its_capacity_go() {
        let mut file: syn::File = syn::parse2(quote! {
            async fn dispatch() {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                header_map.append("x-other", value);
            }
        })
        .unwrap();
        drop_version_header(&mut file);
        let text = quote!(#file).to_string();
        assert!(!text.contains("api-version"), "{text}");
        assert!(text.contains("with_capacity (1usize)"), "{text}");
        assert!(text.contains("\"x-other\""), "{text}");
    }

    #[test]
    fn other_code_is_left_alone() {
        let code = quote! {
            fn f() {
                let mut m = HeaderMap::with_capacity(1usize);
                m.append(HeaderName::from_static("accept"), v);
            }
        };
        let mut file: syn::File = syn::parse2(code.clone()).unwrap();
        drop_version_header(&mut file);
        assert_eq!(quote!(#file).to_string(), code.to_string());
    }
}
