//! Reading the corpus tree: entity folders, statement files, JSONL bulk
//! files. Files are parsed in parallel; problems are collected for every
//! file and returned together. Directory symlink loops are detected, and
//! `archived` paths may not leave the corpus.

use super::fields::{Fields, json_to_toml, read_fields};
use super::{Corpus, Entities, Entity, Origin, Statement};
use crate::error::{Diagnostic, nearest};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Settings for loading.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Largest statement file (or JSONL line) read, in bytes; larger ones are
    /// refused with a message instead of exhausting memory.
    pub max_file_bytes: u64,
    /// Counters a progress display may read while loading runs.
    pub progress: Option<Arc<Progress>>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_bytes: 64 << 20,
            progress: None,
        }
    }
}

/// Loading progress, updated as files and JSONL batches are read.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes of all files to read (known after the tree walk).
    pub total_bytes: AtomicU64,
    pub bytes: AtomicU64,
    pub statements: AtomicU64,
}

impl Progress {
    fn add(&self, bytes: u64, statements: u64) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.statements.fetch_add(statements, Ordering::Relaxed);
    }
}

/// What a streaming load does with each parsed statement: return it to
/// keep it in the corpus (its text may be emptied first), or `None` to drop
/// it once it has been seen.
pub type Visit<'a> = &'a (dyn Fn(Statement) -> Option<Statement> + Sync);

/// Where a statement id was defined, for the duplicate check (kept for
/// every statement, also those a streaming load drops).
struct IdRef {
    id: String,
    path: PathBuf,
    line: usize,
}

enum FileJob {
    Markdown { path: PathBuf, entity: String },
    Jsonl { path: PathBuf },
}

/// Loads the corpus under `root`. Returns the corpus only when every file
/// loaded; otherwise every problem found, sorted by file and line.
pub fn load(root: &Path, opts: &LoadOptions) -> Result<Corpus, Vec<Diagnostic>> {
    let (corpus, problems) = load_lenient(root, opts);
    if problems.is_empty() {
        Ok(corpus)
    } else {
        Err(problems)
    }
}

/// Loads what can be loaded and reports the rest (for `--keep-going` and
/// `lint`).
pub fn load_lenient(root: &Path, opts: &LoadOptions) -> (Corpus, Vec<Diagnostic>) {
    load_streaming(root, opts, &Some)
}

/// Loads the corpus, passing every statement through `visit` as soon as it
/// is parsed, so a caller can keep what it needs (matches, metadata) and
/// let the text go: memory stays flat however large the corpus.
pub fn load_streaming(root: &Path, opts: &LoadOptions, visit: Visit) -> (Corpus, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    if !root.is_dir() {
        problems.push(
            Diagnostic::new(root, 0, 0, "corpus folder not found")
                .with_hint("run in a folder with `statements/`, pass --corpus DIR, or create one with `claimdiff init`"),
        );
        return (Corpus::default(), problems);
    }
    let mut jobs = Vec::new();
    let mut entity_files = Vec::new();
    let mut visited = BTreeSet::new();
    walk(
        root,
        None,
        &mut jobs,
        &mut entity_files,
        &mut visited,
        &mut problems,
    );

    let (entities, mut eprobs) = load_entities_from(&entity_files);
    problems.append(&mut eprobs);

    if let Some(p) = &opts.progress {
        let total: u64 = jobs
            .iter()
            .map(|j| match j {
                FileJob::Markdown { path, .. } | FileJob::Jsonl { path } => {
                    fs::metadata(path).map_or(0, |m| m.len())
                }
            })
            .sum();
        p.total_bytes.store(total, Ordering::Relaxed);
    }
    let idref = |s: &Statement| IdRef {
        id: s.id.clone(),
        path: s.origin.path.clone(),
        line: if s.origin.jsonl {
            s.origin.body_line
        } else {
            1
        },
    };
    let results: Vec<(Vec<Statement>, Vec<IdRef>, Vec<Diagnostic>)> = jobs
        .par_iter()
        .map(|job| match job {
            FileJob::Markdown { path, entity } => match read_file(path, opts) {
                Ok(bytes) => {
                    if let Some(p) = &opts.progress {
                        p.add(bytes.len() as u64, 1);
                    }
                    match parse_statement_bytes(path, &bytes, entity, root) {
                        Ok(s) => {
                            let id = idref(&s);
                            (visit(s).into_iter().collect(), vec![id], vec![])
                        }
                        Err(d) => (vec![], vec![], d),
                    }
                }
                Err(d) => (vec![], vec![], vec![d]),
            },
            FileJob::Jsonl { path } => read_jsonl(path, root, opts, visit, &idref),
        })
        .collect();
    let mut statements = Vec::new();
    let mut ids = Vec::new();
    for (s, mut i, mut d) in results {
        statements.extend(s);
        ids.append(&mut i);
        problems.append(&mut d);
    }
    check_unique_ids(&ids, &mut problems);
    let mut entities = entities;
    for s in &statements {
        for e in std::iter::once(&s.entity).chain(&s.about) {
            entities.by_id.entry(e.clone()).or_insert_with(|| Entity {
                id: e.clone(),
                name: e.clone(),
                ..Default::default()
            });
        }
    }
    statements.sort_by(|a, b| a.id.cmp(&b.id));
    problems.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    problems.dedup();
    (
        Corpus {
            root: root.to_path_buf(),
            entities,
            statements,
        },
        problems,
    )
}

fn walk(
    dir: &Path,
    entity: Option<&str>,
    jobs: &mut Vec<FileJob>,
    entity_files: &mut Vec<(String, PathBuf)>,
    visited: &mut BTreeSet<PathBuf>,
    problems: &mut Vec<Diagnostic>,
) {
    let canon = match fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => {
            problems.push(Diagnostic::new(
                dir,
                0,
                0,
                format!("cannot read folder: {e}"),
            ));
            return;
        }
    };
    if !visited.insert(canon) {
        problems.push(Diagnostic::new(
            dir,
            0,
            0,
            "folder visited twice: a symbolic link loops back into the corpus; it was skipped",
        ));
        return;
    }
    let mut entries: Vec<_> = match fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok()).collect(),
        Err(e) => {
            problems.push(Diagnostic::new(
                dir,
                0,
                0,
                format!("cannot read folder: {e}"),
            ));
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let is_dir = fs::metadata(&path).map(|m| m.is_dir()).unwrap_or(false);
        if is_dir {
            // `archive/` holds verbatim copies of sources, not statements.
            if name == "archive" {
                continue;
            }
            let ent = entity.unwrap_or(&name).to_string();
            if entity.is_none() {
                let et = path.join("entity.toml");
                if et.exists() {
                    entity_files.push((ent.clone(), et));
                }
            }
            walk(&path, Some(&ent), jobs, entity_files, visited, problems);
        } else if name.ends_with(".md") {
            match entity {
                Some(ent) => jobs.push(FileJob::Markdown { path, entity: ent.to_string() }),
                None => problems.push(
                    Diagnostic::new(&path, 0, 0, "statement file outside an entity folder")
                        .with_hint("put it in statements/<entity>/, or in a .jsonl file with an `entity` field"),
                ),
            }
        } else if name.ends_with(".jsonl") {
            jobs.push(FileJob::Jsonl { path });
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            problems.push(
                Diagnostic::new(&path, 0, 0, "YAML files are not read").with_hint(
                    "statements are Markdown files with TOML front matter between `+++` lines",
                ),
            );
        }
    }
}

fn read_file(path: &Path, opts: &LoadOptions) -> Result<Vec<u8>, Diagnostic> {
    let meta = fs::metadata(path)
        .map_err(|e| Diagnostic::new(path, 0, 0, format!("cannot read file: {e}")))?;
    if meta.len() > opts.max_file_bytes {
        return Err(Diagnostic::new(
            path,
            0,
            0,
            format!(
                "file is {} MB, over the limit of {} MB for one statement; it was not read",
                meta.len() >> 20,
                opts.max_file_bytes >> 20
            ),
        )
        .with_hint("split it into several statements, or put its items in a .jsonl file"));
    }
    fs::read(path).map_err(|e| Diagnostic::new(path, 0, 0, format!("cannot read file: {e}")))
}

/// Decodes UTF-8, strips a BOM and normalises CRLF, pointing at the first
/// bad byte when the file is not UTF-8.
fn decode(path: &Path, bytes: &[u8], line_base: usize) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(if s.contains('\r') {
            s.replace("\r\n", "\n")
        } else {
            s.to_string()
        }),
        Err(e) => {
            let ok = e.valid_up_to();
            let prefix = String::from_utf8_lossy(&bytes[..ok]);
            let line = prefix.matches('\n').count() + line_base;
            let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(Diagnostic::new(
                path,
                line,
                col,
                format!("invalid UTF-8 at byte offset {ok}"),
            )
            .with_hint("claimdiff reads UTF-8 text; re-save the file as UTF-8"))
        }
    }
}

/// Parses a statement file's bytes (front matter + body).
pub(crate) fn parse_statement_bytes(
    path: &Path,
    bytes: &[u8],
    entity: &str,
    root: &Path,
) -> Result<Statement, Vec<Diagnostic>> {
    let text = decode(path, bytes, 1).map_err(|d| vec![d])?;
    parse_statement_text(path, &text, entity, root)
}

/// Parses a statement from decoded text: `+++` TOML front matter, then body.
pub fn parse_statement_text(
    path: &Path,
    text: &str,
    entity: &str,
    root: &Path,
) -> Result<Statement, Vec<Diagnostic>> {
    let first = text.lines().next().unwrap_or("").trim_end();
    if first == "---" {
        return Err(vec![Diagnostic::new(path, 1, 1, "YAML front matter (`---`) is not supported")
            .with_hint("claimdiff reads TOML front matter between `+++` lines: replace both `---` lines with `+++` and write fields as key = \"value\"")]);
    }
    if first != "+++" {
        return Err(vec![Diagnostic::new(path, 1, 1, "expected `+++` on the first line to open the TOML front matter")
            .with_hint("a statement starts with +++, then fields such as date = \"2021-04\" and kind = \"press-release\", then +++, then the verbatim text")]);
    }
    let mut offset = first.len() + 1;
    let fm_start = offset.min(text.len());
    let mut close = None;
    for (i, line) in text[fm_start..].split_inclusive('\n').enumerate() {
        if line.trim_end() == "+++" {
            close = Some((i + 2, offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((close_line, fm_end, body_start)) = close else {
        return Err(vec![
            Diagnostic::new(
                path,
                1,
                1,
                "the front matter opened by `+++` on line 1 is never closed",
            )
            .with_hint(
                "add a line with only +++ after the last field, before the statement's text",
            ),
        ]);
    };
    let fm = &text[fm_start..fm_end];
    let table: toml::Table = match toml::from_str(fm) {
        Ok(t) => t,
        Err(e) => {
            let (l, c) = e.span().map_or((1, 1), |sp| offset_line_col(fm, sp.start));
            return Err(vec![Diagnostic::new(path, l + 1, c, format!("invalid TOML in front matter: {}", e.message().trim()))
                .with_hint("values are quoted: kind = \"press-release\"; lists use brackets: topics = [\"a\", \"b\"]")]);
        }
    };
    let (fields, errs) = read_fields(&table, false);
    let body = text[body_start.min(text.len())..].to_string();
    let locate = |key: &str| key_line_col(fm, key).map(|(l, c)| (l + 1, c));
    let mut diags: Vec<Diagnostic> = errs
        .into_iter()
        .map(|(key, m, h)| {
            let (l, c) = key.as_deref().and_then(locate).unwrap_or((1, 1));
            let d = Diagnostic::new(path, l, c, m);
            match h {
                Some(h) => d.with_hint(h),
                None => d,
            }
        })
        .collect();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let origin = Origin {
        path: path.to_path_buf(),
        body_line: close_line + 1,
        jsonl: false,
        offset: 0,
    };
    let st = build(
        fields, entity, &stem, origin, body, root, path, &locate, &mut diags,
    );
    if diags.is_empty() {
        st.ok_or_default()
    } else {
        Err(diags)
    }
}

trait OkOrDefault {
    fn ok_or_default(self) -> Result<Statement, Vec<Diagnostic>>;
}
impl OkOrDefault for Option<Statement> {
    fn ok_or_default(self) -> Result<Statement, Vec<Diagnostic>> {
        self.ok_or_else(Vec::new)
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    f: Fields,
    folder_entity: &str,
    stem: &str,
    origin: Origin,
    body: String,
    root: &Path,
    path: &Path,
    locate: &dyn Fn(&str) -> Option<(usize, usize)>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Statement> {
    let entity = f
        .entity
        .clone()
        .unwrap_or_else(|| folder_entity.to_string());
    let archived = match &f.archived {
        None => None,
        Some(a) => match resolve_archived(root, path, a) {
            Ok(p) => Some(p),
            Err(m) => {
                let (l, c) = locate("archived").unwrap_or((origin.body_line, 1));
                diags.push(Diagnostic::new(path, l, c, m).with_hint("keep archived copies inside the corpus, e.g. archived = \"archive/source.txt\" next to the statement"));
                None
            }
        },
    };
    let text = f.text.unwrap_or(body);
    Some(Statement {
        id: f.id.unwrap_or_else(|| format!("{entity}/{stem}")),
        entity,
        date: f.date?,
        event_date: f.event_date,
        kind: f.kind?,
        speaker: f.speaker,
        speaker_role: f.speaker_role,
        source: f.source,
        publisher: f.publisher,
        url: f.url,
        archive_url: f.archive_url,
        archived,
        via: f.via,
        topics: f.topics,
        lang: f.lang.unwrap_or_else(|| "en".into()),
        series: f.series,
        period: f.period,
        about: f.about,
        note: f.note,
        ignore: f.ignore,
        empty: f.empty,
        origin,
        text,
    })
}

/// Resolves an `archived` path against the statement's folder, refusing
/// absolute paths and paths that leave the corpus.
fn resolve_archived(root: &Path, stmt_path: &Path, a: &str) -> Result<PathBuf, String> {
    let p = Path::new(a);
    if p.is_absolute() {
        return Err(format!(
            "`archived` must be a path relative to the statement, not an absolute path (`{a}`)"
        ));
    }
    let base = stmt_path.parent().unwrap_or(root);
    let mut joined = base.to_path_buf();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                joined.pop();
            }
            Component::Normal(x) => joined.push(x),
            _ => {}
        }
    }
    let root_abs = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let abs = match fs::canonicalize(&joined) {
        Ok(x) => x,
        Err(_) => {
            // Not existing is lint's business; still refuse escapes lexically.
            let base_abs = fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
            let rel = joined
                .strip_prefix(base)
                .map(|r| base_abs.join(r))
                .unwrap_or(joined.clone());
            if !rel.starts_with(&root_abs) {
                return Err(format!(
                    "`archived` path `{a}` leaves the corpus folder; it was refused"
                ));
            }
            return Ok(joined);
        }
    };
    if !abs.starts_with(&root_abs) {
        return Err(format!(
            "`archived` path `{a}` leaves the corpus folder; it was refused"
        ));
    }
    Ok(joined)
}

/// Reads a JSONL bulk file in batches of lines parsed in parallel, each
/// statement passed through `visit` as soon as it is parsed.
fn read_jsonl(
    path: &Path,
    root: &Path,
    opts: &LoadOptions,
    visit: Visit,
    idref: &(dyn Fn(&Statement) -> IdRef + Sync),
) -> (Vec<Statement>, Vec<IdRef>, Vec<Diagnostic>) {
    /// Bytes of lines parsed together.
    const BATCH_BYTES: usize = 8 << 20;
    let mut kept = Vec::new();
    let mut ids = Vec::new();
    let mut diags = Vec::new();
    let file = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return (
                kept,
                ids,
                vec![Diagnostic::new(
                    path,
                    0,
                    0,
                    format!("cannot read file: {e}"),
                )],
            );
        }
    };
    use std::io::BufRead;
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut batch: Vec<(usize, u64, Vec<u8>)> = Vec::new();
    let mut batch_bytes = 0;
    let mut lineno = 0;
    let mut offset: u64 = 0;
    let flush = |batch: &mut Vec<(usize, u64, Vec<u8>)>,
                 kept: &mut Vec<Statement>,
                 ids: &mut Vec<IdRef>,
                 diags: &mut Vec<Diagnostic>| {
        let bytes: u64 = batch.iter().map(|(_, _, b)| b.len() as u64).sum();
        let n = batch.len() as u64;
        let res: Vec<(Option<Statement>, Option<IdRef>, Vec<Diagnostic>)> = batch
            .par_drain(..)
            .map(
                |(ln, off, raw)| match parse_jsonl_line(path, ln, &raw, root) {
                    Ok(Some(mut s)) => {
                        s.origin.offset = off;
                        let id = idref(&s);
                        (visit(s), Some(id), vec![])
                    }
                    Ok(None) => (None, None, vec![]),
                    Err(d) => (None, None, d),
                },
            )
            .collect();
        for (s, i, mut d) in res {
            kept.extend(s);
            ids.extend(i);
            diags.append(&mut d);
        }
        if let Some(p) = &opts.progress {
            p.add(bytes, n);
        }
    };
    loop {
        let mut buf = Vec::new();
        let read = {
            // Read at most the limit plus one byte, so an oversized line is
            // refused without being held in memory whole.
            let mut limited = (&mut reader).take(opts.max_file_bytes + 1);
            limited.read_until(b'\n', &mut buf)
        };
        match read {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                diags.push(Diagnostic::new(
                    path,
                    lineno + 1,
                    1,
                    format!("cannot read: {e}"),
                ));
                break;
            }
        }
        lineno += 1;
        let line_off = offset;
        offset += buf.len() as u64;
        if buf.len() as u64 > opts.max_file_bytes && !buf.ends_with(b"\n") {
            // Skip the rest of the oversized line without keeping it.
            let mut skipped = 0u64;
            while let Ok(chunk) = reader.fill_buf() {
                if chunk.is_empty() {
                    break;
                }
                let (n, done) = match chunk.iter().position(|&b| b == b'\n') {
                    Some(i) => (i + 1, true),
                    None => (chunk.len(), false),
                };
                reader.consume(n);
                skipped += n as u64;
                if done {
                    break;
                }
            }
            offset += skipped;
            diags.push(
                Diagnostic::new(
                    path,
                    lineno,
                    1,
                    format!(
                        "line is over the limit of {} MB for one statement; it was not read",
                        opts.max_file_bytes >> 20
                    ),
                )
                .with_hint("split the statement, or raise the limit"),
            );
            continue;
        }
        batch_bytes += buf.len();
        batch.push((lineno, line_off, buf));
        if batch_bytes >= BATCH_BYTES {
            flush(&mut batch, &mut kept, &mut ids, &mut diags);
            batch_bytes = 0;
        }
    }
    if !batch.is_empty() {
        flush(&mut batch, &mut kept, &mut ids, &mut diags);
    }
    (kept, ids, diags)
}

/// Parses one JSONL record (`None` for a blank line).
pub(crate) fn parse_jsonl_line(
    path: &Path,
    lineno: usize,
    raw: &[u8],
    root: &Path,
) -> Result<Option<Statement>, Vec<Diagnostic>> {
    let line = decode(path, raw, lineno).map_err(|d| vec![d])?;
    let line = line.trim_end_matches(['\n', '\r']);
    if line.trim().is_empty() {
        return Ok(None);
    }
    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| {
        vec![Diagnostic::new(path, lineno, e.column().max(1), format!("not a JSON object: {e}"))
            .with_hint("each line of a .jsonl file is one statement: {\"id\": …, \"entity\": …, \"date\": …, \"kind\": …, \"text\": …}")]
    })?;
    let Some(map) = v.as_object() else {
        return Err(vec![Diagnostic::new(
            path,
            lineno,
            1,
            "expected a JSON object on this line",
        )]);
    };
    let mut map = map.clone();
    // Take the text out before converting, so a large body is moved, not copied.
    let text = match map.remove("text") {
        Some(serde_json::Value::String(t)) => Some(t),
        Some(other) => {
            map.insert("text".into(), other);
            None
        }
        None => None,
    };
    let mut table = json_to_toml(&map);
    let (mut fields, errs) = read_fields(&table, true);
    if let Some(t) = text {
        table.insert("text".into(), toml::Value::Boolean(true));
        fields.text = Some(t);
    }
    let locate = |key: &str| {
        line.find(&format!("\"{key}\""))
            .map(|i| (lineno, line[..i].chars().count() + 1))
    };
    let mut diags: Vec<Diagnostic> = errs
        .into_iter()
        .map(|(k, m, h)| {
            let (l, c) = k.as_deref().and_then(locate).unwrap_or((lineno, 1));
            let d = Diagnostic::new(path, l, c, m);
            match h {
                Some(h) => d.with_hint(h),
                None => d,
            }
        })
        .collect();
    for req in ["id", "entity", "text"] {
        if !table.contains_key(req) {
            diags.push(Diagnostic::new(path, lineno, 1, format!("missing required field `{req}`"))
                .with_hint("a JSONL line has no file name or folder: `id`, `entity` and `text` are required there"));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let origin = Origin {
        path: path.to_path_buf(),
        body_line: lineno,
        jsonl: true,
        offset: 0,
    };
    let entity = fields.entity.clone().unwrap_or_default();
    let st = build(
        fields,
        &entity,
        "",
        origin,
        String::new(),
        root,
        path,
        &locate,
        &mut diags,
    );
    if diags.is_empty() { Ok(st) } else { Err(diags) }
}

fn check_unique_ids(ids: &[IdRef], problems: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&str, &IdRef> = HashMap::new();
    for r in ids {
        if let Some(prev) = first.get(r.id.as_str()) {
            let (a, b) = if (&prev.path, prev.line) <= (&r.path, r.line) {
                (*prev, r)
            } else {
                (r, *prev)
            };
            problems.push(
                Diagnostic::new(
                    &b.path,
                    b.line,
                    1,
                    format!("duplicate statement id `{}`", r.id),
                )
                .with_hint(format!(
                    "also defined in {}:{}; ids must be unique in the corpus",
                    a.path.display(),
                    a.line
                )),
            );
        } else {
            first.insert(&r.id, r);
        }
    }
}

/// Loads `entity.toml` files; `(entity id, path)` pairs.
pub fn load_entities(root: &Path) -> (Entities, Vec<Diagnostic>) {
    let mut files = Vec::new();
    if let Ok(rd) = fs::read_dir(root) {
        for e in rd.flatten() {
            let p = e.path().join("entity.toml");
            if p.exists() {
                files.push((e.file_name().to_string_lossy().into_owned(), p));
            }
        }
    }
    files.sort();
    load_entities_from(&files)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    name: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    parent: Option<String>,
    #[serde(default)]
    identifiers: BTreeMap<String, toml::Value>,
}

fn load_entities_from(files: &[(String, PathBuf)]) -> (Entities, Vec<Diagnostic>) {
    let mut ents = Entities::default();
    let mut diags = Vec::new();
    for (id, path) in files {
        let text = match fs::read(path).map_err(|e| e.to_string()).and_then(|b| {
            String::from_utf8(b).map_err(|e| {
                format!(
                    "invalid UTF-8 at byte offset {}",
                    e.utf8_error().valid_up_to()
                )
            })
        }) {
            Ok(t) => t.trim_start_matches('\u{feff}').replace("\r\n", "\n"),
            Err(e) => {
                diags.push(Diagnostic::new(
                    path,
                    0,
                    0,
                    format!("cannot read entity file: {e}"),
                ));
                continue;
            }
        };
        match toml::from_str::<RawEntity>(&text) {
            Ok(r) => {
                ents.by_id.insert(
                    id.clone(),
                    Entity {
                        id: id.clone(),
                        name: r.name.unwrap_or_else(|| id.clone()),
                        aliases: r.aliases,
                        parent: r.parent,
                        identifiers: r
                            .identifiers
                            .into_iter()
                            .map(|(k, v)| {
                                (k, v.as_str().map_or_else(|| v.to_string(), str::to_string))
                            })
                            .collect(),
                    },
                );
            }
            Err(e) => {
                let (l, c) = e.span().map_or((1, 1), |s| offset_line_col(&text, s.start));
                let mut d = Diagnostic::new(
                    path,
                    l,
                    c,
                    format!("invalid entity file: {}", e.message().trim()),
                );
                if let Some(field) = e.message().split('`').nth(1)
                    && let Some(n) = nearest(field, ["name", "aliases", "parent", "identifiers"])
                    && n != field
                {
                    d = d.with_hint(format!("did you mean `{n}`?"));
                }
                diags.push(d);
            }
        }
    }
    // Parents must exist and must not form a cycle.
    for (id, e) in &ents.by_id {
        if let Some(p) = &e.parent {
            let path = files
                .iter()
                .find(|(i, _)| i == id)
                .map(|(_, p)| p.clone())
                .unwrap_or_default();
            if !ents.by_id.contains_key(p) {
                diags.push(Diagnostic::new(
                    &path,
                    key_line_col(&fs::read_to_string(&path).unwrap_or_default(), "parent")
                        .map_or(1, |x| x.0),
                    1,
                    format!("parent `{p}` is not an entity folder of this corpus"),
                ));
            } else {
                let mut cur = p.clone();
                let mut steps = 0;
                while let Some(next) = ents.by_id.get(&cur).and_then(|x| x.parent.clone()) {
                    steps += 1;
                    if next == *id || steps > ents.by_id.len() {
                        diags.push(Diagnostic::new(
                            &path,
                            1,
                            1,
                            format!("`parent` chain of `{id}` loops back to itself"),
                        ));
                        break;
                    }
                    cur = next;
                }
            }
        }
    }
    (ents, diags)
}

/// 1-based line and column of a byte offset in `s`.
pub(crate) fn offset_line_col(s: &str, off: usize) -> (usize, usize) {
    let off = off.min(s.len());
    let before = &s[..s.floor_char_boundary(off)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Line and column of `key = …` in a TOML text.
pub(crate) fn key_line_col(s: &str, key: &str) -> Option<(usize, usize)> {
    for (i, line) in s.lines().enumerate() {
        let t = line.trim_start();
        let rest = t
            .strip_prefix(key)
            .or_else(|| t.strip_prefix(&format!("\"{key}\"")));
        if let Some(r) = rest
            && r.trim_start().starts_with('=')
        {
            return Some((i + 1, line.len() - t.len() + 1));
        }
    }
    None
}

/// Reads a statement's text again from its file (or its JSONL line), for
/// stages that need the text after a streaming load let it go.
pub fn reload_text(s: &Statement, root: &Path) -> Result<String, Diagnostic> {
    let path = &s.origin.path;
    if s.origin.jsonl {
        use std::io::{BufRead, Seek, SeekFrom};
        let mut f = fs::File::open(path).map_err(|e| {
            Diagnostic::new(
                path,
                s.origin.body_line,
                1,
                format!("cannot read file again: {e}"),
            )
        })?;
        f.seek(SeekFrom::Start(s.origin.offset)).map_err(|e| {
            Diagnostic::new(
                path,
                s.origin.body_line,
                1,
                format!("cannot read file again: {e}"),
            )
        })?;
        let mut line = Vec::new();
        std::io::BufReader::new(f)
            .read_until(b'\n', &mut line)
            .map_err(|e| {
                Diagnostic::new(
                    path,
                    s.origin.body_line,
                    1,
                    format!("cannot read file again: {e}"),
                )
            })?;
        let st =
            parse_jsonl_line(path, s.origin.body_line, &line, root).map_err(|mut d| d.remove(0))?;
        st.map(|x| x.text).ok_or_else(|| {
            Diagnostic::new(
                path,
                s.origin.body_line,
                1,
                "the line is now empty: the file changed during the run",
            )
        })
    } else {
        let bytes = fs::read(path)
            .map_err(|e| Diagnostic::new(path, 0, 0, format!("cannot read file again: {e}")))?;
        parse_statement_bytes(path, &bytes, &s.entity, root)
            .map(|x| x.text)
            .map_err(|mut d| d.remove(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Statement, Vec<Diagnostic>> {
        parse_statement_text(
            Path::new("statements/acme/x.md"),
            text,
            "acme",
            Path::new("statements"),
        )
    }

    #[test]
    fn front_matter_and_body() {
        let s = parse(
            "+++\ndate = \"2021-04\"\nkind = \"esg-report\"\ntopics = [\"a\"]\n+++\nHello.\n",
        )
        .unwrap();
        assert_eq!(s.id, "acme/x");
        assert_eq!(s.entity, "acme");
        assert_eq!(s.text, "Hello.\n");
        assert_eq!(s.origin.body_line, 6);
        assert_eq!(s.line_col(0), (6, 1));
    }

    #[test]
    fn yaml_front_matter_is_explained() {
        let e = parse("---\ndate: 2021\n---\nx").unwrap_err();
        assert!(e[0].message.contains("YAML"));
        assert!(e[0].hint.as_ref().unwrap().contains("+++"));
    }

    #[test]
    fn all_field_problems_at_once_with_positions() {
        let e = parse("+++\ndate = \"2021-02-30\"\nkind = \"esg_report\"\nspeakr = \"x\"\n+++\nx")
            .unwrap_err();
        let msgs: Vec<String> = e
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect();
        assert_eq!(e.len(), 3, "{msgs:?}");
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("2:1 ") && m.contains("February 2021 has 28 days")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("3:1 ") && m.contains("did you mean `esg-report`")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("4:1 ") && m.contains("did you mean `speaker`")),
            "{msgs:?}"
        );
    }

    #[test]
    fn toml_errors_point_into_the_file() {
        let e = parse("+++\ndate = \"2021\"\nkind = press-release\n+++\n").unwrap_err();
        assert_eq!((e[0].line, e[0].col > 1), (3, true), "{:?}", e[0]);
    }

    #[test]
    fn archived_may_not_escape() {
        let e = parse(
            "+++\ndate = \"2021\"\nkind = \"other\"\narchived = \"../../../etc/passwd\"\n+++\n",
        )
        .unwrap_err();
        assert!(e[0].message.contains("leaves the corpus"), "{:?}", e);
        let e = parse("+++\ndate = \"2021\"\nkind = \"other\"\narchived = \"/etc/passwd\"\n+++\n")
            .unwrap_err();
        assert!(e[0].message.contains("absolute"), "{:?}", e);
    }

    #[test]
    fn jsonl_lines_need_id_entity_text() {
        let p = Path::new("bulk.jsonl");
        let s = parse_jsonl_line(
            p,
            3,
            br#"{"id":"a/1","entity":"a","date":"2020","kind":"other","text":"Hi."}"#,
            Path::new("."),
        )
        .unwrap()
        .unwrap();
        assert_eq!((s.id.as_str(), s.origin.body_line), ("a/1", 3));
        let e = parse_jsonl_line(
            p,
            4,
            br#"{"id":"a/2","entity":"a","date":"2020","kind":"other"}"#,
            Path::new("."),
        )
        .unwrap_err();
        assert!(e[0].message.contains("`text`"));
        let e = parse_jsonl_line(p, 5, b"{not json", Path::new(".")).unwrap_err();
        assert_eq!(e[0].line, 5);
    }

    #[test]
    fn invalid_utf8_reports_the_byte() {
        let e = parse_statement_bytes(
            Path::new("x.md"),
            b"+++\ndate = \"2020\"\n+++\nab\xffc",
            "a",
            Path::new("."),
        )
        .unwrap_err();
        assert!(e[0].message.contains("byte offset 24"), "{:?}", e);
        assert_eq!((e[0].line, e[0].col), (4, 3));
    }

    #[test]
    fn bom_and_crlf_load() {
        let s = parse_statement_bytes(
            Path::new("x.md"),
            b"\xEF\xBB\xBF+++\r\ndate = \"2020\"\r\nkind = \"other\"\r\n+++\r\nHi.\r\n",
            "a",
            Path::new("."),
        )
        .unwrap();
        assert_eq!(s.text, "Hi.\n");
    }
}
