//! The provider-neutral shipment, as users write it in a file or build it in code.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tracking_runtime::Decimal2;

use crate::provider::Provider;

/// One order line in a shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineItem {
    /// The line's id at the provider (Crux: the line item's UUID; VTEX: the SKU id).
    pub id: String,
    /// Units shipped.
    pub quantity: u32,
    /// Unit price (Crux `sku_cost`; VTEX needs it for a new invoice).
    #[serde(default)]
    pub price: Option<Decimal2>,
}

/// A tracking event (VTEX).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackingEvent {
    /// Where.
    #[serde(default)]
    pub city: Option<String>,
    /// Which state.
    #[serde(default)]
    pub state: Option<String>,
    /// What happened.
    pub description: String,
    /// When.
    pub date: NaiveDate,
}

/// "This order shipped, with this tracking number, by this carrier", for any provider.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shipment {
    /// The provider; may instead be given for a whole file.
    #[serde(default)]
    pub provider: Option<Provider>,
    /// The order at the provider, as its module reads it (a UUID, an id,
    /// a number).
    pub order_ref: String,
    /// The carrier's tracking number.
    pub tracking_number: String,
    /// The carrier, e.g. UPS.
    #[serde(default)]
    pub carrier: Option<String>,
    /// The carrier's service or method, e.g. Ground.
    #[serde(default)]
    pub service: Option<String>,
    /// When it shipped: RFC 3339, or a date (midnight UTC).
    #[serde(default, deserialize_with = "date_time::optional")]
    pub shipped_at: Option<DateTime<Utc>>,
    /// What shipping cost.
    #[serde(default)]
    pub cost: Option<Decimal2>,
    /// Weight (pounds for Crux).
    #[serde(default)]
    pub weight: Option<Decimal2>,
    /// Where the shipment can be tracked.
    #[serde(default)]
    pub tracking_url: Option<String>,
    /// What it carries; empty means the whole order.
    #[serde(default)]
    pub line_items: Vec<LineItem>,
    /// VTEX: the invoice the tracking goes on.
    #[serde(default)]
    pub invoice_number: Option<String>,
    /// VTEX: the invoice's total. Given, a new invoice is notified (with the
    /// tracking number); absent, the tracking number is added to an existing one.
    #[serde(default)]
    pub invoice_value: Option<Decimal2>,
    /// VTEX: tracking events to report after the tracking number.
    #[serde(default)]
    pub events: Vec<TrackingEvent>,
    /// VTEX: when the package was delivered (reported with the events):
    /// RFC 3339, or a date (midnight UTC).
    #[serde(default, deserialize_with = "date_time::optional")]
    pub delivered_at: Option<DateTime<Utc>>,
    /// Which of the provider's records takes the tracking, where it has
    /// several kinds (see the provider's module; absent: its default).
    #[serde(default)]
    pub target: Option<String>,
}

impl Shipment {
    /// The shipment's identity at its provider, for journals: two rows with
    /// the same key are the same push. It names what the provider files the
    /// tracking under, read as the provider reads it, so that two spellings
    /// of one record are one key and two records are never one (a UUID in
    /// any case or in braces is one UUID; an id `007` is `7`; a sales order
    /// 123 is not a purchase order 123).
    ///
    /// The key is a JSON array, so no value can run into the next.
    pub fn key(&self, provider: Provider) -> String {
        serde_json::Value::from(self.key_parts(provider)).to_string()
    }

    /// The parts of [`Shipment::key`], in order: the provider's name, the
    /// record the tracking goes on as its module names it, and the
    /// tracking number, last for every provider.
    pub fn key_parts(&self, provider: Provider) -> Vec<String> {
        let mut parts = vec![provider.name().to_string()];
        parts.extend(provider.0.key_parts(self));
        parts.push(self.tracking_number.trim().to_string());
        parts
    }

    /// The shipment as its provider reads it: provider and target filled
    /// in, identifiers as in [`Shipment::key`], text trimmed
    /// and empty text left out. Two rows that say the same thing, from a CSV
    /// file or JSON Lines, normalise to equal shipments; a journal compares
    /// them to tell a row that changed since it was pushed.
    pub fn normalized(&self, provider: Provider) -> Shipment {
        let text = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let trimmed = |value: &Option<String>| value.as_deref().map(|v| v.trim().to_string());
        Shipment {
            provider: Some(provider),
            order_ref: provider.0.order_id(&self.order_ref),
            tracking_number: self.tracking_number.trim().to_string(),
            carrier: text(&self.carrier),
            service: text(&self.service),
            shipped_at: self.shipped_at,
            cost: self.cost,
            weight: self.weight,
            tracking_url: text(&self.tracking_url),
            line_items: self
                .line_items
                .iter()
                .map(|item| LineItem {
                    id: provider.0.line_item_id(&item.id),
                    ..item.clone()
                })
                .collect(),
            invoice_number: text(&self.invoice_number),
            invoice_value: self.invoice_value,
            events: self
                .events
                .iter()
                .map(|event| TrackingEvent {
                    city: trimmed(&event.city),
                    state: trimmed(&event.state),
                    description: event.description.trim().to_string(),
                    date: event.date,
                })
                .collect(),
            delivered_at: self.delivered_at,
            target: provider.0.target(self.target.as_deref()),
        }
    }
}

/// Dates as files give them: RFC 3339, or a plain date taken as midnight UTC.
pub mod date_time {
    use chrono::{DateTime, NaiveDate, Utc};
    use serde::{Deserialize, Deserializer};

    /// Parses RFC 3339 (`2024-04-09T12:26:18Z`) or a date (`2024-04-09`).
    pub fn parse(text: &str) -> Result<DateTime<Utc>, String> {
        let text = text.trim();
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .or_else(|_| {
                text.parse::<NaiveDate>()
                    .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
            })
            .map_err(|_| {
                format!("{text:?} is not a date-time (2024-04-09T12:26:18Z) or a date (2024-04-09)")
            })
    }

    /// Serde: an optional [`parse`]d date-time (`null` or absent: none).
    pub fn optional<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| parse(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// A field of a shipment that its provider cannot take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field, as named in files (`order_ref`, `line_items[0].id`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}
