//! Reading one cell as a figure, a date or a list of ids, and saying what is wrong with it the
//! way the hand-written YAML is judged: numbers stored as text, full-width digits `１２３`,
//! thousands separators, `万元` where yuan are meant, Excel serials where a date is meant.
//! Each problem carries, where it can, the value the editor probably meant, for the hint.

use super::sheet::{number_text, serial_date, Raw};
use crate::model::Number;

/// What is wrong with a cell, in both languages, with the fix when one is clear.
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    pub code: &'static str,
    pub en: String,
    pub zh: String,
    pub help_en: String,
    pub help_zh: String,
}

fn problem(code: &'static str, en: String, zh: String, help_en: String, help_zh: String) -> CellProblem {
    CellProblem { code, en, zh, help_en, help_zh }
}

/// Full-width digits and punctuation as their ASCII forms (`１２３．５` → `123.5`).
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' | '．' | '，' | '－' | '＋' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '　' => ' ',
            _ => c,
        })
        .collect()
}

/// `1,234,567.5` (or with full-width commas): the number without its separators.
fn without_thousands(s: &str) -> Option<String> {
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let groups: Vec<&str> = int.trim_start_matches('-').split(',').collect();
    let ok = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| {
        format!("{}{}{}", if int.starts_with('-') { "-" } else { "" }, groups.concat(), frac.map(|f| format!(".{f}")).unwrap_or_default())
    })
}

/// A figure from a cell. `typed`: the file has cell types (a workbook), so a number written as
/// text is a problem. `yuan`: the metric is money, stored in yuan.
pub fn figure(raw: &Raw, typed: bool, yuan: bool) -> Result<Number, CellProblem> {
    let text = match raw {
        Raw::Number(n) => {
            let number = Number { raw: number_text(*n), value: *n };
            return exact(number);
        }
        Raw::Text(s) => s.trim().to_owned(),
        Raw::Date(d) => {
            return Err(problem(
                "E-import",
                format!("a date ({}) where a figure is expected", serial_date(*d).unwrap_or_default()),
                format!("此处应为数值，却是日期（{}）", serial_date(*d).unwrap_or_default()),
                "set the cell's format to Number and type the figure".into(),
                "请把单元格格式设为“数值”，再填写数字".into(),
            ))
        }
        other => {
            let t = other.text();
            return Err(problem(
                "E-import",
                format!("`{t}` is not a figure"),
                format!("`{t}` 不是数值"),
                "type the figure as a plain number".into(),
                "请填写纯数字".into(),
            ));
        }
    };
    let half = half_width(&text);
    if half != text {
        let fixed = without_thousands(&half).unwrap_or_else(|| half.clone());
        return Err(problem(
            "E-import",
            format!("`{text}` is written with full-width digits"),
            format!("`{text}` 使用了全角数字"),
            format!("type it with half-width digits: {fixed}"),
            format!("请改用半角数字：{fixed}"),
        ));
    }
    if let Some(value) = wan(&text) {
        let yuan_text = number_text(value * 10_000.0);
        let (help_en, help_zh) = if yuan {
            (format!("figures of money are in yuan: write {yuan_text}"), format!("金额一律以元为单位：请填写 {yuan_text}"))
        } else {
            (format!("write the figure alone: {yuan_text}"), format!("请只填写数字：{yuan_text}"))
        };
        return Err(problem("E-import", format!("`{text}` is in 万 (ten thousands)"), format!("`{text}` 以“万”为单位"), help_en, help_zh));
    }
    if let Some(plain) = without_thousands(&text) {
        return Err(problem(
            "E-import",
            format!("`{text}` has thousands separators"),
            format!("`{text}` 带有千位分隔符"),
            format!("write it without separators: {plain}"),
            format!("请去掉分隔符：{plain}"),
        ));
    }
    let Some(number) = Number::parse(&text).filter(|_| !text.contains('_')) else {
        return Err(problem(
            "E-import",
            format!("`{text}` is not a figure"),
            format!("`{text}` 不是数值"),
            "write the figure alone, without its unit or words".into(),
            "请只填写数字，不要带单位或文字".into(),
        ));
    };
    if typed {
        return Err(problem(
            "E-import",
            format!("the figure `{text}` is stored as text"),
            format!("数值 `{text}` 以文本形式保存"),
            "set the cell's format to Number (Excel marks such cells with a green triangle: Convert to Number)".into(),
            "请把单元格格式设为“数值”（Excel 在这类单元格左上角显示绿色三角，可选“转换为数字”）".into(),
        ));
    }
    exact(number)
}

/// `12.5万`, `12.5 万元`: the value in ten thousands.
fn wan(text: &str) -> Option<f64> {
    let t = text.trim_end_matches('元').trim_end();
    let t = t.strip_suffix('万')?.trim();
    t.parse::<f64>().ok()
}

fn exact(number: Number) -> Result<Number, CellProblem> {
    match number.problem() {
        None => Ok(number),
        Some(_) => Err(problem(
            "E-number",
            format!("`{}` cannot be published exactly (not finite, or more than 15 significant digits)", number.raw),
            format!("`{}` 无法准确发布（不是有限数，或有效数字超过 15 位）", number.raw),
            "round the figure to at most 15 significant digits".into(),
            "请把数值舍入到不超过 15 位有效数字".into(),
        )),
    }
}

/// A date from a cell: a date cell, or text `YYYY-MM-DD`.
pub fn date(raw: &Raw) -> Result<String, CellProblem> {
    let serial_problem = |serial: f64| {
        let d = serial_date(serial).unwrap_or_default();
        problem(
            "E-date",
            format!("`{}` is an Excel date serial, not a date", number_text(serial)),
            format!("`{}` 是 Excel 日期序列号，不是日期", number_text(serial)),
            format!("set the cell's format to Date, or write {d}"),
            format!("请把单元格格式设为“日期”，或写成 {d}"),
        )
    };
    match raw {
        Raw::Date(d) => serial_date(*d).ok_or_else(|| serial_problem(*d)),
        Raw::Number(n) => Err(serial_problem(*n)),
        other => {
            let text = half_width(&other.text());
            if crate::validate::is_valid_date(&text) {
                return Ok(text);
            }
            if let Ok(serial) = text.parse::<f64>() {
                return Err(serial_problem(serial));
            }
            Err(problem(
                "E-date",
                format!("`{text}` is not a date"),
                format!("`{text}` 不是有效日期"),
                "write the date as YYYY-MM-DD, e.g. 2011-10-18".into(),
                "请写成 YYYY-MM-DD，例如 2011-10-18".into(),
            ))
        }
    }
}

/// The ids in a cell: separated by spaces, commas or `、`; a drop-down entry `talent 人才` gives
/// its id (the words after it are the name shown beside it).
pub fn ids(raw: &Raw) -> Vec<String> {
    let text = half_width(&raw.text());
    let tokens: Vec<&str> =
        text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '、' | ';' | '；')).filter(|t| !t.is_empty()).collect();
    if tokens.iter().any(|t| t.is_ascii()) {
        tokens.into_iter().filter(|t| t.is_ascii()).map(str::to_owned).collect()
    } else {
        tokens.into_iter().map(str::to_owned).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Raw {
        Raw::Text(s.to_owned())
    }

    #[test]
    fn figures() {
        assert_eq!(figure(&Raw::Number(2400.0), true, false).unwrap().raw, "2400");
        assert_eq!(figure(&text("1.8"), false, false).unwrap().raw, "1.8");
        assert!(figure(&text("1.8"), true, false).unwrap_err().zh.contains("文本"));
        assert!(figure(&text("１２３"), false, false).unwrap_err().help_zh.contains("123"));
        assert!(figure(&text("1,234,567"), false, false).unwrap_err().help_zh.contains("1234567"));
        assert!(figure(&text("12.5万元"), false, true).unwrap_err().help_zh.contains("125000"));
        assert!(figure(&text("8 个"), false, false).is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(date(&Raw::Date(40834.0)).unwrap(), "2011-10-18");
        assert!(date(&Raw::Number(40834.0)).unwrap_err().help_zh.contains("2011-10-18"));
        assert_eq!(date(&text("2011-10-18")).unwrap(), "2011-10-18");
        assert!(date(&text("2011/10/18")).is_err());
    }

    #[test]
    fn id_lists() {
        assert_eq!(ids(&text("talent 人才队伍")), ["talent"]);
        assert_eq!(ids(&text("beijing, shanghai")), ["beijing", "shanghai"]);
        assert_eq!(ids(&text("talent、high-tech")), ["talent", "high-tech"]);
    }
}
