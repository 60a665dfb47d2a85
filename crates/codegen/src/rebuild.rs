//! A pass over progenitor's output: each operation builds its request in a
//! closure, and sends it through `tracking_runtime::Runtime::execute`, which
//! calls the closure again for a retry. progenitor's `exec` hook gets the
//! request alone, so the runtime would have to copy it before every attempt
//! for a retry that rarely comes (measured in BENCHMARKS.md). (A map of
//! header parameters is still cloned for each request the closure makes;
//! none of the specs has one.)
//!
//! progenitor 0.15 writes, per operation (in `mod builder`, `dispatch` after
//! `wrap.rs`):
//! ```text
//! let url = format!(…);
//! let mut header_map = HeaderMap::with_capacity(N);   // header parameters appended
//! let mut request = client.client.patch(url).header(…).json(&body).headers(header_map).build()?;
//! …
//! let result = client.exec(request, &info).await;
//! ```
//! which becomes
//! ```text
//! let build = || client.client.patch(url.as_str()).header(…).json(&body).headers(header_map.clone()).build();
//! let mut request = build()?;
//! …
//! let result = client.inner.execute(&client.client, request, &build, AUTHENTICATE, IDEMPOTENT).await;
//! ```
//! The closure only borrows, so it can be called again. An operation shaped
//! otherwise, or whose request takes a value it would consume (a streamed
//! body), fails generation with a message: sent without this pass, it would
//! skip the runtime. (The checks admit JSON request bodies only, which are
//! borrowed, so that message is a backstop for a progenitor that changes.)

use quote::ToTokens;
use syn::{Expr, ImplItem, Item, Stmt};

use crate::version_header::capacity;
use crate::wrap::{builder_module, find_operation_id};

/// Rewrites every operation in `mod builder`. `public` and `idempotent` are
/// the spec's operationIds without credentials and those that may be
/// repeated.
pub fn rebuild_requests(
    file: &mut syn::File,
    public: &[String],
    idempotent: &[String],
) -> Result<(), String> {
    for item in builder_module(file)?.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        for item in &mut imp.items {
            let ImplItem::Fn(dispatch) = item else {
                continue;
            };
            if dispatch.sig.ident != "dispatch" {
                continue;
            }
            let id =
                find_operation_id(&dispatch.block).ok_or("a `dispatch` has no operation_id")?;
            let authenticate = !public.contains(&id);
            let idempotent = idempotent.contains(&id);
            rewrite(&mut dispatch.block, authenticate, idempotent)
                .map_err(|e| format!("operation {id}: {e}"))?;
        }
    }
    Ok(())
}

fn rewrite(block: &mut syn::Block, authenticate: bool, idempotent: bool) -> Result<(), String> {
    let stmts = &mut block.stmts;
    let find = |name: &str| {
        stmts
            .iter()
            .position(|s| local_name(s).is_some_and(|n| n == name))
    };
    let (Some(request), Some(info), Some(result), Some(response)) = (
        find("request"),
        find("info"),
        find("result"),
        find("response"),
    ) else {
        return Err(
            "its `dispatch` lacks `let mut request`, `let info`, `let result` or `let response`"
                .into(),
        );
    };
    if !(request < info && info < result && result < response) {
        return Err(
            "its `dispatch` has `request`, `info`, `result` and `response` out of order".into(),
        );
    }
    if !local_init(&stmts[response])
        .is_some_and(|init| matches!(init, Expr::Try(t) if is_path(&t.expr, &["result"])))
    {
        return Err("its `dispatch` does not take `let response = result?`".into());
    }
    let sends = local_init(&stmts[result]).is_some_and(|init| {
        matches!(init, Expr::Await(a) if matches!(a.base.as_ref(), Expr::MethodCall(call)
            if call.method == "exec"
                && is_path(&call.receiver, &["client"])
                && call.args.len() == 2
                && is_path(&call.args[0], &["request"])))
    });
    if !sends {
        return Err("its `dispatch` does not send by `client.exec(request, &info).await`".into());
    }
    let empty_headers = stmts[..request]
        .iter()
        .position(is_empty_header_map)
        .filter(|&at| {
            stmts
                .iter()
                .enumerate()
                .all(|(i, stmt)| i == at || i == request || !mentions(stmt, "header_map"))
        });

    let mut made = stmts[request].clone();
    let Some(Expr::Try(tried)) = local_init_mut(&mut made) else {
        return Err("the request is not made by `….build()?`".into());
    };
    let build = tried.expr.as_mut();
    borrow_only(build, empty_headers.is_some())?;
    let built = std::mem::replace(build, syn::parse_quote!(build()));

    // The request is made, given credentials and sent, and the result
    // checked, in blocks of their own: a local of `dispatch` would stay in
    // its future, moved out or not, across every later await
    // (rust-lang/rust#62958), and the future would outgrow the allocator's
    // fast path (measured in BENCHMARKS.md).
    let sending: Vec<Stmt> = std::iter::once(made)
        .chain(
            stmts[request + 1..result]
                .iter()
                .enumerate()
                .filter(|(i, _)| request + 1 + i != info)
                .map(|(_, stmt)| stmt.clone()),
        )
        .collect();
    let checking = &stmts[result + 1..response];
    let info_stmt = stmts[info].clone();
    let replacement: [Stmt; 3] = [
        syn::parse_quote!(let build = || #built;),
        info_stmt,
        syn::parse_quote! {
            let response = {
                let result = {
                    #(#sending)*
                    client.inner.execute(&client.client, request, &build, #authenticate, #idempotent)
                }
                .await;
                #(#checking)*
                result?
            };
        },
    ];
    stmts.splice(request..=response, replacement);
    // An empty header map would be made, and merged into the request, on
    // every attempt for nothing.
    if let Some(at) = empty_headers {
        stmts.remove(at);
    }
    Ok(())
}

/// The name `stmt` binds, if it is a `let` of one name.
fn local_name(stmt: &Stmt) -> Option<String> {
    match stmt {
        Stmt::Local(local) => match &local.pat {
            syn::Pat::Ident(i) => Some(i.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn local_init(stmt: &Stmt) -> Option<&Expr> {
    match stmt {
        Stmt::Local(local) => local.init.as_ref().map(|i| i.expr.as_ref()),
        _ => None,
    }
}

fn local_init_mut(stmt: &mut Stmt) -> Option<&mut Expr> {
    match stmt {
        Stmt::Local(local) => local.init.as_mut().map(|i| i.expr.as_mut()),
        _ => None,
    }
}

/// Makes `client.client.METHOD(url)….build()` borrow what it now moves (the
/// URL and the header map, or drops `.headers(header_map)` if
/// `empty_headers`), and checks that nothing else is moved into it.
fn borrow_only(build: &mut Expr, empty_headers: bool) -> Result<(), String> {
    let mut expr = build;
    loop {
        if let Expr::MethodCall(call) = expr
            && empty_headers
            && call.method == "headers"
            && call.args.len() == 1
            && is_path(&call.args[0], &["header_map"])
        {
            let placeholder = Expr::Verbatim(proc_macro2::TokenStream::new());
            *expr = std::mem::replace(call.receiver.as_mut(), placeholder);
            continue;
        }
        let Expr::MethodCall(call) = expr else {
            return Err(format!(
                "the request is not made by a chain of method calls from `client.client` \
                 (`{}`)",
                expr.to_token_stream()
            ));
        };
        let method = call.method.to_string();
        if is_path(&call.receiver, &["client", "client"]) {
            let single = call.args.len() == 1;
            return match call.args.first_mut() {
                Some(url) if single && is_path(url, &["url"]) => {
                    *url = syn::parse_quote!(url.as_str());
                    Ok(())
                }
                _ => Err(format!("`client.client.{method}` does not take `url`")),
            };
        }
        for arg in call.args.iter_mut() {
            if method == "headers" && is_path(arg, &["header_map"]) {
                *arg = syn::parse_quote!(header_map.clone());
            } else if !borrows(arg) {
                return Err(format!(
                    "`.{method}({})` moves a value into the request, which could then not \
                     be made again for a retry",
                    arg.to_token_stream()
                ));
            }
        }
        expr = call.receiver.as_mut();
    }
}

/// Whether `arg` leaves the closure callable again: a reference, a literal,
/// a constant path (`::reqwest::header::ACCEPT`) or a call of one on such
/// arguments (`HeaderValue::from_static("…")`).
fn borrows(arg: &Expr) -> bool {
    match arg {
        Expr::Reference(_) | Expr::Lit(_) => true,
        Expr::Path(p) => p.path.leading_colon.is_some() || p.path.segments.len() > 1,
        Expr::Call(call) => borrows(&call.func) && call.args.iter().all(borrows),
        _ => false,
    }
}

fn is_path(expr: &Expr, names: &[&str]) -> bool {
    match (expr, names) {
        (Expr::Path(p), [name]) => p.path.is_ident(name),
        (Expr::Field(f), [.., last]) => {
            matches!(&f.member, syn::Member::Named(m) if m == last)
                && is_path(&f.base, &names[..names.len() - 1])
        }
        _ => false,
    }
}

/// `let mut header_map = ….with_capacity(0usize);`
fn is_empty_header_map(stmt: &Stmt) -> bool {
    local_name(stmt).is_some_and(|n| n == "header_map")
        && local_init(stmt).and_then(capacity) == Some(0)
}

/// Whether `stmt` names `ident` anywhere.
fn mentions(stmt: &Stmt, ident: &str) -> bool {
    fn walk(tokens: proc_macro2::TokenStream, ident: &str) -> bool {
        tokens.into_iter().any(|t| match t {
            proc_macro2::TokenTree::Ident(i) => i == ident,
            proc_macro2::TokenTree::Group(g) => walk(g.stream(), ident),
            _ => false,
        })
    }
    walk(stmt.to_token_stream(), ident)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// A dispatch with one header parameter.
    fn file(chain: proc_macro2::TokenStream) -> syn::File {
        file_with_headers(
            chain,
            quote! {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append("x-seller", seller.to_string().try_into()?);
            },
        )
    }

    fn file_with_headers(
        chain: proc_macro2::TokenStream,
        headers: proc_macro2::TokenStream,
    ) -> syn::File {
        syn::parse2(quote! {
            pub mod builder {
                impl<'a> UpdatePartialInvoice<'a> {
                    async fn dispatch(self) -> Result<ResponseValue<()>, Error<()>> {
                        let url = format!("{}/invoice/{}", client.baseurl, invoice_number);
                        #headers
                        #[allow(unused_mut)]
                        let mut request = #chain;
                        let info = OperationInfo { operation_id: "updatePartialInvoice" };
                        client.pre(&mut request, &info).await?;
                        let result = client.exec(request, &info).await;
                        client.post(&result, &info).await?;
                        let response = result?;
                        todo!()
                    }
                }
            }
        })
        .unwrap()
    }

    fn rewrite(file: &mut syn::File, idempotent: &[&str]) -> Result<String, String> {
        let idempotent: Vec<String> = idempotent.iter().map(|s| s.to_string()).collect();
        rebuild_requests(file, &[], &idempotent)?;
        Ok(compact(quote!(#file)))
    }

    /// Tokens as text without spaces (syn prints `||` as `| |`).
    fn compact(tokens: proc_macro2::TokenStream) -> String {
        tokens.to_string().replace(' ', "")
    }

    #[test]
    fn the_request_is_built_by_a_closure_the_runtime_calls_again() {
        let mut file = file(quote! {
            client.client.patch(url)
                .header(::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static("application/json"))
                .query(&progenitor_client::QueryParam::new("a", &a))
                .json(&body)
                .headers(header_map)
                .build()?
        });
        let text = rewrite(&mut file, &["updatePartialInvoice"]).unwrap();
        let expected = quote! {
            let build = || client.client.patch(url.as_str())
                .header(::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static("application/json"))
                .query(&progenitor_client::QueryParam::new("a", &a))
                .json(&body)
                .headers(header_map.clone())
                .build();
            let info = OperationInfo { operation_id: "updatePartialInvoice" };
            let response = {
                let result = {
                    #[allow(unused_mut)]
                    let mut request = build()?;
                    client.pre(&mut request, &info).await?;
                    client.inner.execute(&client.client, request, &build, true, true)
                }
                .await;
                client.post(&result, &info).await?;
                result?
            };
            todo!()
        };
        assert!(text.contains(&compact(expected)), "{text}");
        // The header parameter is still appended to the map the closure borrows.
        assert!(text.contains("header_map.append(\"x-seller\""), "{text}");
        assert!(!text.contains("exec("), "{text}");

        // The flags follow the spec's lists.
        let mut file = self::file(quote!(client.client.post(url).json(&body).build()?));
        let public = vec!["updatePartialInvoice".to_string()];
        rebuild_requests(&mut file, &public, &[]).unwrap();
        let text = compact(quote!(#file));
        assert!(text.contains("&build,false,false"), "{text}");
    }

    #[test]
    fn an_empty_header_map_goes() {
        let mut file = file_with_headers(
            quote!(
                client
                    .client
                    .put(url)
                    .json(&body)
                    .headers(header_map)
                    .build()?
            ),
            quote! {
                #[allow(unused_mut)]
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(0usize);
            },
        );
        let text = rewrite(&mut file, &[]).unwrap();
        assert!(!text.contains("header_map"), "{text}");
        assert!(
            text.contains("letbuild=||client.client.put(url.as_str()).json(&body).build();"),
            "{text}"
        );
        assert!(
            text.contains("letresult={#[allow(unused_mut)]letmutrequest=build()?;"),
            "{text}"
        );
    }

    #[test]
    fn a_request_that_consumes_a_value_is_refused_with_its_operation() {
        let mut file = file(quote!(client.client.post(url).body(body).build()?));
        let error = rewrite(&mut file, &[]).unwrap_err();
        assert!(
            error.starts_with("operation updatePartialInvoice: `.body(body)` moves a value"),
            "{error}"
        );
    }

    #[test]
    fn other_shapes_are_refused_not_skipped() {
        for chain in [
            quote!(client.client.post(url).build().unwrap()),
            quote!(client.client.post(other).build()?),
            quote!(make_request(url)?),
        ] {
            let mut file = file(chain.clone());
            assert!(rewrite(&mut file, &[]).is_err(), "{chain}");
        }
    }
}
