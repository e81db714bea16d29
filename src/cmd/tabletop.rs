//! `auditpack tabletop PROJECT [--scenario ID]... [--framework ID]... [--format text|json]
//! [--pdf FILE] [--xlsx FILE]`: incident scenarios run against the responsibility map.
//!
//! For each scenario that applies to the estate, each response phase (detect,
//! contain, eradicate, recover, notify) with who owns it, who is named for it and
//! whether the controls behind it are ready. Exit 0 when every phase of every
//! applicable scenario is ready, 1 when any phase has a gap, 2 on errors. The PDF
//! and workbook are written atomically and never over one of the project's inputs.

use crate::cli::{TabletopArgs, TabletopFormat};
use crate::cmd::{Audited, Outcome, audit_project, print_summary, project_claims};
use crate::diag::did_you_mean;
use crate::error::{Error, Result};
use crate::load::scenarios::load_scenarios;
use crate::model::focus::{Focus, apply_focus};
use crate::model::tabletop::{Scenario, ScenarioCatalog, estate, run_tabletop};
use crate::render::json::json_text;
use crate::render::target::write_output;
use crate::render::{tabletop_pdf, tabletop_text, xlsx_tabletop};
use std::path::PathBuf;

/// The exercise, its arguments resolved.
struct TabletopConfig {
    project: PathBuf,
    scenarios: Vec<String>,
    focus: Focus,
    format: TabletopFormat,
    pdf: Option<PathBuf>,
    xlsx: Option<PathBuf>,
}

impl TabletopConfig {
    fn new(args: TabletopArgs) -> Self {
        TabletopConfig {
            project: args.project,
            scenarios: args.scenarios,
            focus: Focus {
                frameworks: args.frameworks,
                responsibilities: Vec::new(),
            },
            format: args.format,
            pdf: args.pdf,
            xlsx: args.xlsx,
        }
    }

    /// The scenarios asked for, in catalog order; an unknown id is an error with a suggestion.
    fn pick<'a>(&self, catalog: &'a ScenarioCatalog) -> Result<Vec<&'a Scenario>> {
        let ids: Vec<&str> = catalog.scenarios.iter().map(|s| s.id.as_str()).collect();
        for wanted in &self.scenarios {
            if !ids.iter().any(|id| id.eq_ignore_ascii_case(wanted)) {
                let hint = did_you_mean(wanted, ids.iter().copied())
                    .map(|s| format!("; did you mean \"{s}\"?"))
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "--scenario {} is not a scenario auditpack knows ({}){hint}",
                    crate::diag::quoted(wanted, crate::diag::QUOTED_CHARS),
                    ids.join(", ")
                )));
            }
        }
        Ok(catalog
            .scenarios
            .iter()
            .filter(|s| {
                self.scenarios.is_empty()
                    || self.scenarios.iter().any(|w| w.eq_ignore_ascii_case(&s.id))
            })
            .collect())
    }
}

pub fn run(args: TabletopArgs) -> Result<Outcome> {
    let config = TabletopConfig::new(args);
    let Audited {
        project,
        mut audit,
        library,
        inputs,
    } = audit_project(&config.project)?;
    let catalog = load_scenarios(&library)?;
    let scenarios = config.pick(&catalog)?;
    let mut claims = project_claims(&project.root, &inputs);
    let pdf = config
        .pdf
        .as_deref()
        .map(|p| claims.claim_file("the worksheet PDF", p))
        .transpose()?;
    let xlsx = config
        .xlsx
        .as_deref()
        .map(|p| claims.claim_file("the worksheet workbook", p))
        .transpose()?;
    apply_focus(&mut audit, &config.focus).map_err(Error::Usage)?;
    let units = estate(&audit, &library);
    let tabletop = run_tabletop(&catalog, &scenarios, &audit, &library, &units);
    if let Some(destination) = &pdf {
        write_output(destination, &tabletop_pdf::render_tabletop_pdf(&tabletop)?)?;
    }
    if let Some(destination) = &xlsx {
        write_output(
            destination,
            &xlsx_tabletop::render_tabletop_xlsx(&tabletop)?,
        )?;
    }
    let text = match config.format {
        TabletopFormat::Text => tabletop_text::render_text(&tabletop),
        TabletopFormat::Json => json_text(tabletop_text::render_json(&tabletop)?),
    };
    print_summary(&text, &claims)?;
    Ok(match tabletop.ready() {
        true => Outcome::Clean,
        false => Outcome::Findings,
    })
}
