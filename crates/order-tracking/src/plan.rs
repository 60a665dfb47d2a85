//! From a shipment to the calls its provider needs, refusing what the
//! provider cannot take before anything is sent. What every provider
//! checks is here; the rest is each provider's [`Platform::plan`].

use std::any::Any;
use std::fmt;

use futures_util::future::BoxFuture;

use crate::outcome::PushError;
use crate::provider::Provider;
use crate::pusher::Delivery;
use crate::shipment::{FieldError, Shipment};

/// The calls that deliver one shipment to its provider: made by
/// [`Pusher::check`](crate::Pusher::check) or
/// [`plan_change`](crate::plan_change), sent by
/// [`Pusher::send`](crate::Pusher::send). What the calls carry is the
/// provider's own type, in its module (`providers::crux::Calls`), which
/// [`Plan::calls`] gives to look at.
pub struct Plan {
    provider: Provider,
    calls: Box<dyn Calls>,
}

impl Plan {
    pub(crate) fn new(provider: Provider, calls: impl Calls) -> Self {
        Self {
            provider,
            calls: Box::new(calls),
        }
    }

    /// The provider it goes to.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// The provider's calls, if they are of type `T` (its module's `Calls`).
    pub fn calls<T: 'static>(&self) -> Option<&T> {
        self.calls.as_any().downcast_ref()
    }

    /// The provider's calls to change, if they are of type `T`.
    pub fn calls_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.calls.as_any_mut().downcast_mut()
    }

    /// The operations this plan calls, in order.
    pub fn operations(&self) -> Vec<&'static str> {
        self.calls.operations()
    }

    /// The operations of this plan's provider that may be repeated: its
    /// client's `IDEMPOTENT_OPERATIONS`, from the spec.
    pub fn idempotent_operations(&self) -> &'static [&'static str] {
        self.calls.idempotent_operations()
    }

    /// What is left of this plan once the calls in `completed` (its first
    /// ones, in order) were applied: `None` when nothing is left, the plan
    /// itself when none was. So that a row whose first call went through
    /// and whose second did not is finished by the second alone.
    pub fn after(self, completed: &[&str]) -> Option<Plan> {
        let done = self
            .operations()
            .iter()
            .zip(completed)
            .take_while(|(a, b)| *a == *b)
            .count();
        if done == 0 {
            return Some(self);
        }
        let provider = self.provider;
        self.calls.rest(done).map(|calls| Plan { provider, calls })
    }

    /// Which call the row's columns chose, and why, where the columns
    /// decide it (a VTEX row is a new invoice when it has `invoice_value`).
    pub fn choice(&self) -> Option<String> {
        self.calls.choice()
    }

    /// The provider's record that holds one tracking number, which this
    /// plan's call sets (a second number sent to it replaces the first):
    /// an invoice, a purchase order. `None` where a record takes several.
    pub fn tracking_slot(&self) -> Option<&'static str> {
        self.calls.tracking_slot()
    }

    /// [`Calls::order`].
    pub(crate) fn order(&self) -> Option<String> {
        self.calls.order()
    }

    /// Whether the provider can be asked if an earlier send of this plan
    /// was applied. [`Pusher::send`](crate::Pusher::send) and
    /// [`Pusher::resume`](crate::Pusher::resume) look before they resend
    /// such a plan.
    pub fn has_lookup(&self) -> bool {
        self.calls.has_lookup()
    }

    /// Whether a send whose outcome is unknown can be finished without
    /// applying anything twice: the plan may be repeated, or looked up
    /// first ([`Pusher::resume`](crate::Pusher::resume) does either).
    pub fn resumable(&self) -> bool {
        self.repeatable() || self.has_lookup()
    }

    /// Whether sending this plan again leaves the provider as one send
    /// would: every operation it calls may be repeated. Only such a plan may
    /// be sent again when it is unknown how far an earlier send got.
    pub fn repeatable(&self) -> bool {
        let idempotent = self.idempotent_operations();
        self.operations().iter().all(|op| idempotent.contains(op))
    }

    /// Makes the calls; `may_be_applied`: an earlier send may have
    /// delivered it, so a plan with a lookup looks first.
    pub(crate) fn send<'a>(
        self,
        delivery: &'a mut Delivery<'_>,
        may_be_applied: bool,
    ) -> BoxFuture<'a, Result<Sent, PushError>> {
        self.calls.send(delivery, may_be_applied)
    }
}

impl Clone for Plan {
    fn clone(&self) -> Self {
        Self {
            provider: self.provider,
            calls: self.calls.clone_box(),
        }
    }
}

impl fmt::Debug for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plan")
            .field("provider", &self.provider.name())
            .field("calls", &self.calls)
            .finish()
    }
}

/// What a plan's calls gave back.
#[derive(Debug, Default)]
pub(crate) struct Sent {
    /// The provider's receipt, when it gives one.
    pub reference: Option<String>,
    /// A lookup found the provider had it already.
    pub already_applied: bool,
}

/// A provider's calls for one shipment: its module's `Calls` type.
pub(crate) trait Calls: AnyCalls + fmt::Debug + Send + Sync + 'static {
    /// [`Plan::operations`].
    fn operations(&self) -> Vec<&'static str>;
    /// [`Plan::idempotent_operations`].
    fn idempotent_operations(&self) -> &'static [&'static str];
    /// What is left once its first `done` (at least one) calls were
    /// applied; `None` when nothing is.
    fn rest(self: Box<Self>, _done: usize) -> Option<Box<dyn Calls>> {
        None
    }
    /// [`Plan::choice`].
    fn choice(&self) -> Option<String> {
        None
    }
    /// [`Plan::tracking_slot`].
    fn tracking_slot(&self) -> Option<&'static str>;
    /// [`Plan::has_lookup`].
    fn has_lookup(&self) -> bool {
        false
    }
    /// The order whose reads decide what the calls send (the items or lines
    /// left, the shipments a lookup finds): deliveries to the same order go
    /// one at a time, so that two rows never both ship what one read shows
    /// is left. `None`: the calls read nothing of the kind.
    fn order(&self) -> Option<String> {
        None
    }
    /// Makes the calls, through `delivery` (its client, rate limit and
    /// the list of calls made).
    fn send<'a>(
        self: Box<Self>,
        delivery: &'a mut Delivery<'_>,
        may_be_applied: bool,
    ) -> BoxFuture<'a, Result<Sent, PushError>>;
}

/// What every provider's `Calls` gets from being `Clone` and `'static`:
/// copies of a boxed plan, and the typed view of [`Plan::calls`].
pub(crate) trait AnyCalls {
    fn clone_box(&self) -> Box<dyn Calls>;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Calls + Clone> AnyCalls for T {
    fn clone_box(&self) -> Box<dyn Calls> {
        Box::new(self.clone())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Collects field errors so that a row reports all of its problems at once.
#[derive(Default)]
pub(crate) struct Errors(Vec<FieldError>);

impl Errors {
    pub(crate) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// `value` parsed, or an error recorded for `field`.
    pub(crate) fn parse<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        value: Result<T, E>,
    ) -> Option<T> {
        value.map_err(|e| self.add(field, e.to_string())).ok()
    }

    pub(crate) fn require<'a, T>(
        &mut self,
        field: &str,
        value: Option<&'a T>,
        why: &str,
    ) -> Option<&'a T> {
        if value.is_none() {
            self.add(field, format!("required {why}"));
        }
        value
    }

    fn finish<T>(self, plan: Option<T>) -> Result<T, Vec<FieldError>> {
        match (self.0.is_empty(), plan) {
            (true, Some(plan)) => Ok(plan),
            (_, _) if !self.0.is_empty() => Err(self.0),
            _ => Err(vec![FieldError {
                field: "shipment".into(),
                message: "cannot be planned".into(),
            }]),
        }
    }
}

/// Whether `text` is a number in the scientific notation spreadsheets show
/// long numbers in (`7.94699E+11` for FedEx's `794698753190`; `7,94699E+11`
/// where the decimal mark is a comma): an identifier made up by the
/// spreadsheet, whose digits are gone. The exponent's sign is required, as
/// spreadsheets write it, so that a code such as `12E45` is still taken as
/// it is.
fn spreadsheet_number(text: &str) -> bool {
    let text = text.trim();
    let Some((mantissa, exponent)) = text.split_once(['E', 'e']) else {
        return false;
    };
    let mantissa = mantissa.strip_prefix(['+', '-']).unwrap_or(mantissa);
    let (whole, fraction) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let exponent = exponent.strip_prefix(['+', '-']);
    digits(whole)
        && digits(fraction)
        && !(whole.is_empty() && fraction.is_empty())
        && exponent.is_some_and(|e| !e.is_empty() && digits(e))
}

/// Refuses the fields of a row that `record` (`"BigCommerce's shipment"`)
/// has no place for, the invoice and its events (VTEX's): refused rather
/// than dropped, so that nothing in a row is lost in silence.
pub(crate) fn refuse_invoice_fields(s: &Shipment, errors: &mut Errors, record: &str, rows: &str) {
    let given = [
        ("invoice_number", s.invoice_number.is_some()),
        ("invoice_value", s.invoice_value.is_some()),
        ("events", !s.events.is_empty()),
        ("delivered_at", s.delivered_at.is_some()),
    ];
    for (field, present) in given {
        if present {
            errors.add(
                field,
                format!("{record} has no such field: leave it empty for {rows} rows"),
            );
        }
    }
}

pub(crate) fn non_empty(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

/// Plans `shipment` for `provider`, or says every field that stands in the way.
pub fn plan(shipment: &Shipment, provider: Provider) -> Result<Plan, Vec<FieldError>> {
    let mut errors = Errors::default();
    if non_empty(&shipment.order_ref).is_none() {
        errors.add("order_ref", "required");
    }
    if non_empty(&shipment.tracking_number).is_none() {
        errors.add("tracking_number", "required");
    }
    // A line break or other control character in an identifier is a broken
    // file (a stray quote, a pasted cell), never part of the identifier.
    let identifiers = [
        ("order_ref", Some(&shipment.order_ref)),
        ("tracking_number", Some(&shipment.tracking_number)),
        ("invoice_number", shipment.invoice_number.as_ref()),
    ];
    for (field, value) in identifiers {
        if value.is_some_and(|v| v.chars().any(char::is_control)) {
            errors.add(field, "contains a line break or another control character");
        }
        if let Some(value) = value.filter(|v| spreadsheet_number(v)) {
            errors.add(
                field,
                format!(
                    "{:?} is a number as a spreadsheet shows it, in scientific notation: its digits are lost. Format the column as text in the spreadsheet, type the identifier again, and export again",
                    value.trim()
                ),
            );
        }
    }
    let plan = provider.0.plan(shipment, &mut errors);
    errors.finish(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_scientific_notation_is_refused_as_an_identifier() {
        for made_up in [
            "7.94699E+11",
            "1.23457E+19",
            "1.02E+08",
            "1E+11",
            " 5.5e-3 ",
            "7,94699E+11",
            "1,02E+08",
            "7.E+11",
            ".5E+3",
            "-7.94699E+11",
            "+7.94699E+11",
        ] {
            assert!(spreadsheet_number(made_up), "{made_up}");
        }
        for real in [
            "794698753190",
            "12E45",
            "1Z999AA10123456784",
            "BR123456789BR",
            "E+11",
            "1.2E+",
            ".E+1",
            "1.2.3E+4",
            "0e63ac67-7c45-454d-b2ef-bb6b5ed387c3",
        ] {
            assert!(!spreadsheet_number(real), "{real}");
        }
        let shipment = Shipment {
            order_ref: "5004321".into(),
            tracking_number: "7.94699E+11".into(),
            carrier: Some("FedEx".into()),
            service: Some("Ground".into()),
            shipped_at: Some(chrono::Utc::now()),
            ..Default::default()
        };
        // Refused for every provider, before its own checks.
        for provider in Provider::all() {
            let errors = plan(&shipment, provider).unwrap_err();
            let refused = errors
                .iter()
                .find(|e| e.field == "tracking_number")
                .unwrap_or_else(|| panic!("{provider}: {errors:?}"));
            assert!(refused.message.contains("Format the column as text"));
        }
    }
}
