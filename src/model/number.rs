//! A figure as written in YAML, and what keeps one from being published exactly.

use serde::Deserialize;

/// A figure from YAML, kept as written beside its value: a plain `f64` would take `.nan` and
/// `.inf` (which then fail deep inside a template) and silently round a 30-digit value. The
/// validator accepts only [`Number::problem`]-free values: finite, and exactly what was written.
#[derive(Debug, Clone)]
pub struct Number {
    /// The scalar as written in the YAML file, e.g. `1.5`, `.nan`, `12e3`.
    pub raw: String,
    /// Its value as read (NaN or infinite for `.nan`/`.inf`, or when it overflows).
    pub value: f64,
}

/// Why a [`Number`] cannot be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberProblem {
    /// `.nan`, `.inf` or beyond the range of a double.
    NotFinite,
    /// An integer beyond 2^53, which a double cannot hold exactly.
    TooLargeInteger,
    /// More than [`Number::MAX_DIGITS`] significant digits.
    TooManyDigits,
}

impl Number {
    /// Every decimal of at most 15 significant digits survives a round trip through a double.
    pub const MAX_DIGITS: usize = 15;
    /// 2^53: every integer up to it is exactly a double.
    pub const MAX_INTEGER: u64 = 1 << 53;

    pub fn get(&self) -> f64 {
        self.value
    }

    /// Reads a YAML 1.2 core-schema number (`12`, `-1.5`, `2e3`, `.5`, `.inf`, `.NaN`, and `_`
    /// as a digit separator as YAML 1.1 allowed); `None` if `raw` is not a number.
    pub fn parse(raw: &str) -> Option<Number> {
        let text = raw.trim();
        let lower = text.to_ascii_lowercase();
        let unsigned = lower.trim_start_matches(['+', '-']);
        let value = match unsigned {
            ".nan" => f64::NAN,
            ".inf" => f64::INFINITY,
            _ => {
                let plain: String = lower.chars().filter(|c| *c != '_').collect();
                let valid = plain.chars().any(|c| c.is_ascii_digit())
                    && plain.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e'));
                if !valid {
                    return None;
                }
                plain.parse::<f64>().ok()?
            }
        };
        Some(Number { raw: text.to_owned(), value })
    }

    /// What keeps this value from being published exactly as written, if anything.
    pub fn problem(&self) -> Option<NumberProblem> {
        if !self.value.is_finite() {
            return Some(NumberProblem::NotFinite);
        }
        let mantissa = self.raw.split(['e', 'E']).next().unwrap_or_default();
        let is_integer = mantissa.len() == self.raw.len() && !mantissa.contains('.');
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let digits = digits.trim_start_matches('0');
        // Compared as written: 2^53 + 1 reads as the double 2^53.
        if is_integer && (digits.len() > 16 || digits.parse::<u64>().unwrap_or(0) > Self::MAX_INTEGER) {
            return Some(NumberProblem::TooLargeInteger);
        }
        // Trailing zeros of a decimal fraction (`1.50`) change nothing; those of an integer do.
        let significant = if mantissa.contains('.') { digits.trim_end_matches('0') } else { digits };
        if !is_integer && significant.len() > Self::MAX_DIGITS {
            return Some(NumberProblem::TooManyDigits);
        }
        None
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Number, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Number, E> {
                Number::parse(v).ok_or_else(|| E::custom(format!("{} `{v}`", crate::content::yaml::NOT_A_NUMBER)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number { raw: v.to_string(), value: v })
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number { raw: v.to_string(), value: v as f64 })
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number { raw: v.to_string(), value: v as f64 })
            }
        }
        // As a string: the scalar exactly as written, before any rounding to a double.
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(raw: &str) -> Option<NumberProblem> {
        Number::parse(raw).expect(raw).problem()
    }

    #[test]
    fn numbers_must_be_exact() {
        for ok in ["0", "-3", "1.5", "1.50", "9007199254740992", "123456789.012345", "1e6", ".5", "1_000", "0.000000000000001"] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for bad in [".nan", ".NaN", ".inf", "-.Inf", "1e400"] {
            assert_eq!(problem(bad), Some(NumberProblem::NotFinite), "{bad}");
        }
        for bad in ["9007199254740993", "123456789012345678901234567890"] {
            assert_eq!(problem(bad), Some(NumberProblem::TooLargeInteger), "{bad}");
        }
        for bad in ["0.1234567890123456", "1234567890.123456789", "1.2345678901234567e3"] {
            assert_eq!(problem(bad), Some(NumberProblem::TooManyDigits), "{bad}");
        }
        for not_a_number in ["abc", "", "1-2", "0x1f", "e5"] {
            assert!(Number::parse(not_a_number).is_none(), "{not_a_number}");
        }
    }
}
