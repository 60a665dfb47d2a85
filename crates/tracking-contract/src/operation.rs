//! One operation of a spec, compiled: its parameters, request body and
//! responses, each with its schema, and the checks of a body against them.

use std::collections::BTreeMap;

use serde_json::Value;
use tracking_spec::JsonPath;

use crate::checker::Checker;
use crate::{Violation, escape};
use tracking_spec::media_essence as essence;

/// One operation of a spec.
#[derive(Debug)]
pub struct Operation {
    /// Its operationId.
    pub id: String,
    /// Its method, upper case.
    pub method: String,
    /// Its path template, e.g. `/orders/tracking/{order_uuid}/`.
    pub path: String,
    /// Where it is in the spec.
    pub location: JsonPath,
    pub(crate) params: Vec<Param>,
    pub(crate) request: Option<Body>,
    pub(crate) responses: BTreeMap<u16, Response>,
}

#[derive(Debug)]
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) location: String,
    pub(crate) required: bool,
    pub(crate) schema: Checker,
}

#[derive(Debug)]
pub(crate) struct Body {
    pub(crate) required: bool,
    pub(crate) schema: Checker,
}

/// One documented response: each of its media types, with the schema of
/// each JSON one (`application/json`, or a `+json` type such as
/// `application/problem+json`).
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) media: Vec<(String, Option<Checker>)>,
}

impl Response {
    /// The schema of a body whose media type is not given: the
    /// `application/json` one, else the first other JSON one.
    pub(crate) fn json(&self) -> Option<&Checker> {
        let schemas = || {
            self.media
                .iter()
                .filter_map(|(m, c)| Some((m, c.as_ref()?)))
        };
        schemas()
            .find(|(m, _)| essence(m) == "application/json")
            .or_else(|| schemas().next())
            .map(|(_, c)| c)
    }
}

impl Operation {
    pub(crate) fn check_request_body(&self, body: Option<&Value>) -> Vec<Violation> {
        match (&self.request, body) {
            (Some(spec), Some(body)) => spec.schema.check("body", body),
            (Some(spec), None) if spec.required => vec![Violation {
                part: "body".into(),
                pointer: String::new(),
                rule: format!("#{}", spec.schema.at),
                message: "a request body is required".into(),
            }],
            (None, Some(_)) => vec![Violation {
                part: "body".into(),
                pointer: String::new(),
                rule: format!("#{}", self.location_pointer()),
                message: format!("{} takes no request body", self.id),
            }],
            _ => Vec::new(),
        }
    }

    /// The documented response with `status`, or why there is none.
    pub(crate) fn response(&self, status: u16) -> Result<&Response, Violation> {
        self.responses.get(&status).ok_or_else(|| {
            let known = self
                .responses
                .keys()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            Violation {
                part: "status".into(),
                pointer: String::new(),
                rule: format!("#{}/responses", self.location_pointer()),
                message: format!(
                    "{status} is not a documented status of {} (documented: {known})",
                    self.id
                ),
            }
        })
    }

    pub(crate) fn check_response(&self, status: u16, body: Option<&Value>) -> Vec<Violation> {
        let response = match self.response(status) {
            Ok(response) => response,
            Err(violation) => return vec![violation],
        };
        match (response.json(), body) {
            (Some(schema), Some(body)) => schema.check("body", body),
            (Some(schema), None) => vec![Violation {
                part: "body".into(),
                pointer: String::new(),
                rule: format!("#{}", schema.at),
                message: format!("a {status} response has a body"),
            }],
            (None, Some(_)) => vec![Violation {
                part: "body".into(),
                pointer: String::new(),
                rule: format!("#{}/responses/{status}", self.location_pointer()),
                message: format!("a {status} response has no body"),
            }],
            (None, None) => Vec::new(),
        }
    }

    pub(crate) fn check_response_as(
        &self,
        status: u16,
        media_type: &str,
        body: &Value,
    ) -> Vec<Violation> {
        let response = match self.response(status) {
            Ok(response) => response,
            Err(violation) => return vec![violation],
        };
        let wanted = essence(media_type);
        match response.media.iter().find(|(m, _)| essence(m) == wanted) {
            Some((_, Some(schema))) => schema.check("body", body),
            // Not JSON: nothing this crate can check.
            Some((_, None)) => Vec::new(),
            None => {
                let documented: Vec<&str> =
                    response.media.iter().map(|(m, _)| m.as_str()).collect();
                vec![Violation {
                    part: "content type".into(),
                    pointer: String::new(),
                    rule: format!("#{}/responses/{status}/content", self.location_pointer()),
                    message: format!(
                        "{media_type} is not a documented media type of the {status} response of {} (documented: {})",
                        self.id,
                        documented.join(", ")
                    ),
                }]
            }
        }
    }

    pub(crate) fn location_pointer(&self) -> String {
        format!(
            "/paths/{}/{}",
            escape(&self.path),
            self.method.to_lowercase()
        )
    }

    /// The documented statuses.
    pub fn statuses(&self) -> impl Iterator<Item = u16> + '_ {
        self.responses.keys().copied()
    }
}
