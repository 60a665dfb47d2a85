//! A pass over progenitor's output: every builder's `send()` is renamed to a
//! private `dispatch()` and a new `send()` routes it through
//! `tracking_runtime::call`, so that errors name the failed operation and
//! carry the provider's body, and each call gets a tracing span.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use quote::quote;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

/// Rewrites every `send` in `mod builder`. `operation_ids` are the spec's
/// operationIds: progenitor reports them snake_cased, they are put back as
/// written so that spans and errors use the spec's names.
/// Fails if the output is not shaped as expected.
pub fn wrap_send_methods<'a>(
    file: &mut syn::File,
    operation_ids: impl IntoIterator<Item = &'a str>,
) -> Result<(), String> {
    let by_snake: BTreeMap<String, &str> = operation_ids
        .into_iter()
        .map(|id| (id.to_snake_case(), id))
        .collect();
    for item in builder_module(file)?.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        let Some(index) = imp
            .items
            .iter()
            .position(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "send"))
        else {
            continue;
        };
        let ImplItem::Fn(send) = &mut imp.items[index] else {
            unreachable!()
        };

        let snake = find_operation_id(&send.block)
            .ok_or_else(|| format!("`{}` has no operation_id", send.sig.ident))?;
        let operation_id = *by_snake
            .get(&snake)
            .ok_or_else(|| format!("progenitor's operation `{snake}` is not in the spec"))?;
        SetOperationId(operation_id).visit_block_mut(&mut send.block);
        let (success, error) = split_result(&send.sig.output).ok_or_else(|| {
            format!("`send` of {operation_id} does not return Result<_, Error<_>>")
        })?;

        let docs = std::mem::take(&mut send.attrs);
        send.sig.ident = syn::Ident::new("dispatch", send.sig.ident.span());
        send.vis = syn::Visibility::Inherited;

        let wrapper: syn::ImplItemFn = syn::parse2(quote! {
            #(#docs)*
            pub fn send(
                self,
            ) -> impl ::std::future::Future<
                Output = Result<#success, ::tracking_runtime::ApiError<#error>>,
            > + Send + 'a {
                ::tracking_runtime::call(#operation_id, move || self.dispatch())
            }
        })
        .map_err(|e| e.to_string())?;
        imp.items.insert(index, ImplItem::Fn(wrapper));
    }
    Ok(())
}

/// The items of progenitor's `mod builder`, where the operations are.
pub(crate) fn builder_module(file: &mut syn::File) -> Result<&mut Vec<Item>, String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|c| &mut c.1),
            _ => None,
        })
        .ok_or_else(|| "progenitor output has no `mod builder`".to_string())
}

/// Finds `operation_id: "..."` in progenitor's `OperationInfo` literal.
pub(crate) fn find_operation_id(block: &syn::Block) -> Option<String> {
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
