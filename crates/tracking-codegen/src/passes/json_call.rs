//! Adds `json::call(client, operation_id, args)`, and the client's
//! `tracking_runtime::json_call::JsonCall` over it: every operation of the
//! client, called by its operationId with JSON arguments (the parameters
//! by their names in the spec, the request body as `body`), its outcome as
//! JSON. Tools and tests that drive a client from its spec and its
//! examples (the contract tests, the wire tests, the tour) then cover a new
//! spec without a line written for it; a program calls the typed builders.
//! A parameter renamed so that its builder method does not collide
//! (`adjust::names`) is still taken by its name in the document, but for a
//! parameter named `body` beside a request body, which keeps its made-up
//! name (`body-2`): `body` is the request body.
//! An argument the operation does not take is refused, named: a misspelt
//! one would otherwise go unsent without a word.
//!
//! Built from the builders the `wrap` pass left: each one's setters and
//! their types. Fails, naming the operation, when a setter matches no
//! parameter of the spec, or an operation has no builder.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::{ImplItem, Item, Type, WherePredicate};
use tracking_spec::{METHODS, Spec, parameters, pointer_token};

/// Adds `pub mod json` to `file`, for the operations of `spec`, whose
/// parameters `renamed` lists with made-up names (given, the document's).
pub fn add_json_call(
    file: &mut syn::File,
    spec: &Spec,
    renamed: &[(String, String)],
) -> Result<(), String> {
    let names = parameter_names(spec);
    // JSON answers the client receives as bytes are read as JSON.
    let accepts = crate::hooks::operations_with_accept(spec);
    let builder = file
        .items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|c| &c.1),
            _ => None,
        })
        .ok_or("progenitor output has no `mod builder`")?;
    let uses: Vec<&Item> = builder
        .iter()
        .filter(|i| matches!(i, Item::Use(_)))
        .collect();
    let mut arms = Vec::new();
    let mut covered = std::collections::BTreeSet::new();
    for item in builder {
        let Item::Impl(imp) = item else { continue };
        let Some(operation_id) = super::wrap::find_operation_id_in(&imp.items) else {
            continue;
        };
        let spec_names = names
            .get(&operation_id)
            .ok_or_else(|| format!("operation {operation_id} is not in the spec"))?;
        let method = format_ident!("{}", operation_id.to_snake_case());
        covered.insert(operation_id.clone());
        let setters = setters(&imp.items);
        let returns = send_output(&imp.items);
        let types = setters.iter().map(|(_, ty)| quote!(#ty).to_string());
        // What JSON cannot carry: the operation is listed, and says why.
        let why = if returns.contains("Upgraded") {
            Some("it upgrades the connection")
        } else if returns.contains("ApiError < ByteStream >") {
            Some("its error body is a stream")
        } else if types
            .clone()
            .any(|t| t.contains("Body") && !t.contains("types ::"))
        {
            Some("its request body is a stream")
        } else {
            None
        };
        if let Some(why) = why {
            arms.push(quote! { #operation_id => Err(not_json(#operation_id, #why)), });
            continue;
        }
        let mut keys = Vec::new();
        for (setter, _) in &setters {
            // A setter is named after its parameter; a header progenitor
            // sets that the spec's walk leaves out keeps the setter's name.
            let wanted = normalized(&setter.to_string());
            let found: Vec<&String> = spec_names
                .iter()
                .filter(|n| normalized(n) == wanted)
                .collect();
            let key = match found.as_slice() {
                _ if setter == "body" => "body".to_string(),
                [name] => (*name).clone(),
                [] => setter.to_string(),
                _ => {
                    return Err(format!(
                        "operation {operation_id}: setter `{setter}` matches {} parameters of the spec ({})",
                        found.len(),
                        spec_names.join(", ")
                    ));
                }
            };
            keys.push(key);
        }
        // A parameter renamed so that its method does not collide is still
        // called by its name in the document (`send`, not `send-2`), unless
        // another of the operation's keys is that name (`body`, beside the
        // request body): then by the name it was given.
        let keys: Vec<String> = keys
            .iter()
            .map(|key| match renamed.iter().find(|(given, _)| given == key) {
                Some((_, wire)) if !keys.contains(wire) => wire.clone(),
                _ => key.clone(),
            })
            .collect();
        let sets = setters.iter().zip(&keys).map(|((setter, ty), key)| {
            quote! {
                if let Some(value) = arg::<#ty>(args, #key)? {
                    call = call.#setter(value);
                }
            }
        });
        let json_bytes = accepts
            .iter()
            .any(|(op, media)| *op == operation_id && media.contains("json"));
        let outcome = if returns.contains("ResponseValue < ByteStream >") && json_bytes {
            quote!(outcome_bytes(#operation_id, call.send().await).await)
        } else if returns.contains("ResponseValue < ByteStream >") {
            quote!(outcome_streamed(call.send().await))
        } else {
            quote!(outcome(call.send().await))
        };
        arms.push(quote! {
            #operation_id => {
                known(args, #operation_id, &[#(#keys),*])?;
                let mut call = client.#method();
                #(#sets)*
                #outcome
            }
        });
    }
    let missing: Vec<&String> = names.keys().filter(|id| !covered.contains(*id)).collect();
    if !missing.is_empty() {
        return Err(format!("no builder for {missing:?}"));
    }
    file.items.push(syn::parse_quote! {
        /// Calls an operation by its operationId with JSON arguments: the
        /// parameters by their names in the spec, the request body as
        /// `body`; the outcome as JSON. For tools and tests that drive the
        /// client from its spec and its examples; a program calls the
        /// typed builders.
        #[doc(hidden)]
        pub mod json {
            #(#uses)*
            #[allow(unused_imports)]
            use ::tracking_runtime::json_call::{Args, Outcome, arg, known, not_json, outcome, outcome_bytes, outcome_streamed, unknown};

            /// Calls `operation_id` on `client` with `args`.
            pub async fn call(client: &super::Client, operation_id: &str, args: &Args) -> Outcome {
                match operation_id {
                    #(#arms)*
                    other => Err(unknown(other)),
                }
            }

            impl ::tracking_runtime::json_call::JsonCall for super::Client {
                fn call_json<'a>(
                    &'a self,
                    operation: &'a str,
                    args: &'a Args,
                ) -> ::std::pin::Pin<Box<dyn ::std::future::Future<Output = Outcome> + Send + 'a>> {
                    Box::pin(call(self, operation, args))
                }
            }
        }
    });
    Ok(())
}

/// A name without case or separators: `orderId`, `order_id` and
/// `OrderID` are one.
fn normalized(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Every operation's parameter names, by operationId.
fn parameter_names(spec: &Spec) -> BTreeMap<String, Vec<String>> {
    let root = &spec.json;
    let mut names = BTreeMap::new();
    for (template, item) in root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let item_at = format!("/paths/{}", pointer_token(template));
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let op_at = format!("{item_at}/{method}");
            let found = parameters(root, &item_at, item, &op_at, op)
                .into_iter()
                .map(|p| p.name.to_string())
                .collect();
            names.insert(id.to_string(), found);
        }
    }
    names
}

/// The return type of the builder's public `send`, as tokens.
fn send_output(items: &[ImplItem]) -> String {
    items
        .iter()
        .find_map(|item| match item {
            ImplItem::Fn(f)
                if f.sig.ident == "send" && matches!(f.vis, syn::Visibility::Public(_)) =>
            {
                let output = &f.sig.output;
                Some(quote!(#output).to_string())
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// The builder's setters: `fn name<V>(self, value: V) where V: TryInto<T>`,
/// as (name, T).
fn setters(items: &[ImplItem]) -> Vec<(syn::Ident, Type)> {
    items
        .iter()
        .filter_map(|item| {
            let ImplItem::Fn(f) = item else { return None };
            if f.sig.inputs.len() != 2 || f.sig.ident == "body_map" {
                return None;
            }
            let predicates = &f.sig.generics.where_clause.as_ref()?.predicates;
            predicates.iter().find_map(|p| {
                let WherePredicate::Type(p) = p else {
                    return None;
                };
                p.bounds.iter().find_map(|bound| {
                    let syn::TypeParamBound::Trait(bound) = bound else {
                        return None;
                    };
                    let last = bound.path.segments.last()?;
                    if last.ident != "TryInto" {
                        return None;
                    }
                    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                        return None;
                    };
                    match args.args.first()? {
                        syn::GenericArgument::Type(ty) => Some((f.sig.ident.clone(), ty.clone())),
                        _ => None,
                    }
                })
            })
        })
        .collect()
}
