//! The keys each view shows (see `deps.rs`): the [`Shows`] trait a page's context collects them
//! through, and the keys of the views and of a year.

use super::{DocView, LangViews, PartnerSummary, PartnerView, PlanView, ResultRow, ResultView, TaskView};
use crate::render::deps::{Key, Keys};

/// A piece of a page's context that knows the keys of the records it shows (see `deps.rs`).
pub trait Shows {
    fn add_keys(&self, out: &mut Keys);
}

impl<T: Shows + ?Sized> Shows for &T {
    fn add_keys(&self, out: &mut Keys) {
        (**self).add_keys(out);
    }
}

impl<T: Shows> Shows for [T] {
    fn add_keys(&self, out: &mut Keys) {
        self.iter().for_each(|x| x.add_keys(out));
    }
}

impl<T: Shows> Shows for Vec<T> {
    fn add_keys(&self, out: &mut Keys) {
        self.as_slice().add_keys(out);
    }
}

impl<T: Shows> Shows for Option<T> {
    fn add_keys(&self, out: &mut Keys) {
        self.iter().for_each(|x| x.add_keys(out));
    }
}

/// Implements [`Shows`] for view types whose keys are one expression of the view `$v`.
macro_rules! shows {
    (|$v:ident| $keys:expr; $($view:ty),+) => {
        $(
            impl Shows for $view {
                fn add_keys(&self, out: &mut Keys) {
                    let $v = self;
                    out.extend($keys);
                }
            }
        )+
    };
}

shows!(|v| v.keys(); PlanView, TaskView, PartnerView, ResultView);
shows!(|v| v.deps; PartnerSummary<'_>, ResultRow<'_>);
shows!(|v| v.body_key; DocView);

impl TaskView {
    /// Everything it shows, its body included.
    pub fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.deps.iter().copied().chain(self.body_key)
    }
}

impl PlanView {
    /// Its YAML and its preamble.
    pub fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        [self.record.yaml()].into_iter().chain(self.body_key)
    }
}

impl PartnerView {
    /// Everything it shows, its body and results included.
    pub fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.deps.iter().chain(&self.results_deps).copied().chain(self.body_key)
    }
}

impl ResultView {
    /// Everything it shows, its body included ([`ResultRow`] shows `deps`).
    pub fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.deps.iter().copied().chain(self.body_key)
    }
}

impl LangViews {
    /// Every key of the year's results and tasks and of every partner: what totals and charts
    /// are drawn from.
    pub fn year_keys(&self, year: u32, out: &mut Keys) {
        out.extend(self.results.get(&year).into_iter().flatten().flat_map(|r| r.deps.iter().copied()));
        out.extend(self.plans.get(&year).into_iter().flat_map(|(p, t)| p.keys().chain(t.iter().flat_map(TaskView::keys))));
        out.extend(self.partners.iter().flat_map(|p| p.deps.iter().copied()));
    }
}
