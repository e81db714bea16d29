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
        "customer: touches only operating system, the service's application software, devices: the organization's own, and the customer's for EC2"
    );
}

#[test]
fn paas_makes_os_patching_the_providers() {
    let s = derived(&[("aws", "rds", "phi")], "");
    let malware = control(&s, "hipaa", "164.308(a)(5)(ii)(B)");
    assert_eq!(malware["responsibility"], "shared");
    assert_eq!(
        malware["rationale"],
        "shared: operating system: AWS for all; the service's application software: shared with AWS for all; devices: customer (the organization itself)"
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
        rationale.contains("accounts and identities: customer (the organization itself)"),
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

// The worked cases of the README's "How responsibility is derived".

/// A project of `frameworks` over `inventory` (provider, service, tag) and `extra` settings.
fn project_of(frameworks: &str, inventory: &[(&str, &str, &str)], extra: &str) -> Project {
    let project = Project::empty();
    project.write("audit.toml", audit_toml(frameworks, inventory, extra));
    project
}

const CLINIC: &str = "[[sites]]\nname = \"Northside clinic\"\nkind = \"clinic\"\nholds = [\"workstations\", \"paper-records\"]\ntags = [\"phi\"]\n";

#[test]
fn a_clinic_owns_its_physical_safeguards() {
    let s = derived(&[("aws", "ec2", "phi")], CLINIC);
    for id in ["164.310(a)(1)", "164.310(a)(2)(ii)", "164.310(a)(2)(iii)"] {
        let facility = control(&s, "hipaa", id);
        assert_eq!(facility["responsibility"], "shared", "{id}");
        assert_eq!(
            facility["rationale"],
            "shared: physical datacenter: AWS for EC2, customer for Northside clinic",
            "{id}"
        );
    }
    // A clinic with no cloud at all: its facility is wholly the customer's.
    let project = project_of("\"hipaa\"", &[], CLINIC);
    let s = snapshot(&project.build());
    let facility = control(&s, "hipaa", "164.310(a)(1)");
    assert_eq!(facility["responsibility"], "customer");
    assert_eq!(
        facility["rationale"],
        "customer: touches only physical datacenter, which the customer owns for Northside clinic"
    );
    // A colocation cage: the operator secures the building, the customer who
    // may enter its cage; the racks are the customer's.
    let cage = "[[sites]]\nname = \"Cage 12\"\nkind = \"colocation\"\noperator = \"Equinix\"\ntags = [\"phi\"]\n";
    let s = snapshot(&project_of("\"hipaa\"", &[], cage).build());
    let facility = control(&s, "hipaa", "164.310(a)(1)");
    assert_eq!(facility["responsibility"], "shared");
    assert_eq!(
        facility["rationale"],
        "shared: physical datacenter: shared with Equinix for all"
    );
    assert_eq!(facility["status"], "missing");
}

#[test]
fn a_managed_services_only_cardholder_environment_inherits_none_of_the_customers_software() {
    let estate = [
        ("aws", "s3", "cde"),
        ("aws", "dynamodb", "cde"),
        ("aws", "kms", "cde"),
        ("aws", "iam", "cde"),
    ];
    let s = snapshot(&project_of("\"pci-dss\"", &estate, "").build());
    for id in [
        "6.2.1", "6.2.3", "6.2.4", "6.3.3", "6.4.3", "2.2.1", "2.2.2", "2.2.6",
    ] {
        let c = control(&s, "pci-dss", id);
        assert_ne!(
            c["responsibility"], "inherited",
            "PCI {id}: {}",
            c["rationale"]
        );
        assert!(
            c["rationale"]
                .as_str()
                .unwrap()
                .contains("customer (the organization itself)")
                || c["rationale"].as_str().unwrap().starts_with("customer"),
            "PCI {id}: {}",
            c["rationale"]
        );
    }
    assert_eq!(
        control(&s, "pci-dss", "6.2.4")["rationale"],
        "customer: touches only the customer's own software and its delivery, the organization's own whatever services it uses"
    );
}

#[test]
fn a_scope_tag_nothing_carries_is_an_error_naming_it() {
    let project = project_of("\"hipaa\"", &[("aws", "ec2", "pih")], "");
    for args in [
        &["validate", "{}"][..],
        &["build", "{}", "--out", "{}/pkg"][..],
    ] {
        let run = project.run(args);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert_ne!(run.code, 0, "{all}");
        assert!(
            all.contains("HIPAA Security Rule applies to what carries the scope tag \"phi\", and none of ec2-workload (pih) does"),
            "{all}"
        );
    }
    assert!(!project.path().join("pkg").exists());
}

#[test]
fn microsoft_365_never_makes_workstations_shared() {
    let s = derived(
        &[("azure", "microsoft-365", "phi"), ("aws", "ec2", "phi")],
        "",
    );
    for id in ["164.310(b)", "164.310(c)"] {
        let c = control(&s, "hipaa", id);
        assert_eq!(c["responsibility"], "customer", "{id}");
        assert_eq!(
            c["rationale"],
            "customer: touches only devices, the organization's own whatever services it uses"
        );
    }
}

#[test]
fn eks_workloads_are_the_customers_and_its_control_plane_inherited() {
    let project = project_of("\"k8s\"", &[("aws", "eks", "prod")], "");
    project.write(
        "frameworks/k8s.toml",
        r#"id = "k8s"
name = "Cluster baseline"
version = "1"
publisher = "Test"
prefixes = ["K8S"]
source = "test"

[[families]]
id = "K"
name = "Cluster"
layers = ["orchestration-workloads"]

[[controls]]
id = "K.1"
title = "Pod security standards enforced"
family = "K"
description = "Admission refuses privileged pods."
layers = ["orchestration-workloads"]

[[controls]]
id = "K.2"
title = "Control plane patched"
family = "K"
description = "The API server runs a supported, patched version."
layers = ["orchestration-control-plane"]
layers_reason = "The control plane itself."

[[controls]]
id = "K.3"
title = "Node images current"
family = "K"
description = "Nodes run a current image."
layers = ["orchestration-nodes"]
layers_reason = "The nodes."
"#,
    );
    let s = snapshot(&project.build());
    let pods = control(&s, "k8s", "K.1");
    assert_eq!(pods["responsibility"], "customer");
    let plane = control(&s, "k8s", "K.2");
    assert_eq!(plane["responsibility"], "inherited");
    assert_eq!(
        plane["rationale"],
        "inherited: touches only container orchestration control plane; AWS owns it for EKS"
    );
    assert_eq!(control(&s, "k8s", "K.3")["responsibility"], "customer");
}

#[test]
fn the_incident_response_plan_is_the_customers() {
    let s = snapshot(
        &project_of(
            "\"hipaa\", \"pci-dss\"",
            &[("aws", "rds", "phi"), ("aws", "s3", "cde")],
            "",
        )
        .build(),
    );
    for (framework, id) in [("pci-dss", "12.10.1"), ("hipaa", "164.308(a)(6)(ii)")] {
        let c = control(&s, framework, id);
        assert_eq!(
            c["responsibility"], "customer",
            "{framework} {id}: {}",
            c["rationale"]
        );
    }
}

#[test]
fn controls_of_governance_apply_with_no_services_at_all() {
    // HIPAA for a practice with a clinic and no cloud: its risk analysis still applies.
    let s = snapshot(&project_of("\"hipaa\"", &[], CLINIC).build());
    let risk = control(&s, "hipaa", "164.308(a)(1)(ii)(A)");
    assert_eq!(risk["responsibility"], "customer");
    assert_ne!(risk["status"], "not-applicable");
    // ISO 27001 with nothing in the inventory: governance applies, datacenters do not.
    let s = snapshot(&project_of("\"iso27001\"", &[], "").build());
    assert_eq!(
        control(&s, "iso27001", "A.5.1")["responsibility"],
        "customer"
    );
    let facility = control(&s, "iso27001", "A.7.1");
    assert_eq!(facility["status"], "not-applicable");
    assert!(
        facility["status_reason"]
            .as_str()
            .unwrap()
            .starts_with("not applicable: no service or site in scope has physical"),
        "{}",
        facility["status_reason"]
    );
}
