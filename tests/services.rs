//! Provider service coverage: the shipped catalogs, `frameworks show --services`,
//! and services a project declares in `audit.toml` because the catalog lacks them.

use crate::common::{Project, audit_toml, pdf_text, snapshot};
use auditpack::model::layer::ServiceModel;
use auditpack::model::provider::{INFERENCE, IdKind, ServiceCategory};
use std::collections::BTreeMap;

fn library() -> auditpack::model::library::Library {
    match auditpack::load::library::load_library(None) {
        Ok(library) => library,
        Err(e) => panic!("the shipped library does not load: {e}"),
    }
}

#[test]
fn every_provider_covers_at_least_45_services_each_with_its_model_note_sourced_overrides_and_ids() {
    let library = library();
    let mut problems = Vec::new();
    for id in ["aws", "azure", "gcp"] {
        let provider = library.provider(id).unwrap();
        assert!(
            provider.services.len() >= 45,
            "{id} covers {} services",
            provider.services.len()
        );
        assert_eq!(provider.check(), Vec::<String>::new(), "{id}");
        let known =
            |source: &str| source == INFERENCE || provider.sources.iter().any(|s| s.id == source);
        for service in &provider.services {
            let name = format!("{id} {}", service.id);
            if service
                .note
                .as_deref()
                .unwrap_or_default()
                .split_whitespace()
                .count()
                < 8
            {
                problems.push(format!("{name}: no note saying what the customer owns"));
            }
            if service.name.trim().is_empty() {
                problems.push(format!("{name}: no name"));
            }
            for o in &service.overrides {
                match o.source.as_deref() {
                    Some(source) if known(source) => {}
                    other => problems.push(format!(
                        "{name} {}: source {other:?} is not in [[sources]]",
                        o.layer.id()
                    )),
                }
                if o.reason.split_whitespace().count() < 6 {
                    problems.push(format!("{name} {}: no reasoning", o.layer.id()));
                }
            }
            if id == "aws" {
                match service.category {
                    Some(c) if c.model() == service.model => {}
                    other => problems.push(format!("{name}: category {other:?}")),
                }
            } else if service.category.is_some() {
                problems.push(format!("{name}: AWS's categories are AWS's"));
            }
        }
        // One id names one service, whatever its spelling.
        for kind in IdKind::ALL {
            let mut owners: BTreeMap<String, &str> = BTreeMap::new();
            for service in &provider.services {
                for other in service.ids.of(kind) {
                    if let Some(first) = owners.insert(other.to_lowercase(), &service.id) {
                        problems.push(format!(
                            "{id} {} {other}: {first} and {}",
                            kind.name(),
                            service.id
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_services_new_users_reached_for_are_in_the_catalog_with_the_ids_their_tools_use() {
    let library = library();
    let aws = library.provider("aws").unwrap();
    for (service, model) in [
        ("ecs-ec2", ServiceModel::Paas),
        ("cloudfront", ServiceModel::Paas),
        ("api-gateway", ServiceModel::Paas),
        ("elasticache", ServiceModel::Paas),
        ("vpn", ServiceModel::Iaas),
    ] {
        assert_eq!(
            aws.service(service).map(|s| s.model),
            Some(model),
            "{service}"
        );
    }
    let owner = |p: &str, kind, id| {
        library
            .provider(p)
            .unwrap()
            .service_for(kind, id)
            .map(|s| s.id.clone())
    };
    assert_eq!(
        owner("aws", IdKind::Terraform, "aws_cloudfront_distribution").as_deref(),
        Some("cloudfront")
    );
    assert_eq!(
        owner("aws", IdKind::Asff, "AwsApiGatewayV2Api").as_deref(),
        Some("api-gateway")
    );
    assert_eq!(
        owner("aws", IdKind::Prowler, "elasticache").as_deref(),
        Some("elasticache")
    );
    assert_eq!(
        owner("aws", IdKind::Prowler, "kafka").as_deref(),
        Some("msk")
    );
    assert_eq!(
        owner("azure", IdKind::Terraform, "azurerm_redis_cache").as_deref(),
        Some("cache-for-redis")
    );
    assert_eq!(
        owner("azure", IdKind::Arm, "microsoft.apimanagement/service").as_deref(),
        Some("api-management")
    );
    assert_eq!(
        owner("gcp", IdKind::Terraform, "google_redis_instance").as_deref(),
        Some("memorystore")
    );
    assert_eq!(
        owner("gcp", IdKind::Terraform, "google_compute_router_nat").as_deref(),
        Some("cloud-nat")
    );
    // ECS on EC2 owns the instances: their OS is the customer's, unlike Fargate's.
    let os = |s: &str| {
        aws.owner(
            aws.service(s).unwrap(),
            auditpack::model::layer::Layer::OperatingSystem,
        )
    };
    assert_eq!(
        os("ecs-ec2"),
        Some(auditpack::model::layer::Owner::Customer)
    );
    assert_eq!(
        os("ecs-fargate"),
        Some(auditpack::model::layer::Owner::Provider)
    );
    assert_eq!(
        aws.service("ec2").unwrap().category,
        Some(ServiceCategory::Infrastructure)
    );
}

#[test]
fn a_project_with_ecs_on_ec2_cloudfront_api_gateway_and_elasticache_builds() {
    let project = Project::empty();
    project.write(
        "audit.toml",
        audit_toml(
            "\"soc2\"",
            &[
                ("aws", "ecs-ec2", "soc2"),
                ("aws", "cloudfront", "soc2"),
                ("aws", "api-gateway", "soc2"),
                ("aws", "elasticache", "soc2"),
            ],
            "",
        ),
    );
    let package = project.build();
    let snap = snapshot(&package);
    let services: Vec<&str> = snap["inventory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["service"].as_str().unwrap())
        .collect();
    assert_eq!(
        services,
        ["ecs-ec2", "cloudfront", "api-gateway", "elasticache"]
    );
}

const DECLARED: &str = r#"
[[services]]
provider = "aws"
id = "transfer-family"
name = "AWS Transfer Family"
model = "paas"
category = "abstracted"
reason = "We run SFTP endpoints for partners"
ids = { prowler = ["transfer"] }
overrides = [
  { layer = "applications", owner = "provider", reason = "No code of ours runs inside the SFTP service" },
  { layer = "runtime", owner = "provider", reason = "AWS patches the SFTP servers", source = "AWS Transfer Family User Guide, Security" },
]
"#;

#[test]
fn a_declared_service_builds_and_the_package_shows_it_was_declared_and_why() {
    let project = Project::empty();
    project.write(
        "audit.toml",
        audit_toml("\"soc2\"", &[("aws", "transfer-family", "soc2")], DECLARED),
    );
    let package = project.build();
    let text = pdf_text(&package.join("audit-package.pdf"));
    for expected in [
        "Transfer Family (declared by the project)",
        "declared by the project in audit.toml, not in auditpack's catalog: We run SFTP endpoints for partners",
        "AWS Transfer Family User Guide, Security (cited by the project in audit.toml)",
    ] {
        assert!(
            text.contains(expected),
            "missing {expected:?} in the PDF:\n{text}"
        );
    }
    let workbook_path = package.join("audit-workbook.xlsx");
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&workbook_path).unwrap();
    let matrix = calamine::Reader::worksheet_range(&mut workbook, "Responsibility matrix").unwrap();
    assert!(
        matrix
            .rows()
            .any(|r| r[2]
                == calamine::Data::String("Transfer Family (declared by the project)".into())),
        "the workbook's matrix marks the declared service"
    );
    let listed = project.run(&[
        "frameworks",
        "show",
        "aws",
        "--services",
        "--format",
        "json",
        "--project",
        "{}",
    ]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let json: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    let declared = json["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "transfer-family")
        .expect("the declared service is listed");
    assert_eq!(declared["declared"], "We run SFTP endpoints for partners");
    assert_eq!(
        declared["overrides"][0]["source"],
        "audit.toml:transfer-family"
    );
}

#[test]
fn a_declared_service_may_not_give_away_an_organizational_layer_nor_reuse_a_shipped_id() {
    let project = Project::empty();
    let bad = r#"
[[services]]
provider = "aws"
id = "transfer-family"
name = "AWS Transfer Family"
model = "paas"
reason = "SFTP"
ids = { prowler = ["rds"] }
overrides = [
  { layer = "data", owner = "provider", reason = "AWS keeps the files" },
  { layer = "aplications", owner = "provider", reason = "typo" },
]

[[services]]
provider = "aws"
id = "cloudfront"
name = "Our CloudFront"
model = "paas"
reason = "duplicate"
"#;
    project.write(
        "audit.toml",
        audit_toml(
            "\"soc2\"",
            &[("aws", "ec2", "soc2"), ("aws", "transfer-family", "soc2")],
            bad,
        ),
    );
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for expected in [
        "cannot give data (information and data) to the provider: it is the organization's own",
        "unknown layer \"aplications\"; did you mean \"applications\"?",
        "names prowler id rds, which belongs to rds",
        "service \"cloudfront\" is already in auditpack's AWS catalog",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing {expected:?} in:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("audit.toml:"),
        "errors name the file and line: {}",
        run.stderr
    );
    assert!(
        !run.stderr
            .contains("unknown AWS service \"transfer-family\""),
        "a refused declaration is reported once, not again where the inventory names it: {}",
        run.stderr
    );
}

#[test]
fn an_unknown_service_says_how_to_declare_one_beside_the_suggestion() {
    let project = Project::empty();
    project.write(
        "audit.toml",
        audit_toml("\"soc2\"", &[("aws", "cloudfrnt", "soc2")], ""),
    );
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("unknown AWS service \"cloudfrnt\"; did you mean \"cloudfront\"?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("can be declared in audit.toml with [[services]] provider = \"aws\", id, name, model and reason"),
        "{}",
        run.stderr
    );
}

#[test]
fn frameworks_show_lists_every_service_with_model_category_overrides_and_sources() {
    let project = Project::empty();
    let run = project.run(&["frameworks", "show", "aws", "--services"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let library = library();
    let aws = library.provider("aws").unwrap();
    for service in &aws.services {
        assert!(
            run.stdout
                .contains(&format!("\n{}  {}  [", service.id, service.name)),
            "{} is not listed",
            service.id
        );
    }
    assert!(
        run.stdout
            .contains("ecs-ec2  Amazon ECS on Amazon EC2  [PaaS, container]")
    );
    assert!(
        run.stdout
            .contains("  operating-system: customer [ecs-shared-model]")
    );
    assert!(
        run.stdout
            .contains("  [ecs-shared-model] Amazon ECS Developer Guide")
    );
    let csv = project.run(&["frameworks", "show", "gcp", "--services", "--format", "csv"]);
    let rows = csv.stdout.lines().count();
    assert_eq!(
        rows,
        library.provider("gcp").unwrap().services.len() + 1,
        "a header and a row per service"
    );
    // What a report's published scope lists, and what is left unattested until checked.
    let json = project.run(&[
        "frameworks",
        "show",
        "aws",
        "--services",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let attested = |id: &str| {
        json["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()["attested_by"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(attested("cloudfront").contains(&"soc2-type2".to_string()));
    assert!(attested("app-runner").is_empty(), "left out until checked");
    assert!(
        run.stdout
            .contains("app-runner  AWS App Runner  [PaaS, abstracted]")
    );
    let unknown = project.run(&["frameworks", "show", "awz", "--services"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean \"aws\""),
        "{}",
        unknown.stderr
    );
}

#[test]
fn a_provider_model_is_refused_when_a_category_contradicts_its_model_or_a_report_names_an_undefined_service()
 {
    let mut aws = library().provider("aws").unwrap().clone();
    let s3 = aws.services.iter_mut().find(|s| s.id == "s3").unwrap();
    s3.category = Some(ServiceCategory::Infrastructure);
    aws.attestations[0].services.push("route-66".to_string());
    let problems = aws.check();
    assert!(
        problems.contains(
            &"service s3 is in the infrastructure category, which is IaaS, but its model is PaaS"
                .to_string()
        ),
        "{problems:?}"
    );
    assert!(
        problems.contains(
            &"attestation soc1-type2 lists service route-66, which is not defined".to_string()
        ),
        "{problems:?}"
    );
}
