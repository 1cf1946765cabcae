//! The routes' own invariants; tests/routes.rs checks them against a built site.

use super::*;

#[test]
fn constructors_fill_their_patterns() {
    assert_eq!(Route::chooser().output_path(), "index.html");
    assert_eq!(Route::not_found().output_path(), "404.html");
    assert_eq!(Route::task("zh", 2011, "high-tech").url(), "zh/plan/2011/high-tech/");
    assert_eq!(Route::task("zh", 2011, "high-tech").output_path(), "zh/plan/2011/high-tech/index.html");
    assert_eq!(Route::feed("en").output_path(), "en/atom.xml");
    assert_eq!(Route::plan_index("zh").output_path(), "zh/plan/index.html");
    assert_eq!(Route::results_index("en").url(), "en/results/");
    assert_eq!(Route::booklet(BookletKind::Summary, 2011, Edition::Bilingual).url(), "reports/summary-2011-bilingual/");
    assert_eq!(Route::data_page("zh").output_path(), "zh/data/index.html");
    assert_eq!(Route::data_file("results-2011.csv").url(), "data/results-2011.csv");
    assert_eq!(Route::booklet_pdf(BookletKind::Plan, 2011, Edition::Language("ug")).output_path(), "ug/reports/plan-2011/plan-2011-ug.pdf");
    assert_eq!(Route::asset("style.3f9a1c2b.css").url(), "static/style.3f9a1c2b.css");
    assert_eq!(Route::period("en", "12th-five-year").output_path(), "en/periods/12th-five-year/index.html");
    assert_eq!(Route::period_booklet_pdf("a-b", Edition::Language("zh")).url(), "zh/reports/period-a-b/period-a-b-zh.pdf");
    assert_eq!(Route::period_booklet_pdf("a-b", Edition::Bilingual).url(), "reports/period-a-b-bilingual/period-a-b-bilingual.pdf");
}

#[test]
fn roots_languages_and_base_paths() {
    assert_eq!(Route::plan("zh", 2011).root(), "../../../");
    assert_eq!(Route::chooser().root(), "./");
    assert_eq!(Route::not_found().root(), "./");
    assert_eq!(Route::feed("zh").root(), "../");
    assert_eq!(Route::plan("zh", 2011).in_language("en").url(), "en/plan/2011/");
    assert_eq!(Route::plan("zh", 2011).lang(), Some("zh"));
    assert_eq!(Route::sitemap().in_language("en"), Route::sitemap());
    assert_eq!(Route::home("en").absolute("https://example.org/kjt/"), "https://example.org/kjt/en/");
    assert_eq!(base_path("https://example.org/kjt/"), "/kjt/");
    assert_eq!(base_path("https://example.org/"), "/");
    assert_eq!(index_file(""), "index.html");
    assert_eq!(index_file("zh/plan"), "zh/plan/index.html");
    assert_eq!(index_file("zh/plan/"), "zh/plan/index.html");
}

/// A value for every placeholder of every pattern, slugs with `-` as real ones have.
fn sample(lang: &str) -> Vec<(&str, &str)> {
    let names = ["year", "task", "result", "partner", "page", "booklet", "file", "period", "n"];
    let values = ["2011", "high-tech", "xj-ip-pilot", "xpcc-st", "about", "summary", "img/og-1.png", "12th-five-year", "2"];
    let mut args: Vec<(&str, &str)> = names.into_iter().zip(values).collect();
    args.push(("lang", lang));
    args
}

#[test]
fn every_kind_reads_back_its_arguments_and_changes_language() {
    for kind in Kind::ALL {
        let zh = kind.fill(&sample("zh"));
        let en = kind.fill(&sample("zh-hant"));
        let names: Vec<&str> = zh.args().iter().map(|(name, _)| *name).collect();
        let expected: Vec<(&str, &str)> =
            names.iter().map(|name| sample("zh").into_iter().find(|(n, _)| n == name).expect("sampled")).collect();
        assert_eq!(zh.args(), expected, "{kind:?}");
        assert_eq!(zh.in_language("zh-hant"), en, "{kind:?}");
        assert_eq!(en.in_language("zh"), zh, "{kind:?}");
    }
    assert_eq!(
        Route::booklet_pdf(BookletKind::Plan, 2011, Edition::Language("zh")).in_language("en").url(),
        "en/reports/plan-2011/plan-2011-en.pdf"
    );
}

#[test]
fn patterns_keep_the_invariants() {
    let mut names: Vec<&str> = Kind::ALL.iter().map(|k| k.pattern().name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Kind::ALL.len(), "route names are unique");
    for p in Kind::ALL.iter().map(|k| k.pattern()) {
        // `in_language` swaps the first segment: per-language routes must start with it.
        assert_eq!(p.languages == Languages::Each, p.url.starts_with("<lang>/"), "{}", p.name);
        assert_eq!(p.url.matches('<').count(), p.url.matches('>').count(), "{}", p.name);
        assert!(!p.url.starts_with('/'), "{} is root-relative", p.name);
    }
}
