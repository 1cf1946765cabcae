//! The JSON downloads (`plan-<year>.json`, `all.json`) and their JSON Schemas. Localised text
//! is a map language → text as in the YAML; figures are JSON numbers with the digits written;
//! results keep their `illustrative` mark and plans and periods their sources.

use serde_json::{json, Map, Value};

use crate::model::{Number, Site, Source, Text};

fn text(t: &Text) -> Value {
    Value::Object(t.value.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect())
}

fn opt_text(t: Option<&Text>) -> Value {
    t.map_or(Value::Null, text)
}

/// A figure as a JSON number with the digits it was written with (`1.8`, `2400`, never `2400.0`).
pub fn number(n: &Number) -> Value {
    let plain = super::tables::plain_number(n);
    plain.parse::<serde_json::Number>().map(Value::Number).unwrap_or_else(|_| json!(n.value))
}

fn source(s: Option<&Source>) -> Value {
    s.map_or(Value::Null, |s| json!({"url": s.url.value, "note": opt_text(s.note.as_ref())}))
}

/// A year's plan: its tasks with their actions, targets and partners.
pub fn plan(site: &Site, year: u32) -> Value {
    let Some(plan) = site.plans.get(&year) else { return Value::Null };
    let p = &plan.record.data;
    let tasks: Vec<Value> = plan
        .tasks
        .iter()
        .map(|task| {
            let t = &task.data;
            let actions: Vec<Value> =
                t.actions.iter().map(|a| json!({"id": a.id.value, "kind": a.kind.as_str(), "name": text(&a.name)})).collect();
            let targets: Vec<Value> = t
                .targets
                .iter()
                .map(|g| json!({"metric": g.metric.value, "value": number(&g.value.value), "note": opt_text(g.note.as_ref())}))
                .collect();
            let mut task = Map::new();
            task.insert("number".into(), json!(t.number.value));
            task.insert("id".into(), json!(t.slug.value));
            task.insert("title".into(), text(&t.title));
            task.insert("lead_bodies".into(), Value::Array(t.lead_bodies.iter().map(text).collect()));
            task.insert("actions".into(), Value::Array(actions));
            task.insert("targets".into(), Value::Array(targets));
            task.insert("partners".into(), json!(t.partners.iter().map(|p| &p.value).collect::<Vec<_>>()));
            task.insert("continues".into(), json!(t.continues.as_ref().map(|c| &c.value)));
            Value::Object(task)
        })
        .collect();
    let mut partners: Vec<&str> = plan.tasks.iter().flat_map(|t| t.data.partners.iter().map(|p| p.value.as_str())).collect();
    partners.sort_unstable();
    partners.dedup();
    json!({
        "year": year,
        "title": text(&p.title),
        "issuer": text(&p.issuer),
        "date": p.date.value,
        "source": source(p.source.as_ref()),
        "tasks": tasks,
        "partners": partners,
    })
}

fn metrics(site: &Site) -> Value {
    Value::Array(
        site.metrics
            .iter()
            .map(|m| json!({"id": m.id.value, "kind": m.kind.as_str(), "name": text(&m.name), "unit": text(&m.unit)}))
            .collect(),
    )
}

fn partners(site: &Site) -> Value {
    Value::Array(
        site.partners
            .iter()
            .map(|p| {
                let d = &p.data;
                let recipients: Vec<Value> = d.recipients.iter().map(|r| text(&r.name)).collect();
                json!({
                    "id": d.id.value, "role": d.role.as_str(), "order": d.order, "name": text(&d.name),
                    "recipients": recipients, "sources": d.sources.iter().map(|s| &s.value).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

fn results(site: &Site) -> Value {
    let rows = site.results.iter().flat_map(|(year, results)| {
        results.iter().map(move |r| {
            let d = &r.data;
            let values: Vec<Value> = d.values.iter().map(|v| json!({"metric": v.metric.value, "value": number(&v.value.value)})).collect();
            json!({
                "year": year, "id": d.slug.value, "date": d.date.value, "title": text(&d.title),
                "tasks": d.tasks.iter().map(|t| &t.value).collect::<Vec<_>>(),
                "partners": d.partners.iter().map(|p| &p.value).collect::<Vec<_>>(),
                "values": values, "illustrative": d.illustrative,
            })
        })
    });
    Value::Array(rows.collect())
}

fn periods(site: &Site) -> Value {
    Value::Array(
        site.periods
            .iter()
            .map(|p| {
                let d = &p.data;
                let targets: Vec<Value> = d
                    .targets
                    .iter()
                    .map(|t| {
                        let milestones: Vec<Value> =
                            t.milestones.iter().map(|m| json!({"year": m.year.value, "value": number(&m.value.value)})).collect();
                        json!({
                            "metric": t.metric.value, "value": number(&t.value.value), "note": opt_text(t.note.as_ref()),
                            "source": source(t.source.as_ref()), "illustrative": t.illustrative, "milestones": milestones,
                        })
                    })
                    .collect();
                json!({
                    "id": d.id.value, "title": text(&d.title), "first_year": d.first_year.value, "last_year": d.last_year.value,
                    "source": source(d.source.as_ref()), "targets": targets,
                })
            })
            .collect(),
    )
}

/// The whole site's data in one file.
pub fn all(site: &Site) -> Value {
    let c = &site.config;
    json!({
        "site": {"title": text(&c.title), "organisation": text(&c.organisation), "base_url": c.base_url.value,
                 "languages": site.language_codes()},
        "metrics": metrics(site),
        "partners": partners(site),
        "plans": site.plans.keys().map(|y| plan(site, *y)).collect::<Vec<_>>(),
        "results": results(site),
        "periods": periods(site),
    })
}

/// Pretty JSON with a final newline.
pub fn bytes(value: &Value) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The definitions both schemas share: a localised text, a source, a plan.
fn schema_defs() -> Value {
    let text = json!({"type": "object", "description": "language code → text", "additionalProperties": {"type": "string"}});
    let opt_text = json!({"anyOf": [{"$ref": "#/$defs/text"}, {"type": "null"}]});
    let ids = json!({"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9-]+$"}});
    let source = json!({"anyOf": [{"type": "null"}, {"type": "object", "required": ["url"], "additionalProperties": false,
        "properties": {"url": {"type": "string"}, "note": opt_text}}]});
    let target = json!({"type": "object", "required": ["metric", "value"], "additionalProperties": false,
        "properties": {"metric": {"type": "string"}, "value": {"type": "number"}, "note": opt_text}});
    let action = json!({"type": "object", "required": ["id", "kind", "name"], "additionalProperties": false,
        "properties": {"id": {"type": "string"}, "kind": {"type": "string"}, "name": {"$ref": "#/$defs/text"}}});
    let task = json!({"type": "object", "required": ["number", "id", "title", "actions", "targets", "partners"], "additionalProperties": false,
        "properties": {"number": {"type": "integer"}, "id": {"type": "string"}, "title": {"$ref": "#/$defs/text"},
            "lead_bodies": {"type": "array", "items": {"$ref": "#/$defs/text"}}, "actions": {"type": "array", "items": action},
            "targets": {"type": "array", "items": target}, "partners": ids, "continues": {"type": ["string", "null"]}}});
    let plan = json!({"type": "object", "required": ["year", "title", "issuer", "date", "tasks", "partners"], "additionalProperties": false,
        "properties": {"year": {"type": "integer"}, "title": {"$ref": "#/$defs/text"}, "issuer": {"$ref": "#/$defs/text"},
            "date": {"type": "string"}, "source": {"$ref": "#/$defs/source"}, "tasks": {"type": "array", "items": task}, "partners": ids}});
    json!({"text": text, "source": source, "plan": plan})
}

/// The JSON Schema of `plan-<year>.json`.
pub fn plan_schema(id: &str) -> Value {
    json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": id, "title": "planpress plan year",
        "$ref": "#/$defs/plan", "$defs": schema_defs()})
}

/// The JSON Schema of `all.json`.
pub fn all_schema(id: &str) -> Value {
    let opt_text = json!({"anyOf": [{"$ref": "#/$defs/text"}, {"type": "null"}]});
    let value = json!({"type": "object", "required": ["metric", "value"], "additionalProperties": false,
        "properties": {"metric": {"type": "string"}, "value": {"type": "number"}}});
    let result = json!({"type": "object", "required": ["year", "id", "date", "title", "values", "illustrative"], "additionalProperties": false,
        "properties": {"year": {"type": "integer"}, "id": {"type": "string"}, "date": {"type": "string"}, "title": {"$ref": "#/$defs/text"},
            "tasks": {"type": "array", "items": {"type": "string"}}, "partners": {"type": "array", "items": {"type": "string"}},
            "values": {"type": "array", "items": value},
            "illustrative": {"type": "boolean", "description": "true: illustrative figures, not official statistics"}}});
    let metric = json!({"type": "object", "required": ["id", "kind", "name", "unit"], "additionalProperties": false,
        "properties": {"id": {"type": "string"}, "kind": {"enum": ["count", "money", "percent"]}, "name": {"$ref": "#/$defs/text"},
            "unit": {"$ref": "#/$defs/text"}}});
    let partner = json!({"type": "object", "required": ["id", "role", "name"], "additionalProperties": false,
        "properties": {"id": {"type": "string"}, "role": {"enum": ["supporter", "coordinator"]}, "order": {"type": "integer"},
            "name": {"$ref": "#/$defs/text"}, "recipients": {"type": "array", "items": {"$ref": "#/$defs/text"}},
            "sources": {"type": "array", "items": {"type": "string"}}}});
    let milestone = json!({"type": "object", "required": ["year", "value"], "additionalProperties": false,
        "properties": {"year": {"type": "integer"}, "value": {"type": "number"}}});
    let period_target = json!({"type": "object", "required": ["metric", "value", "illustrative"], "additionalProperties": false,
        "properties": {"metric": {"type": "string"}, "value": {"type": "number"}, "note": opt_text, "source": {"$ref": "#/$defs/source"},
            "illustrative": {"type": "boolean"}, "milestones": {"type": "array", "items": milestone}}});
    let period = json!({"type": "object", "required": ["id", "title", "first_year", "last_year", "targets"], "additionalProperties": false,
        "properties": {"id": {"type": "string"}, "title": {"$ref": "#/$defs/text"}, "first_year": {"type": "integer"},
            "last_year": {"type": "integer"}, "source": {"$ref": "#/$defs/source"}, "targets": {"type": "array", "items": period_target}}});
    let site = json!({"type": "object", "required": ["title", "organisation", "base_url", "languages"],
        "properties": {"title": {"$ref": "#/$defs/text"}, "organisation": {"$ref": "#/$defs/text"}, "base_url": {"type": "string"},
            "languages": {"type": "array", "items": {"type": "string"}}}});
    json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": id, "title": "planpress site data",
        "type": "object", "required": ["site", "metrics", "partners", "plans", "results", "periods"], "additionalProperties": false,
        "properties": {"site": site, "metrics": {"type": "array", "items": metric}, "partners": {"type": "array", "items": partner},
            "plans": {"type": "array", "items": {"$ref": "#/$defs/plan"}}, "results": {"type": "array", "items": result},
            "periods": {"type": "array", "items": period}},
        "$defs": schema_defs()})
}
