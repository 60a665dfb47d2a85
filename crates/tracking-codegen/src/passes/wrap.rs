//! Wraps every operation's `send()`, the one thing progenitor's hooks cannot
//! do: change what it returns. Users get a `tracking_runtime::ApiError` that names the
//! operation and carries the provider's body, and one tracing span per call
//! (`tracking_runtime::call`). progenitor's `send` becomes a private method
//! (`dispatch`, or `dispatch_` and so on if a parameter took that name)
//! that the new `send` calls; the spec's operationId, as written, replaces
//! progenitor's snake_cased one, so that spans, errors and the hooks' lists
//! use the spec's names.
//!
//! Fails, naming the operation, when progenitor's output is not what it
//! expects: an operation left unwrapped would compile and skip the span and
//! the error conversion.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use quote::quote;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

/// Rewrites the `send` of every operation of the spec (`operation_ids`, as
/// written in it) in `mod builder`.
pub fn wrap_send_methods(file: &mut syn::File, operation_ids: &[&str]) -> Result<(), String> {
    let mut by_snake: BTreeMap<String, &str> = BTreeMap::new();
    for id in operation_ids {
        if let Some(other) = by_snake.insert(id.to_snake_case(), id) {
            return Err(format!(
                "operationIds `{other}` and `{id}` are one Rust name, `{}`",
                id.to_snake_case()
            ));
        }
    }
    let mut unwrapped: BTreeMap<&str, ()> = operation_ids.iter().map(|id| (*id, ())).collect();
    for item in builder_module(file)?.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        // progenitor's `send(self)`: not a setter of a parameter named `send`.
        let Some(index) = imp.items.iter().position(
            |i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "send" && f.sig.inputs.len() == 1),
        ) else {
            continue;
        };
        let private = private_name(&imp.items);
        let ImplItem::Fn(send) = &mut imp.items[index] else {
            unreachable!("found above")
        };

        let snake = find_operation_id(&send.block).ok_or_else(|| {
            format!(
                "a `send` of `{}` has no operation_id",
                type_name(&imp.self_ty)
            )
        })?;
        let operation_id = *by_snake
            .get(&snake)
            .ok_or_else(|| format!("progenitor's operation `{snake}` is not in the spec"))?;
        if unwrapped.remove(operation_id).is_none() {
            return Err(format!("operation {operation_id} has two `send` methods"));
        }
        SetOperationId(operation_id).visit_block_mut(&mut send.block);
        let (success, error) = split_result(&send.sig.output).ok_or_else(|| {
            format!("operation {operation_id}: `send` does not return Result<_, Error<_>>")
        })?;

        let docs = std::mem::take(&mut send.attrs);
        send.sig.ident = private.clone();
        send.vis = syn::Visibility::Inherited;
        // A paginated operation's `stream()` calls `send()`, which now
        // fails with an ApiError: so does the stream.
        for item in imp.items.iter_mut() {
            if let ImplItem::Fn(stream) = item
                && stream.sig.ident == "stream"
            {
                let mut retype = ApiErrors(0);
                retype.visit_return_type_mut(&mut stream.sig.output);
                if retype.0 == 0 {
                    return Err(format!(
                        "operation {operation_id}: its `stream()` does not return progenitor's `Error`"
                    ));
                }
            }
        }

        let wrapper: syn::ImplItemFn = syn::parse2(quote! {
            #(#docs)*
            pub fn send(
                self,
            ) -> impl ::std::future::Future<
                Output = Result<#success, ::tracking_runtime::ApiError<#error>>,
            > + Send + 'a {
                ::tracking_runtime::call(#operation_id, move || self.#private())
            }
        })
        .map_err(|e| format!("operation {operation_id}: {e}"))?;
        imp.items.insert(index, ImplItem::Fn(wrapper));
    }
    if !unwrapped.is_empty() {
        let missing: Vec<&str> = unwrapped.into_keys().collect();
        return Err(format!(
            "no `send` found in progenitor's `mod builder` for {}",
            missing.join(", ")
        ));
    }
    Ok(())
}

/// `dispatch`, or with as many `_` appended as it takes to name no other
/// method of the builder (whose methods are named after the parameters).
fn private_name(items: &[ImplItem]) -> syn::Ident {
    let taken = |name: &str| {
        items
            .iter()
            .any(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == name))
    };
    let mut name = "dispatch".to_string();
    while taken(&name) {
        name.push('_');
    }
    syn::Ident::new(&name, proc_macro2::Span::call_site())
}

fn type_name(ty: &Type) -> String {
    quote!(#ty).to_string()
}

/// The items of progenitor's `mod builder`, where the operations are.
fn builder_module(file: &mut syn::File) -> Result<&mut Vec<Item>, String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|c| &mut c.1),
            _ => None,
        })
        .ok_or_else(|| "progenitor output has no `mod builder`".to_string())
}

/// The operationId of a builder's methods, as the spec writes it (after
/// [`wrap_send_methods`]): the one in its dispatch's `OperationInfo`.
pub(super) fn find_operation_id_in(items: &[ImplItem]) -> Option<String> {
    items.iter().find_map(|item| match item {
        ImplItem::Fn(f) if !matches!(f.vis, syn::Visibility::Public(_)) => {
            find_operation_id(&f.block)
        }
        _ => None,
    })
}

/// Finds `operation_id: "..."` in progenitor's `OperationInfo` literal.
fn find_operation_id(block: &syn::Block) -> Option<String> {
    struct Finder(Option<String>);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_field_value(&mut self, field: &'ast syn::FieldValue) {
            if let (syn::Member::Named(name), syn::Expr::Lit(lit)) = (&field.member, &field.expr)
                && let syn::Lit::Str(s) = &lit.lit
                && name == "operation_id"
            {
                self.0 = Some(s.value());
            }
            syn::visit::visit_field_value(self, field);
        }
    }
    let mut finder = Finder(None);
    finder.visit_block(block);
    finder.0
}

/// Replaces progenitor's `Error<E>` with `::tracking_runtime::ApiError<E>`
/// in a type, counting the replacements.
struct ApiErrors(usize);

impl VisitMut for ApiErrors {
    fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
        syn::visit_mut::visit_type_path_mut(self, path);
        if path.qself.is_none()
            && path.path.leading_colon.is_none()
            && path.path.segments.len() == 1
            && path.path.segments[0].ident == "Error"
        {
            let arguments = path.path.segments[0].arguments.clone();
            *path = syn::parse_quote!(::tracking_runtime::ApiError #arguments);
            self.0 += 1;
        }
    }
}

/// Replaces the string in `operation_id: "..."`.
struct SetOperationId<'a>(&'a str);

impl VisitMut for SetOperationId<'_> {
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        if matches!(&field.member, syn::Member::Named(name) if name == "operation_id") {
            let id = self.0;
            field.expr = syn::parse_quote!(#id);
        }
        syn::visit_mut::visit_field_value_mut(self, field);
    }
}

/// `Result<S, Error<E>>` → `(S, E)`.
fn split_result(output: &ReturnType) -> Option<(Type, Type)> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let [ok, err] = generic_args(ty, "Result")?.try_into().ok()?;
    let [error] = generic_args(&err, "Error")?.try_into().ok()?;
    Some((ok, error))
}

fn generic_args(ty: &Type, name: &str) -> Option<Vec<Type>> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args
        .iter()
        .map(|a| match a {
            GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// progenitor's shape for one operation; `methods` are its builder's
    /// other methods (named after its parameters).
    fn file(methods: proc_macro2::TokenStream) -> syn::File {
        syn::parse2(quote! {
            pub mod builder {
                pub struct GetOrder<'a> { client: &'a super::Client }
                impl<'a> GetOrder<'a> {
                    #methods
                    ///Sends a `GET` request to `/orders/{id}`
                    pub async fn send(self) -> Result<ResponseValue<types::Order>, Error<types::Fault>> {
                        let info = OperationInfo { operation_id: "get_order" };
                        todo!()
                    }
                }
            }
        })
        .unwrap()
    }

    fn text(file: &syn::File) -> String {
        quote!(#file).to_string().replace(' ', "")
    }

    #[test]
    fn send_goes_through_the_call_under_the_spec_name() {
        let mut file = file(quote!());
        wrap_send_methods(&mut file, &["getOrder"]).unwrap();
        let text = text(&file);
        assert!(
            text.contains(r#"::tracking_runtime::call("getOrder",move||self.dispatch())"#),
            "{text}"
        );
        assert!(text.contains("asyncfndispatch(self)"), "{text}");
        assert!(text.contains(r#"operation_id:"getOrder""#), "{text}");
        assert!(
            text.contains("::tracking_runtime::ApiError<types::Fault>"),
            "{text}"
        );
        // The docs stay on the public method.
        assert!(text.contains("#[doc=r\"Sends"), "{text}");
    }

    #[test]
    fn a_parameter_named_like_the_private_method_takes_the_name_first() {
        let mut file = file(quote! {
            pub fn dispatch(self, value: u32) -> Self { self }
            pub fn dispatch_(self, value: u32) -> Self { self }
        });
        wrap_send_methods(&mut file, &["getOrder"]).unwrap();
        let text = text(&file);
        assert!(text.contains("move||self.dispatch__()"), "{text}");
        assert!(text.contains("asyncfndispatch__(self)"), "{text}");
        assert!(text.contains("pubfndispatch(self,value:u32)"), "{text}");
    }

    #[test]
    fn an_operation_left_unwrapped_is_an_error_that_names_it() {
        let mut file = file(quote!());
        let error = wrap_send_methods(&mut file, &["getOrder", "listOrders"]).unwrap_err();
        assert!(error.contains("listOrders"), "{error}");

        let mut file: syn::File = syn::parse2(quote!(
            mod other {}
        ))
        .unwrap();
        let error = wrap_send_methods(&mut file, &["getOrder"]).unwrap_err();
        assert!(error.contains("no `mod builder`"), "{error}");
    }

    #[test]
    fn a_paginated_operations_stream_fails_with_the_api_error_too() {
        let mut file = file(quote! {
            pub fn stream(self) -> impl futures::Stream<Item = Result<types::Order, Error<types::Fault>>> + Unpin + 'a {
                self.send().map_ok(|page| page.into_inner())
            }
        });
        wrap_send_methods(&mut file, &["getOrder"]).unwrap();
        let text = text(&file);
        assert!(
            text.contains("Item=Result<types::Order,::tracking_runtime::ApiError<types::Fault>>"),
            "{text}"
        );
    }

    #[test]
    fn operation_ids_that_make_one_rust_name_are_refused() {
        let mut file = file(quote!());
        let error = wrap_send_methods(&mut file, &["getOrder", "get_order"]).unwrap_err();
        assert!(error.contains("`getOrder` and `get_order`"), "{error}");
    }
}
