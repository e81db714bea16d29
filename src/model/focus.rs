//! Model: narrow an audit to some frameworks and responsibilities, for focused documents
//! such as the HIPAA customer-controls PDF, keeping account of what was left out.

use crate::diag::did_you_mean;
use crate::model::audit::{Audit, LeftOut};
use crate::model::layer::Responsibility;

/// Which frameworks and responsibilities a document keeps; empty lists keep everything.
#[derive(Debug, Clone, Default)]
pub struct Focus {
    pub frameworks: Vec<String>,
    pub responsibilities: Vec<Responsibility>,
}

impl Focus {
    pub fn is_whole(&self) -> bool {
        self.frameworks.is_empty() && self.responsibilities.is_empty()
    }

    /// `hipaa-customer-shared`: names a focused package's folder.
    pub fn slug(&self) -> String {
        let mut parts: Vec<String> = self.frameworks.iter().map(|f| f.to_lowercase()).collect();
        parts.extend(self.responsibilities.iter().map(|r| r.id().to_string()));
        parts.join("-")
    }

    /// `HIPAA Security Rule; customer and shared controls`.
    fn describe(&self, audit: &Audit) -> String {
        let frameworks: Vec<&str> = audit.frameworks.iter().map(|f| f.name.as_str()).collect();
        let mut text = frameworks.join(", ");
        if !self.responsibilities.is_empty() {
            let kinds: Vec<&str> = self.responsibilities.iter().map(|r| r.id()).collect();
            text.push_str(&format!("; {} controls only", kinds.join(" and ")));
        }
        text
    }
}

/// Keep only the focused frameworks and controls; say what was left out and why.
pub fn apply_focus(audit: &mut Audit, focus: &Focus) -> Result<(), String> {
    if focus.is_whole() {
        return Ok(());
    }
    for wanted in &focus.frameworks {
        if !audit
            .frameworks
            .iter()
            .any(|f| f.id.eq_ignore_ascii_case(wanted))
        {
            let ids: Vec<&str> = audit.frameworks.iter().map(|f| f.id.as_str()).collect();
            let hint = did_you_mean(wanted, ids.iter().copied())
                .map(|s| format!("; did you mean \"{s}\"?"))
                .unwrap_or_default();
            return Err(format!(
                "--framework {wanted} is not among this project's frameworks ({}){hint}",
                ids.join(", ")
            ));
        }
    }
    if !focus.frameworks.is_empty() {
        audit.frameworks.retain(|f| {
            focus
                .frameworks
                .iter()
                .any(|w| w.eq_ignore_ascii_case(&f.id))
        });
    }
    if !focus.responsibilities.is_empty() {
        for framework in &mut audit.frameworks {
            for kind in Responsibility::ALL
                .into_iter()
                .filter(|r| !focus.responsibilities.contains(r))
            {
                let count = framework.count_responsibility(kind);
                if count > 0 {
                    audit.left_out.push(LeftOut {
                        framework: framework.name.clone(),
                        responsibility: kind.id().to_string(),
                        count,
                        why: why_left_out(kind),
                    });
                }
            }
            let not_applicable = framework
                .controls
                .iter()
                .filter(|c| c.responsibility.is_none())
                .count();
            if not_applicable > 0 {
                audit.left_out.push(LeftOut {
                    framework: framework.name.clone(),
                    responsibility: "not applicable".to_string(),
                    count: not_applicable,
                    why: "out of scope for this organization, each with its reason in the full package".to_string(),
                });
            }
            framework.controls.retain(|c| {
                c.responsibility
                    .is_some_and(|r| focus.responsibilities.contains(&r))
            });
        }
    }
    audit.focus = Some(focus.describe(audit));
    Ok(())
}

fn why_left_out(kind: Responsibility) -> String {
    match kind {
        Responsibility::Inherited => "the cloud provider secures every layer these controls touch for the in-scope services; \
             they are inherited and backed by the provider's attestations, listed in the full package"
            .to_string(),
        Responsibility::Shared => "the provider and the organization each secure part of these; they are in the full package".to_string(),
        Responsibility::Customer => "the organization secures these alone; they are in the full package".to_string(),
    }
}
