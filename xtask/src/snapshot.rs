//! A client crate's public API as one stable, sorted text file, so that a
//! pull request that changes a spec shows in review what changed for users.

use quote::ToTokens;
use syn::{Fields, ImplItem, Item, Type, Visibility};

/// The public API of generated client code: every operation (builder) with
/// its parameters and result, and every type with its fields or variants.
pub fn api_snapshot(code: &str) -> Result<String, String> {
    let file =
        syn::parse_file(code).map_err(|e| format!("the generated code does not parse: {e}"))?;
    let mut lines = Vec::new();
    for item in &file.items {
        if let Item::Const(c) = item
            && c.ident == "IDEMPOTENT_OPERATIONS"
        {
            idempotent(&c.expr, &mut lines);
        }
        // The client's own methods (`with_auth`, `base_url`, …).
        if let Item::Impl(imp) = item
            && imp.trait_.is_none()
            && matches!(imp.self_ty.as_ref(), Type::Path(p) if p.path.is_ident("Client"))
        {
            lines.extend(crate::public_api::methods(imp).map(|m| format!("client {m}")));
        }
        let Item::Mod(module) = item else { continue };
        let Some((_, items)) = &module.content else {
            continue;
        };
        match module.ident.to_string().as_str() {
            "types" => types(items, &mut lines),
            "builder" => operations(items, &mut lines),
            "exports" => exports(items, &mut lines),
            _ => {}
        }
    }
    lines.sort();
    lines.dedup();
    Ok(lines.join("\n") + "\n")
}

/// `&["a", "b"]` → `idempotent a`, `idempotent b`: which operations the
/// client retries after an ambiguous failure, a change users must see.
fn idempotent(expr: &syn::Expr, lines: &mut Vec<String>) {
    let syn::Expr::Reference(reference) = expr else {
        return;
    };
    let syn::Expr::Array(array) = reference.expr.as_ref() else {
        return;
    };
    for element in &array.elems {
        if let syn::Expr::Lit(lit) = element
            && let syn::Lit::Str(id) = &lit.lit
        {
            lines.push(format!("idempotent {} (may be repeated)", id.value()));
        }
    }
}

fn text(tokens: &impl ToTokens) -> String {
    tokens
        .to_token_stream()
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(",>", ">")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace("::std::option::", "")
        .replace("::std::string::", "")
        .replace("::std::vec::", "")
}

fn types(items: &[Item], lines: &mut Vec<String>) {
    for item in items {
        match item {
            Item::Struct(s) if matches!(s.vis, Visibility::Public(_)) => {
                let name = s.ident.to_string();
                match &s.fields {
                    Fields::Named(fields) => {
                        lines.push(format!("type {name} struct"));
                        for field in &fields.named {
                            let field_name = field
                                .ident
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default();
                            let serde_name =
                                renamed(&field.attrs).unwrap_or_else(|| field_name.clone());
                            lines.push(format!(
                                "type {name} field {field_name} ({serde_name}): {}",
                                text(&field.ty)
                            ));
                        }
                    }
                    Fields::Unnamed(fields) => {
                        let inner: Vec<String> =
                            fields.unnamed.iter().map(|f| text(&f.ty)).collect();
                        lines.push(format!("type {name} newtype({})", inner.join(", ")));
                    }
                    Fields::Unit => lines.push(format!("type {name} unit")),
                }
            }
            Item::Enum(e) if matches!(e.vis, Visibility::Public(_)) => {
                let name = e.ident.to_string();
                lines.push(format!("type {name} enum"));
                for variant in &e.variants {
                    let wire = renamed(&variant.attrs).unwrap_or_else(|| variant.ident.to_string());
                    lines.push(format!("type {name} variant {} ({wire})", variant.ident));
                }
            }
            _ => {}
        }
    }
}

/// `#[serde(rename = "...")]`, if any.
fn renamed(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .find_map(|a| {
            let text = a.to_token_stream().to_string();
            let start = text.find("rename = \"")? + "rename = \"".len();
            let end = text[start..].find('"')? + start;
            Some(text[start..end].to_string())
        })
}

fn operations(items: &[Item], lines: &mut Vec<String>) {
    for item in items {
        let Item::Impl(imp) = item else { continue };
        let Type::Path(self_ty) = imp.self_ty.as_ref() else {
            continue;
        };
        let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        for member in &imp.items {
            let ImplItem::Fn(f) = member else { continue };
            if !matches!(f.vis, Visibility::Public(_))
                || f.sig.ident == "new"
                || f.sig.ident == "body_map"
            {
                continue;
            }
            let method = f.sig.ident.to_string();
            if method == "send" {
                let docs: Vec<String> = f
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("doc"))
                    .filter_map(|a| match &a.meta {
                        syn::Meta::NameValue(nv) => Some(nv.value.to_token_stream().to_string()),
                        _ => None,
                    })
                    .collect();
                let route = docs
                    .join(" ")
                    .replace(['`', '"'], "")
                    .replace("Sends a ", "")
                    .replace(" request to ", " ");
                lines.push(format!("operation {name} {}", route.trim()));
                lines.push(format!(
                    "operation {name} returns {}",
                    output(&f.sig.output)
                ));
            } else {
                let bound = f
                    .sig
                    .generics
                    .where_clause
                    .as_ref()
                    .and_then(|w| w.predicates.first())
                    .map(text)
                    .unwrap_or_default();
                // `V: std::convert::TryInto<T>` → `T`: what the parameter takes.
                let taken = bound
                    .split_once("TryInto<")
                    .map(|(_, rest)| rest.strip_suffix('>').unwrap_or(rest).to_string())
                    .unwrap_or(bound);
                lines.push(format!("operation {name} param {method}: {taken}"));
            }
        }
    }
}

/// What awaiting `send()` gives: `T` of `impl Future<Output = T> + …`.
fn output(output: &syn::ReturnType) -> String {
    let syn::ReturnType::Type(_, ty) = output else {
        return "()".into();
    };
    if let syn::Type::ImplTrait(bounds) = ty.as_ref() {
        for bound in &bounds.bounds {
            if let syn::TypeParamBound::Trait(t) = bound
                && let Some(last) = t.path.segments.last()
                && last.ident == "Future"
                && let syn::PathArguments::AngleBracketed(args) = &last.arguments
                && let Some(syn::GenericArgument::AssocType(assoc)) = args.args.first()
            {
                // The same text as the `Result<…>` written out by hand.
                return text(&assoc.ty).replace(",>", ">");
            }
        }
    }
    text(ty)
}

/// `pub use …` of the generated `exports` module: the names of other
/// crates the crate root re-exports.
fn exports(items: &[Item], lines: &mut Vec<String>) {
    for item in items {
        if let Item::Use(used) = item {
            let mut leaves = Vec::new();
            crate::public_api::use_leaves("", &used.tree, &mut leaves);
            lines.extend(leaves.into_iter().map(|leaf| format!("export {leaf}")));
        }
    }
}
