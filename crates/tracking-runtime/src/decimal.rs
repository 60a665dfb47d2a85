//! An exact decimal with at most two places, for money and weights that
//! providers take as JSON numbers with two decimals.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A decimal with at most two places, kept exactly (in hundredths). On the
/// wire it is a JSON number (`34.38`); it never carries a binary-floating-point
/// tail such as `0.30000000000000004`, which a provider would refuse for having
/// more than two places. The spec schema `{type: number, format: decimal,
/// multipleOf: 0.01}` is generated as this type.
///
/// ```
/// use tracking_runtime::Decimal2;
/// let cost: Decimal2 = "34.38".parse()?;
/// assert_eq!(cost, Decimal2::from_hundredths(3438));
/// assert_eq!(cost.to_string(), "34.38");
/// assert_eq!(serde_json::to_string(&cost)?, "34.38");
/// assert!("34.385".parse::<Decimal2>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decimal2(i64);

/// A value that is not a decimal with at most two places.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a decimal with at most two places")]
pub struct InvalidDecimal(String);

/// Largest magnitude in hundredths that an f64 holds exactly (2^53).
const MAX_HUNDREDTHS: i64 = 1 << 53;

impl Decimal2 {
    /// `hundredths / 100`, e.g. `from_hundredths(3438)` is 34.38.
    pub const fn from_hundredths(hundredths: i64) -> Self {
        Self(hundredths)
    }

    /// The value in hundredths.
    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// The value as an `f64` (exact to two places when printed).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// A number that is a two-place decimal (up to floating-point noise, e.g.
    /// `17.2`); refuses `34.385`, NaN and infinities.
    pub fn try_from_f64(value: f64) -> Result<Self, InvalidDecimal> {
        let scaled = value * 100.0;
        let rounded = scaled.round();
        if !value.is_finite()
            || (scaled - rounded).abs() > 1e-6 * rounded.abs().max(1.0)
            || rounded.abs() > MAX_HUNDREDTHS as f64
        {
            return Err(InvalidDecimal(value.to_string()));
        }
        Ok(Self(rounded as i64))
    }
}

impl FromStr for Decimal2 {
    type Err = InvalidDecimal;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidDecimal(text.to_string());
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !all_digits(whole)
            || !all_digits(fraction)
            || fraction.len() > 2
            || digits.ends_with('.')
        {
            return Err(invalid());
        }
        let whole: i64 = whole.parse().map_err(|_| invalid())?;
        let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
        let hundredths = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(fraction))
            .filter(|h| *h <= MAX_HUNDREDTHS)
            .ok_or_else(invalid)?;
        Ok(Self(if negative { -hundredths } else { hundredths }))
    }
}

impl TryFrom<&str> for Decimal2 {
    type Error = InvalidDecimal;
    fn try_from(text: &str) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl TryFrom<f64> for Decimal2 {
    type Error = InvalidDecimal;
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Self::try_from_f64(value)
    }
}

impl From<i32> for Decimal2 {
    /// A whole number.
    fn from(whole: i32) -> Self {
        Self(i64::from(whole) * 100)
    }
}

impl fmt::Display for Decimal2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl fmt::Debug for Decimal2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal2({self})")
    }
}

impl Serialize for Decimal2 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The nearest f64 to a two-place decimal prints as that decimal.
        serializer.serialize_f64(self.to_f64())
    }
}

impl<'de> Deserialize<'de> for Decimal2 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Decimal2;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number with at most two places")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal2, E> {
                Decimal2::try_from_f64(v).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal2, E> {
                v.checked_mul(100)
                    .filter(|h| h.abs() <= MAX_HUNDREDTHS)
                    .map(Decimal2)
                    .ok_or_else(|| E::custom(InvalidDecimal(v.to_string())))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal2, E> {
                i64::try_from(v)
                    .map_err(|_| E::custom(InvalidDecimal(v.to_string())))
                    .and_then(|v| self.visit_i64(v))
            }
            // Lenient on input: some providers send decimals as strings ("27").
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal2, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_two_places_exactly() {
        for (text, hundredths, shown) in [
            ("34.38", 3438, "34.38"),
            ("27", 2700, "27.00"),
            ("0.5", 50, "0.50"),
            ("-1.05", -105, "-1.05"),
            ("0", 0, "0.00"),
        ] {
            let d: Decimal2 = text.parse().unwrap();
            assert_eq!(d.hundredths(), hundredths, "{text}");
            assert_eq!(d.to_string(), shown);
        }
        for bad in [
            "34.385",
            "",
            ".5",
            "5.",
            "1e3",
            "34,38",
            "+1",
            "--1",
            "99999999999999999999",
        ] {
            assert!(bad.parse::<Decimal2>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn json_numbers_both_ways() {
        let cases = [
            ("34.38", 3438, "34.38"),
            ("17.2", 1720, "17.2"),
            ("27", 2700, "27.0"),
            ("0.07", 7, "0.07"),
            ("\"27\"", 2700, "27.0"),
            ("1234567.89", 123456789, "1234567.89"),
        ];
        for (json, hundredths, written) in cases {
            let d: Decimal2 = serde_json::from_str(json).unwrap();
            assert_eq!(d.hundredths(), hundredths, "{json}");
            assert_eq!(serde_json::to_string(&d).unwrap(), written, "{json}");
        }
        assert_eq!(
            serde_json::to_string(&Decimal2::from_hundredths(30)).unwrap(),
            "0.3"
        );
        // Floating-point noise is not a third place: 0.1 + 0.2 is 0.30.
        assert_eq!(
            Decimal2::try_from_f64(0.1 + 0.2).unwrap(),
            Decimal2::from_hundredths(30)
        );
        for bad in ["34.385", "0.301", "true", "null", "\"x\""] {
            assert!(serde_json::from_str::<Decimal2>(bad).is_err(), "{bad}");
        }
    }
}
