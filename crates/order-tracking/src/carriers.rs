//! The carrier table: one row per carrier, the names people write it by
//! (`UPS`, `FedEx`, `DHL Express`), and its code at each platform that
//! needs one. A row names a carrier once, as people write it; each
//! provider's module maps it through [`find`]. A carrier the table lacks
//! is refused, with the nearest names, where the platform needs a code:
//! sending the name as it came would lose the link, or be refused.
//!
//! The README shows the table; a new platform adds its column here.

/// One carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Carrier {
    /// The name shown for it, first of the names it is found by.
    pub name: &'static str,
    /// Other names and spellings people write.
    pub aliases: &'static [&'static str],
    /// BigCommerce's `tracking_carrier`: its AfterShip courier slug.
    pub bigcommerce: Option<&'static str>,
    /// eBay's `shippingCarrierCode`: its Trading API ShippingCarrierCodeType
    /// value, where eBay has one (it has none for Canada Post, Correios or
    /// Purolator).
    pub ebay: Option<&'static str>,
    /// Amazon's `carrierCode`, where the table has Amazon's code for it;
    /// the others go as `Other`, with the carrier's name as `carrierName`.
    pub amazon: Option<&'static str>,
    /// Walmart's `carrierName.carrier`, where Walmart names it; the others
    /// go as `otherCarrier`, with their tracking URL.
    pub walmart: Option<&'static str>,
}

/// Every carrier the project knows.
pub const CARRIERS: &[Carrier] = &[
    carrier("UPS", &["United Parcel Service"], "ups", Some("UPS"))
        .on_amazon("UPS")
        .on_walmart("UPS"),
    carrier(
        "FedEx",
        &["Federal Express", "FedEx Ground"],
        "fedex",
        Some("FedEx"),
    )
    .on_amazon("FedEx")
    .on_walmart("FedEx"),
    carrier(
        "USPS",
        &["United States Postal Service", "US Postal Service"],
        "usps",
        Some("USPS"),
    )
    .on_amazon("USPS")
    .on_walmart("USPS"),
    carrier("DHL Express", &["DHL"], "dhl", Some("DHL")).on_amazon("DHL"),
    carrier(
        "DHL eCommerce",
        &["DHL Global Mail", "DHL eCommerce Solutions"],
        "dhl-global-mail",
        Some("DHLGlobalMail"),
    )
    .on_walmart("DHL Ecommerce - US"),
    carrier("Canada Post", &["Postes Canada"], "canada-post", None).on_walmart("Canada Post"),
    carrier("Royal Mail", &[], "royal-mail", Some("RoyalMail")).on_walmart("Royal Mail"),
    carrier(
        "Australia Post",
        &["AusPost"],
        "australia-post",
        Some("AustraliaPost"),
    ),
    carrier("Correios", &["Correios Brazil"], "brazil-correios", None),
    // eBay still codes OnTrac as ONTRACK, and LaserShip by the name of
    // Prestige Expedite, which it took over.
    carrier("OnTrac", &[], "ontrac", Some("ONTRACK")).on_walmart("OnTrac"),
    carrier("LaserShip", &[], "lasership", Some("Prestige")).on_walmart("LS"),
    carrier("Purolator", &[], "purolator", None),
    carrier("DPD", &[], "dpd", Some("DPD")),
    carrier("GLS", &[], "gls", Some("GLS")).on_walmart("GLS"),
];

const fn carrier(
    name: &'static str,
    aliases: &'static [&'static str],
    bigcommerce: &'static str,
    ebay: Option<&'static str>,
) -> Carrier {
    Carrier {
        name,
        aliases,
        bigcommerce: Some(bigcommerce),
        ebay,
        amazon: None,
        walmart: None,
    }
}

impl Carrier {
    /// With Amazon's code for it, from Amazon's published carrier codes;
    /// not tried against Amazon (specs/README.md, open questions).
    const fn on_amazon(mut self, code: &'static str) -> Self {
        self.amazon = Some(code);
        self
    }

    /// With Walmart's name for it, from the enum of Walmart's Orders API
    /// document.
    const fn on_walmart(mut self, name: &'static str) -> Self {
        self.walmart = Some(name);
        self
    }
}

/// How names compare: case, spaces, hyphens, dots and underscores aside.
fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The carrier a row names, by any of its names; else an error naming the
/// nearest known names.
pub fn find(name: &str) -> Result<&'static Carrier, String> {
    let wanted = folded(name);
    let names = |c: &'static Carrier| std::iter::once(c.name).chain(c.aliases.iter().copied());
    if let Some(found) = CARRIERS
        .iter()
        .find(|c| names(c).any(|n| folded(n) == wanted))
    {
        return Ok(found);
    }
    let mut nearest: Vec<(f64, &str)> = CARRIERS
        .iter()
        .map(|c| {
            let score = names(c)
                .map(|n| strsim::jaro_winkler(&folded(n), &wanted))
                .fold(0.0, f64::max);
            (score, c.name)
        })
        .collect();
    nearest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let nearest: Vec<&str> = nearest.iter().take(3).map(|(_, n)| *n).collect();
    Err(format!(
        "unknown carrier {:?}: the carrier table has no such name (nearest: {}; the README lists them all)",
        name.trim(),
        nearest.join(", ")
    ))
}

/// The code a platform takes for the carrier a row names: `column` of its
/// row of the table (`|c| c.ebay`), parsed as the platform's type; else an
/// error naming the nearest names, or saying the platform (`what`: "eBay's
/// carrier code") has none for it.
pub fn code<T: std::str::FromStr>(
    name: &str,
    what: &str,
    column: fn(&Carrier) -> Option<&'static str>,
) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    let found = find(name)?;
    let code = column(found).ok_or_else(|| {
        format!(
            "the carrier table has no {what} for {}: that platform cannot link its tracking numbers",
            found.name
        )
    })?;
    code.parse().map_err(|e: T::Err| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_carrier_is_found_by_any_of_its_names_as_people_write_them() {
        assert_eq!(find("UPS").unwrap().name, "UPS");
        assert_eq!(find(" ups ").unwrap().name, "UPS");
        assert_eq!(find("Fed-Ex").unwrap().name, "FedEx");
        assert_eq!(find("dhl").unwrap().name, "DHL Express");
        assert_eq!(find("DHL_eCommerce").unwrap().name, "DHL eCommerce");
        assert_eq!(
            find("Correios Brazil").unwrap().bigcommerce,
            Some("brazil-correios")
        );
    }

    #[test]
    fn an_unknown_carrier_is_refused_with_the_nearest_names() {
        let error = find("Fedx Freight").unwrap_err();
        assert!(
            error.contains("unknown carrier \"Fedx Freight\""),
            "{error}"
        );
        assert!(error.contains("nearest: FedEx"), "{error}");
    }

    #[test]
    fn no_two_carriers_share_a_name() {
        let mut seen = std::collections::HashSet::new();
        for c in CARRIERS {
            for n in std::iter::once(c.name).chain(c.aliases.iter().copied()) {
                assert!(seen.insert(folded(n)), "{n} names two carriers");
            }
        }
    }
}
