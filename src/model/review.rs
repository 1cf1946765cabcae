//! Publication states: where each record stands in the release review (拟稿 → 审核 → 签发), and
//! who signed it off. A public build publishes only [`State::Approved`]; see `crate::publish`.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::Site;

/// Where a record stands. Ordered from the least to the most advanced, so the state of a page
/// made of several records is the least advanced of theirs.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// 草稿: being drafted (拟稿).
    Draft,
    /// 征求意见稿: out for comment (审核).
    ForComment,
    /// 送审稿: waiting to be signed off (签发).
    ForApproval,
    /// 已签发: signed off, published.
    Approved,
}

impl State {
    pub const ALL: [State; 4] = [State::Draft, State::ForComment, State::ForApproval, State::Approved];

    /// The name the YAML uses.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::ForComment => "for-comment",
            State::ForApproval => "for-approval",
            State::Approved => "approved",
        }
    }

    /// The state's name in the editors' words.
    pub fn zh(self) -> &'static str {
        match self {
            State::Draft => "草稿",
            State::ForComment => "征求意见稿",
            State::ForApproval => "送审稿",
            State::Approved => "已签发",
        }
    }

    /// The mark a draft of this state carries (a banner, a booklet's watermark), in the
    /// editors' words; `None` once approved.
    pub fn mark(self, chinese: bool) -> Option<&'static str> {
        Some(match (self, chinese) {
            (State::Approved, _) => return None,
            (State::Draft, true) => "草稿",
            (State::ForComment, true) => "征求意见稿",
            (State::ForApproval, true) => "送审稿",
            (State::Draft, false) => "Draft",
            (State::ForComment, false) => "Draft for comment",
            (State::ForApproval, false) => "Draft for approval",
        })
    }
}

/// `review:` of a record (or a free page's front matter):
/// `{state: approved, by: 张三, date: 2026-12-01}`; `drafter` (拟稿人) and `reviewer` (审核人)
/// are optional and say whom a draft waits for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub state: Spanned<State>,
    #[serde(default)]
    pub drafter: Option<Spanned<String>>,
    #[serde(default)]
    pub reviewer: Option<Spanned<String>>,
    /// Who signed it off (签发人): only with `state: approved`, and then required.
    #[serde(default)]
    pub by: Option<Spanned<String>>,
    /// When it was signed off, `YYYY-MM-DD`: only with `state: approved`, and then required.
    #[serde(default)]
    pub date: Option<Spanned<String>>,
}

/// A record that can be published, named the way reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item<'a> {
    Plan(u32),
    Task(u32, &'a str),
    Result(u32, &'a str),
    Partner(&'a str),
    Period(&'a str),
    Page(&'a str),
}

impl Site {
    /// The state of a record whose `review:` is `review`: its own, else `default_state` of
    /// site.yaml, else approved (a site from before review stays published; `new` writes
    /// `draft` into every file it creates, and `new site` sets `default_state: draft`).
    pub fn state_or_default(&self, review: Option<&Spanned<Review>>) -> State {
        review.map(|r| r.value.state.value).or_else(|| self.config.default_state.as_ref().map(|s| s.value)).unwrap_or(State::Approved)
    }

    /// The `review:` that decides `item`'s state: a task without its own takes its plan's.
    pub fn review_of(&self, item: Item) -> Option<&Spanned<Review>> {
        match item {
            Item::Plan(year) => self.plans.get(&year)?.record.data.review.as_ref(),
            Item::Task(year, slug) => self.task(year, slug)?.data.review.as_ref().or_else(|| self.review_of(Item::Plan(year))),
            Item::Result(year, slug) => self.results.get(&year)?.iter().find(|r| r.data.slug.value == slug)?.data.review.as_ref(),
            Item::Partner(id) => self.partners.iter().find(|p| p.data.id.value == id)?.data.review.as_ref(),
            Item::Period(id) => self.periods.iter().find(|p| p.data.id.value == id)?.data.review.as_ref(),
            Item::Page(slug) => {
                let page = self.pages.iter().find(|p| p.slug == slug)?;
                page.docs.get(self.default_language())?.front.review.as_ref()
            }
        }
    }

    /// The state `item` is published in: a task is no further than its plan.
    pub fn state(&self, item: Item) -> State {
        let own = self.state_or_default(self.review_of(item));
        match item {
            Item::Task(year, _) => own.min(self.state(Item::Plan(year))),
            _ => own,
        }
    }
}
