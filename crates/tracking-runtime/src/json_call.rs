//! Calling an operation by its operationId with JSON arguments, and getting
//! what came out as JSON: what each client's generated `json::call` is made
//! of, for tools and tests that drive a client from its spec and its
//! examples (the contract tests, the tour) without knowing its types.

use std::future::Future;
use std::pin::Pin;

use progenitor_client::ResponseValue;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::ApiError;

/// A call that failed, as JSON: the provider's answer, a transport error,
/// or an argument that does not fit its parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The status, if the provider answered.
    pub status: Option<u16>,
    /// The typed error body, serialized back, if there was one.
    pub body: Option<Value>,
    /// The error's whole message ([`crate::report`]).
    pub message: String,
}

/// What a call gave: the success body as JSON (`None` when there is none),
/// or the failure.
pub type Outcome = Result<Option<Value>, Failure>;

/// The arguments of a call: the parameters by their names in the spec,
/// and the request body as `body`.
pub type Args = Map<String, Value>;

/// A client whose operations can be called by operationId with JSON
/// arguments: every generated client, through its `json::call`.
pub trait JsonCall: Send + Sync {
    /// Calls `operation` with `args`.
    fn call_json<'a>(
        &'a self,
        operation: &'a str,
        args: &'a Args,
    ) -> Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;
}

/// Argument `name` as the parameter's type, if given. A number or a
/// boolean given for a text parameter is taken as its text (a spec's
/// example `7` for a string id).
pub fn arg<T: DeserializeOwned>(args: &Args, name: &str) -> Result<Option<T>, Failure> {
    let Some(value) = args.get(name) else {
        return Ok(None);
    };
    serde_json::from_value::<T>(value.clone())
        .or_else(|e| match value {
            Value::Number(_) | Value::Bool(_) => {
                serde_json::from_value::<T>(Value::String(value.to_string())).map_err(|_| e)
            }
            _ => Err(e),
        })
        .map(Some)
        .map_err(|e| Failure {
            status: None,
            body: None,
            message: format!("argument {name}: {e}"),
        })
}

/// Refuses `args` that name something `operation` does not take (its
/// parameters, `body`): a misspelt name would otherwise be dropped without
/// a word.
pub fn known(args: &Args, operation: &str, names: &[&str]) -> Result<(), Failure> {
    let unknown: Vec<&str> = args
        .keys()
        .map(String::as_str)
        .filter(|name| !names.contains(name))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(Failure {
        status: None,
        body: None,
        message: format!(
            "{operation} takes no argument {} (it takes: {})",
            unknown.join(", "),
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        ),
    })
}

/// The outcome of a sent call, as JSON.
pub fn outcome<T: Serialize, E: Serialize + std::fmt::Debug + 'static>(
    result: Result<ResponseValue<T>, ApiError<E>>,
) -> Outcome {
    match result {
        Ok(value) => Ok(to_json(&value.into_inner())),
        Err(error) => Err(Failure {
            status: error.status().map(|s| s.as_u16()),
            body: error.body().and_then(to_json),
            message: crate::report(&error),
        }),
    }
}

/// `value` as JSON; `None` for nothing (`()`, a null).
fn to_json<T: Serialize>(value: &T) -> Option<Value> {
    serde_json::to_value(value).ok().filter(|v| !v.is_null())
}

/// The outcome of a sent call whose success body is a stream: its status
/// alone (the stream is not read: it is no JSON).
pub fn outcome_streamed<E: Serialize + std::fmt::Debug + 'static>(
    result: Result<ResponseValue<progenitor_client::ByteStream>, ApiError<E>>,
) -> Outcome {
    outcome(result.map(|value| ResponseValue::new((), value.status(), value.headers().clone())))
}

/// The outcome of a sent call whose JSON answers the client receives as
/// bytes (the generator's `mixed-success-bodies` rule, a spec's
/// `x-success-as-bytes`: a JSON list, or a 204 without a body): the body
/// read whole, as JSON; none when it is empty. `operation` names the call
/// in a failure.
pub async fn outcome_bytes<E: Serialize + std::fmt::Debug + 'static>(
    operation: &str,
    result: Result<ResponseValue<progenitor_client::ByteStream>, ApiError<E>>,
) -> Outcome {
    use futures_util::StreamExt;
    let value = match result {
        Ok(value) => value,
        Err(error) => return outcome::<(), E>(Err(error)),
    };
    let mut stream = value.into_inner().into_inner();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| Failure {
            status: None,
            body: None,
            message: format!("{operation}: the answer's body was cut off: {e}"),
        })?;
        bytes.extend_from_slice(&chunk);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| Failure {
            status: None,
            body: None,
            message: format!("{operation}: the answer is not JSON: {e}"),
        })
}

/// The failure of an operation that cannot be called with JSON, and why
/// (a body that is a stream, a connection upgrade).
pub fn not_json(operation: &str, why: &str) -> Failure {
    Failure {
        status: None,
        body: None,
        message: format!("{operation} cannot be called with JSON arguments: {why}"),
    }
}

/// The failure of an operationId the client does not have.
pub fn unknown(operation: &str) -> Failure {
    Failure {
        status: None,
        body: None,
        message: format!("no operation {operation} in this client"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_argument_not_taken_is_refused_by_name() {
        let args: Args = json!({"order_id": 1, "body": {}, "tracking_numbr": "1Z"})
            .as_object()
            .unwrap()
            .clone();
        assert_eq!(
            known(&args, "ship", &["order_id", "tracking_number", "body"])
                .unwrap_err()
                .message,
            "ship takes no argument tracking_numbr (it takes: order_id, tracking_number, body)"
        );
        let args: Args = json!({"order_id": 1}).as_object().unwrap().clone();
        assert!(known(&args, "ship", &["order_id", "body"]).is_ok());
        assert!(
            known(&args, "ping", &[])
                .unwrap_err()
                .message
                .ends_with("(it takes: none)")
        );
    }

    #[test]
    fn arguments_are_read_as_their_types() {
        let args: Args = json!({"id": 7, "name": "x", "flag": true, "uuid": "nope"})
            .as_object()
            .unwrap()
            .clone();
        assert_eq!(arg::<i32>(&args, "id"), Ok(Some(7)));
        assert_eq!(arg::<String>(&args, "id"), Ok(Some("7".into())));
        assert_eq!(arg::<String>(&args, "flag"), Ok(Some("true".into())));
        assert_eq!(arg::<String>(&args, "missing"), Ok(None));
        let bad = arg::<i32>(&args, "name").unwrap_err();
        assert!(bad.message.starts_with("argument name: "), "{bad:?}");
    }
}
