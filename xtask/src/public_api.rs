//! The public API of hand-written Rust code as sorted lines: what `cargo
//! xtask semver` compares between two revisions where no spec can tell (a
//! client's constructors, the runtime the clients re-export). A line gone
//! is a breaking change; a line added is not.
//!
//! Read from the source with syn, as the generated code's snapshot is
//! (rustdoc's JSON, which cargo-semver-checks reads, needs a nightly
//! toolchain or a bootstrap flag, and two builds per crate on CI).

use std::path::Path;

use quote::ToTokens;
use syn::{ImplItem, Item, TraitItem, Visibility};

/// The public items of every `.rs` file under `src` (`generated.rs`
/// excepted: it has its own snapshot), one line each, sorted. Items marked
/// `#[doc(hidden)]` are no API.
pub fn public_api(src: &Path) -> Result<Vec<String>, String> {
    let mut files: Vec<_> = walk(src)?;
    files.sort();
    let mut lines = Vec::new();
    let mut impls = Vec::new();
    let mut types = std::collections::BTreeSet::new();
    for file in files {
        let code =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed = syn::parse_file(&code)
            .map_err(|e| format!("{}: does not parse: {e}", file.display()))?;
        let module = file
            .strip_prefix(src)
            .unwrap_or(&file)
            .with_extension("")
            .display()
            .to_string()
            .replace('/', "::");
        items(&module, &parsed.items, &mut lines, &mut impls, &mut types);
    }
    // Impls of the crate's public types only: a private type's are no API.
    lines.extend(
        impls
            .into_iter()
            .filter(|(target, _)| types.contains(target))
            .map(|(_, line)| line),
    );
    lines.sort();
    lines.dedup();
    Ok(lines)
}

fn walk(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            found.extend(walk(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "generated.rs")
        {
            found.push(path);
        }
    }
    Ok(found)
}

fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// `#[doc(hidden)]`, exactly.
fn hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc")
            && matches!(&a.meta, syn::Meta::List(list) if list.tokens.to_string() == "hidden")
    })
}

/// Tokens as text, without the trailing commas formatting adds or drops.
fn text(tokens: &impl ToTokens) -> String {
    tokens
        .to_token_stream()
        .to_string()
        .replace(" ,)", ")")
        .replace(" , )", ")")
        .replace(" ,}", "}")
        .replace(" , }", "}")
        .replace(" ,>", ">")
        .replace(" , >", ">")
}

/// The public, not hidden, methods of an inherent impl, as signatures.
pub fn methods(imp: &syn::ItemImpl) -> impl Iterator<Item = String> + '_ {
    imp.items.iter().filter_map(|member| match member {
        ImplItem::Fn(f) if public(&f.vis) && !hidden(&f.attrs) => Some(signature(&f.sig)),
        _ => None,
    })
}

/// Attributes that make API: `#[from]` (a `From` impl); doc comments and
/// the like do not.
fn api_attrs(attrs: &[syn::Attribute]) -> Vec<syn::Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("from"))
        .cloned()
        .collect()
}

/// One line per name a `use` brings in: adding a name to a group is no
/// change of the others.
pub fn use_leaves(prefix: &str, tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(path) => {
            use_leaves(&format!("{prefix}{}::", path.ident), &path.tree, out);
        }
        syn::UseTree::Name(name) => out.push(format!("{prefix}{}", name.ident)),
        syn::UseTree::Rename(rename) => {
            out.push(format!("{prefix}{} as {}", rename.ident, rename.rename));
        }
        syn::UseTree::Glob(_) => out.push(format!("{prefix}*")),
        syn::UseTree::Group(group) => {
            for item in &group.items {
                use_leaves(prefix, item, out);
            }
        }
    }
}

/// A function's signature without its body or attributes.
fn signature(sig: &syn::Signature) -> String {
    text(sig)
}

/// The last name of a type path: `Client` of `crate::Client<T>`.
fn last_ident(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn items(
    module: &str,
    items: &[Item],
    lines: &mut Vec<String>,
    impls: &mut Vec<(String, String)>,
    types: &mut std::collections::BTreeSet<String>,
) {
    for item in items {
        match item {
            Item::Struct(s) if public(&s.vis) && !hidden(&s.attrs) => {
                types.insert(s.ident.to_string());
                push_struct(module, s, lines);
            }
            Item::Enum(e) if public(&e.vis) && !hidden(&e.attrs) => {
                types.insert(e.ident.to_string());
                push_enum(module, e, lines);
            }
            _ => {}
        }
        match item {
            Item::Fn(f) if public(&f.vis) && !hidden(&f.attrs) => {
                lines.push(format!("{module}: {}", signature(&f.sig)));
            }
            Item::Trait(t) if public(&t.vis) && !hidden(&t.attrs) => {
                lines.push(format!(
                    "{module}: trait {}{}: {}",
                    t.ident,
                    text(&t.generics),
                    text(&t.supertraits)
                ));
                for member in &t.items {
                    if let TraitItem::Fn(f) = member {
                        lines.push(format!("{module}: trait {} {}", t.ident, signature(&f.sig)));
                    }
                }
            }
            Item::Type(t) if public(&t.vis) && !hidden(&t.attrs) => {
                lines.push(format!(
                    "{module}: {}",
                    text(&syn::ItemType {
                        attrs: Vec::new(),
                        ..t.clone()
                    })
                ));
            }
            Item::Const(c) if public(&c.vis) && !hidden(&c.attrs) => {
                lines.push(format!("{module}: const {}: {}", c.ident, text(&c.ty)));
            }
            Item::Use(u) if public(&u.vis) && !hidden(&u.attrs) => {
                let mut leaves = Vec::new();
                use_leaves("", &u.tree, &mut leaves);
                lines.extend(
                    leaves
                        .into_iter()
                        .map(|leaf| format!("{module}: use {leaf}")),
                );
            }
            Item::Mod(m) if public(&m.vis) && !hidden(&m.attrs) => {
                lines.push(format!("{module}: mod {}", m.ident));
                if let Some((_, inner)) = &m.content {
                    let inner_module = format!("{module}::{}", m.ident);
                    self::items(&inner_module, inner, lines, impls, types);
                }
            }
            Item::Impl(i) if !hidden(&i.attrs) => {
                let (target, name) = (text(&i.self_ty), last_ident(&i.self_ty));
                match &i.trait_ {
                    Some((path, _)) => {
                        impls.push((name, format!("{module}: impl {} for {target}", text(path))))
                    }
                    // A public method is API whoever defines the type
                    // (a client's constructors are on the generated `Client`).
                    None => {
                        for member in &i.items {
                            if let ImplItem::Fn(f) = member
                                && public(&f.vis)
                                && !hidden(&f.attrs)
                            {
                                lines
                                    .push(format!("{module}: impl {target} {}", signature(&f.sig)));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn push_struct(module: &str, s: &syn::ItemStruct, lines: &mut Vec<String>) {
    let fields: Vec<String> = s
        .fields
        .iter()
        .filter(|f| public(&f.vis))
        .map(|f| {
            text(&syn::Field {
                attrs: Vec::new(),
                ..f.clone()
            })
        })
        .collect();
    lines.push(format!(
        "{module}: struct {}{} {{ {} }}",
        s.ident,
        text(&s.generics),
        fields.join(", ")
    ));
}

fn push_enum(module: &str, e: &syn::ItemEnum, lines: &mut Vec<String>) {
    for variant in &e.variants {
        let variant = syn::Variant {
            attrs: Vec::new(),
            fields: {
                let mut fields = variant.fields.clone();
                for field in fields.iter_mut() {
                    field.attrs = api_attrs(&field.attrs);
                }
                fields
            },
            ..variant.clone()
        };
        lines.push(format!(
            "{module}: enum {}{} variant {}",
            e.ident,
            text(&e.generics),
            text(&variant)
        ));
    }
    if e.attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
        lines.push(format!("{module}: enum {} non_exhaustive", e.ident));
    }
}
