//! Statement fields: one validator shared by front matter and JSONL lines,
//! so both formats accept exactly the same fields with the same messages.

use super::{DateRange, Kind, Period, SpeakerRole};
use crate::error::nearest;
use std::collections::BTreeMap;

pub const FIELDS: &[&str] = &[
    "id",
    "entity",
    "date",
    "event_date",
    "kind",
    "speaker",
    "speaker_role",
    "source",
    "publisher",
    "url",
    "archive_url",
    "archived",
    "via",
    "topics",
    "lang",
    "series",
    "period",
    "about",
    "note",
    "ignore",
    "empty",
    "text",
];

/// Fields as read, before they are tied to a file and an entity.
#[derive(Debug, Default)]
pub struct Fields {
    pub id: Option<String>,
    pub entity: Option<String>,
    pub date: Option<DateRange>,
    pub event_date: Option<DateRange>,
    pub kind: Option<Kind>,
    pub speaker: Option<String>,
    pub speaker_role: Option<SpeakerRole>,
    pub source: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub archive_url: Option<String>,
    pub archived: Option<String>,
    pub via: Option<String>,
    pub topics: Vec<String>,
    pub lang: Option<String>,
    pub series: Option<String>,
    pub period: Option<Period>,
    pub about: Vec<String>,
    pub note: Option<String>,
    pub ignore: BTreeMap<String, String>,
    pub empty: bool,
    pub text: Option<String>,
}

/// A field problem: the key it concerns (to locate it), message, hint.
pub type FieldError = (Option<String>, String, Option<String>);

fn type_name(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "an integer",
        toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Datetime(_) => "a TOML date",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
}

/// Reads and validates every field; returns all problems, not the first.
pub fn read_fields(table: &toml::Table, allow_text: bool) -> (Fields, Vec<FieldError>) {
    let mut f = Fields::default();
    let mut errs: Vec<FieldError> = Vec::new();
    let mut err = |k: &str, m: String, h: Option<String>| errs.push((Some(k.to_string()), m, h));
    for (k, v) in table {
        let string = |v: &toml::Value| -> Result<String, String> {
            match v {
                toml::Value::String(s) => Ok(s.clone()),
                // An unquoted TOML date (date = 2021-04-01) is a date the
                // user meant; accept it rather than teach TOML.
                toml::Value::Datetime(d) if k.ends_with("date") => Ok(d.to_string()),
                other => Err(format!(
                    "`{k}` must be a string, found {}",
                    type_name(other)
                )),
            }
        };
        let list = |v: &toml::Value| -> Result<Vec<String>, String> {
            match v {
                toml::Value::String(s) => Ok(vec![s.clone()]),
                toml::Value::Array(a) => a
                    .iter()
                    .map(|x| match x {
                        toml::Value::String(s) => Ok(s.clone()),
                        o => Err(format!(
                            "`{k}` must be a list of strings, found {} in it",
                            type_name(o)
                        )),
                    })
                    .collect(),
                o => Err(format!(
                    "`{k}` must be a list of strings, found {}",
                    type_name(o)
                )),
            }
        };
        let r: Result<(), String> = (|| {
            match k.as_str() {
                "id" => f.id = Some(string(v)?),
                "entity" => f.entity = Some(string(v)?),
                "date" | "event_date" => {
                    let d = DateRange::parse(&string(v)?)?;
                    if k == "date" {
                        f.date = Some(d)
                    } else {
                        f.event_date = Some(d)
                    }
                }
                "kind" => {
                    let s = string(v)?;
                    f.kind = Some(Kind::parse(&s).ok_or_else(|| {
                        let hint = nearest(&s, Kind::names())
                            .map(|n| format!(" (did you mean `{n}`?)"))
                            .unwrap_or_default();
                        format!(
                            "unknown kind `{s}`{hint}; expected one of: {}",
                            Kind::names().collect::<Vec<_>>().join(", ")
                        )
                    })?);
                }
                "speaker_role" => {
                    let s = string(v)?;
                    f.speaker_role = Some(SpeakerRole::parse(&s).ok_or_else(|| {
                        let hint = nearest(&s, SpeakerRole::names()).map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default();
                        format!("unknown speaker_role `{s}`{hint}; expected one of: entity, agent, third-party, government")
                    })?);
                }
                "speaker" => f.speaker = Some(string(v)?),
                "source" => f.source = Some(string(v)?),
                "publisher" => f.publisher = Some(string(v)?),
                "url" => f.url = Some(string(v)?),
                "archive_url" => f.archive_url = Some(string(v)?),
                "archived" => f.archived = Some(string(v)?),
                "via" => f.via = Some(string(v)?),
                "lang" => f.lang = Some(string(v)?),
                "series" => f.series = Some(string(v)?),
                "note" => f.note = Some(string(v)?),
                "topics" => f.topics = list(v)?,
                "about" => f.about = list(v)?,
                "period" => {
                    let s = match v {
                        toml::Value::Integer(i) => i.to_string(),
                        other => string(other)?,
                    };
                    f.period = Some(Period::parse(&s)?);
                }
                "empty" => match v {
                    toml::Value::Boolean(b) => f.empty = *b,
                    o => {
                        return Err(format!(
                            "`empty` must be true or false, found {}",
                            type_name(o)
                        ));
                    }
                },
                "ignore" => match v {
                    toml::Value::Table(t) => {
                        for (rule, reason) in t {
                            match reason {
                                toml::Value::String(r) if !r.trim().is_empty() => {
                                    f.ignore.insert(rule.clone(), r.clone());
                                }
                                _ => {
                                    return Err(format!(
                                        "`ignore.{rule}` must give the reason it is ignored, as a non-empty string"
                                    ));
                                }
                            }
                        }
                    }
                    o => {
                        return Err(format!(
                            "`ignore` must be a table of rule id = \"reason\", found {}",
                            type_name(o)
                        ));
                    }
                },
                "text" if allow_text => f.text = Some(string(v)?),
                _ => {
                    let allowed = FIELDS
                        .iter()
                        .copied()
                        .filter(|x| allow_text || *x != "text");
                    let hint = nearest(k, allowed).map(|n| format!("did you mean `{n}`?"));
                    return Err(format!(
                        "unknown field `{k}`; expected one of: {}",
                        FIELDS
                            .iter()
                            .copied()
                            .filter(|x| allow_text || *x != "text")
                            .collect::<Vec<_>>()
                            .join(", ")
                    ) + &hint.map(|h| format!(" ({h})")).unwrap_or_default());
                }
            }
            Ok(())
        })();
        if let Err(m) = r {
            err(k, m, None);
        }
    }
    if f.date.is_none() && !table.contains_key("date") {
        errs.push((None, "missing required field `date`".into(), Some("add e.g. date = \"2021-04\" (YYYY, YYYY-MM or YYYY-MM-DD: the precision the source gives)".into())));
    }
    if f.kind.is_none() && !table.contains_key("kind") {
        errs.push((
            None,
            "missing required field `kind`".into(),
            Some(format!(
                "add e.g. kind = \"press-release\"; kinds: {}",
                Kind::names().collect::<Vec<_>>().join(", ")
            )),
        ));
    }
    if let (Some(d), Some(e)) = (&f.date, &f.event_date)
        && e.start > d.end
    {
        errs.push((
            Some("event_date".into()),
            format!("`event_date` {e} is after `date` {d}: a statement cannot report a fact that happened after it was published"),
            Some("event_date is when the underlying fact happened (a contract signed before it leaked)".into()),
        ));
    }
    (f, errs)
}

/// Converts a JSON object to a TOML table so JSONL lines share the
/// front-matter validator. `null` values are dropped (absent).
pub fn json_to_toml(map: &serde_json::Map<String, serde_json::Value>) -> toml::Table {
    fn conv(v: &serde_json::Value) -> Option<toml::Value> {
        Some(match v {
            serde_json::Value::Null => return None,
            serde_json::Value::Bool(b) => toml::Value::Boolean(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => toml::Value::Integer(i),
                None => toml::Value::Float(n.as_f64().unwrap_or(0.0)),
            },
            serde_json::Value::String(s) => toml::Value::String(s.clone()),
            serde_json::Value::Array(a) => toml::Value::Array(a.iter().filter_map(conv).collect()),
            serde_json::Value::Object(o) => toml::Value::Table(
                o.iter()
                    .filter_map(|(k, v)| conv(v).map(|v| (k.clone(), v)))
                    .collect(),
            ),
        })
    }
    map.iter()
        .filter_map(|(k, v)| conv(v).map(|v| (k.clone(), v)))
        .collect()
}
