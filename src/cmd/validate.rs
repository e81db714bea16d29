//! `auditpack validate PROJECT`: list every problem in the inputs, with its position.
//!
//! Exit 0 when there is none, 1 when there are problems, 2 when the project cannot be read.

use crate::cli::ValidateArgs;
use crate::cmd::{Outcome, audit_project, print_stdout};
use crate::diag::printable;
use crate::error::{Error, Result};
use crate::load::template::load_template;

pub fn run(args: ValidateArgs) -> Result<Outcome> {
    // The template is an input too: a missing one is a settings problem like any other.
    let audited =
        match audit_project(&args.project).and_then(|a| load_template(&a.project).map(|_| a)) {
            Ok(audited) => audited,
            Err(Error::Problems(problems)) => {
                let mut text = String::new();
                for problem in &problems {
                    text.push_str(&format!("error: {problem}\n"));
                }
                text.push_str(&format!(
                    "{} problem(s) in the project settings\n",
                    problems.len()
                ));
                print_stdout(&printable(&text))?;
                return Ok(Outcome::Findings);
            }
            Err(other) => return Err(other),
        };
    let audit = &audited.audit;
    let mut text = String::new();
    for row in &audit.reported {
        for reason in &row.reasons {
            text.push_str(&format!("{}: {reason}\n", row.position));
        }
    }
    for warning in &audit.warnings {
        text.push_str(&format!("warning: {warning}\n"));
    }
    for note in &audit.notes {
        text.push_str(&format!("note: {note}\n"));
    }
    for unlisted in &audit.drift.unlisted {
        text.push_str(&format!("drift: {}\n", unlisted.sentence()));
    }
    for unseen in &audit.drift.unseen {
        text.push_str(&format!("note: {}\n", unseen.sentence()));
    }
    text.push_str(&format!(
        "{} evidence rows read = {} mapped + {} reported\n",
        audit.rows_read,
        audit.rows_mapped(),
        audit.reported.len()
    ));
    print_stdout(&printable(&text))?;
    Ok(
        if audit.reported.is_empty() && audit.drift.unlisted.is_empty() {
            Outcome::Clean
        } else {
            Outcome::Findings
        },
    )
}
