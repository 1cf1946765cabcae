//! Every diagnostic code, with what it means in English and Chinese.
//!
//! This table is the one list of codes: `tests/messages.rs` reads every `Diagnostic::error(` and
//! `Diagnostic::warning(` in `src/` and fails when one uses a code missing here, or builds its
//! diagnostic without a Chinese wording. A new code is therefore added here first. The Chinese
//! uses the editors' own words (任务标识, 对口支援省市, 年度成果, 指标, 站点设置), never an English
//! noun inside a Chinese sentence.

/// One diagnostic code: `E-…` for errors, `W-…` for warnings, `I-…` for notes (information).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub id: &'static str,
    /// What the code means, in a few English words (for `--format json` and documentation).
    pub en: &'static str,
    /// The same in Chinese.
    pub zh: &'static str,
}

const fn code(id: &'static str, en: &'static str, zh: &'static str) -> Code {
    Code { id, en, zh }
}

/// All codes, sorted by id.
pub const CODES: &[Code] = &[
    code("E-base-url", "the site address is not an absolute http(s) URL", "网站地址（base_url）不是完整的 http(s) 地址"),
    code("E-config", "a site setting is invalid", "站点设置有误"),
    code("E-continues", "a task's continuation of an earlier task is wrong", "重点任务的接续关系有误"),
    code("E-date", "a date is not a valid YYYY-MM-DD date", "日期无效"),
    code("E-depth", "a text is nested too deeply", "正文嵌套层数过多"),
    code("E-duplicate", "an id, number or language is used twice", "标识、编号或语言重复"),
    code("E-encoding", "a file is not UTF-8", "文件不是 UTF-8 编码"),
    code("E-file-size", "a file is over the size limit", "文件超过大小上限"),
    code("E-front-matter", "a Markdown file's front matter is wrong", "Markdown 文件的前置元数据有误"),
    code("E-heading-attribute", "a heading carries a forbidden attribute", "标题带有不允许的属性"),
    code("E-id", "an id or page name is not safe, or is reserved", "标识或页面名称不安全或已被保留"),
    code("E-id-file", "an id does not match its file name", "标识与文件名不一致"),
    code(
        "E-identity",
        "a site identifier (网站标识码, ICP or public-security record) is malformed",
        "网站标识码、ICP 备案号或公安机关备案号格式有误",
    ),
    code("E-import", "a spreadsheet cell or row cannot be imported", "表格中的单元格或行无法导入"),
    code("E-io", "a file cannot be read or written", "文件无法读取或写入"),
    code("E-language", "text in a language the site does not have", "文字所用的语言不在本站语言之列"),
    code("E-link", "a link or URL is refused", "链接或网址被拒绝"),
    code("E-no-plan", "a task's plan year has no plan", "任务所属年度没有年度计划"),
    code("E-no-site", "the folder is not a planpress site", "该文件夹不是 planpress 站点"),
    code("E-number", "a figure cannot be published exactly", "数值无法准确发布"),
    code("E-orphan-body", "a Markdown text has no record beside it", "正文旁边没有对应的记录文件"),
    code("E-output", "the output folder is refused or cannot be written", "输出文件夹被拒绝或无法写入"),
    code("E-pdf", "printing the booklets to PDF failed", "小册子打印为 PDF 失败"),
    code("E-period", "a plan period's years are wrong", "规划期的年份有误"),
    code("E-ref", "a reference names nothing that exists", "引用的对象不存在"),
    code("E-review", "a publication state or sign-off is wrong", "审核状态或签发信息有误"),
    code("E-source", "a published figure has no source", "发布的数据没有注明来源"),
    code("E-symlink", "a symbolic link points outside the site or nowhere", "符号链接指向站点之外或已失效"),
    code("E-template", "a template cannot be compiled or rendered", "模板无法编译或渲染"),
    code("E-theme", "the theme setting is wrong", "主题设置有误"),
    code("E-yaml", "a YAML file cannot be read", "YAML 文件无法解析"),
    code("E-year", "a year does not match its folder", "年份与所在文件夹不一致"),
    code("I-punctuation", "half-width punctuation in Chinese text (printed full-width)", "中文里的半角标点（排印时改为全角）"),
    code("W-current-year", "current_year is older than the newest plan", "当前年度早于最新的年度计划"),
    code("W-date", "a date lies outside the year of its folder", "日期不在所属文件夹的年度内"),
    code("W-language", "a file is named for a language the site does not have", "文件名中的语言不在本站语言之列"),
    code("W-minify", "a page is written without minifying", "页面未经压缩直接输出"),
    code("W-review", "an approved file changed after its sign-off", "已签发的文件在签发后又有改动"),
    code("W-special-file", "a special file (FIFO, socket, device) is skipped", "已跳过特殊文件（管道、套接字、设备）"),
    code("W-symlink", "a symbolic link is skipped", "已跳过符号链接"),
    code("W-translation", "a translation is missing", "缺少译文"),
    code("W-unknown-file", "a file is not part of the content model and is ignored", "文件不属于内容模型，已忽略"),
];

/// The entry for `id`, if it is a known code.
pub fn lookup(id: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_unique_and_well_formed() {
        for pair in CODES.windows(2) {
            assert!(pair[0].id < pair[1].id, "{} before {}", pair[0].id, pair[1].id);
        }
        for c in CODES {
            assert!(c.id.starts_with("E-") || c.id.starts_with("W-") || c.id.starts_with("I-"), "{}", c.id);
            assert!(!c.en.is_empty() && c.zh.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)), "{c:?}");
        }
        assert_eq!(lookup("E-yaml").map(|c| c.zh), Some("YAML 文件无法解析"));
        assert_eq!(lookup("E-nonsense"), None);
    }
}
