//! Realistic-looking bilingual text for generated year-end results: titles, and Markdown bodies with
//! headings, a list, a table, links to tasks, partners and other results, and metric values.
//!
//! Sizes: a Chinese body has 600–900 characters (Unicode scalar values of the whole Markdown source,
//! markup included); an English body has 950–1,100 words (whitespace-separated, markup included).

use crate::rng::Rng;

pub const ZH_MIN_CHARS: usize = 600;
pub const ZH_MAX_CHARS: usize = 900;
pub const EN_MIN_WORDS: usize = 950;
pub const EN_MAX_WORDS: usize = 1100;

/// (zh, en)
pub type Pair = (&'static str, &'static str);

pub const PLACES: &[Pair] = &[
    ("乌鲁木齐市", "Urumqi"),
    ("克拉玛依市", "Karamay"),
    ("吐鲁番地区", "Turpan Prefecture"),
    ("哈密地区", "Hami Prefecture"),
    ("昌吉回族自治州", "Changji Hui Autonomous Prefecture"),
    ("伊犁哈萨克自治州", "Ili Kazakh Autonomous Prefecture"),
    ("塔城地区", "Tacheng Prefecture"),
    ("阿勒泰地区", "Altay Prefecture"),
    ("博尔塔拉蒙古自治州", "Bortala Mongol Autonomous Prefecture"),
    ("巴音郭楞蒙古自治州", "Bayingolin Mongol Autonomous Prefecture"),
    ("阿克苏地区", "Aksu Prefecture"),
    ("克孜勒苏柯尔克孜自治州", "Kizilsu Kirghiz Autonomous Prefecture"),
    ("喀什地区", "Kashgar Prefecture"),
    ("和田地区", "Hotan Prefecture"),
    ("石河子市", "Shihezi"),
    ("五家渠市", "Wujiaqu"),
];

/// (zh, en, slug stem)
pub const TOPICS: &[(&str, &str, &str)] = &[
    ("节水灌溉技术示范", "water-saving irrigation demonstration", "water-saving-irrigation"),
    ("棉花高产栽培", "high-yield cotton cultivation", "cotton-yield"),
    ("设施农业", "protected agriculture", "protected-agriculture"),
    ("特色林果业", "specialty fruit and nut growing", "specialty-orchards"),
    ("畜牧良种繁育", "livestock breeding", "livestock-breeding"),
    ("煤化工关键技术", "key technologies for coal chemicals", "coal-chemicals"),
    ("风能和光伏发电", "wind and solar power", "wind-solar"),
    ("新材料产业", "the new materials industry", "new-materials"),
    ("石油天然气勘探", "oil and gas exploration", "oil-gas"),
    ("生物医药", "biomedicine", "biomedicine"),
    ("民族医药", "traditional ethnic medicine", "ethnic-medicine"),
    ("荒漠化防治", "desertification control", "desertification"),
    ("水资源高效利用", "efficient use of water resources", "water-resources"),
    ("地震监测预警", "earthquake monitoring and early warning", "earthquake-warning"),
    ("农村信息化", "rural informatisation", "rural-informatisation"),
    ("科技特派员工作", "the science and technology commissioner scheme", "st-commissioners"),
    ("知识产权保护", "intellectual property protection", "ip-protection"),
    ("产学研合作", "industry-university-research cooperation", "industry-academia"),
    ("院士工作站建设", "academician workstations", "academician-workstations"),
    ("科技企业孵化器", "technology business incubators", "incubators"),
    ("中亚科技合作", "S&T cooperation with Central Asia", "central-asia"),
    ("双语科普", "bilingual science popularisation", "science-popularisation"),
    ("重点实验室建设", "key laboratories", "key-laboratories"),
    ("工程技术研究中心建设", "engineering technology research centres", "engineering-centres"),
];

const ACHIEVEMENTS: &[Pair] = &[
    ("取得新进展", "new progress"),
    ("通过验收", "project passes final acceptance"),
    ("成效显著", "clear results"),
    ("全面启动", "work fully under way"),
    ("示范推广见效", "demonstration and extension pay off"),
    ("超额完成年度任务", "annual targets exceeded"),
    ("取得阶段性成果", "first milestones reached"),
];

const TIMES: &[Pair] = &[
    ("年初", "Early in the year"),
    ("上半年", "In the first half of the year"),
    ("年内", "During the year"),
    ("第三季度", "In the third quarter"),
    ("报告期内", "Over the reporting period"),
    ("今年以来", "Since the start of the year"),
];

const SUBJECTS: &[Pair] = &[
    ("自治区科技厅", "the Department of Science and Technology"),
    ("各地州市科技局", "the prefectural science and technology bureaus"),
    ("项目承担单位", "the teams in charge of the projects"),
    ("对口援疆省市科技部门", "the science and technology departments of the partner provinces"),
    ("兵团科技局", "the XPCC Science and Technology Bureau"),
    ("有关高等院校和科研院所", "the universities and research institutes involved"),
    ("参与企业", "the participating enterprises"),
    ("专家组", "the expert panel"),
];

/// (zh, en past, en infinitive)
const VERBS: &[(&str, &str, &str)] = &[
    ("组织实施了", "organised", "organise"),
    ("积极推进了", "actively promoted", "promote"),
    ("深入开展了", "carried out", "carry out"),
    ("稳步推进了", "steadily advanced", "advance"),
    ("加快推进了", "accelerated", "accelerate"),
    ("认真落实了", "implemented", "implement"),
    ("集中力量开展了", "concentrated resources on", "concentrate resources on"),
];

const OBJECTS: &[Pair] = &[
    ("一批关键共性技术研究", "research on a group of key generic technologies"),
    ("科技成果转化和推广", "the transfer and diffusion of research results"),
    ("技术培训和示范", "technical training and demonstration"),
    ("科研基础条件建设", "the construction of basic research facilities"),
    ("创新团队建设", "the building of innovation teams"),
    ("企业技术中心建设", "the construction of enterprise technology centres"),
    ("技术标准制定", "the drafting of technical standards"),
    ("科技合作与交流", "exchanges and cooperation in science and technology"),
    ("新品种新技术引进", "the introduction of new varieties and techniques"),
];

/// (zh, en participial phrase)
const OUTCOMES: &[Pair] = &[
    ("取得了明显成效", "producing clear results"),
    ("取得了阶段性进展", "making measurable progress toward the goals of the five-year plan"),
    ("超额完成了年度目标", "exceeding the annual target set in the plan"),
    ("为下一步工作奠定了良好基础", "laying a solid foundation for the next stage of work"),
    ("带动了当地农牧民增收", "helping local farmers and herders raise their incomes"),
    ("得到了各方面的广泛好评", "winning wide recognition from local governments and enterprises"),
];

const PRINCIPLES: &[Pair] = &[
    ("政府引导、市场运作", "government guidance and market operation"),
    ("统筹规划、分步实施", "overall planning and step-by-step implementation"),
    ("需求导向、突出重点", "demand orientation and a focus on priorities"),
    ("开放合作、互利共赢", "open cooperation for mutual benefit"),
];

const PROBLEMS: &[Pair] = &[
    ("专业技术人员不足", "a shortage of skilled technicians"),
    ("配套资金到位较慢", "matching funds arriving late"),
    ("科研与产业结合不够紧密", "weak links between research and industry"),
    ("示范点之间距离较远", "the long distances between demonstration sites"),
    ("检测仪器设备有限", "limited access to testing equipment"),
];

const FUTURES: &[Pair] = &[
    ("向纵深发展", "move to a deeper level"),
    ("惠及更多农村群众", "benefit more people in rural areas"),
    ("为地方经济发展作出更大贡献", "contribute more to local economic growth"),
    ("如期实现规划目标", "reach the targets of the five-year plan on time"),
];

const MONTHS_EN: &[&str] =
    &["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

pub struct Metric {
    pub id: String,
    pub kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_zh: String,
    pub unit_en: String,
}

pub struct TaskRef {
    pub slug: String,
    pub number: String,
    pub title_zh: String,
    pub title_en: String,
}

pub struct PartnerRef {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

/// What a body refers to.
pub struct BodyInput<'a> {
    pub year: u32,
    pub place: usize,
    pub topic: usize,
    pub tasks: Vec<&'a TaskRef>,
    pub partners: Vec<&'a PartnerRef>,
    pub values: Vec<(&'a Metric, f64)>,
    /// Another result of the same year: (slug, zh title, en title).
    pub see_also: Option<(String, String, String)>,
}

pub fn title(rng: &mut Rng, place: usize, topic: usize) -> (String, String) {
    let (pz, pe) = PLACES[place];
    let (tz, te, _) = TOPICS[topic];
    let (az, ae) = *rng.pick(ACHIEVEMENTS);
    (format!("{pz}{tz}{az}"), capitalise(&format!("{te} in {pe}: {ae}")))
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

pub fn format_value_zh(m: &Metric, v: f64) -> String {
    match m.kind.as_str() {
        "money" => format!("{}万元", group((v / 10_000.0).round() as u64)),
        "percent" => format!("{v:.1}%"),
        _ => format!("{}{}", group(v as u64), m.unit_zh),
    }
}

pub fn format_value_en(m: &Metric, v: f64) -> String {
    match m.kind.as_str() {
        "money" => format!("CNY {:.1} million", v / 1_000_000.0),
        "percent" => format!("{v:.1}%"),
        _ => format!("{} {}", group(v as u64), m.unit_en),
    }
}

/// A value for metric `m`, as planpress stores it (money in yuan).
pub fn value_for(rng: &mut Rng, m: &Metric) -> f64 {
    match m.kind.as_str() {
        "money" => ((10f64.powf(6.0 + 3.0 * rng.unit()) / 10_000.0).round() * 10_000.0).max(10_000.0),
        "percent" => (5.0 + rng.below(26) as f64) / 10.0,
        // Counts on a log scale, in a range that suits the unit.
        _ => {
            let (lo, hi) = match m.unit_en.as_str() {
                "person-times" => (2.0, 4.5),
                "applications" => (2.0, 3.8),
                "projects" | "enterprises" => (0.7, 2.7),
                _ => (0.0, 1.6),
            };
            10f64.powf(lo + (hi - lo) * rng.unit()).round().max(1.0)
        }
    }
}

fn zh_sentence(rng: &mut Rng, inp: &BodyInput) -> String {
    let (pz, _) = PLACES[if rng.chance(0.6) { inp.place } else { rng.below(PLACES.len()) }];
    let tz = TOPICS[inp.topic].0;
    let (sz, _) = *rng.pick(SUBJECTS);
    let (vz, _, _) = *rng.pick(VERBS);
    let (oz, _) = *rng.pick(OBJECTS);
    let (rz, _) = *rng.pick(OUTCOMES);
    match rng.below(8) {
        0 => format!("{}，{sz}围绕{tz}{vz}{oz}，{rz}。", rng.pick(TIMES).0),
        1 => format!("{sz}{vz}{oz}，累计投入资金{}万元，{rz}。", group(rng.range(20, 3000) as u64)),
        2 => format!("在{pz}，{sz}组织专家开展{oz}，培训农牧民和技术人员{}人次。", group(rng.range(50, 5000) as u64)),
        3 => format!("通过{oz}，{pz}{tz}的技术水平进一步提高，{rz}。"),
        4 => format!("{sz}与{pz}有关部门共同研究{tz}中存在的{}等问题，提出了具体措施。", rng.pick(PROBLEMS).0),
        5 => format!("项目实施过程中，{sz}坚持{}的原则，{vz}{oz}。", rng.pick(PRINCIPLES).0),
        6 => format!("截至{}月底，{pz}已完成相关项目{}项，{rz}。", rng.range(3, 12), rng.range(2, 60)),
        _ => format!("与上年相比，{pz}{tz}相关指标增长{}.{}%，{rz}。", rng.range(2, 35), rng.below(10)),
    }
}

fn zh_next_step(rng: &mut Rng, inp: &BodyInput) -> String {
    let (sz, _) = *rng.pick(SUBJECTS);
    let (oz, _) = *rng.pick(OBJECTS);
    format!("下一步，{sz}将继续做好{oz}，推动{}{}。", TOPICS[inp.topic].0, rng.pick(FUTURES).0)
}

fn en_sentence(rng: &mut Rng, inp: &BodyInput) -> String {
    let (_, pe) = PLACES[if rng.chance(0.6) { inp.place } else { rng.below(PLACES.len()) }];
    let te = TOPICS[inp.topic].1;
    let (_, se) = *rng.pick(SUBJECTS);
    let (_, ve, _) = *rng.pick(VERBS);
    let (_, oe) = *rng.pick(OBJECTS);
    let (_, re) = *rng.pick(OUTCOMES);
    match rng.below(8) {
        0 => format!("{}, {se} {ve} {oe} in {pe} as part of the work on {te}, {re}.", rng.pick(TIMES).1),
        1 => format!(
            "With total funding of CNY {}.{} million, {se} {ve} {oe} across {} counties and cities, {re}.",
            rng.range(1, 300),
            rng.below(10),
            rng.range(2, 24)
        ),
        2 => format!(
            "Experts organised by {se} held {} training sessions on {te} in {pe}, reaching {} farmers, herders and technicians in {} townships.",
            rng.range(3, 80),
            group(rng.range(50, 5000) as u64),
            rng.range(2, 40)
        ),
        3 => format!(
            "Thanks to {oe}, the technical level of {te} in {pe} rose noticeably over the year, {re}."
        ),
        4 => format!(
            "Problems found during the year, such as {}, were studied jointly by {se} and the authorities of {pe}, and concrete measures were agreed for the coming months.",
            rng.pick(PROBLEMS).1
        ),
        5 => format!(
            "Throughout the project {se} followed the principle of {}, and {ve} {oe} together with partners from eastern China.",
            rng.pick(PRINCIPLES).1
        ),
        6 => format!(
            "By the end of {}, {pe} had completed {} projects related to {te}, {re}.",
            MONTHS_EN[rng.range(2, 11)],
            rng.range(2, 60)
        ),
        _ => format!(
            "Compared with the previous year, the main indicators for {te} in {pe} rose by {}.{} per cent, {re}.",
            rng.range(2, 35),
            rng.below(10)
        ),
    }
}

fn en_next_step(rng: &mut Rng, inp: &BodyInput) -> String {
    let (_, se) = *rng.pick(SUBJECTS);
    let (_, _, vi) = *rng.pick(VERBS);
    let (_, oe) = *rng.pick(OBJECTS);
    format!("Next year, {se} will continue to {vi} {oe}, so that {} can {}.", TOPICS[inp.topic].1, rng.pick(FUTURES).1)
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// The Chinese Markdown body.
pub fn body_zh(rng: &mut Rng, inp: &BodyInput) -> String {
    let y = inp.year;
    let mut head = String::from("## 工作概述\n\n");
    let links: Vec<String> =
        inp.tasks.iter().map(|t| format!("第{}项重点任务“[{}](@/plan/{y}/{}/)”", t.number, t.title_zh, t.slug)).collect();
    head += &format!("本成果落实{y}年科技工作要点{}。", links.join("和"));
    head += &zh_sentence(rng, inp);
    head += &zh_sentence(rng, inp);
    head += "\n\n## 主要数据\n\n本条为示例成果，数字均为演示数据：\n\n";
    for (i, (m, v)) in inp.values.iter().enumerate() {
        head += &format!("{}. {}：{}；\n", i + 1, m.name_zh, format_value_zh(m, *v));
    }
    head += "\n| 指标 | 数值 |\n|---|---:|\n";
    for (m, v) in &inp.values {
        head += &format!("| {} | {} |\n", m.name_zh, format_value_zh(m, *v));
    }
    head += "\n## 合作情况\n\n";
    if inp.partners.is_empty() {
        head += "本项工作由区内单位独立完成。";
    } else {
        let names: Vec<String> = inp.partners.iter().map(|p| format!("[{}](@/partners/{}/)", p.name_zh, p.id)).collect();
        head += &format!("{}参与了本项工作，", names.join("、"));
        head += "在资金、人才和技术方面给予了支持。";
    }
    if let Some((slug, tz, _)) = &inp.see_also {
        head += &format!("另见同年成果“[{tz}](@/results/{y}/{slug}/)”。");
    }
    head += "\n\n## 进展情况\n\n";
    let tail = format!("\n\n## 下一步工作\n\n{}\n", zh_next_step(rng, inp));
    let target = rng.range(ZH_MIN_CHARS, ZH_MAX_CHARS - 60);
    let mut len = head.chars().count() + tail.chars().count();
    let mut mid = String::new();
    let mut in_para = 0;
    let mut tries = 0;
    while len < target && tries < 1000 {
        tries += 1;
        let mut s = zh_sentence(rng, inp);
        if in_para >= 3 && rng.chance(0.5) {
            s.insert_str(0, "\n\n");
            in_para = 0;
        }
        let n = s.chars().count();
        if len + n > ZH_MAX_CHARS {
            continue;
        }
        len += n;
        mid += &s;
        in_para += 1;
    }
    head + &mid + &tail
}

/// The English Markdown body.
pub fn body_en(rng: &mut Rng, inp: &BodyInput) -> String {
    let y = inp.year;
    let mut head = String::from("## Overview\n\n");
    let links: Vec<String> =
        inp.tasks.iter().map(|t| format!("key task {}, “[{}](@/plan/{y}/{}/)”", t.number, t.title_en, t.slug)).collect();
    head += &format!("This result advances {} of the {y} plan. ", links.join(", and "));
    for _ in 0..3 {
        head += &en_sentence(rng, inp);
        head.push(' ');
    }
    head += "\n\n## Key figures\n\nThis is an example result; all figures are demonstration data:\n\n";
    for (m, v) in &inp.values {
        head += &format!("- {}: {}\n", m.name_en, format_value_en(m, *v));
    }
    head += "\n| Indicator | Value |\n|---|---:|\n";
    for (m, v) in &inp.values {
        head += &format!("| {} | {} |\n", m.name_en, format_value_en(m, *v));
    }
    head += "\n## Partners and cooperation\n\n";
    if inp.partners.is_empty() {
        head += "The work was carried out by institutions in Xinjiang without a partner province. ";
    } else {
        let names: Vec<String> = inp.partners.iter().map(|p| format!("[{}](@/partners/{}/)", p.name_en, p.id)).collect();
        head += &format!("{} took part in this work, with support in funding, personnel and technology. ", names.join(", "));
    }
    if let Some((slug, _, te)) = &inp.see_also {
        head += &format!("See also “[{te}](@/results/{y}/{slug}/)” from the same year. ");
    }
    head += &en_sentence(rng, inp);
    head += "\n\n## Progress\n\n";
    let tail = format!("\n\n## Next steps\n\n{} {}\n", en_next_step(rng, inp), en_sentence(rng, inp));
    let target = rng.range(EN_MIN_WORDS, EN_MAX_WORDS - 50);
    let mut len = words(&head) + words(&tail);
    let mut mid = String::new();
    let mut in_para = 0;
    let mut sections = 0;
    while len < target {
        let s = en_sentence(rng, inp);
        let n = words(&s);
        if !mid.is_empty() {
            if in_para >= 4 && rng.chance(0.4) {
                sections += 1;
                if sections % 3 == 0 {
                    let (_, pe) = PLACES[rng.below(PLACES.len())];
                    mid += &format!("\n\n### Work in {pe}\n\n");
                } else {
                    mid += "\n\n";
                }
                in_para = 0;
            } else {
                mid.push(' ');
            }
        }
        len += n;
        mid += &s;
        in_para += 1;
    }
    head + &mid + &tail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> (Vec<Metric>, Vec<TaskRef>, Vec<PartnerRef>) {
        let m = |id: &str, kind: &str| Metric {
            id: id.into(),
            kind: kind.into(),
            name_zh: "科技援疆资金".into(),
            name_en: "S&T assistance funds".into(),
            unit_zh: "项".into(),
            unit_en: "projects".into(),
        };
        let metrics = vec![m("a", "count"), m("b", "money"), m("c", "percent")];
        let tasks = vec![TaskRef {
            slug: "talent".into(),
            number: "8".into(),
            title_zh: "加大人才培养和激励力度,推进科技人才队伍建设".into(),
            title_en: "Step up talent training and incentives, and build up the S&T workforce".into(),
        }];
        let partners = vec![PartnerRef { id: "beijing".into(), name_zh: "北京市".into(), name_en: "Beijing Municipality".into() }];
        (metrics, tasks, partners)
    }

    #[test]
    fn body_sizes_are_in_range() {
        let (metrics, tasks, partners) = fixtures();
        for i in 0..500 {
            let mut rng = Rng::derive(1, 2, i);
            let inp = BodyInput {
                year: 2011,
                place: rng.below(PLACES.len()),
                topic: rng.below(TOPICS.len()),
                tasks: vec![&tasks[0]],
                partners: if i % 2 == 0 { vec![&partners[0]] } else { vec![] },
                values: metrics.iter().map(|m| (m, 12345.0)).collect(),
                see_also: Some(("x".into(), "示例".into(), "Example".into())),
            };
            let zh = body_zh(&mut rng, &inp);
            let n = zh.chars().count();
            assert!((ZH_MIN_CHARS..=ZH_MAX_CHARS).contains(&n), "{n}: {zh}");
            let en = body_en(&mut rng, &inp);
            let w = words(&en);
            assert!((EN_MIN_WORDS..=EN_MAX_WORDS).contains(&w), "{w}");
            assert!(zh.contains("](@/plan/2011/talent/)") && en.contains("| Indicator | Value |"));
        }
    }

    #[test]
    fn formats() {
        let (metrics, _, _) = fixtures();
        assert_eq!(format_value_zh(&metrics[0], 2400.0), "2,400项");
        assert_eq!(format_value_zh(&metrics[1], 128_000_000.0), "12,800万元");
        assert_eq!(format_value_en(&metrics[1], 128_000_000.0), "CNY 128.0 million");
        assert_eq!(format_value_en(&metrics[2], 1.5), "1.5%");
    }
}
