//! The results: one row per figure, printed beside the baseline and saved.

use std::path::Path;

pub(crate) struct Row {
    pub(crate) key: String,
    pub(crate) label: String,
    pub(crate) value: f64,
    pub(crate) unit: &'static str,
    pub(crate) goal: &'static str,
}

pub(crate) fn row(
    key: &str,
    label: &str,
    value: f64,
    unit: &'static str,
    goal: &'static str,
) -> Row {
    Row {
        key: key.to_string(),
        label: label.to_string(),
        value,
        unit,
        goal,
    }
}

/// The warnings and errors the service and workers logged, the first ones shown (their
/// log has a line per judged job besides).
pub(crate) fn report_stderr(log: &Path) {
    let stderr = std::fs::read_to_string(log).unwrap_or_default();
    let bad: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(" WARN ") || l.contains(" ERROR ") || l.starts_with("error"))
        .collect();
    if !bad.is_empty() {
        println!(
            "\nthe service and workers logged {} warnings or errors in {}, first ones:",
            bad.len(),
            log.display()
        );
        for line in bad.iter().take(5) {
            println!("  {line}");
        }
    }
}

pub(crate) fn print_table(rows: &[Row]) {
    let base = crate::common::baseline("serve-baseline.json");
    println!(
        "\n{:<50} {:>11} {:>11} {:>7}  goal",
        "measure", "value", "baseline", "x base"
    );
    for r in rows {
        let shown = |v: f64| match r.unit {
            "s" => format!("{v:.2} s"),
            _ => format!("{v:.1} {}", r.unit),
        };
        let (b, vs_base) = match base.get(&r.key) {
            Some(b) => (shown(*b), format!("{:.2}", r.value / b)),
            None => (String::new(), String::new()),
        };
        println!(
            "{:<50} {:>11} {:>11} {:>7}  {}",
            r.label,
            shown(r.value),
            b,
            vs_base,
            r.goal
        );
    }
}

pub(crate) fn save(rows: &[Row]) {
    crate::common::save(
        rows.iter().map(|r| (r.key.as_ref(), r.value)),
        "serve-latest.json",
        "serve-baseline.json",
    );
}
