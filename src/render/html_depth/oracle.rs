//! The scanner against html5ever (through scraper, already in the tree): every page of the
//! example, generated well-formed markup (the same depth exactly) and generated hostile
//! markup (never shallower), and the tricks that once hid depth from the guard.

use super::{nesting_depth, RAW, VOID};

/// The deepest nesting html5ever builds, counted as the scanner counts: void elements,
/// raw-text ones and childless foreign ones (`<path/>` in SVG) are not levels.
fn html5ever_depth(html: &str, fragment: bool) -> usize {
    use scraper::{ElementRef, Html};
    let doc = if fragment { Html::parse_fragment(html) } else { Html::parse_document(html) };
    let counted = |el: ElementRef| {
        let name = el.value().name().as_bytes();
        let foreign = &*el.value().name.ns != "http://www.w3.org/1999/xhtml";
        let raw_text = RAW.contains(&name) && !foreign;
        let empty_foreign = foreign && !el.has_children();
        !VOID.contains(&name) && !raw_text && !empty_foreign
    };
    doc.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|el| counted(*el))
        .map(|el| 1 + el.ancestors().filter_map(ElementRef::wrap).filter(|a| counted(*a)).count())
        .max()
        .unwrap_or(0)
        // A fragment is parsed into an `html` element of html5ever's own.
        .saturating_sub(usize::from(fragment))
}

/// Every page the example site renders: the scanner's depth is exactly html5ever's (the
/// pages close every element they open).
#[test]
fn same_depth_as_html5ever_on_every_page_of_the_example() {
    let mut wrong = Vec::new();
    for (path, html) in crate::render::html_text::example_pages() {
        let (scanned, parsed) = (nesting_depth(html.as_bytes()), html5ever_depth(html, false));
        if scanned != parsed {
            wrong.push(format!("{path}: scanner {scanned}, html5ever {parsed}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Pieces of hostile markup: tags closed wrongly or not at all, end tags that match nothing,
/// `/>` on elements that ignore it, `>` inside quotes, raw text closed in upper case,
/// comments and foreign content.
const PIECES: [&str; 64] = [
    "<div>",
    "<span class=a>",
    "<p>",
    "<DIV>",
    "<section>",
    "<em>",
    "<li>",
    "<ul>",
    "<div/>",
    "<section title=\"/>\">",
    "<div title='a>b'>",
    "<div title=\"<div>\">",
    "<div title=a\"b>",
    "</div>",
    "</span>",
    "</p>",
    "</section>",
    "</em>",
    "</li>",
    "</ul>",
    "</DIV>",
    "</>",
    "</ div>",
    "</x>",
    "<br>",
    "<img src=x>",
    "<br/>",
    "</br>",
    "<div:x>",
    "</div:x>",
    "<!-- <div> -->",
    "<!---->",
    "<!--><div>",
    "<!-- --!><div>",
    "<!DOCTYPE html>",
    "<?x <div>?>",
    "<script>var a = '<div>';</script>",
    "<script>x</SCRIPT>",
    "<style>p{}</style>",
    "<textarea><div></textarea>",
    "<xmp><div></xmp>",
    "<noscript><div></noscript>",
    "<title><div></title>",
    "<svg><path d=M0/></svg>",
    "<svg><g><circle/></g></svg>",
    "<svg>",
    "</svg>",
    "<svg><title><div>",
    "<svg><foreignObject><div>",
    "<math><mi>",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "</table>",
    "<col>",
    "<b>",
    "</b>",
    "<a href=x>",
    "</a>",
    "<button>",
    "<select>",
    "a < b",
    "&lt;div&gt;",
];

/// A fixed-seed xorshift: the same pages every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The depth html5ever's tree has in markup that `nesting_depth` read as shallower, with
/// the markup: none may.
fn shallower(pages: impl Iterator<Item = String>) -> Vec<String> {
    pages
        .filter_map(|page| {
            let (scanned, parsed) = (nesting_depth(page.as_bytes()), html5ever_depth(&page, true));
            (scanned < parsed).then(|| format!("scanner {scanned} < html5ever {parsed}: {page}"))
        })
        .collect()
}

/// 20,000 pages of 1 to 60 hostile pieces: the scanner's depth is never below html5ever's.
#[test]
fn never_below_html5ever_on_generated_hostile_markup() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let pages = (0..20_000).map(|_| {
        let len = 1 + rng.below(60);
        (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect::<String>()
    });
    let wrong = shallower(pages);
    assert!(wrong.is_empty(), "{} pages:\n{}", wrong.len(), wrong[..wrong.len().min(10)].join("\n"));
}

/// The tricks the scanner once fell for, each hiding 40 levels from it.
#[test]
fn tricks_that_hid_depth_no_longer_do() {
    let repeat = |open: &str, close: &str| format!("{}{}", open.repeat(40), close.repeat(40));
    let pages = [
        repeat("<div/>", ""),                               // `/>` does not close an HTML element
        repeat("<div title=\"/>\">", ""),                   // nor does one inside quotes
        repeat("<div></>", ""),                             // `</>` closes nothing
        repeat("<div></ div>", ""),                         // nor does a bogus comment
        repeat("<div></span>", ""),                         // nor an end tag of an element that is not open
        repeat("<span><div></span>", ""),                   // nor one across a block
        repeat("<table><td>", "</td></table>"),             // tbody and tr come with the cell
        repeat("<div><!-- --!>", ""),                       // `--!>` ends a comment
        format!("<script></SCRIPT>{}", "<div>".repeat(40)), // raw text ends in any case
        format!("<!-->{}-->", "<div>".repeat(40)),          // `<!-->` is a whole comment
        // Each `<b>` is re-opened in the next paragraph (distinct: html5ever re-opens at
        // most three alike).
        format!("{}<p>x</p>", (0..40).map(|i| format!("<p><b id={i}></p>")).collect::<String>()),
    ];
    for page in pages {
        let parsed = html5ever_depth(&page, true);
        assert!(parsed >= 40, "html5ever {parsed}: {page}");
        assert!(nesting_depth(page.as_bytes()) >= parsed, "{page}");
    }
}

/// Well-formed markup (every element closed, in order) with quoted `>`, upper-case tags,
/// comments, raw text, tables and SVG: the same depth as html5ever, exactly.
fn well_formed(rng: &mut Rng, depth: usize, out: &mut String) {
    const LEAVES: [&str; 7] = [
        "a < b",
        "<br>",
        "<!-- <div> -->",
        "<script>x('<div>')</SCRIPT>",
        "&lt;div&gt;",
        "<img alt='>'>",
        "<svg><g><path d=M0/></g></svg>",
    ];
    const TAGS: [(&str, &str); 8] = [
        ("<div title=\"a>b\">", "</div>"),
        ("<SECTION>", "</section>"),
        ("<span data-x='/>'>", "</span>"),
        ("<em>", "</EM>"),
        ("<blockquote>", "</blockquote>"),
        ("<ul><li>", "</li></ul>"),
        ("<table><tbody><tr><td>", "</td></tr></tbody></table>"),
        ("<svg><foreignObject>", "</foreignObject></svg>"),
    ];
    for _ in 0..1 + rng.below(3) {
        if depth == 0 || rng.below(4) == 0 {
            out.push_str(LEAVES[rng.below(LEAVES.len())]);
        } else {
            let (open, close) = TAGS[rng.below(TAGS.len())];
            out.push_str(open);
            well_formed(rng, depth - 1, out);
            out.push_str(close);
        }
    }
}

#[test]
fn same_depth_as_html5ever_on_generated_well_formed_markup() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..2_000 {
        let mut page = String::new();
        let depth = 1 + rng.below(12);
        well_formed(&mut rng, depth, &mut page);
        assert_eq!(nesting_depth(page.as_bytes()), html5ever_depth(&page, true), "{page}");
    }
}
