//! Render: the OSCAL export's evidence past the PDF's row bound, counted per control.
//!
//! Below [`INDEX_ROWS`](crate::render::view::INDEX_ROWS) evidence rows every row
//! relied on is an observation and a back-matter resource, and each control links
//! to its rows. Past it, as the PDF's evidence index does, each control gets one
//! observation saying how many rows of which kind and result count for it, and
//! links to the workbook's Evidence sheet (which lists every row) and to the
//! evidence files its rows come from. The files then grow with the controls and
//! the evidence files, not the rows: 200,000 rows made 956 MB of JSON row by row.

use super::{Inputs, Uuids, prop, text};
use crate::load::evidence::Outcome;
use crate::model::audit::{Audit, ControlAudit, FrameworkAudit};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The workbook the summaries point to, as the package names it.
pub const WORKBOOK: &str = "audit-workbook.xlsx";
/// Its sheet that lists every evidence row.
pub const WORKBOOK_SHEET: &str = "Evidence";

/// Whether the export counts evidence per control: past the PDF's bound, by the
/// same rule as its evidence index.
pub fn per_control(audit: &Audit) -> bool {
    crate::render::view::index_counts_per_control(audit)
}

/// The back-matter resources the summaries cite: the workbook, and each evidence
/// file at least one counted row comes from.
pub struct Summary {
    /// The workbook's resource UUID.
    pub workbook: String,
    /// Per evidence file (relative to the project): its resource UUID and the rows
    /// relied on that come from it.
    pub files: BTreeMap<String, (String, usize)>,
    /// Rows relied on by at least one control.
    pub rows: usize,
}

/// The file an evidence row comes from, as the manifest writes its path.
pub fn file_of(e: &crate::model::audit::Evidence) -> String {
    e.origin.path.to_string_lossy().replace('\\', "/")
}

impl Summary {
    /// From the rows relied on (indexes into `Audit::evidence`, each once).
    pub fn new(audit: &Audit, uuids: &Uuids, used: impl Iterator<Item = usize>) -> Self {
        let mut files: BTreeMap<String, (String, usize)> = BTreeMap::new();
        let mut rows = 0;
        for i in used {
            rows += 1;
            let file = file_of(&audit.evidence[i]);
            match files.get_mut(&file) {
                Some((_, n)) => *n += 1,
                None => {
                    let uuid = uuids.of(&format!("resource/evidence-file/{file}"));
                    files.insert(file, (uuid, 1));
                }
            }
        }
        Summary {
            workbook: uuids.of("resource/workbook"),
            files,
            rows,
        }
    }

    /// The back-matter resources: the workbook, then each evidence file with the
    /// SHA-256 the manifest lists for it.
    pub fn resources(&self, audit: &Audit, inputs: &Inputs) -> Vec<Value> {
        let mut resources = vec![json!({
            "uuid": self.workbook,
            "title": text(&format!("{WORKBOOK}, sheet {WORKBOOK_SHEET}")),
            "description": text(&format!(
                "The package's workbook lists every evidence row on its {WORKBOOK_SHEET} sheet: {} rows, {} of them relied on by a control. Past {} rows this export counts them per control instead of naming each.",
                audit.evidence.len(),
                self.rows,
                crate::render::view::INDEX_ROWS
            )),
            "props": [prop("kind", "workbook"), prop("sheet", WORKBOOK_SHEET)],
            "rlinks": [{
                "href": format!("../{WORKBOOK}"),
                "media-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }],
        })];
        for (file, (uuid, n)) in &self.files {
            let mut resource = json!({
                "uuid": uuid,
                "title": text(file),
                "description": text(&format!(
                    "An evidence file of the project: controls rely on {} of it.",
                    rows(*n, "row")
                )),
                "props": [
                    prop("kind", "evidence-file"),
                    prop("evidence-rows", &n.to_string()),
                ],
            });
            if let Some(rlink) = inputs.rlink(file) {
                resource["rlinks"] = json!([rlink]);
            }
            resources.push(resource);
        }
        resources
    }

    /// What a control's rows are, counted: its summary observation, and the
    /// references to the workbook and files (`None` for a control without evidence).
    pub fn tally(&self, audit: &Audit, control: &ControlAudit) -> Option<Tally> {
        if control.evidence.is_empty() {
            return None;
        }
        let mut tally = Tally {
            rows: control.evidence.len(),
            kinds: BTreeMap::new(),
            files: BTreeMap::new(),
            latest: None,
            tested: false,
        };
        for used in &control.evidence {
            let e = &audit.evidence[used.index];
            let kind = match &e.findings {
                Some(f) => Kind::Scan(f.scanner),
                None => Kind::Register,
            };
            tally.tested |= e.findings.is_some();
            let counts = tally.kinds.entry(kind).or_default();
            counts[outcome_slot(e.outcome)] += 1;
            *tally.files.entry(file_of(e)).or_default() += 1;
            tally.latest = tally.latest.max(e.collected);
        }
        Some(tally)
    }
}

/// The result outcomes in the order the counts name them.
const OUTCOMES: [Outcome; 3] = [Outcome::Pass, Outcome::Partial, Outcome::Fail];

fn outcome_slot(outcome: Outcome) -> usize {
    OUTCOMES.iter().position(|o| *o == outcome).unwrap_or(0)
}

/// What an evidence row is: a row of an evidence register, or a scanner file's
/// summary of its results for the control.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Register,
    Scan(&'static str),
}

impl Kind {
    fn counted(self, n: usize) -> String {
        match self {
            Kind::Register => rows(n, "register row"),
            Kind::Scan(scanner) => format!("{} from {scanner}", rows(n, "scan summary")),
        }
    }
}

/// `1 register row`, `2 register rows`; `1 scan summary`, `2 scan summaries`.
pub fn rows(n: usize, one: &str) -> String {
    match (n, one.strip_suffix('y')) {
        (1, _) => format!("1 {one}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {one}s"),
    }
}

/// One control's evidence rows, counted.
pub struct Tally {
    pub rows: usize,
    /// By kind (register rows, a scanner's summaries): counts per outcome, in `OUTCOMES` order.
    pub kinds: BTreeMap<Kind, [usize; 3]>,
    /// Per evidence file (as `Summary::files` keys it): the control's rows from it.
    pub files: BTreeMap<String, usize>,
    /// The latest collection date among the rows.
    pub latest: Option<chrono::NaiveDate>,
    /// Whether any row is a scanner's results.
    pub tested: bool,
}

impl Tally {
    /// `1250 rows count for HIPAA 164.312(d): 1248 register rows (1000 pass, 248 fail);
    /// 2 scan summaries from Prowler (2 pass). The Evidence sheet of ... lists every row.`
    pub fn sentence(&self, framework: &FrameworkAudit, control: &ControlAudit) -> String {
        let kinds: Vec<String> = self
            .kinds
            .iter()
            .map(|(kind, counts)| {
                let outcomes: Vec<String> = OUTCOMES
                    .iter()
                    .zip(counts)
                    .filter(|(_, n)| **n > 0)
                    .map(|(o, n)| format!("{n} {}", o.id()))
                    .collect();
                format!(
                    "{} ({})",
                    kind.counted(counts.iter().sum()),
                    outcomes.join(", ")
                )
            })
            .collect();
        let count = match self.rows {
            1 => "1 row counts".to_string(),
            n => format!("{n} rows count"),
        };
        format!(
            "{count} for {} {}: {}. The {WORKBOOK_SHEET} sheet of {WORKBOOK} lists every row.",
            framework.name,
            control.id,
            kinds.join("; ")
        )
    }

    /// Props: the rows counted, and how many pass, are partial and fail.
    pub fn props(&self) -> Vec<Value> {
        let mut props = vec![prop("evidence-rows", &self.rows.to_string())];
        for (slot, outcome) in OUTCOMES.iter().enumerate() {
            let n: usize = self.kinds.values().map(|c| c[slot]).sum();
            if n > 0 {
                props.push(prop(&format!("rows-{}", outcome.id()), &n.to_string()));
            }
        }
        props
    }
}

/// The UUID of a control's summary observation.
pub fn observation_uuid(
    uuids: &Uuids,
    framework: &FrameworkAudit,
    control: &ControlAudit,
) -> String {
    uuids.of(&format!(
        "observation/control/{}/{}",
        framework.id, control.id
    ))
}

/// The references a control's summary makes: the workbook, then each file its rows
/// come from, as (resource UUID, what it holds for the control).
pub fn references(summary: &Summary, tally: &Tally) -> Vec<(String, String)> {
    let mut refs = vec![(
        summary.workbook.clone(),
        format!(
            "{} on the {WORKBOOK_SHEET} sheet of {WORKBOOK}",
            rows(tally.rows, "row")
        ),
    )];
    for (file, n) in &tally.files {
        if let Some((uuid, _)) = summary.files.get(file) {
            refs.push((uuid.clone(), format!("{} from {file}", rows(*n, "row"))));
        }
    }
    refs
}
