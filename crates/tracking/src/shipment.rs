//! The provider-neutral shipment, as users write it in a file or build it in code.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tracking_runtime::Decimal2;

/// Where a shipment's tracking goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Provider {
    /// Crux (`crux`).
    #[serde(rename = "crux")]
    Crux,
    /// VTEX OMS (`vtex-oms`, or `vtex`).
    #[serde(rename = "vtex-oms", alias = "vtex")]
    VtexOms,
    /// SellerCloud (`sellercloud`).
    #[serde(rename = "sellercloud")]
    SellerCloud,
}

impl Provider {
    /// Every provider.
    pub const ALL: [Provider; 3] = [Provider::Crux, Provider::VtexOms, Provider::SellerCloud];

    /// The name used in files, flags and the mock: `crux`, `vtex-oms`, `sellercloud`.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Crux => "crux",
            Provider::VtexOms => "vtex-oms",
            Provider::SellerCloud => "sellercloud",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Provider {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "crux" => Ok(Provider::Crux),
            "vtex-oms" | "vtex" => Ok(Provider::VtexOms),
            "sellercloud" => Ok(Provider::SellerCloud),
            other => Err(format!(
                "unknown provider {other:?} (crux, vtex-oms, sellercloud)"
            )),
        }
    }
}

/// Which SellerCloud record the tracking goes to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SellerCloudTarget {
    /// A sales order's shipping status (`updateOrderShippingStatus`). The default.
    #[default]
    Order,
    /// A purchase order, single tracking (`updatePurchaseOrderTracking`).
    Po,
    /// A purchase order, multiple tracking (`addPurchaseOrderTrackingNumbers`).
    PoMultiple,
}

impl FromStr for SellerCloudTarget {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "order" => Ok(Self::Order),
            "po" => Ok(Self::Po),
            "po-multiple" => Ok(Self::PoMultiple),
            other => Err(format!("unknown target {other:?} (order, po, po-multiple)")),
        }
    }
}

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
    /// The order at the provider: Crux order UUID, VTEX order id, SellerCloud
    /// sales-order or purchase-order id.
    pub order_ref: String,
    /// The carrier's tracking number.
    pub tracking_number: String,
    /// The carrier, e.g. UPS.
    #[serde(default)]
    pub carrier: Option<String>,
    /// The carrier's service or method, e.g. Ground.
    #[serde(default)]
    pub service: Option<String>,
    /// When it shipped.
    #[serde(default)]
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
    /// VTEX: when the package was delivered (reported with the events).
    #[serde(default)]
    pub delivered_at: Option<DateTime<Utc>>,
    /// SellerCloud: which record (default: the sales order).
    #[serde(default)]
    pub target: Option<SellerCloudTarget>,
}

impl Shipment {
    /// The shipment's identity, for journals: provider, order, tracking
    /// number (and invoice). Two rows with the same key are the same push.
    pub fn key(&self, provider: Provider) -> String {
        format!(
            "{provider}|{}|{}|{}",
            self.order_ref.trim(),
            self.tracking_number.trim(),
            self.invoice_number.as_deref().unwrap_or_default().trim()
        )
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
