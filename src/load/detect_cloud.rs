//! Load: telling the clouds' own posture tools and advisors apart by a file's first
//! line (CSV) or first keys (JSON), for `[[evidence]]` sources without a `format`.

use crate::load::findings::ScanFormat;

/// The cloud providers' posture tools and advisors, by their header or keys.
pub fn detect_cloud_format(head: &str, first_line: &str) -> Option<ScanFormat> {
    let header: Vec<String> = first_line
        .split([';', ',', '\t', '|'])
        .map(|c| c.chars().filter(char::is_ascii_alphanumeric).collect())
        .collect();
    let has = |names: &[&str]| names.iter().any(|n| header.iter().any(|c| c == n));
    let lower = head.to_ascii_lowercase();
    if has(&[
        "RECOMMENDATIONID",
        "RECOMMENDATIONNAME",
        "RECOMMENDATIONDISPLAYNAME",
        "ASSESSMENTKEY",
        "ASSESSMENTNAME",
    ]) && has(&["RESOURCEID", "AZURERESOURCEID"])
        && has(&["STATE", "STATUS", "RESOURCESTATE", "COMPLIANCESTATE"])
    {
        Some(ScanFormat::DefenderCsv)
    } else if lower.contains("microsoft.advisor/recommendations")
        || (head.contains("\"impactedField\"") && head.contains("\"shortDescription\""))
    {
        Some(ScanFormat::AzureAdvisor)
    } else if lower.contains("microsoft.security/assessments")
        || lower.contains("regulatorycomplianceassessments")
        || head.contains("\"resourceDetails\"")
    {
        Some(ScanFormat::DefenderJson)
    } else if head.contains("\"flaggedResources\"") || head.contains("\"resourcesSummary\"") {
        Some(ScanFormat::TrustedAdvisor)
    } else if head.contains("\"recommenderSubtype\"") || head.contains("/recommenders/") {
        Some(ScanFormat::GcpRecommender)
    } else if head.contains("\"canonicalName\"")
        || (head.contains("\"category\"")
            && head.contains("\"resourceName\"")
            && (head.contains("\"findingClass\"") || head.contains("\"sourceProperties\"")))
    {
        Some(ScanFormat::Scc)
    } else {
        None
    }
}
