//! Lean stand-ins for two progenitor helpers that every call goes through.
//! The codegen pass `tracking-codegen::reroute` points the generated code at
//! them. They put the same bytes on the wire and return the same values;
//! they only skip intermediate copies (measured in BENCHMARKS.md).

use std::fmt;

use bytes::{Bytes, BytesMut};
use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

/// What progenitor's `encode_path` escapes in a path parameter (its private
/// `PATH_SET`; `tests` checks that the two agree).
const PATH_SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// A path parameter, percent-encoded as progenitor's
/// `encode_path(&value.to_string())` encodes it, but written straight into
/// the URL being formatted instead of through two intermediate `String`s.
pub struct PathSegment<'a, T: ?Sized>(pub &'a T);

/// `value.to_path_segment()`: a [`PathSegment`] of anything `to_string()`
/// works on, found the same way (the generated newtypes of constrained
/// strings are `Display` only through `Deref` to `String`).
pub trait ToPathSegment: fmt::Display {
    /// This value as a path segment.
    fn to_path_segment(&self) -> PathSegment<'_, Self> {
        PathSegment(self)
    }
}

impl<T: fmt::Display + ?Sized> ToPathSegment for T {}

impl<T: fmt::Display + ?Sized> fmt::Display for PathSegment<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Display` hands over whole `str`s, so no UTF-8 sequence is split
        // between two `write_str` calls.
        struct Encode<'a, 'b>(&'a mut fmt::Formatter<'b>);
        impl fmt::Write for Encode<'_, '_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                percent_encoding::utf8_percent_encode(s, PATH_SET)
                    .try_for_each(|chunk| self.0.write_str(chunk))
            }
        }
        fmt::write(&mut Encode(f), format_args!("{}", self.0))
    }
}

/// progenitor's `ResponseValue::from_response`, except that the headers are
/// moved out of the response rather than cloned, and the body is read by
/// chunks (see `read_body`). A plain `fn` returning an `async move` block, which holds
/// the response once where an `async fn` would hold it twice
/// (rust-lang/rust#62958); the headers are taken after the body is read, so
/// that they are not held across it either. Every operation's future holds
/// this one (measured in BENCHMARKS.md).
#[expect(
    clippy::manual_async_fn,
    reason = "an `async fn` holds the response twice"
)]
pub fn response_value<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>> {
    async move {
        let body = read_body(&mut response)
            .await
            .map_err(|e| Error::ResponseBodyError(e.with_url(response.url().clone())))?;
        let inner =
            serde_json::from_slice(&body).map_err(|e| Error::InvalidResponsePayload(body, e))?;
        let headers = std::mem::take(response.headers_mut());
        Ok(ResponseValue::new(inner, response.status(), headers))
    }
}

/// The whole body, as `Response::bytes` reads it, but by chunks: the
/// future of `bytes` (which nests two more) is over half a kilobyte, and
/// every operation's future holds it inline (measured in BENCHMARKS.md).
/// A body of one chunk, the usual case, is not copied.
async fn read_body(response: &mut reqwest::Response) -> reqwest::Result<Bytes> {
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let mut all = BytesMut::from(first);
    all.extend_from_slice(&second);
    while let Some(more) = response.chunk().await? {
        all.extend_from_slice(&more);
    }
    Ok(all.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded_as_progenitor_encodes_them() {
        // Every ASCII character, alone and among others, and non-ASCII text.
        let mut inputs: Vec<String> = (0u8..128).map(|b| char::from(b).to_string()).collect();
        inputs.extend(
            [
                "a/b?c#d",
                "50% off",
                "ação/é",
                "日本語 テキスト",
                "{x}`<y>`",
                "",
                "%2F",
                "a\u{7f}b",
            ]
            .map(String::from),
        );
        for input in &inputs {
            assert_eq!(
                PathSegment(input.as_str()).to_string(),
                progenitor_client::encode_path(input),
                "{input:?}"
            );
        }
        // Display values other than strings (progenitor passes integers and newtypes).
        assert_eq!(1234u64.to_path_segment().to_string(), "1234");
    }

    /// A constrained string as typify generates it: `Display` only through
    /// `Deref` to `String`.
    struct OrderId(String);
    impl std::ops::Deref for OrderId {
        type Target = String;
        fn deref(&self) -> &String {
            &self.0
        }
    }

    /// A value whose `Display` writes in several pieces.
    struct Pieces;
    impl fmt::Display for Pieces {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a/{}?é", 7)?;
            f.write_str(" {x}")
        }
    }

    #[test]
    fn newtypes_and_pieces_are_encoded_as_their_to_string() {
        let id = OrderId("v501/2 ação?".to_string());
        assert_eq!(
            id.to_path_segment().to_string(),
            progenitor_client::encode_path(&id.to_string())
        );
        assert_eq!(
            Pieces.to_path_segment().to_string(),
            progenitor_client::encode_path(&Pieces.to_string())
        );
        assert_eq!(
            Pieces.to_path_segment().to_string(),
            "a%2F7%3F%C3%A9%20%7Bx%7D"
        );
    }

    fn response(status: u16, body: &'static str) -> reqwest::Response {
        http::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .header("x-request-id", "r1")
            .body(body)
            .unwrap()
            .into()
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Receipt {
        receipt: String,
    }

    /// A body that arrives in the given chunks.
    struct Chunks(std::collections::VecDeque<&'static str>);

    impl http_body::Body for Chunks {
        type Data = Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
            let chunk = self.0.pop_front().map(|c| Bytes::from_static(c.as_bytes()));
            std::task::Poll::Ready(chunk.map(|c| Ok(http_body::Frame::data(c))))
        }
    }

    fn chunked(chunks: &[&'static str]) -> reqwest::Response {
        let body = reqwest::Body::wrap(Chunks(chunks.iter().copied().collect()));
        http::Response::builder()
            .status(200)
            .body(body)
            .unwrap()
            .into()
    }

    #[tokio::test]
    async fn a_body_in_chunks_is_read_whole() {
        for chunks in [
            &[r#"{"receipt":"f6"}"#][..],
            &[r#"{"rec"#, r#"eipt":"#, r#""f6"}"#],
            &[r#"{"receipt""#, "", r#":"f6"}"#],
        ] {
            let value = response_value::<Receipt, ()>(chunked(chunks))
                .await
                .unwrap();
            assert_eq!(value.into_inner().receipt, "f6", "{chunks:?}");
        }
        // No body at all: progenitor's error for an undecodable body, with
        // the (empty) body kept.
        match response_value::<Receipt, ()>(chunked(&[])).await {
            Err(Error::InvalidResponsePayload(body, _)) => assert!(body.is_empty()),
            other => panic!("expected InvalidResponsePayload: {other:?}"),
        }
    }

    #[tokio::test]
    async fn response_values_are_what_progenitor_makes() {
        let ours = response_value::<Receipt, ()>(response(200, r#"{"receipt":"f6"}"#))
            .await
            .unwrap();
        let theirs =
            ResponseValue::<Receipt>::from_response::<()>(response(200, r#"{"receipt":"f6"}"#))
                .await
                .unwrap();
        assert_eq!(ours.status(), theirs.status());
        assert_eq!(ours.headers(), theirs.headers());
        assert_eq!(ours.headers()["x-request-id"], "r1");
        assert_eq!(ours.into_inner(), theirs.into_inner());

        // A body that does not decode: the same error, with the body kept.
        let ours = response_value::<Receipt, ()>(response(200, r#"{"nope":1}"#)).await;
        let theirs =
            ResponseValue::<Receipt>::from_response::<()>(response(200, r#"{"nope":1}"#)).await;
        match (ours, theirs) {
            (
                Err(Error::InvalidResponsePayload(a, e1)),
                Err(Error::InvalidResponsePayload(b, e2)),
            ) => {
                assert_eq!(a, b);
                assert_eq!(e1.to_string(), e2.to_string());
            }
            other => panic!("expected InvalidResponsePayload from both: {other:?}"),
        }
    }
}
