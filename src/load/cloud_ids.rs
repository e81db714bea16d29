//! Load: what cloud posture tools say about a resource, in the ids auditpack's provider
//! models use: ARM resource types (`Microsoft.Compute/virtualMachines`) from Azure
//! resource ids, Cloud Asset types (`storage.googleapis.com/Bucket`) from Google Cloud
//! resource names, and Defender's regulatory compliance standards as scanner keys.

use crate::load::findings::ScanStatus;

/// The ARM resource type of an Azure resource id: the provider namespace and the type
/// names after the last `/providers/` (`Microsoft.Sql/servers/databases`); none for a
/// subscription or resource group, or text that is no resource id.
pub fn arm_type(id: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let at = lower.rfind("/providers/")?;
    let rest = &id[at + "/providers/".len()..];
    let mut parts = rest.split('/').filter(|p| !p.is_empty());
    let namespace = parts.next()?;
    // Type names and instance names alternate: `servers/sql1/databases/db1`.
    let types: Vec<&str> = parts.step_by(2).collect();
    if types.is_empty() || !namespace.contains('.') {
        return None;
    }
    Some(format!("{namespace}/{}", types.join("/")))
}

/// The subscription of an Azure resource id (`/subscriptions/<id>/...`).
pub fn subscription_of(id: &str) -> Option<&str> {
    let mut parts = id.split('/').filter(|p| !p.is_empty());
    while let Some(part) = parts.next() {
        if part.eq_ignore_ascii_case("subscriptions") {
            return parts.next();
        }
    }
    None
}

/// The Cloud Asset type of a Google Cloud resource: the service host of its full name
/// (`//storage.googleapis.com/...`) and the kind that ends Security Command Center's
/// type (`google.cloud.storage.Bucket`), as `storage.googleapis.com/Bucket`.
pub fn asset_type(resource_name: &str, scc_type: Option<&str>) -> Option<String> {
    let host = resource_name.strip_prefix("//")?.split('/').next()?;
    let kind = scc_type?.rsplit(['.', '/']).next()?;
    if host.is_empty() || kind.is_empty() {
        return None;
    }
    Some(format!("{host}/{kind}"))
}

/// The project of a Google Cloud resource name (`.../projects/<id>/...`).
pub fn project_of(resource_name: &str) -> Option<&str> {
    let mut parts = resource_name.split('/').filter(|p| !p.is_empty());
    while let Some(part) = parts.next() {
        if part == "projects" {
            return parts.next();
        }
    }
    None
}

/// A resource as findings name it: the id, then its type and, where the id does not
/// already say it, where it lives (`/subscriptions/.../vm1 (Microsoft.Compute/virtualMachines)`).
pub fn resource_label(id: &str, kind: Option<&str>, scope: Option<&str>) -> String {
    let scope = scope.filter(|s| {
        let value = s.rsplit(' ').next().unwrap_or(s);
        !id.contains(value)
    });
    let details: Vec<&str> = [kind, scope]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect();
    match details.as_slice() {
        [] => id.trim().to_string(),
        _ => format!("{} ({})", id.trim(), details.join("; ")),
    }
}

/// A Defender status: `Healthy`/`Passed` pass, `Unhealthy`/`Failed` fail; `NotApplicable`,
/// `Skipped` and `Unsupported` are not assessments of the resource at all (None).
pub fn defender_status(text: &str) -> Option<ScanStatus> {
    let t = text.trim();
    let is = |names: &[&str]| names.iter().any(|n| t.eq_ignore_ascii_case(n));
    if is(&["Healthy", "Passed", "Pass", "Compliant"]) {
        Some(ScanStatus::Pass)
    } else if is(&[
        "Unhealthy",
        "Failed",
        "Fail",
        "NonCompliant",
        "Non-compliant",
        "NotHealthy",
    ]) {
        Some(ScanStatus::Fail)
    } else if is(&[
        "NotApplicable",
        "Not applicable",
        "Skipped",
        "Unsupported",
        "OffByPolicy",
        "Exempt",
    ]) {
        None
    } else {
        Some(ScanStatus::Unknown)
    }
}

/// The scanner key for a Defender regulatory compliance standard. Editions matter:
/// Defender's built-in `ISO-27001` initiative is the 2013 edition, whose Annex A ids are
/// not the 2022 edition's, so it resolves to a key auditpack does not hold.
pub fn defender_standard_key(standard: &str) -> String {
    let s = standard.trim();
    let upper = s.to_ascii_uppercase();
    let compact: String = upper.chars().filter(char::is_ascii_alphanumeric).collect();
    if compact.contains("MICROSOFTCLOUDSECURITYBENCHMARK") || compact == "MCSB" {
        return crate::load::findings::MCSB_KEY.to_string();
    }
    if compact.contains("PCI") {
        let version = if compact.contains("321") {
            "3.2.1"
        } else if compact.contains("401") {
            "4.0.1"
        } else if compact.contains("PCIDSS4") || compact.contains("PCIDSSV4") {
            "4.0"
        } else {
            return format!("PCI ({s})");
        };
        return format!("PCI-{version}");
    }
    if compact.contains("27001") {
        return if compact.contains("2022") {
            "ISO27001-2022".to_string()
        } else {
            "ISO27001-2013".to_string()
        };
    }
    if compact.starts_with("AZURECIS")
        || (compact.starts_with("CIS") && compact.contains("BENCHMARK"))
    {
        // A CIS Benchmark for Azure, not the CIS Controls.
        return format!("CIS-Azure ({s})");
    }
    if compact.contains("SOCTSP") || compact.contains("SOC2") {
        return "SOC2".to_string();
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_types_come_from_resource_ids() {
        assert_eq!(
            arm_type(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/a/databases/b"
            )
            .as_deref(),
            Some("Microsoft.Sql/servers/databases")
        );
        assert_eq!(
            arm_type(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Security/assessments/x"
            ),
            Some("Microsoft.Security/assessments".to_string())
        );
        assert_eq!(arm_type("/subscriptions/s"), None);
        assert_eq!(
            subscription_of("/subscriptions/abc/resourceGroups/x"),
            Some("abc")
        );
    }

    #[test]
    fn asset_types_come_from_resource_names() {
        assert_eq!(
            asset_type(
                "//storage.googleapis.com/my-bucket",
                Some("google.cloud.storage.Bucket")
            )
            .as_deref(),
            Some("storage.googleapis.com/Bucket")
        );
        assert_eq!(
            project_of("//compute.googleapis.com/projects/p1/zones/z/instances/i"),
            Some("p1")
        );
    }

    #[test]
    fn iso_2013_is_not_iso_2022() {
        assert_eq!(defender_standard_key("ISO-27001"), "ISO27001-2013");
        assert_eq!(defender_standard_key("ISO-IEC-27001-2022"), "ISO27001-2022");
        assert_eq!(defender_standard_key("PCI-DSS-4"), "PCI-4.0");
        assert_eq!(defender_standard_key("PCI-DSS-3.2.1"), "PCI-3.2.1");
        assert_eq!(
            defender_standard_key("Microsoft-cloud-security-benchmark"),
            "MCSB"
        );
        assert!(
            defender_standard_key("CIS Microsoft Azure Foundations Benchmark v2.0.0")
                .starts_with("CIS-")
        );
    }
}
