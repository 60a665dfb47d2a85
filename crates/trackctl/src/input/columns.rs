//! A CSV header's names, matched to the columns trackctl reads.
//!
//! A name matches a column whatever its case, spaces, hyphens or
//! underscores (`Tracking Number` is `tracking_number`), or through a
//! documented alias (`order_id` is `order_ref`). Any other name is refused
//! unless `--ignore-column` names it: a misspelled column would be read as
//! absent, which changes what is sent (a VTEX row without its
//! `invoice_value` goes out as tracking onto an existing invoice).

use super::CSV_COLUMNS;

/// Other names of the columns, as exports spell them (compared as
/// [`normal`] makes them).
pub const ALIASES: &[(&str, &str)] = &[
    ("order", "order_ref"),
    ("order_id", "order_ref"),
    ("order_number", "order_ref"),
    ("tracking", "tracking_number"),
    ("tracking_no", "tracking_number"),
    ("tracking_code", "tracking_number"),
    ("tracking_link", "tracking_url"),
    ("ship_date", "shipped_at"),
    ("shipped_date", "shipped_at"),
    ("shipped_on", "shipped_at"),
    ("delivered_date", "delivered_at"),
    ("delivered_on", "delivered_at"),
    ("shipping_cost", "cost"),
    ("shipping_method", "service"),
    ("shipping_carrier", "carrier"),
    ("invoice", "invoice_number"),
    ("invoice_no", "invoice_number"),
    ("items", "line_items"),
];

/// A name without case, spaces, hyphens or underscores.
fn normal(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\t'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column `name` means, if any.
pub fn column(name: &str) -> Option<&'static str> {
    let name = normal(name);
    CSV_COLUMNS
        .iter()
        .copied()
        .find(|c| normal(c) == name)
        .or_else(|| {
            ALIASES
                .iter()
                .find(|(alias, _)| normal(alias) == name)
                .map(|(_, column)| *column)
        })
}

/// The known name closest to `name`, if it is close enough to be a typo:
/// at most two letters added, dropped, changed or swapped (and fewer than a
/// third of the name), so that `invoice_valeu` is `invoice_value` but
/// `order_date` is no `order_ref`.
pub fn suggestion(name: &str) -> Option<&'static str> {
    let name = normal(name);
    CSV_COLUMNS
        .iter()
        .map(|c| (*c, *c))
        .chain(ALIASES.iter().copied())
        .map(|(spelled, column)| (strsim::damerau_levenshtein(&normal(spelled), &name), column))
        .filter(|(distance, _)| *distance <= 2 && *distance * 3 < name.chars().count())
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, column)| column)
}

/// Whether `name` is one of `ignored` (`--ignore-column`), compared as
/// columns are.
pub fn is_ignored(name: &str, ignored: &[String]) -> bool {
    ignored.iter().any(|i| normal(i) == normal(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whatever_their_case_spacing_or_alias() {
        assert_eq!(column("Tracking Number"), Some("tracking_number"));
        assert_eq!(column("trackingurl"), Some("tracking_url"));
        assert_eq!(column(" ORDER-REF "), Some("order_ref"));
        assert_eq!(column("Order ID"), Some("order_ref"));
        assert_eq!(column("invoice_valeu"), None);
        assert_eq!(column("colour"), None);
    }

    #[test]
    fn a_typo_gets_the_column_it_is_close_to() {
        assert_eq!(suggestion("invoice_valeu"), Some("invoice_value"));
        assert_eq!(suggestion("carier"), Some("carrier"));
        assert_eq!(suggestion("trackign_number"), Some("tracking_number"));
        assert_eq!(suggestion("colour"), None);
        for unrelated in [
            "order_date",
            "order_status",
            "invoice_date",
            "tracking_status",
        ] {
            assert_eq!(suggestion(unrelated), None, "{unrelated}");
        }
    }

    #[test]
    fn every_alias_names_a_column_and_no_alias_is_a_column() {
        for (alias, column) in ALIASES {
            assert!(CSV_COLUMNS.contains(column), "{alias} -> {column}");
            assert!(
                !CSV_COLUMNS.iter().any(|c| normal(c) == normal(alias)),
                "{alias}"
            );
        }
    }
}
