//! A package shipped, told to BigCommerce (a shipment of an order), to
//! eBay (a shipping fulfillment, with a user token refreshed by the client)
//! to Amazon (a shipment confirmation, with a Login with Amazon token) and
//! to Walmart (a shipping update of an order's line, with a client token).

/// Records on BigCommerce order `order_id` a shipment of `quantity` of
/// order product `product` to address `address`, with `tracking` by UPS;
/// the new shipment's id.
pub async fn ship_on_bigcommerce(
    client: &bigcommerce_client::Client,
    order_id: u64,
    address: u64,
    product: u64,
    quantity: u64,
    tracking: &str,
) -> Result<Option<i64>, Box<dyn std::error::Error>> {
    use bigcommerce_client::types;
    let shipment = client
        .create_order_shipments()
        .order_id(order_id)
        .body(types::ShipmentCreate {
            order_address_id: address,
            items: vec![types::ShipmentItem {
                order_product_id: product,
                quantity,
            }],
            tracking_number: Some(tracking.parse()?),
            tracking_carrier: Some(types::TrackingCarrier::Ups),
            tracking_link: None,
            shipping_method: None,
            comments: None,
        })
        .send()
        .await?;
    Ok(shipment.into_inner().id)
}

/// Marks `quantity` of eBay line item `line_item` of order `order_id`
/// shipped by USPS with `tracking`; the new fulfillment's URI.
pub async fn ship_on_ebay(
    client: &ebay_client::Client,
    order_id: &str,
    line_item: &str,
    quantity: u32,
    tracking: &str,
) -> Result<Option<String>, Box<dyn std::error::Error>> {
    use ebay_client::types;
    let quantity = std::num::NonZeroU32::new(quantity).ok_or("a quantity of 0")?;
    let created = client
        .create_shipping_fulfillment()
        .order_id(order_id)
        .body(types::ShippingFulfillmentDetails {
            line_items: vec![types::LineItemReference {
                line_item_id: line_item.parse()?,
                quantity,
            }],
            shipped_date: None,
            shipping_carrier_code: types::ShippingCarrierCode::Usps,
            tracking_number: tracking.parse()?,
        })
        .send()
        .await?;
    Ok(created
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string))
}

/// Confirms on Amazon order `order_id` (in the United States marketplace)
/// a package `reference` of `quantity` of order item `item`, shipped now
/// by UPS with `tracking`.
pub async fn ship_on_amazon(
    client: &amazon_client::Client,
    order_id: &str,
    item: &str,
    quantity: u32,
    reference: u32,
    tracking: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    use amazon_client::types;
    let quantity = std::num::NonZeroU32::new(quantity).ok_or("a quantity of 0")?;
    client
        .confirm_shipment()
        .order_id(order_id)
        .body(types::ConfirmShipmentRequest {
            cod_collection_method: None,
            marketplace_id: "ATVPDKIKX0DER".parse()?,
            package_detail: types::PackageDetail {
                carrier_code: types::CarrierCode::Ups,
                carrier_name: None,
                order_items: vec![types::ConfirmShipmentOrderItem {
                    order_item_id: item.parse()?,
                    quantity,
                    transparency_codes: Vec::new(),
                }],
                package_reference_id: reference.to_string().parse()?,
                ship_date: chrono::Utc::now(),
                ship_from_supply_source_id: None,
                shipping_method: None,
                tracking_number: tracking.parse()?,
            },
        })
        .send()
        .await?;
    Ok(())
}

/// Marks `quantity` of line `line` of Walmart purchase order `order_id`
/// (seller order `seller_order_id`) shipped now by UPS, standard, with
/// `tracking`.
pub async fn ship_on_walmart(
    client: &walmart_client::Client,
    order_id: &str,
    line: &str,
    seller_order_id: &str,
    quantity: u32,
    tracking: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    use walmart_client::types;
    let status = types::ShipLineStatus {
        status: types::ShipLineStatusStatus::Shipped,
        status_quantity: types::ShipQuantity {
            amount: quantity.to_string().parse()?,
            unit_of_measurement: types::ShipQuantityUnitOfMeasurement::Each,
        },
        tracking_info: types::TrackingInfo {
            carrier_name: types::CarrierName {
                carrier: Some(types::Carrier::Ups),
                other_carrier: None,
            },
            method_code: types::MethodCode::Standard,
            ship_date_time: chrono::Utc::now().timestamp_millis(),
            tracking_number: tracking.parse()?,
            tracking_url: None,
        },
    };
    client
        .shipping_updates()
        .purchase_order_id(order_id)
        .body(types::OrderShipment {
            order_shipment: types::OrderShipmentRecord {
                order_lines: types::ShippingLines {
                    order_line: vec![types::ShippingLine {
                        line_number: line.parse()?,
                        seller_order_id: seller_order_id.parse()?,
                        order_line_statuses: types::ShipLineStatuses {
                            order_line_status: [status],
                        },
                    }],
                },
            },
        })
        .send()
        .await?;
    Ok(())
}
