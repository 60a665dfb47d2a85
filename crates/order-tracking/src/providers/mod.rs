//! The providers, one module each, and the one list that registers them.
//! A provider's module holds everything it does with a shipment: its
//! calls, its checks, its journal key, its change plan, its lookup, its
//! settings and its credentials for the mock. Each adds a
//! [`Provider`](crate::Provider) constant, and its generated client
//! becomes a [`ProviderClient`](crate::ProviderClient).

pub mod amazon;
pub mod bigcommerce;
pub mod crux;
pub mod ebay;
pub mod sellercloud;
pub mod vtex_oms;
pub mod walmart;

use crate::provider::Platform;

/// Every provider: the registry. A new provider is one module above and
/// one entry here.
pub(crate) static ALL: &[&dyn Platform] = &[
    &crux::Crux,
    &vtex_oms::VtexOms,
    &sellercloud::SellerCloud,
    &bigcommerce::BigCommerce,
    &ebay::Ebay,
    &amazon::Amazon,
    &walmart::Walmart,
];
