//! The things validation talks about, named in both languages. The Chinese names are the
//! editors' own (任务标识, 对口支援省市, 年度成果, 指标), so no English noun ends up inside a
//! Chinese sentence ("重复的task slug"); an enum rather than strings, so a new kind of field
//! cannot be added without its Chinese name.

/// A kind of record, id or localised field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    // What ids and references name.
    Task,
    TaskSlug,
    ActionId,
    Partner,
    PartnerId,
    Metric,
    MetricId,
    TargetMetric,
    ResultSlug,
    PeriodId,
    Language,
    LanguageCode,
    // Localised fields.
    Title,
    Description,
    Organisation,
    Issuer,
    SourceNote,
    Context,
    GuidedByItem,
    LeadBodiesItem,
    ActionName,
    TargetNote,
    Name,
    Unit,
    RecipientName,
    RecipientPrefecture,
    Note,
    Sponsor,
    Operator,
    Address,
}

impl Term {
    /// The English name, as in messages and in the `field` of a translation gap.
    pub fn en(self) -> &'static str {
        match self {
            Term::Task => "task",
            Term::TaskSlug => "task slug",
            Term::ActionId => "action id",
            Term::Partner => "partner",
            Term::PartnerId => "partner id",
            Term::Metric => "metric",
            Term::MetricId => "metric id",
            Term::TargetMetric => "target metric",
            Term::ResultSlug => "result slug",
            Term::PeriodId => "period id",
            Term::Language => "language",
            Term::LanguageCode => "language code",
            Term::Title => "title",
            Term::Description => "description",
            Term::Organisation => "organisation",
            Term::Issuer => "issuer",
            Term::SourceNote => "source.note",
            Term::Context => "context",
            Term::GuidedByItem => "guided_by/focuses item",
            Term::LeadBodiesItem => "lead_bodies item",
            Term::ActionName => "action name",
            Term::TargetNote => "target note",
            Term::Name => "name",
            Term::Unit => "unit",
            Term::RecipientName => "recipient name",
            Term::RecipientPrefecture => "recipient prefecture",
            Term::Note => "note",
            Term::Sponsor => "identity.sponsor",
            Term::Operator => "identity.operator",
            Term::Address => "identity.address",
        }
    }

    /// The Chinese name, in the words the editors use.
    pub fn zh(self) -> &'static str {
        match self {
            Term::Task => "任务",
            Term::TaskSlug => "任务标识",
            Term::ActionId => "举措标识",
            Term::Partner => "对口支援省市",
            Term::PartnerId => "对口支援省市标识",
            Term::Metric => "指标",
            Term::MetricId => "指标标识",
            Term::TargetMetric => "目标指标",
            Term::ResultSlug => "年度成果标识",
            Term::PeriodId => "规划期标识",
            Term::Language => "语言",
            Term::LanguageCode => "语言代码",
            Term::Title => "标题",
            Term::Description => "简介",
            Term::Organisation => "单位名称",
            Term::Issuer => "印发单位",
            Term::SourceNote => "来源说明",
            Term::Context => "背景",
            Term::GuidedByItem => "指导思想或工作重点条目",
            Term::LeadBodiesItem => "牵头单位条目",
            Term::ActionName => "举措名称",
            Term::TargetNote => "目标说明",
            Term::Name => "名称",
            Term::Unit => "计量单位",
            Term::RecipientName => "受援地名称",
            Term::RecipientPrefecture => "受援地所属地州",
            Term::Note => "备注",
            Term::Sponsor => "主办单位",
            Term::Operator => "承办单位",
            Term::Address => "地址",
        }
    }
}
