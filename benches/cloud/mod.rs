//! Benchmark case: a million Microsoft Defender for Cloud findings as the portal's CSV
//! export (`--defender` runs this case alone). The file has the export's 22 columns, a
//! byte-order mark, CRLF line ends and a `controls` cell of JSON naming secure score and
//! Microsoft cloud security benchmark controls; 250 recommendations on 4,000 resources.
//! The floor is the `csv` crate reading every record of the same file; the bound is
//! Prowler's: build within 1.5x of the floor plus the outputs, peak memory under 300 MB.

use super::common::{run_child, seconds};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

const RECOMMENDATIONS: usize = 250;

const HEADER: &str = "subscriptionId,subscriptionName,resourceGroup,resourceType,resourceName,resourceId,recommendationId,recommendationName,recommendationDisplayName,description,remediationSteps,severity,state,notApplicableReason,firstEvaluationDate,statusChangeDate,controls,azurePortalRecommendationLink,nativeCloudAccountId,tactics,techniques,cloud";

/// The controls cell of a recommendation: a secure score control and a benchmark id.
fn controls(recommendation: usize) -> String {
    const SECURE: [&str; 6] = [
        "Enable MFA",
        "Secure management ports",
        "Encrypt data in transit",
        "Apply system updates",
        "Enable auditing and logging",
        "Remediate security configurations",
    ];
    const MCSB: [&str; 8] = [
        "NS-2", "IM-6", "DP-3", "DP-4", "LT-3", "PV-6", "ES-2", "BR-1",
    ];
    format!(
        "\"[\"\"{}\"\", \"\"{}\"\"]\"",
        SECURE[recommendation % 6],
        MCSB[recommendation % 8]
    )
}

fn state(i: usize) -> &'static str {
    match i % 20 {
        0..=2 => "Unhealthy",
        3 => "NotApplicable",
        _ => "Healthy",
    }
}

pub fn write_defender_csv(path: &Path, findings: usize, resources: usize) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    out.write_all(b"\xEF\xBB\xBF")?;
    write!(out, "{HEADER}\r\n")?;
    let cells: Vec<String> = (0..RECOMMENDATIONS).map(controls).collect();
    let subscription = "00000000-0000-0000-0000-00000000beef";
    for i in 0..findings {
        let rec = i % RECOMMENDATIONS;
        let resource = (i / RECOMMENDATIONS) % resources;
        let severity = ["Low", "Medium", "High"][rec % 3];
        write!(
            out,
            "{subscription},Production,rg-{},Microsoft.Compute/virtualMachines,vm{resource},/subscriptions/{subscription}/resourceGroups/rg-{}/providers/Microsoft.Compute/virtualMachines/vm{resource},{rec:08x}-0000-4000-8000-000000000000,Recommendation{rec},Recommendation {rec} should be met on your machines,\"Checks that setting {rec} is on, for every machine in the subscription.\",Turn setting {rec} on through policy and keep it on.,{severity},{},,2026-08-01T00:00:00Z,2026-09-{:02}T08:30:00Z,{},https://portal.azure.com/#view/Microsoft_Azure_Security/GenericRecommendationDetailsBlade/assessmentKey/{rec:08x},,[],[],Azure\r\n",
            resource % 40,
            resource % 40,
            state(i / 7),
            1 + (i / (RECOMMENDATIONS * resources)) % 28,
            cells[rec],
        )?;
    }
    out.flush()
}

/// The floor: every record of the export read by the `csv` crate, nothing else.
pub fn floor(path: &Path) -> u64 {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .expect("scan file");
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    while reader.read_byte_record(&mut record).expect("record") {
        rows += 1;
    }
    rows
}

/// Generate the export, then measure the floor, ingest with outputs, and the build.
pub fn run(root: &Path, findings: usize, resources: usize) {
    let dir = root.join("defender");
    std::fs::create_dir_all(&dir).expect("project folder");
    std::fs::write(
        dir.join("audit.toml"),
        super::AUDIT_TOML.replace("scan.FORMAT", "defender.csv"),
    )
    .expect("audit.toml");
    let file = dir.join("defender.csv");
    let t = Instant::now();
    write_defender_csv(&file, findings, resources).expect("generate Defender CSV");
    println!(
        "generated {findings} Defender findings ({RECOMMENDATIONS} recommendations on {resources} resources) in {:.1} s: {} MB",
        t.elapsed().as_secs_f64(),
        std::fs::metadata(&file).map_or(0, |m| m.len()) / (1 << 20)
    );
    let floor = run_child("floor-defender", &file);
    let ingest = run_child("ingest", &dir);
    let build = run_child("build", &dir);
    for (name, results) in [
        ("bare csv read, Defender", &floor),
        ("auditpack, Defender CSV", &ingest),
        ("auditpack build, Defender", &build),
    ] {
        for (step, secs, memory) in results {
            println!("{name:26} {step:8} {secs:8.3} s   peak {memory}");
        }
    }
    let floor_s = seconds(&floor, "floor");
    let outputs_s = seconds(&ingest, "outputs");
    println!(
        "Defender: ingest / floor = {:.2}; build / (floor + outputs) = {:.2} (target under 1.5)",
        seconds(&ingest, "ingest") / floor_s,
        seconds(&build, "build") / (floor_s + outputs_s)
    );
}
