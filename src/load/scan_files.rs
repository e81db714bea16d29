//! Load: scanner files among the evidence sources: telling a scanner's output apart
//! from an evidence spreadsheet by its header or first keys, and reading it with
//! the reader for its format.

use crate::diag::{Location, Problem};
use crate::load::advisors::{read_azure_advisor, read_gcp_recommender, read_trusted_advisor};
use crate::load::asff::read_asff;
use crate::load::checkov::read_checkov;
use crate::load::checkov_sarif::read_checkov_sarif;
use crate::load::defender::read_defender_json;
use crate::load::defender_csv::read_defender_csv;
use crate::load::evidence_files::extension;
use crate::load::findings::{FindingsRead, ScanFormat, ScanOptions};
use crate::load::input::{InputKind, open_stream};
use crate::load::project::EvidenceSource;
use crate::load::prowler::{read_prowler_csv, read_prowler_ocsf};
use crate::load::prowler_json::read_prowler_json;
use crate::load::prowler2::read_prowler2_csv;
use crate::load::scc::read_scc;
use std::path::Path;

/// A source whose settings only a scanner file takes (`checks`, `collected`) is a scan, so a CSV
/// that matches no scanner header is an error rather than an evidence sheet.
pub(crate) fn is_declared_scan(source: &EvidenceSource) -> bool {
    !source.checks.is_empty() || source.collected.is_some()
}

/// The format of a file without a `format` setting: scanner outputs are told
/// apart from evidence spreadsheets by their header or first keys.
pub(crate) fn detect_kind(absolute: &Path, relative: &Path) -> String {
    let by_extension = extension(relative);
    if !matches!(by_extension.as_str(), "csv" | "txt" | "json" | "sarif") {
        return by_extension;
    }
    let mut head = vec![0; 64 * 1024];
    let n = std::fs::File::open(absolute)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let mut found = detect_in(&head[..n]);
    let json = head[..n]
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&head[..n])
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b'{' | b'['));
    if found.is_none() && json && n == head.len() {
        // A long first value in JSON (a 10 MB message) can push the telling keys past
        // the head: look again over more of the file, within a bound.
        let mut more = Vec::new();
        let _ = std::fs::File::open(absolute).and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, DETECT_LIMIT), &mut more)
        });
        found = detect_in(&more);
    }
    found.map_or(by_extension, |f| f.id().to_string())
}

/// How far into a file detection looks when its first 64 KiB tell nothing.
const DETECT_LIMIT: u64 = 32 << 20;

/// The scanner format whose header or keys appear in the start of a file.
fn detect_in(head: &[u8]) -> Option<ScanFormat> {
    let head = String::from_utf8_lossy(head);
    let first_line = head.lines().next().unwrap_or_default().to_uppercase();
    let has = |name: &str| {
        first_line
            .split([';', ',', '\t', '|'])
            .any(|c| c.trim().trim_start_matches('\u{feff}') == name)
    };
    if has("CHECK_ID") && has("COMPLIANCE") {
        Some(ScanFormat::ProwlerCsv)
    } else if has("REQUIREMENTS_ID") && has("CHECKID") {
        Some(ScanFormat::ProwlerComplianceCsv)
    } else if has("TITLE_ID") && (has("CHECK_RESULT") || has("RESULT") && has("ACCOUNT_NUM")) {
        Some(ScanFormat::Prowler2Csv)
    } else if head.contains("\"event_code\"") || head.contains("\"class_uid\"") {
        Some(ScanFormat::ProwlerOcsf)
    } else if head.contains("\"CheckID\"")
        && (head.contains("\"AssessmentStartTime\"") || head.contains("\"FindingUniqueId\""))
    {
        Some(ScanFormat::ProwlerJson)
    } else if head.contains("\"SchemaVersion\"")
        || head.contains("\"Findings\"")
        || head.contains("\"aws.securityhub\"")
    {
        Some(ScanFormat::Asff)
    } else if head.contains("\"check_type\"")
        && (head.contains("\"passed_checks\"") || head.contains("\"failed_checks\""))
    {
        Some(ScanFormat::Checkov)
    } else if head.contains("\"runs\"")
        && (head.contains("\"CKV_")
            || head.contains("\"CKV2_")
            || head.to_lowercase().contains("checkov"))
    {
        Some(ScanFormat::CheckovSarif)
    } else {
        crate::load::detect_cloud::detect_cloud_format(&head, &first_line)
    }
}

/// Read one scanner file as a stream.
pub(crate) fn read_scan(
    absolute: &Path,
    relative: &Path,
    format: ScanFormat,
    source: &EvidenceSource,
) -> Result<FindingsRead, Problem> {
    let (file, size) = open_stream(absolute, relative, InputKind::Scan)
        .map_err(|message| Problem::new(Location::file(relative), message))?;
    let options = ScanOptions {
        framework: source.framework.as_ref().map(|f| f.get_ref().clone()),
        version_hint: version_in_name(relative),
    };
    match format {
        ScanFormat::ProwlerCsv | ScanFormat::ProwlerComplianceCsv => {
            read_prowler_csv(file, size, relative, format, &options)
        }
        ScanFormat::ProwlerOcsf => read_prowler_ocsf(file, size, relative),
        ScanFormat::Asff => read_asff(file, size, relative),
        ScanFormat::ProwlerJson => read_prowler_json(file, size, relative),
        ScanFormat::Checkov => read_checkov(file, size, relative),
        ScanFormat::CheckovSarif => read_checkov_sarif(file, size, relative),
        ScanFormat::Prowler2Csv => read_prowler2_csv(file, size, relative),
        ScanFormat::DefenderCsv => read_defender_csv(file, size, relative),
        ScanFormat::DefenderJson => read_defender_json(file, size, relative),
        ScanFormat::Scc => read_scc(file, size, relative),
        ScanFormat::TrustedAdvisor => read_trusted_advisor(file, size, relative),
        ScanFormat::AzureAdvisor => read_azure_advisor(file, size, relative),
        ScanFormat::GcpRecommender => read_gcp_recommender(file, size, relative),
    }
}

/// A version in a Prowler compliance file name: `..._iso27001_2022_aws.csv` gives `2022`.
fn version_in_name(relative: &Path) -> Option<String> {
    let stem = relative.file_stem()?.to_str()?;
    stem.split('_')
        .skip(1)
        .find(|t| {
            t.starts_with(|c: char| c.is_ascii_digit())
                && t.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
        .map(str::to_string)
}
