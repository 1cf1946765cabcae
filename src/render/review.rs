//! What a preview shows of the publication states: the state of each page and booklet (the
//! least advanced of the records it shows) and the mark it carries, a banner on a page and a
//! watermark on every printed page of a booklet (草稿 / 征求意见稿 / 送审稿). A public build
//! has nothing to mark: it renders approved records only (see `crate::publish`).

use std::collections::BTreeMap;

use super::booklet::BookletSpec;
use super::context::ReviewMark;
use super::pages::PageData;
use super::shared::{t, Shared};
use crate::model::{Item, Site, State};
use crate::routes::BookletKind;

/// The mark for `state` in a preview, in the languages of `langs` (a bilingual booklet has two,
/// joined by ` · `); `None` in a public build or once approved.
pub(super) fn mark(shared: &Shared, langs: &[&str], state: State) -> Option<ReviewMark> {
    if !shared.options.publication.is_preview() || state == State::Approved {
        return None;
    }
    let key = match state {
        State::Draft => "review_draft",
        State::ForComment => "review_for_comment",
        State::ForApproval => "review_for_approval",
        State::Approved => return None,
    };
    let strings: Vec<&BTreeMap<String, String>> = langs.iter().map(|l| shared.strings(l)).collect();
    let join = |key: &str| strings.iter().map(|s| t(s, key)).collect::<Vec<_>>().join(" · ");
    Some(ReviewMark { state, label: join(key), note: join("review_note") })
}

/// The least advanced of `states` (approved when there are none).
fn least(states: impl IntoIterator<Item = State>) -> State {
    states.into_iter().min().unwrap_or(State::Approved)
}

fn plan_and_tasks(site: &Site, year: u32) -> State {
    let tasks = site.plans.get(&year).into_iter().flat_map(|p| &p.tasks).map(|t| site.state(Item::Task(year, &t.data.slug.value)));
    least(tasks.chain([site.state(Item::Plan(year))]))
}

/// The least state of a year's results, each read from its record: looking each up by its slug
/// (`Site::state`) made this quadratic in the year's results, on every page of the year's list.
fn results(site: &Site, year: u32) -> State {
    least(site.results.get(&year).into_iter().flatten().map(|r| site.state_or_default(r.data.review.as_ref())))
}

/// The state of a site page: of the record it shows, or of the records it lists.
pub(super) fn page_state(site: &Site, data: &PageData) -> State {
    match *data {
        PageData::Plan { year } => plan_and_tasks(site, year),
        PageData::Task { year, index } => site
            .plans
            .get(&year)
            .and_then(|p| p.tasks.get(index))
            .map_or(State::Approved, |t| site.state(Item::Task(year, &t.data.slug.value))),
        PageData::Results { year, .. } => results(site, year),
        PageData::Result { year, index } => {
            site.results.get(&year).and_then(|r| r.get(index)).map_or(State::Approved, |r| site.state_or_default(r.data.review.as_ref()))
        }
        PageData::Partners => least(site.partners.iter().map(|p| site.state(Item::Partner(&p.data.id.value)))),
        PageData::Partner { index, .. } => {
            site.partners.get(index).map_or(State::Approved, |p| site.state(Item::Partner(&p.data.id.value)))
        }
        PageData::Doc { index } => site.pages.get(index).map_or(State::Approved, |p| site.state(Item::Page(&p.slug))),
        PageData::Period { index } => site.periods.get(index).map_or(State::Approved, |p| site.state(Item::Period(&p.data.id.value))),
        // The downloads hold every figure: as far along as the least of the records they hold.
        PageData::Data => {
            least(site.plans.keys().map(|&year| plan_and_tasks(site, year)).chain(site.results.keys().map(|&year| results(site, year))))
        }
        PageData::Home | PageData::PlanIndex | PageData::ResultsIndex | PageData::Search => State::Approved,
    }
}

/// The state of a booklet: the least advanced of what it prints.
pub(super) fn booklet_state(site: &Site, spec: &BookletSpec) -> State {
    let partners = || site.partners.iter().map(|p| site.state(Item::Partner(&p.data.id.value)));
    match spec.kind {
        BookletKind::Plan => least(partners().chain([plan_and_tasks(site, spec.year)])),
        BookletKind::Summary => results(site, spec.year),
        BookletKind::Period => {
            let period = site.periods.iter().find(|p| Some(&p.data.id.value) == spec.period.as_ref());
            let own = period.map_or(State::Approved, |p| site.state(Item::Period(&p.data.id.value)));
            least(spec.years(site).into_iter().flat_map(|y| [plan_and_tasks(site, y), results(site, y)]).chain([own]))
        }
    }
}
