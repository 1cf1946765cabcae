//! YAML and front-matter parsing with diagnostics that name file, line and column.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{closest, Diagnostic, Position};
use crate::model::FrontMatter;

/// The start of [`crate::model::Number`]'s error for a scalar that is not a number.
pub const NOT_A_NUMBER: &str = "expected a number, found";

/// Parses `text` (which starts at 1-based line `first_line` of `file`) into `T`.
pub fn parse<T: DeserializeOwned>(file: &Path, full_source: &str, text: &str, first_line: usize) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(text).map_err(|err| yaml_diagnostic(file, full_source, &err, first_line))
}

fn yaml_diagnostic(file: &Path, full_source: &str, err: &serde_saphyr::Error, first_line: usize) -> Diagnostic {
    let err = err.without_snippet();
    let position = err.location().map(|l| Position::new(l.line() as usize + first_line - 1, l.column() as usize)).unwrap_or_default();
    let mut message = err.to_string();
    // serde-saphyr appends the position to its message; we print it on the `-->` line instead.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let (help, zh_message, zh_help) = match err {
        serde_saphyr::Error::SerdeUnknownField { field, expected, .. } => {
            message = format!("unknown field `{field}`");
            let list = expected.join(", ");
            let best = closest(field, expected.iter().copied());
            let help = match best {
                Some(best) => format!("did you mean `{best}`? Allowed fields here: {list}"),
                None => format!("allowed fields here: {list}"),
            };
            let zh_list = expected.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join("、");
            let zh_help = match best {
                Some(best) => format!("是不是要写 `{best}`？这里可用的字段：{zh_list}"),
                None => format!("这里可用的字段：{zh_list}"),
            };
            (help, format!("未知字段 `{field}`"), zh_help)
        }
        serde_saphyr::Error::SerdeMissingField { field, .. } => {
            (format!("add `{field}:` to this record"), format!("缺少字段 `{field}`"), format!("请在这条记录里加上 `{field}:`"))
        }
        // From `model::Number`: a figure that is not a number at all.
        _ if message.starts_with(NOT_A_NUMBER) => (
            "write the figure as a plain number, e.g. `value: 1250` or `value: 3.5`".to_owned(),
            format!("类型不符：{} 不是数值", message.trim_start_matches(NOT_A_NUMBER).trim()),
            "请写成普通数值，例如 `value: 1250` 或 `value: 3.5`".to_owned(),
        ),
        _ => {
            let (category, zh_help) = category(err, &message);
            (GENERAL_HELP.to_owned(), category.to_owned(), zh_help.to_owned())
        }
    };
    // The parser's own words stay beside the Chinese, for searching and for a bug report.
    let zh_message = format!("YAML 格式错误：{zh_message}（原文：{message}）");
    Diagnostic::error("E-yaml", file, position, format!("invalid YAML: {message}"))
        .with_source(full_source)
        .help(help)
        .zh(zh_message, Some(zh_help))
}

const GENERAL_HELP: &str = "check the indentation (spaces, not tabs; items of one list or map aligned) and quote values that contain `: ` or start with a special character";
const GENERAL_HELP_ZH: &str = "检查缩进（用空格，不用 Tab；同一列表或映射的各项要对齐），含有“: ”或以特殊字符开头的值请加引号";

/// The kind of a YAML error in the words an editor knows, and what to do about it. The parser's
/// message is matched by words because the scanner reports its errors as text only.
fn category(err: &serde_saphyr::Error, message: &str) -> (&'static str, &'static str) {
    use serde_saphyr::Error as E;
    let text = message.to_ascii_lowercase();
    match err {
        E::DuplicateMappingKey { .. } => ("重复的键", "同一层里每个键只能出现一次：请删除或合并重复的一项"),
        E::SerdeUnknownVariant { .. } => ("取值不在可选范围内", "请改用信息中列出的某个取值"),
        // `Unexpected`: a list or a map where the record wants the other, or a plain value.
        E::Unexpected { .. }
        | E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeInvalidLength { .. }
        | E::InvalidScalar { .. }
        | E::InvalidBooleanStrict { .. }
        | E::NullIntoString { .. }
        | E::NonFiniteFloat { .. } => {
            ("类型不符", "这一项的值类型不对：例如该写文字的地方写成了列表，该写数字的地方写成了文字；请对照 docs/content-model.md")
        }
        E::IndentationError { .. } => ("缩进错误", GENERAL_HELP_ZH),
        E::QuotingRequired { .. } => ("值需要加引号", "请给这个值加上引号，例如 `title: \"北京：援疆\"`"),
        E::Eof { .. } => ("文件内容为空", "请写入这个文件应有的字段，或删除该文件"),
        E::UnknownAnchor { .. } => ("未知的锚点", "别名 `*名称` 之前必须先用 `&名称` 定义锚点"),
        E::MultipleDocuments { .. } => ("一个文件里有多份文档", "每个文件只能有一份 YAML 文档：请删除多余的 `---` 行"),
        _ if text.contains("tab") => ("缩进错误：不能用 Tab 缩进", "缩进只能用空格，不能用 Tab 键：请把 Tab 换成空格"),
        _ if text.contains("indent")
            || text.contains("block mapping")
            || text.contains("block collection")
            || text.contains("block sequence") =>
        {
            ("缩进错误", GENERAL_HELP_ZH)
        }
        _ if text.contains("mapping values are not allowed") || text.contains("':'") => {
            ("冒号位置不对", "值里含有“: ”时请给整个值加引号，例如 `title: \"北京：援疆\"`；键和冒号之间不要有空格")
        }
        _ if text.contains("quote") || text.contains("bracket") => ("引号或括号没有闭合", "请检查这一行的引号和括号是否成对"),
        _ if text.contains("eof") => ("文件意外结束", "文件在一个列表或映射的中间结束了：请检查最后几行"),
        _ => ("语法错误", GENERAL_HELP_ZH),
    }
}

/// Splits `---\nfront matter\n---\nbody`. Returns the front matter, the body and the line on
/// which the front matter's YAML starts.
pub fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let rest = match text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) {
        Some(rest) => rest,
        None => return (None, text),
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return (Some(&rest[..offset]), &rest[offset + line.len()..]);
        }
        offset += line.len();
    }
    (None, text)
}

pub fn parse_front_matter(file: &Path, text: &str) -> Result<(FrontMatter, String), Diagnostic> {
    match split_front_matter(text) {
        (Some(yaml), body) => {
            let front = if yaml.trim().is_empty() { FrontMatter::default() } else { parse::<FrontMatter>(file, text, yaml, 2)? };
            Ok((front, body.to_owned()))
        }
        (None, body) => {
            if body.starts_with("---") {
                return Err(Diagnostic::error("E-front-matter", file, Position::new(1, 1), "front matter is not closed")
                    .with_source(text)
                    .help("end the front matter with a line containing only `---`")
                    .zh("前置元数据没有结束", Some("用只含 `---` 的一行结束前置元数据".to_owned())));
            }
            Ok((FrontMatter::default(), body.to_owned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let (fm, body) = split_front_matter("---\ntitle: x\n---\nhello\n");
        assert_eq!(fm, Some("title: x\n"));
        assert_eq!(body, "hello\n");
        assert_eq!(split_front_matter("no front").0, None);
    }

    #[test]
    fn a_figure_that_is_not_a_number_is_named_with_its_position() {
        let src = "metric: a\nvalue: 12abc\n";
        let d = parse::<crate::model::Target>(Path::new("t.yaml"), src, src, 1).unwrap_err();
        assert_eq!((d.position.line, d.position.column), (2, 8), "{d:?}");
        assert_eq!(d.message, "invalid YAML: expected a number, found `12abc`");
        assert!(d.help.unwrap().contains("plain number"));
    }

    #[test]
    fn unknown_field_suggests_the_right_one() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            title: String,
            weight: i64,
        }
        let src = "title: a\nwieght: 1\n";
        let d = parse::<T>(Path::new("x.yaml"), src, src, 1).unwrap_err();
        assert_eq!(d.position.line, 2, "{d:?}");
        assert!(d.help.unwrap().contains("did you mean `weight`"));
    }
}
