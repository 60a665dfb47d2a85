//! A pass over the generated types: the `minLength` and `maxLength` checks
//! typify writes as `value.chars().count() < N` and `> N` count every
//! character of every string on every call. They become checks that give
//! the same answer and stop early (measured in BENCHMARKS.md):
//! - `count < N` → `value.chars().nth(N - 1).is_none()`: at most N
//!   characters are read;
//! - `count > N` → `value.len() > N && value.chars().nth(N).is_some()`: a
//!   string of at most N bytes has at most N characters, so most strings
//!   are not read at all, and the others only up to character N + 1.

use syn::visit_mut::VisitMut;
use syn::{BinOp, Expr, Lit};

/// Rewrites every such check in `file`.
pub fn shorten_length_checks(file: &mut syn::File) {
    Lengths.visit_file_mut(file);
}

struct Lengths;

impl VisitMut for Lengths {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::Binary(binary) = expr else { return };
        let (Some(value), Some(n)) = (counted(&binary.left), int_literal(&binary.right)) else {
            return;
        };
        let value = value.clone();
        match binary.op {
            BinOp::Lt(_) if n > 0 => {
                let nth = n - 1;
                *expr = syn::parse_quote!(#value.chars().nth(#nth).is_none());
            }
            BinOp::Gt(_) => {
                *expr = syn::parse_quote!(#value.len() > #n && #value.chars().nth(#n).is_some());
            }
            _ => {}
        }
    }
}

/// `value` in `value.chars().count()`.
fn counted(expr: &Expr) -> Option<&Expr> {
    let Expr::MethodCall(count) = expr else {
        return None;
    };
    let Expr::MethodCall(chars) = count.receiver.as_ref() else {
        return None;
    };
    (count.method == "count"
        && count.args.is_empty()
        && chars.method == "chars"
        && chars.args.is_empty())
    .then_some(chars.receiver.as_ref())
}

/// The value of an integer literal such as `5000usize`.
pub(crate) fn int_literal(expr: &Expr) -> Option<usize> {
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Int(n) => n.base10_parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// Builds the checks as typify writes them and as this pass rewrites
    /// them, and compares their answers on strings around the limits.
    #[test]
    fn the_shorter_checks_give_the_same_answers() {
        let mut file: syn::File = syn::parse2(quote! {
            fn f(value: &str) {
                if value.chars().count() < 3usize {}
                if value.chars().count() > 4usize {}
            }
        })
        .unwrap();
        shorten_length_checks(&mut file);
        let text = quote!(#file).to_string().replace(' ', "");
        assert!(
            text.contains("ifvalue.chars().nth(2usize).is_none(){}"),
            "{text}"
        );
        assert!(
            text.contains("ifvalue.len()>4usize&&value.chars().nth(4usize).is_some(){}"),
            "{text}"
        );

        // The rewritten expressions, written out, against the originals.
        let shorter = |v: &str| v.chars().nth(2usize).is_none();
        let longer = |v: &str| v.len() > 4usize && v.chars().nth(4usize).is_some();
        for v in [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "é",
            "éé",
            "ééé",
            "日本語テ",
            "日本語テキ",
        ] {
            assert_eq!(shorter(v), v.chars().count() < 3, "{v:?}");
            assert_eq!(longer(v), v.chars().count() > 4, "{v:?}");
        }
    }

    #[test]
    fn other_code_is_left_alone() {
        let code = quote! {
            fn f(value: &str) {
                if value.chars().count() < 0usize {}
                if value.chars().count() == 3usize {}
                if value.len() > 3usize {}
                if value.chars().count() > n {}
            }
        };
        let mut file: syn::File = syn::parse2(code.clone()).unwrap();
        shorten_length_checks(&mut file);
        assert_eq!(quote!(#file).to_string(), code.to_string());
    }
}
