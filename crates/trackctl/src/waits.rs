//! The waits a run is in now (a `Retry-After`, a lookup after a lost
//! answer), for the progress line: the clients and `order-tracking` say
//! each long wait in a log event (what for, until when), and this layer of
//! the logs keeps them until they end. The log line itself is the fmt
//! layer's; the progress line shows what the logs are set to show (`-q`
//! shows neither).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// The messages of the events that start a long wait.
const WAIT_MESSAGES: [&str; 2] = [
    "waiting before trying again, as the provider asked",
    "waiting before asking whether a lost call was applied",
];

/// The waits going on: what each waits for, and until when.
static WAITS: Mutex<Vec<(String, Instant)>> = Mutex::new(Vec::new());

/// What the progress line says of the waits going on now, if any: the one
/// that ends last, and how many others there are.
pub fn now() -> Option<String> {
    let mut waits = WAITS.lock().unwrap_or_else(|e| e.into_inner());
    let now = Instant::now();
    waits.retain(|(_, until)| *until > now);
    let (text, _) = waits.iter().max_by_key(|(_, until)| *until)?;
    Some(match waits.len() {
        1 => text.clone(),
        n => format!("{text} (and {} more waiting)", n - 1),
    })
}

/// An event's fields, as text.
#[derive(Default)]
struct Fields(Vec<(&'static str, String)>);

impl Fields {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name(), value.to_string()));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.push((field.name(), value.to_string()));
    }
}

/// The layer that notes the waits.
pub struct Waits;

impl<S: Subscriber> Layer<S> for Waits {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        if !WAIT_MESSAGES.contains(&fields.get("message").unwrap_or_default()) {
            return;
        }
        let wait = fields
            .get("wait_ms")
            .and_then(|ms| ms.parse::<u64>().ok())
            .map(Duration::from_millis)
            .unwrap_or_default();
        let mut text = String::from("waiting");
        match (
            fields.get("status"),
            fields.get("to"),
            fields.get("operation"),
        ) {
            (Some(status), Some(to), _) => {
                text.push_str(&format!(" after HTTP {status} from {to}"))
            }
            (_, _, Some(operation)) => text.push_str(&format!(" to look up {operation}")),
            _ => {}
        }
        if let Some(until) = fields.get("until") {
            text.push_str(&format!(" until {until}"));
        }
        WAITS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((text, Instant::now() + wait));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::prelude::*;

    #[test]
    fn a_long_wait_is_shown_with_what_it_waits_for_until_it_ends() {
        let subscriber = tracing_subscriber::registry().with(Waits);
        tracing::subscriber::with_default(subscriber, || {
            tracing::warn!(
                status = 429u64,
                wait_ms = 60_000u64,
                to = "api.ebay.com/sell/fulfillment/v1/order/1/shipping_fulfillment",
                until = "12:00:20 UTC",
                "waiting before trying again, as the provider asked"
            );
            // Another event says nothing of waits.
            tracing::warn!(wait_ms = 60_000u64, "something else");
        });
        let shown = now().unwrap_or_default();
        assert!(
            shown.starts_with(
                "waiting after HTTP 429 from api.ebay.com/sell/fulfillment/v1/order/1/shipping_fulfillment until 12:00:20 UTC"
            ),
            "{shown}"
        );
        // Ended: no longer shown.
        WAITS
            .lock()
            .unwrap()
            .iter_mut()
            .for_each(|(_, until)| *until = Instant::now());
        assert_eq!(now(), None);
    }
}
