//! Localised dates, numbers and money. The patterns come from the theme's `i18n/<lang>.yaml`
//! (keys `date_format`, `month_1`…`month_12`, `group_separator`, `decimal_separator`,
//! `money_scale`, `money_format`, `measure_format`), so a new language needs no code.

use std::collections::BTreeMap;

use crate::model::MetricKind;

#[derive(Debug, Clone)]
pub struct Formats {
    date_format: String,
    months: Vec<String>,
    group_separator: String,
    decimal_separator: String,
    money_scale: f64,
    money_format: String,
    measure_format: String,
    /// Unit → its form after the number 1 (`events` → `event`), from the metrics' `unit_one`.
    units_one: BTreeMap<String, String>,
}

impl Formats {
    pub fn from_strings(t: &BTreeMap<String, String>) -> Formats {
        let get = |k: &str, d: &str| t.get(k).cloned().unwrap_or_else(|| d.to_owned());
        Formats {
            date_format: get("date_format", "{year}-{month:02}-{day:02}"),
            months: (1..=12).map(|m| get(&format!("month_{m}"), &m.to_string())).collect(),
            group_separator: get("group_separator", ","),
            decimal_separator: get("decimal_separator", "."),
            money_scale: t.get("money_scale").and_then(|s| s.parse().ok()).unwrap_or(1.0),
            money_format: get("money_format", "{value} CNY"),
            measure_format: get("measure_format", "{value} {unit}"),
            units_one: BTreeMap::new(),
        }
    }

    /// Adds the singular forms of units (`events` → `event`) used after the number 1.
    pub fn with_units_one(mut self, pairs: impl IntoIterator<Item = (String, String)>) -> Formats {
        self.units_one.extend(pairs);
        self
    }

    /// `2011-03-05` → `2011年3月5日` / `5 March 2011`. Anything unparsable is returned as is.
    pub fn date(&self, iso: &str) -> String {
        let mut parts = iso.splitn(3, '-').map(|p| p.parse::<u32>());
        let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) = (parts.next(), parts.next(), parts.next()) else {
            return iso.to_owned();
        };
        if !(1..=12).contains(&month) {
            return iso.to_owned();
        }
        self.date_format
            .replace("{year}", &year.to_string())
            .replace("{month_name}", &self.months[month as usize - 1])
            .replace("{month:02}", &format!("{month:02}"))
            .replace("{day:02}", &format!("{day:02}"))
            .replace("{month}", &month.to_string())
            .replace("{day}", &day.to_string())
    }

    /// Grouped digits, at most `decimals` decimals, trailing zeros dropped: `1,234.5`.
    pub fn number_with(&self, value: f64, decimals: usize) -> String {
        let formatted = format!("{:.*}", decimals, value.abs());
        let (int, frac) = formatted.split_once('.').unwrap_or((&formatted, ""));
        let frac = frac.trim_end_matches('0');
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push_str(&self.group_separator);
            }
            grouped.push(c);
        }
        let sign = if value < 0.0 && formatted.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
        if frac.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{}{frac}", self.decimal_separator)
        }
    }

    pub fn number(&self, value: f64) -> String {
        self.number_with(value, 2)
    }

    /// Yuan → `12,800 万元` / `CNY 128 million`.
    pub fn money(&self, yuan: f64) -> String {
        let scaled = yuan / self.money_scale;
        self.money_format.replace("{value}", &self.number_with(scaled, 2))
    }

    /// A value of a metric of `kind`, in `unit` (a count's unit inflected after 1).
    pub fn measure(&self, value: f64, kind: MetricKind, unit: &str) -> String {
        match kind {
            MetricKind::Money => self.money(value),
            MetricKind::Percent => format!("{}%", self.number_with(value, 2)),
            MetricKind::Count => {
                let unit = if value == 1.0 { self.units_one.get(unit).map(String::as_str).unwrap_or(unit) } else { unit };
                self.measure_format.replace("{value}", &self.number(value)).replace("{unit}", unit)
            }
        }
    }

    /// A value as a chart writes it beside its bar and in its table, the unit being named by
    /// the chart's axis label ([`Formats::unit_name`]): `38,400`, `85%`, `12,800` (万元).
    pub fn short(&self, value: f64, kind: MetricKind) -> String {
        match kind {
            MetricKind::Money => self.number_with(value / self.money_scale, 2),
            MetricKind::Percent => format!("{}%", self.number_with(value, 2)),
            MetricKind::Count => self.number(value),
        }
    }

    /// The unit [`Formats::short`] leaves out: the count's unit, `%`, or the money format
    /// without its number (`万元`, `CNY million`).
    pub fn unit_name(&self, kind: MetricKind, unit: &str) -> String {
        match kind {
            MetricKind::Money => self.money_format.replace("{value}", " ").split_whitespace().collect::<Vec<_>>().join(" "),
            MetricKind::Percent => "%".to_owned(),
            MetricKind::Count => unit.to_owned(),
        }
    }

    /// [`Formats::measure`] with the kind named as a template names it (`kind="percent"`, the
    /// names of metrics.yaml, read by the model's own serde names); an unknown name is a count.
    pub fn measure_named(&self, value: f64, kind: &str, unit: &str) -> String {
        use serde::de::{value::StrDeserializer, Deserialize};
        let kind = MetricKind::deserialize(StrDeserializer::<serde::de::value::Error>::new(kind)).unwrap_or(MetricKind::Count);
        self.measure(value, kind, unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh() -> Formats {
        let t: BTreeMap<String, String> = [
            ("date_format", "{year}年{month}月{day}日"),
            ("money_scale", "10000"),
            ("money_format", "{value} 万元"),
            ("measure_format", "{value} {unit}"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        Formats::from_strings(&t)
    }

    fn en() -> Formats {
        let mut t: BTreeMap<String, String> =
            [("date_format", "{day} {month_name} {year}"), ("money_scale", "1000000"), ("money_format", "CNY {value} million")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
        t.insert("month_3".into(), "March".into());
        Formats::from_strings(&t)
    }

    #[test]
    fn dates() {
        assert_eq!(zh().date("2011-03-05"), "2011年3月5日");
        assert_eq!(en().date("2011-03-05"), "5 March 2011");
        assert_eq!(en().date("soon"), "soon");
    }

    #[test]
    fn money_and_numbers() {
        assert_eq!(zh().money(12_345_000.0), "1,234.5 万元");
        assert_eq!(en().money(12_300_000.0), "CNY 12.3 million");
        assert_eq!(zh().number(1234567.0), "1,234,567");
        assert_eq!(zh().number(-0.5), "-0.5");
        assert_eq!(zh().measure(2.5, MetricKind::Percent, "%"), "2.5%");
        assert_eq!(zh().measure(12.0, MetricKind::Count, "项"), "12 项");
        assert_eq!(zh().measure_named(2.5, "percent", "%"), "2.5%", "a template names the kind as metrics.yaml does");
        assert_eq!(zh().measure_named(1.0, "money", ""), zh().money(1.0));
        assert_eq!(zh().measure_named(12.0, "no such kind", "项"), "12 项", "an unknown kind is a count");
    }

    #[test]
    fn the_unit_after_one_is_singular() {
        let en = en().with_units_one([("events".to_owned(), "event".to_owned())]);
        assert_eq!(en.measure_named(1.0, "count", "events"), "1 event");
        assert_eq!(en.measure(2.0, MetricKind::Count, "events"), "2 events");
        assert_eq!(en.measure(1.0, MetricKind::Count, "yuan"), "1 yuan");
    }
}
