//! Reading the corpus tree: entity folders, statement files, JSONL bulk
//! files. Files are parsed in parallel; problems are collected for every
//! file and returned together. Directory symlink loops are detected, and
//! `archived` paths may not leave the corpus.

use super::fields::{Fields, json_to_toml, read_fields};
use super::{Corpus, Entities, Entity, Origin, Period, Statement};
use crate::error::{Diagnostic, nearest};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
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
    /// The JSONL record's line; 1 for a statement file.
    line: usize,
    jsonl: bool,
    /// (entity, series, period) of a series version, for the one
    /// version per period check.
    version: Option<(String, String, Period)>,
    /// The statement's `entity` and `about`, kept here because a streaming
    /// load may drop the statement itself: `about` is checked against
    /// every entity the corpus knows once all are read.
    entity: String,
    about: Vec<String>,
}

impl IdRef {
    /// Where a loaded statement stands (no series version).
    fn of(s: &Statement) -> IdRef {
        IdRef {
            id: s.id.clone(),
            path: s.origin.path.clone(),
            line: if s.origin.jsonl {
                s.origin.body_line
            } else {
                1
            },
            jsonl: s.origin.jsonl,
            version: None,
            entity: s.entity.clone(),
            about: s.about.clone(),
        }
    }
}

/// A file to read, with its size as the walk saw it.
enum FileJob {
    Markdown {
        path: PathBuf,
        entity: String,
        len: u64,
    },
    Jsonl {
        path: PathBuf,
        len: u64,
    },
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
    let mut visited = BTreeMap::new();
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
                FileJob::Markdown { len, .. } | FileJob::Jsonl { len, .. } => *len,
            })
            .sum();
        p.total_bytes.store(total, Ordering::Relaxed);
    }
    let idref = |s: &Statement| IdRef {
        version: match (s.series_name(), &s.period) {
            (Some(series), Some(p)) => Some((s.entity.clone(), series.to_string(), p.clone())),
            _ => None,
        },
        ..IdRef::of(s)
    };
    let results: Vec<(Vec<Statement>, Vec<IdRef>, Vec<Diagnostic>)> = jobs
        .par_iter()
        .map(|job| match job {
            FileJob::Markdown { path, entity, .. } => match read_file(path, opts) {
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
            FileJob::Jsonl { path, .. } => read_jsonl(path, root, opts, visit, &idref),
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
    check_series_periods(&ids, &mut problems);
    check_about(&ids, &entities, &mut problems);
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
    visited: &mut BTreeMap<PathBuf, PathBuf>,
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
    if let Some(first) = visited.get(&canon) {
        problems.push(
            Diagnostic::new(
                dir,
                0,
                0,
                format!(
                    "symbolic link loop: this folder is `{}` again; it was skipped",
                    first.display()
                ),
            )
            .with_hint("remove the link: each folder of the corpus is read once"),
        );
        return;
    }
    visited.insert(canon, dir.to_path_buf());
    let entries = match folder_entries(dir) {
        Ok(entries) => entries,
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
    for (path, name) in entries {
        let meta = fs::metadata(&path).ok();
        let len = meta.as_ref().map_or(0, |m| m.len());
        if meta.is_some_and(|m| m.is_dir()) {
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
        } else if has_ext(&name, "md") {
            match entity {
                Some(ent) => jobs.push(FileJob::Markdown {
                    path,
                    entity: ent.to_string(),
                    len,
                }),
                None => problems.push(
                    Diagnostic::new(&path, 0, 0, "statement file outside an entity folder")
                        .with_hint("put it in statements/<entity>/, or in a .jsonl file with an `entity` field"),
                ),
            }
        } else if has_ext(&name, "jsonl") {
            jobs.push(FileJob::Jsonl { path, len });
        } else if has_ext(&name, "yaml") || has_ext(&name, "yml") {
            problems.push(
                Diagnostic::new(&path, 0, 0, "YAML files are not read").with_hint(
                    "statements are Markdown files with TOML front matter between `+++` lines",
                ),
            );
        }
    }
}

/// Whether `name` ends in `.ext`, in any case (`NOTE.MD` is a statement).
fn has_ext(name: &str, ext: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case(ext))
}

/// The entries of a folder in name order, without hidden ones (a name
/// starting with `.`), as every walk of the corpus and rules reads them:
/// each path with its file name.
pub(crate) fn folder_entries(dir: &Path) -> std::io::Result<Vec<(PathBuf, String)>> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    Ok(entries
        .into_iter()
        .map(|e| (e.path(), e.file_name().to_string_lossy().into_owned()))
        .filter(|(_, name)| !name.starts_with('.'))
        .collect())
}

/// Files under the corpus that loading passes over without a word, for
/// `lint` to warn about: a statement saved as `note.txt` or
/// `note.markdown` would otherwise vanish from every check. Not named:
/// statements (`.md`, `.jsonl`), YAML files (refused by loading), hidden
/// files, `archive/` folders, an entity folder's `entity.toml` and the
/// files statements name as their `archived` copy.
pub fn unread_files(root: &Path, statements: &[Statement]) -> Vec<Diagnostic> {
    fn walk(
        dir: &Path,
        depth: usize,
        archived: &std::collections::HashSet<PathBuf>,
        seen: &mut std::collections::HashSet<PathBuf>,
        out: &mut Vec<PathBuf>,
    ) {
        if !fs::canonicalize(dir).is_ok_and(|c| seen.insert(c)) {
            return;
        }
        let Ok(entries) = folder_entries(dir) else {
            return;
        };
        for (path, name) in entries {
            if path.is_dir() {
                if name != "archive" {
                    walk(&path, depth + 1, archived, seen, out);
                }
            } else if !(has_ext(&name, "md")
                || has_ext(&name, "jsonl")
                || has_ext(&name, "yaml")
                || has_ext(&name, "yml")
                || (depth == 1 && name == "entity.toml")
                || fs::canonicalize(&path).is_ok_and(|c| archived.contains(&c)))
            {
                out.push(path);
            }
        }
    }
    let archived = statements
        .iter()
        .filter_map(|s| fs::canonicalize(s.archived.as_ref()?).ok())
        .collect();
    let mut files = Vec::new();
    walk(root, 0, &archived, &mut Default::default(), &mut files);
    files
        .into_iter()
        .map(|p| {
            let stem = p.file_stem().unwrap_or_default().to_string_lossy();
            Diagnostic::new(&p, 0, 0, "file not read: statements are `.md` and `.jsonl` files")
                .with_hint(format!("rename it to `{stem}.md` if it is a statement; besides statements, an entity folder holds its `entity.toml`, and `archive/` folders the `archived` copies"))
        })
        .collect()
}

fn read_file(path: &Path, opts: &LoadOptions) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Diagnostic::new(path, 0, 0, format!("cannot read file: {e}"));
    let meta = fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        // A FIFO or a device named `x.md` would block or never end.
        return Err(Diagnostic::new(
            path,
            0,
            0,
            "not a regular file; it was not read",
        ));
    }
    let too_big = |len: u64| {
        Diagnostic::new(
            path,
            0,
            0,
            format!(
                "file is {} MB, over the limit of {} MB for one statement; it was not read",
                len >> 20,
                opts.max_file_bytes >> 20
            ),
        )
        .with_hint("split it into several statements, or put its items in a .jsonl file")
    };
    if meta.len() > opts.max_file_bytes {
        return Err(too_big(meta.len()));
    }
    // Read at most one byte past the limit, so a file that grew since
    // `metadata` is still refused without being read whole.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)
        .and_then(|f| f.take(opts.max_file_bytes + 1).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if bytes.len() as u64 > opts.max_file_bytes {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Decodes UTF-8, strips a BOM and normalises CRLF, pointing at the first
/// bad byte when the file is not UTF-8. `line_base` is the file line the
/// bytes start on; `byte_base` their offset in the file (`None` when
/// unknown: the offset is then given within the bytes).
fn decode(
    path: &Path,
    bytes: &[u8],
    line_base: usize,
    byte_base: Option<u64>,
) -> Result<String, Diagnostic> {
    let (bytes, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, 3),
        None => (bytes, 0),
    };
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(if s.contains('\r') {
            s.replace("\r\n", "\n")
        } else {
            s.to_string()
        }),
        Err(e) => {
            let ok = e.valid_up_to();
            // The prefix is valid UTF-8 by definition.
            let prefix = std::str::from_utf8(&bytes[..ok]).unwrap_or_default();
            let line = prefix.matches('\n').count() + line_base;
            let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let at = match byte_base {
                Some(b) => format!("byte offset {}", b + (bom + ok) as u64),
                None => format!("byte offset {} of this line", bom + ok),
            };
            let bad: Vec<String> = bytes[ok..]
                .iter()
                .take(e.error_len().unwrap_or(bytes.len() - ok).min(4))
                .map(|b| format!("0x{b:02X}"))
                .collect();
            Err(
                Diagnostic::new(path, line, col, format!("invalid UTF-8 at {at}")).with_hint(
                    format!(
                        "found {}; claimdiff reads UTF-8 text: re-save the file as UTF-8 (e.g. iconv -f GBK -t UTF-8)",
                        bad.join(" ")
                    ),
                ),
            )
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
    let text = decode(path, bytes, 1, Some(0)).map_err(|d| vec![d])?;
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
    // The first line as it stands, trailing blanks and `\r` included: its
    // trimmed length would start the front matter inside it (or inside a
    // multi-byte blank such as U+3000).
    let mut offset = text.split_inclusive('\n').next().map_or(0, str::len);
    let fm_start = offset;
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
        text_cols: None,
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
    if f.empty {
        check_empty(&f.note, &text, &origin, path, locate, diags);
    }
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

/// `empty = true` claims on a source's word that a version lists nothing:
/// it needs that source in `note`, and a body would contradict it (and be
/// ignored by the disclosure diff), so both are refused at `empty`.
fn check_empty(
    note: &Option<String>,
    text: &str,
    origin: &Origin,
    path: &Path,
    locate: &dyn Fn(&str) -> Option<(usize, usize)>,
    diags: &mut Vec<Diagnostic>,
) {
    let (l, c) = locate("empty").unwrap_or((origin.body_line, 1));
    if note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        diags.push(
            Diagnostic::new(path, l, c, "`empty = true` needs a `note` naming the source")
                .with_hint("say which source establishes that this version lists none of the items, e.g. note = \"Per Reuters (2023-04-21), the report no longer lists …\""),
        );
    }
    if !text.trim().is_empty() {
        diags.push(
            Diagnostic::new(path, l, c, "`empty = true` but the body is not empty")
                .with_hint("`empty = true` says this version lists none of the items: remove the body, or remove `empty` if the text is the version's own"),
        );
    }
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
/// statement passed through `visit` as soon as it is parsed. A line longer
/// than the limit is skipped as it streams past, never held in memory whole.
fn read_jsonl(
    path: &Path,
    root: &Path,
    opts: &LoadOptions,
    visit: Visit,
    idref: &(dyn Fn(&Statement) -> IdRef + Sync),
) -> (Vec<Statement>, Vec<IdRef>, Vec<Diagnostic>) {
    /// Bytes of lines parsed together.
    const BATCH_BYTES: usize = 1 << 20;
    let mut kept = Vec::new();
    let mut ids = Vec::new();
    let file = match fs::metadata(path).and_then(|m| {
        if m.is_file() {
            fs::File::open(path)
        } else {
            Err(std::io::Error::other("not a regular file"))
        }
    }) {
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
    // One thread reads lines (memchr and copies: fast) and hands batches to
    // the pool, which parses and matches them while the next batch is read;
    // the bounded channel keeps at most a few batches in memory.
    type Batch = Vec<(usize, u64, Vec<u8>)>;
    type Done = (Vec<Statement>, Vec<IdRef>, Vec<Diagnostic>);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(4);
    let process = |batch: Batch| -> Done {
        let bytes: u64 = batch.iter().map(|(_, _, b)| b.len() as u64).sum();
        let n = batch.len() as u64;
        let mut done: Done = (Vec::new(), Vec::new(), Vec::new());
        for (ln, off, raw) in batch {
            match parse_jsonl_record(path, ln, Some(off), &raw, root) {
                Ok(Some(mut s)) => {
                    s.origin.offset = off;
                    done.1.push(idref(&s));
                    done.0.extend(visit(s));
                }
                Ok(None) => {}
                Err(mut d) => done.2.append(&mut d),
            }
        }
        if let Some(p) = &opts.progress {
            p.add(bytes, n);
        }
        done
    };
    let (read_diags, results): (Vec<Diagnostic>, Vec<Done>) = std::thread::scope(|scope| {
        let reader_thread = scope.spawn(move || {
            let mut diags = Vec::new();
            let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
            let mut batch: Batch = Vec::new();
            let mut batch_bytes = 0;
            let mut lineno = 0;
            let mut offset: u64 = 0;
            loop {
                let mut buf = Vec::new();
                let read = match read_line_bounded(&mut reader, &mut buf, opts.max_file_bytes) {
                    Ok(r) => r,
                    Err(e) => {
                        diags.push(Diagnostic::new(path, lineno + 1, 1, format!("cannot read: {e}")));
                        break;
                    }
                };
                let Some(Line { len, complete }) = read else {
                    break;
                };
                let line_off = offset;
                offset += len;
                lineno += 1;
                if !complete {
                    diags.push(
                        Diagnostic::new(
                            path,
                            lineno,
                            1,
                            format!(
                                "line is {} MB, over the limit of {} MB for one statement; it was skipped, not read",
                                len >> 20,
                                opts.max_file_bytes >> 20
                            ),
                        )
                        .with_hint("split the text into several statements, one a line"),
                    );
                    continue;
                }
                batch_bytes += buf.len();
                batch.push((lineno, line_off, buf));
                if batch_bytes >= BATCH_BYTES {
                    if tx.send(std::mem::take(&mut batch)).is_err() {
                        break;
                    }
                    batch_bytes = 0;
                }
            }
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            diags
        });
        // Each batch becomes a task of the pool; at most 8 are in flight, so
        // memory stays bounded however large the file. While waiting, this
        // thread runs queued tasks itself (works with one thread, too).
        let results = std::sync::Mutex::new(Vec::new());
        let in_flight = std::sync::atomic::AtomicUsize::new(0);
        rayon::scope(|s| {
            for batch in rx {
                while in_flight.load(Ordering::Acquire) >= 8 {
                    if rayon::yield_now() != Some(rayon::Yield::Executed) {
                        std::thread::yield_now();
                    }
                }
                in_flight.fetch_add(1, Ordering::AcqRel);
                let (results, in_flight, process) = (&results, &in_flight, &process);
                s.spawn(move |_| {
                    let done = process(batch);
                    results.lock().expect("no panic while holding").push(done);
                    in_flight.fetch_sub(1, Ordering::AcqRel);
                });
            }
        });
        let results: Vec<Done> = results.into_inner().expect("no panic while holding");
        (reader_thread.join().unwrap_or_default(), results)
    });
    let mut diags = read_diags;
    for (s, i, mut d) in results {
        kept.extend(s);
        ids.extend(i);
        diags.append(&mut d);
    }
    (kept, ids, diags)
}

/// One line as read by [`read_line_bounded`].
struct Line {
    /// Bytes the line took in the file, newline included.
    len: u64,
    /// False when it was longer than the limit: `buf` is then empty.
    complete: bool,
}

/// Reads one line (through its `\n`) into `buf`, keeping at most `max`
/// bytes of it: a longer line is consumed to its end but dropped, so memory
/// stays bounded by `max` plus the reader's buffer. `None` at end of file.
fn read_line_bounded(
    r: &mut impl std::io::BufRead,
    buf: &mut Vec<u8>,
    max: u64,
) -> std::io::Result<Option<Line>> {
    buf.clear();
    let mut len: u64 = 0;
    let mut complete = true;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            break;
        }
        let (n, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        len += n as u64;
        if complete {
            let content = len - u64::from(done);
            if content > max {
                complete = false;
                *buf = Vec::new();
            } else {
                // Grow at most to the limit: doubling past it would hold
                // up to twice the limit for a line that is then refused.
                let need = buf.len() + n;
                if need > buf.capacity() {
                    let cap = (buf.capacity() * 2).max(need).min(max as usize + 1);
                    buf.reserve_exact(cap.max(need) - buf.len());
                }
                buf.extend_from_slice(&avail[..n]);
            }
        }
        r.consume(n);
        if done {
            break;
        }
    }
    Ok((len > 0).then_some(Line { len, complete }))
}

/// Parses one JSONL record (`None` for a blank line). `lineno` is its
/// 1-based line in `path`; `raw` its bytes (a trailing newline is allowed).
pub fn parse_jsonl_line(
    path: &Path,
    lineno: usize,
    raw: &[u8],
    root: &Path,
) -> Result<Option<Statement>, Vec<Diagnostic>> {
    parse_jsonl_record(path, lineno, None, raw, root)
}

/// [`parse_jsonl_line`], knowing the line's byte offset in the file.
fn parse_jsonl_record(
    path: &Path,
    lineno: usize,
    line_start: Option<u64>,
    raw: &[u8],
    root: &Path,
) -> Result<Option<Statement>, Vec<Diagnostic>> {
    let line = decode(path, raw, lineno, line_start).map_err(|d| vec![d])?;
    let line = line.trim_end_matches(['\n', '\r']);
    if line.trim().is_empty() {
        return Ok(None);
    }
    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| {
        // serde_json's own "at line 1 column N" would name the wrong line.
        let what = e.to_string();
        let what = what.split(" at line ").next().unwrap_or(&what);
        let col = line
            .get(..line.floor_char_boundary(e.column().saturating_sub(1)))
            .map_or(1, |p| p.chars().count() + 1);
        vec![Diagnostic::new(path, lineno, col, format!("this line is not valid JSON: {what}"))
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
    let locate = |key: &str| json_key_col(line, key).map(|c| (lineno, c));
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
        text_cols: fields
            .text
            .as_deref()
            .and_then(|t| super::TextCols::new(line, t)),
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

/// Two statements in the order their problems are reported: by file, then line.
fn by_position<'a>(a: &'a IdRef, b: &'a IdRef) -> (&'a IdRef, &'a IdRef) {
    if (&a.path, a.line) <= (&b.path, b.line) {
        (a, b)
    } else {
        (b, a)
    }
}

/// `ignore` entries naming no rule in `rule_ids`: a typo or a renamed rule
/// leaves the finding reported while its reviewer believes it suppressed.
/// Each is located at the rule id in the statement's file (read again,
/// only for these), with the nearest known id as a hint.
pub fn unknown_ignores(statements: &[Statement], rule_ids: &[&str]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for st in statements {
        for rule in st.ignore.keys() {
            if rule_ids.contains(&rule.as_str()) {
                continue;
            }
            let r = IdRef::of(st);
            let (l, c) = field_position(&r, rule)
                .or_else(|| field_position(&r, &format!("ignore.{rule}")))
                .or_else(|| field_position(&r, "ignore"))
                .unwrap_or((r.line, 1));
            let hint = match crate::error::nearest(rule, rule_ids.iter().copied()) {
                Some(n) => format!("did you mean `{n}`? `ignore` keys are rule ids"),
                None => "`ignore` keys are the ids of rules in the rules folder".to_string(),
            };
            out.push(
                Diagnostic::new(&r.path, l, c, format!("`ignore` names no rule `{rule}`"))
                    .with_hint(hint),
            );
        }
    }
    out
}

/// JSONL records whose `entity` is one or two letters from an entity that
/// stands on its own (a folder, an `entity.toml`, a statement file) while
/// nothing but JSONL records names it: a typo (`boieng` in
/// `statements/boeing/more.jsonl`) that makes an entity of its own, whose
/// statements pair with nothing, and lint said ok. A warning, once per
/// such entity, at its first record's `entity` value.
pub fn misspelt_entities(root: &Path, statements: &[Statement]) -> Vec<Diagnostic> {
    let mut solid: std::collections::BTreeSet<String> = statements
        .iter()
        .filter(|st| !st.origin.jsonl)
        .map(|st| st.entity.clone())
        .collect();
    for st in statements {
        // The entity folder a file stands in (not a file at the root).
        if let Ok(rel) = st.origin.path.strip_prefix(root)
            && rel.components().count() >= 2
            && let Some(first) = rel.components().next()
        {
            solid.insert(first.as_os_str().to_string_lossy().into_owned());
        }
    }
    if let Ok(rd) = fs::read_dir(root) {
        for e in rd.flatten() {
            if e.path().join("entity.toml").is_file() {
                solid.insert(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for st in statements.iter().filter(|st| st.origin.jsonl) {
        if solid.contains(&st.entity) || !seen.insert(st.entity.clone()) {
            continue;
        }
        let Some(near) = crate::error::nearest(&st.entity, solid.iter().map(String::as_str)) else {
            continue;
        };
        let r = IdRef::of(st);
        let (l, c) = field_position(&r, "entity").unwrap_or((r.line, 1));
        out.push(
            Diagnostic::new(
                &r.path,
                l,
                c,
                format!(
                    "entity `{}` is named only by JSONL records: no folder, `entity.toml` or statement file has it",
                    st.entity
                ),
            )
            .with_hint(format!(
                "did you mean `{near}`? As written, its statements form an entity of their own and pair with nothing of `{near}`'s"
            )),
        );
    }
    out
}

/// `about` entries naming no entity of the corpus. A typo there would
/// make a phantom entity group of its own, and the statement's evidence
/// would silently leave the group it was meant for (findings lost, lint
/// green). Known entities are those with an `entity.toml` and those some
/// statement is by; an entity with no statements of its own (a
/// government, say) is declared with a folder holding an `entity.toml`.
fn check_about(ids: &[IdRef], entities: &Entities, problems: &mut Vec<Diagnostic>) {
    let known: std::collections::BTreeSet<&str> = entities
        .by_id
        .keys()
        .map(String::as_str)
        .chain(ids.iter().map(|r| r.entity.as_str()))
        .collect();
    for r in ids {
        for a in &r.about {
            if known.contains(a.as_str()) {
                continue;
            }
            let (l, mut c) = field_position(r, "about").unwrap_or((r.line, 1));
            // In a statement file, point at the id itself when it stands
            // on the `about` line (a JSONL line may be long: its key will do).
            if !r.jsonl
                && let Ok(text) = fs::read_to_string(&r.path)
                && let Some(line) = text.lines().nth(l - 1)
                && let Some(b) = line.find(&format!("\"{a}\""))
            {
                c = line[..b].chars().count() + 1;
            }
            let hint = match crate::error::nearest(a, known.iter().copied()) {
                Some(n) => format!("did you mean `{n}`?"),
                None => format!(
                    "`about` names entities of this corpus; to name one without statements, create statements/{a}/entity.toml"
                ),
            };
            problems.push(
                Diagnostic::new(&r.path, l, c, format!("`about` names no entity `{a}`"))
                    .with_hint(hint),
            );
        }
    }
}

/// Whether `u` is an http(s) URL: the only kind the reports make links of
/// (a `javascript:` or `data:` URL must not become a link in a published
/// page) and the only kind `lint` accepts in `url` and `archive_url`.
pub fn is_web_url(u: &str) -> bool {
    let l = u.trim_start().to_ascii_lowercase();
    l.starts_with("https://") || l.starts_with("http://")
}

/// `url` and `archive_url` values that are not http(s), for `lint`: the
/// reports show such a source without a link, so it is most likely a
/// mistake (or a `javascript:` URL slipped into a corpus). Located at the
/// key in the statement's file.
pub fn non_web_urls(statements: &[Statement]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for st in statements {
        for (key, v) in [("url", &st.url), ("archive_url", &st.archive_url)] {
            let Some(u) = v else { continue };
            if is_web_url(u) {
                continue;
            }
            let r = IdRef::of(st);
            let (l, c) = field_position(&r, key).unwrap_or((r.line, 1));
            out.push(
                Diagnostic::new(
                    &r.path,
                    l,
                    c,
                    format!("`{key}` is not an http(s) URL: `{u}`"),
                )
                .with_hint("reports link only http:// and https:// URLs"),
            );
        }
    }
    out
}

/// `path:line` of a statement's `key`, for hints that name the other file.
fn where_is(r: &IdRef, key: &str) -> String {
    let (l, _) = field_position(r, key).unwrap_or((r.line, 1));
    format!("{}:{l}", r.path.display())
}

/// Where `key` stands in the statement's file: its line in the front
/// matter, or its column on the statement's JSONL line. Read again from the
/// file, only when a problem is reported.
fn field_position(r: &IdRef, key: &str) -> Option<(usize, usize)> {
    use std::io::BufReader;
    if r.jsonl {
        let mut f = BufReader::new(fs::File::open(&r.path).ok()?);
        let mut buf = Vec::new();
        for _ in 0..r.line {
            read_line_bounded(&mut f, &mut buf, LoadOptions::default().max_file_bytes).ok()??;
        }
        let line = String::from_utf8_lossy(&buf);
        json_key_col(&line, key).map(|c| (r.line, c))
    } else {
        let mut bytes = Vec::new();
        fs::File::open(&r.path)
            .ok()?
            .take(LoadOptions::default().max_file_bytes)
            .read_to_end(&mut bytes)
            .ok()?;
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim_start_matches('\u{feff}');
        let fm: String = text
            .lines()
            .skip(1)
            .take_while(|l| l.trim_end() != "+++")
            .map(|l| format!("{l}\n"))
            .collect();
        key_line_col(&fm, key).map(|(l, c)| (l + 1, c))
    }
}

/// 1-based column (in characters) of `"key":` on a JSON line.
fn json_key_col(line: &str, key: &str) -> Option<usize> {
    let needle = format!("\"{key}\"");
    line.match_indices(&needle)
        .find(|(i, _)| line[i + needle.len()..].trim_start().starts_with(':'))
        .map(|(i, _)| line[..i].chars().count() + 1)
}

fn check_unique_ids(ids: &[IdRef], problems: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&str, &IdRef> = HashMap::new();
    for r in ids {
        if let Some(prev) = first.get(r.id.as_str()) {
            let (a, b) = by_position(prev, r);
            let at = field_position(b, "id");
            let implicit = if at.is_none() && !b.jsonl {
                " (its id comes from its folder and file name)"
            } else {
                ""
            };
            let (l, c) = at.unwrap_or((b.line, 1));
            problems.push(
                Diagnostic::new(
                    &b.path,
                    l,
                    c,
                    format!("duplicate statement id `{}`{implicit}", r.id),
                )
                .with_hint(format!(
                    "also defined in {}; ids must be unique in the corpus",
                    where_is(a, "id")
                )),
            );
        } else {
            first.insert(&r.id, r);
        }
    }
}

/// A series holds one version per period: two versions of one period
/// cannot be ordered, and one of them would be compared with nothing.
fn check_series_periods(ids: &[IdRef], problems: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&(String, String, Period), &IdRef> = HashMap::new();
    let mut sorted: Vec<&IdRef> = ids.iter().filter(|r| r.version.is_some()).collect();
    sorted.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    for r in sorted {
        let Some(key) = &r.version else {
            continue;
        };
        let (entity, series, period) = key;
        if let Some(prev) = first.get(key) {
            let (l, c) = field_position(r, "period").unwrap_or((r.line, 1));
            problems.push(
                Diagnostic::new(
                    &r.path,
                    l,
                    c,
                    format!(
                        "series `{series}` of `{entity}` already has a version for period {period} (`{}`)",
                        prev.id
                    ),
                )
                .with_hint(format!(
                    "the other version is {}; a series holds one version per period: fix the period, or keep only the newer of two versions (an amended filing)",
                    where_is(prev, "period")
                )),
            );
        } else {
            first.insert(key, r);
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
    // Each file's decoded text, to locate its `parent` value later.
    let mut texts: BTreeMap<&str, String> = BTreeMap::new();
    for (id, path) in files {
        // Same reading as statement files: bounded, BOM and CRLF accepted,
        // a bad byte located.
        let text = match read_file(path, &LoadOptions::default())
            .and_then(|b| decode(path, &b, 1, Some(0)))
        {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        // Every unknown field and wrongly typed value at once, and the
        // entity read without them, so its `parent` is checked in the
        // same run.
        let found = crate::error::toml_all_field_problems::<RawEntity>(&text);
        let raw = found.value;
        for e in found.errors {
            let (l, c) = e.span().map_or((1, 1), |s| offset_line_col(&text, s.start));
            let mut d = Diagnostic::new(
                path,
                l,
                c,
                format!("invalid entity file: {}", e.message().trim()),
            );
            if let Some(field) = e.message().strip_prefix("unknown field `")
                && let Some(field) = field.split('`').next()
                && let Some(n) = nearest(field, ["name", "aliases", "parent", "identifiers"])
                && n != field
            {
                d = d.with_hint(format!("did you mean `{n}`?"));
            }
            diags.push(d);
        }
        texts.insert(id, text);
        if let Some(r) = raw {
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
                        .map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_string)))
                        .collect(),
                },
            );
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
                        // At the `parent` value: the loop starts there.
                        let (l, c) = texts
                            .get(id.as_str())
                            .and_then(|t| key_value_line_col(t, "parent"))
                            .unwrap_or((1, 1));
                        diags.push(Diagnostic::new(
                            &path,
                            l,
                            c,
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

/// Line and column of the value of `key = …` in a TOML text.
pub(crate) fn key_value_line_col(s: &str, key: &str) -> Option<(usize, usize)> {
    let (l, c) = key_line_col(s, key)?;
    let line = s.lines().nth(l - 1)?;
    let rest = line.chars().skip(c - 1).collect::<String>();
    let eq = rest.find('=')?;
    let after = &rest[eq + 1..];
    let value = after.len() - after.trim_start().len();
    Some((
        l,
        c + rest[..eq].chars().count() + 1 + after[..value].chars().count(),
    ))
}

/// Reads a statement's text again from its file (or its JSONL line), for
/// stages that need the text after a streaming load let it go.
pub fn reload_text(s: &Statement, root: &Path) -> Result<String, Diagnostic> {
    let path = &s.origin.path;
    if s.origin.jsonl {
        use std::io::{Seek, SeekFrom};
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
        // Bounded as in the first read: the file may have changed since.
        let read = read_line_bounded(
            &mut std::io::BufReader::new(f),
            &mut line,
            LoadOptions::default().max_file_bytes,
        )
        .map_err(|e| {
            Diagnostic::new(
                path,
                s.origin.body_line,
                1,
                format!("cannot read file again: {e}"),
            )
        })?;
        if read.is_some_and(|l| !l.complete) {
            return Err(Diagnostic::new(
                path,
                s.origin.body_line,
                1,
                "the line is now over the size limit: the file changed during the run",
            ));
        }
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
        let bytes = read_file(path, &LoadOptions::default())?;
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
    fn trailing_blanks_after_the_opening_marker() {
        // Regression: "+++" followed by U+3000 sliced the text inside that
        // character (a panic); trailing spaces shifted every line by one.
        let s = parse("+++\u{3000}\ndate = \"2021\"\nkind = \"other\"\n+++\nHi.\n").unwrap();
        assert_eq!((s.text.as_str(), s.origin.body_line), ("Hi.\n", 5));
        let e = parse("+++  \ndate = \"2021\"\nkind = other\n+++\n").unwrap_err();
        assert_eq!((e[0].line, e[0].col), (3, 8), "{:?}", e[0]);
        let s = parse("+++\r\ndate = \"2021\"\r\nkind = \"other\"\r\n+++\r\nHi.").unwrap();
        assert_eq!((s.text.as_str(), s.origin.body_line), ("Hi.", 5));
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
    fn invalid_utf8_after_a_bom_counts_the_bom() {
        let e = parse_statement_bytes(
            Path::new("x.md"),
            b"\xEF\xBB\xBF+++\ndate = \"2020\"\n+++\nab\xffc",
            "a",
            Path::new("."),
        )
        .unwrap_err();
        assert_eq!(e[0].message, "invalid UTF-8 at byte offset 27");
        assert_eq!((e[0].line, e[0].col), (4, 3));
        assert!(e[0].hint.as_deref().unwrap().starts_with("found 0xFF;"));
    }

    #[test]
    fn jsonl_errors_name_the_file_offset_and_the_right_line() {
        let p = Path::new("bulk.jsonl");
        let e = parse_jsonl_record(p, 3, Some(100), b"{\"id\":\"\xC3(\"}\n", Path::new("."))
            .unwrap_err();
        assert_eq!(e[0].message, "invalid UTF-8 at byte offset 107");
        assert_eq!((e[0].line, e[0].col), (3, 8));
        let e = parse_jsonl_line(p, 5, b"{\"id\": \"a\",}", Path::new(".")).unwrap_err();
        assert_eq!(e[0].line, 5);
        assert!(!e[0].message.contains("line 1"), "{}", e[0].message);
        assert!(
            e[0].message.starts_with("this line is not valid JSON: "),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn long_lines_are_skipped_without_being_held() {
        let data = b"short\nxxxxxxxxxxxxxxxxxxxx\nlast".to_vec();
        // A reader buffer smaller than the line: the line arrives in pieces.
        let mut r = std::io::BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        let l = read_line_bounded(&mut r, &mut buf, 8).unwrap().unwrap();
        assert_eq!((l.len, l.complete, &buf[..]), (6, true, &b"short\n"[..]));
        let l = read_line_bounded(&mut r, &mut buf, 8).unwrap().unwrap();
        assert_eq!((l.len, l.complete, buf.capacity()), (21, false, 0));
        let l = read_line_bounded(&mut r, &mut buf, 8).unwrap().unwrap();
        assert_eq!((l.len, l.complete, &buf[..]), (4, true, &b"last"[..]));
        assert!(read_line_bounded(&mut r, &mut buf, 8).unwrap().is_none());
        // Exactly at the limit, newline aside: kept.
        let mut r = std::io::BufReader::with_capacity(3, &b"12345678\n"[..]);
        assert!(
            read_line_bounded(&mut r, &mut buf, 8)
                .unwrap()
                .unwrap()
                .complete
        );
    }

    /// A corpus in a temp folder, removed on drop.
    struct Tree(PathBuf);
    impl Tree {
        fn new(files: &[(&str, &str)]) -> Tree {
            static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let root = std::env::temp_dir().join(format!(
                "claimdiff-load-{}-{}",
                std::process::id(),
                N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            ));
            for (p, t) in files {
                let p = root.join(p);
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(p, t).unwrap();
            }
            Tree(root)
        }
    }
    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn duplicate_ids_point_at_the_id_line_or_key() {
        let t = Tree::new(&[
            (
                "acme/a.md",
                "+++\ndate = \"2021\"\nid = \"same\"\nkind = \"other\"\n+++\nx\n",
            ),
            (
                "acme/b.md",
                "+++\ndate = \"2021\"\nkind = \"other\"\n# note\nid = \"same\"\n+++\nx\n",
            ),
            (
                "bulk.jsonl",
                "\n{\"entity\":\"acme\", \"id\": \"acme/c\",\"date\":\"2021\",\"kind\":\"other\",\"text\":\"x\"}\n",
            ),
            (
                "acme/c.md",
                "+++\ndate = \"2021\"\nkind = \"other\"\n+++\nx\n",
            ),
        ]);
        let (_, d) = load_lenient(&t.0, &LoadOptions::default());
        let got: Vec<String> = d
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{} {} | {}",
                    d.path.strip_prefix(&t.0).unwrap().display(),
                    d.line,
                    d.col,
                    d.message,
                    d.hint.as_deref().unwrap_or("")
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "acme/b.md:5:1 duplicate statement id `same` | also defined in ".to_string()
                    + &t.0.join("acme/a.md:3").display().to_string()
                    + "; ids must be unique in the corpus",
                "bulk.jsonl:2:19 duplicate statement id `acme/c` | also defined in ".to_string()
                    + &t.0.join("acme/c.md:1").display().to_string()
                    + "; ids must be unique in the corpus",
            ]
        );
    }

    #[test]
    fn two_versions_of_one_period_are_refused_at_the_second_period_line() {
        let v = |date: &str, period: &str| {
            format!(
                "+++\ndate = \"{date}\"\nkind = \"annual-report\"\nperiod = {period}\n+++\n- item\n"
            )
        };
        let t = Tree::new(&[
            ("acme/ar-2021.md", &v("2022-03", "2021")),
            ("acme/ar-2021-again.md", &v("2022-04", "\"2021\"")),
            ("acme/ar-2022.md", &v("2023-03", "2022")),
            ("other/ar-2021.md", &v("2022-03", "2021")),
        ]);
        let (_, d) = load_lenient(&t.0, &LoadOptions::default());
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].path.ends_with("acme/ar-2021.md"), "{:?}", d[0]);
        assert_eq!((d[0].line, d[0].col), (4, 1));
        assert_eq!(
            d[0].message,
            "series `annual-report` of `acme` already has a version for period 2021 (`acme/ar-2021-again`)"
        );
    }

    #[test]
    fn entity_files_with_a_bad_byte_are_located() {
        let t = Tree::new(&[(
            "acme/entity.toml",
            "name = \"Acme\"\naliases = [\"A\u{e9}\"]\n",
        )]);
        let p = t.0.join("acme/entity.toml");
        let mut b = fs::read(&p).unwrap();
        let at = b.iter().position(|&x| x == 0xC3).unwrap();
        b[at] = 0xE9;
        b.remove(at + 1);
        fs::write(&p, b).unwrap();
        let (_, d) = load_lenient(&t.0, &LoadOptions::default());
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].message, "invalid UTF-8 at byte offset 27");
        assert_eq!((d[0].line, d[0].col), (2, 14));
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
