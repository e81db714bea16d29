//! Derivation: responsibility follows the layers a control touches and who owns them per service.

use crate::common::{Project, audit_toml, control, snapshot};

fn derived(inventory: &[(&str, &str, &str)], extra: &str) -> serde_json::Value {
    let project = Project::empty();
    project.write("audit.toml", audit_toml("\"hipaa\"", inventory, extra));
    snapshot(&project.build())
}

#[test]
fn iaas_leaves_the_guest_os_to_the_customer_and_inherits_the_datacenter() {
    let s = derived(&[("aws", "ec2", "phi")], "");
    let facility = control(&s, "hipaa", "164.310(a)(1)");
    assert_eq!(facility["responsibility"], "inherited");
    assert_eq!(
        facility["rationale"],
        "inherited: touches only physical datacenter; AWS owns it for EC2"
    );
    let malware = control(&s, "hipaa", "164.308(a)(5)(ii)(B)");
    assert_eq!(malware["responsibility"], "customer");
    assert_eq!(
        malware["rationale"],
        "customer: touches only operating system, applications, devices, which the customer owns for every in-scope service"
    );
}

#[test]
fn paas_makes_os_patching_the_providers() {
    let s = derived(&[("aws", "rds", "phi")], "");
    let malware = control(&s, "hipaa", "164.308(a)(5)(ii)(B)");
    assert_eq!(malware["responsibility"], "shared");
    assert_eq!(
        malware["rationale"],
        "shared: operating system: AWS for all; applications: shared with AWS for all; devices: customer for all"
    );
}

#[test]
fn saas_leaves_accounts_with_the_customer() {
    let s = derived(&[("gcp", "workspace", "phi")], "");
    let logoff = control(&s, "hipaa", "164.312(a)(2)(iii)");
    assert_eq!(logoff["responsibility"], "shared");
    let rationale = logoff["rationale"].as_str().unwrap();
    assert!(rationale.starts_with("shared: "), "{rationale}");
    assert!(
        rationale.contains("accounts and identities: customer for all"),
        "{rationale}"
    );
    let facility = control(&s, "hipaa", "164.310(a)(1)");
    assert_eq!(facility["responsibility"], "inherited");
}

#[test]
fn mixed_estates_name_each_service_owner() {
    let s = derived(&[("aws", "ec2", "phi"), ("aws", "rds", "phi")], "");
    let malware = control(&s, "hipaa", "164.308(a)(5)(ii)(B)");
    assert_eq!(malware["responsibility"], "shared");
    let rationale = malware["rationale"].as_str().unwrap();
    assert!(
        rationale.contains("operating system: customer for EC2, AWS for RDS"),
        "{rationale}"
    );
    let facility = control(&s, "hipaa", "164.310(a)(1)");
    assert_eq!(
        facility["rationale"],
        "inherited: touches only physical datacenter; AWS owns it for EC2, RDS"
    );
}

#[test]
fn services_without_the_scope_tag_do_not_count() {
    let s = derived(&[("aws", "ec2", "phi"), ("aws", "rds", "internal")], "");
    let facility = control(&s, "hipaa", "164.310(a)(1)");
    assert_eq!(
        facility["rationale"],
        "inherited: touches only physical datacenter; AWS owns it for EC2"
    );
    let none = derived(&[("aws", "ec2", "internal")], "");
    let facility = control(&none, "hipaa", "164.310(a)(1)");
    assert_eq!(facility["status"], "not-applicable");
    assert!(
        facility["status_reason"]
            .as_str()
            .unwrap()
            .contains("scope tag \"phi\"")
    );
}

#[test]
fn a_pin_overrides_the_derivation_and_keeps_its_reason() {
    let pin = "[[pins]]\ncontrol = \"hipaa:164.310(a)(1)\"\nresponsibility = \"shared\"\nreason = \"we also run an on-site records room\"\n";
    let s = derived(&[("aws", "ec2", "phi")], pin);
    let facility = control(&s, "hipaa", "164.310(a)(1)");
    assert_eq!(facility["responsibility"], "shared");
    assert_eq!(facility["pinned"], true);
    assert_eq!(
        facility["rationale"],
        "pinned to shared: we also run an on-site records room (derived inherited: touches only physical datacenter; AWS owns it for EC2)"
    );
}
