//! The checks of content/site.yaml, the site settings.

use std::collections::BTreeSet;

use super::{position, Term, Validator};
use crate::diagnostics::{Diagnostic, Position};

impl Validator<'_> {
    pub(super) fn config(&mut self) {
        let c = &self.site.config;
        let file = &self.site.config_file;
        if c.languages.is_empty() {
            self.push(
                Diagnostic::error("E-config", file, Position::file(), "no languages")
                    .help("list at least one language under `languages:`")
                    .zh("站点设置中没有任何语言", Some("请在 `languages:` 下至少列出一种语言".to_owned())),
            );
        }
        let mut seen = BTreeSet::new();
        for l in &c.languages {
            self.id(&l.code, file, Term::LanguageCode, false);
            if !seen.insert(l.code.value.as_str()) {
                self.push(
                    Diagnostic::error("E-duplicate", file, position(&l.code), format!("duplicate language `{}`", l.code.value))
                        .help("list every language once under `languages:`")
                        .zh(format!("重复的语言 `{}`", l.code.value), Some("`languages:` 下每种语言只能列一次".to_owned())),
                );
            }
        }
        let codes = self.languages();
        self.reference(&c.default_language, file, Term::Language, &codes);
        self.bilingual_pair(&codes);
        let url = &c.base_url.value;
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            self.push(
                Diagnostic::error("E-base-url", file, position(&c.base_url), format!("base_url `{url}` is not an absolute http(s) URL"))
                    .help("write the address the site will be served from, e.g. https://example.org/kjt/")
                    .zh(
                        format!("网站地址 base_url `{url}` 不是完整的 http(s) 地址"),
                        Some("请写网站发布后的访问地址，例如 https://example.org/kjt/".to_owned()),
                    ),
            );
        }
        if let Some(size) = c.page_size.as_ref().filter(|n| n.value == 0) {
            self.push(
                Diagnostic::error("E-config", file, position(size), "page_size is 0")
                    .help("write how many results a page of a long list shows, e.g. `page_size: 100`, or delete the line")
                    .zh("分页条数 page_size 不能为 0", Some("请写每页列出的成果条数，例如 `page_size: 100`；或删去此行".to_owned())),
            );
        }
        self.text(&c.title, file, Term::Title);
        self.text(&c.description, file, Term::Description);
        self.text(&c.organisation, file, Term::Organisation);
        if let Some(year) = &c.current_year {
            if !self.site.plans.contains_key(&year.value) {
                self.push(
                    Diagnostic::error("E-ref", file, position(year), format!("current_year {} has no plan", year.value))
                        .help("create content/plan/<year>/plan.yaml or change current_year")
                        .zh(
                            format!("当前年度 current_year {} 没有年度计划", year.value),
                            Some("请新建 content/plan/<年份>/plan.yaml，或修改 current_year".to_owned()),
                        ),
                );
            } else if let Some(newest) = self.site.newest_plan_year().filter(|&newest| newest > year.value) {
                self.push(
                    Diagnostic::warning(
                        "W-current-year",
                        file,
                        position(year),
                        format!("current_year {} is older than the newest plan, {newest}: the home page shows {}", year.value, year.value),
                    )
                    .help(format!("delete `current_year:` to show the newest plan ({newest}), or keep it if {} is meant", year.value))
                    .zh(
                        format!("当前年度 current_year {} 早于最新的年度计划 {newest} 年：首页仍显示 {} 年", year.value, year.value),
                        Some(format!("删去 `current_year:` 即显示最新计划（{newest} 年）；如确需显示 {} 年可保留", year.value)),
                    ),
                );
            }
        }
    }

    /// `bilingual:` names exactly two distinct languages of the site.
    fn bilingual_pair(&mut self, codes: &[&str]) {
        let Some(pair) = &self.site.config.bilingual else { return };
        let file = &self.site.config_file;
        if pair.value.len() != 2 {
            let n = pair.value.len();
            self.push(
                Diagnostic::error("E-config", file, position(pair), format!("`bilingual` must name two languages, not {n}"))
                    .help("write the two languages of the bilingual booklets, e.g. `bilingual: [zh, en]`")
                    .zh(
                        format!("对照版语言 `bilingual` 列了 {n} 种语言，应为两种"),
                        Some("请写出对照版小册子的两种语言，例如 `bilingual: [zh, en]`".to_owned()),
                    ),
            );
            return;
        }
        for code in &pair.value {
            self.reference(code, file, Term::Language, codes);
        }
        if pair.value[0].value == pair.value[1].value {
            let code = &pair.value[1].value;
            self.push(
                Diagnostic::error("E-duplicate", file, position(&pair.value[1]), format!("`bilingual` names `{code}` twice"))
                    .help("name two different languages of the site, e.g. `bilingual: [zh, en]`")
                    .zh(
                        format!("对照版语言 `bilingual` 两次写了 `{code}`"),
                        Some("请写出站点的两种不同语言，例如 `bilingual: [zh, en]`".to_owned()),
                    ),
            );
        }
    }
}
