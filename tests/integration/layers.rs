//! The module tree is the map of the judge: each top-level folder of `src/` is a layer that
//! imports only the layers below it, and no two modules import each other (directly or
//! round a longer loop). Read from the sources, so that a new `use` that breaks the map fails
//! here and names the line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. `runtime` is the solutions' own crate (compiled into the
/// judge only for its tests); `error` gathers every phase's error type for the front ends,
/// so only `cli` is above it.
const LAYERS: &[&str] = &[
    "runtime",
    "sandbox",
    "problem",
    "cache",
    "languages",
    "build",
    "report",
    "similarity",
    "judge",
    "authoring",
    "interview",
    "service",
    "error",
    "cli",
];

/// Modules of the crate root (lib.rs) that belong to a layer under another name.
fn layer_of_root_module(name: &str) -> &str {
    match name {
        "judge_rt" => "runtime",
        other => other,
    }
}

/// One `crate::` or `super::` path found in a file, with its line for the message.
struct Import {
    line: usize,
    target: Vec<String>,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every module of the crate by path (`judge::runner`), with its file.
fn modules() -> BTreeMap<Vec<String>, PathBuf> {
    let mut found = BTreeMap::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.insert(module_path(&path), path);
            }
        }
    }
    found
}

fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    if parts.first().map(String::as_str) == Some("runtime") {
        parts = vec!["judge_rt".to_string()];
    }
    parts
}

/// The `crate::a::b` and `super::x` paths a file names, outside comments. A `use` group
/// (`crate::a::{b, c}`) names its prefix, which is enough to place it.
fn imports(file: &Path, module: &[String]) -> Vec<Import> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for start in ["crate::", "super::"] {
            let mut rest = code;
            while let Some(at) = rest.find(start) {
                let before = rest[..at].chars().last();
                let path_text = &rest[at..];
                rest = &rest[at + start.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                let mut segments: Vec<String> = path_text
                    .split("::")
                    .map(|s| {
                        s.chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect::<String>()
                    })
                    .take_while(|s| !s.is_empty())
                    .collect();
                let target = if segments[0] == "crate" {
                    segments.remove(0);
                    segments
                } else {
                    // Counted from the file's module: right at its top level, and inside a
                    // `mod tests` it lands on an ancestor, which both checks treat as one unit.
                    let mut base = module.to_vec();
                    let supers = segments.iter().take_while(|s| *s == "super").count();
                    base.truncate(base.len().saturating_sub(supers));
                    base.extend(segments.into_iter().skip_while(|s| s == "super"));
                    base
                };
                found.push(Import {
                    line: n + 1,
                    target,
                });
            }
        }
    }
    found
}

/// The longest module path that `target` starts with.
fn resolve(target: &[String], modules: &BTreeMap<Vec<String>, PathBuf>) -> Vec<String> {
    (0..=target.len())
        .rev()
        .map(|n| target[..n].to_vec())
        .find(|p| modules.contains_key(p))
        .unwrap_or_default()
}

fn rank(module: &[String]) -> usize {
    let top = module.first().map_or("", |s| layer_of_root_module(s));
    LAYERS
        .iter()
        .position(|l| *l == top)
        .unwrap_or_else(|| panic!("module {} is in no layer of LAYERS", module.join("::")))
}

#[test]
fn each_layer_imports_only_the_layers_below_it() {
    let modules = modules();
    let mut wrong = Vec::new();
    for (module, file) in &modules {
        if module.is_empty() {
            continue; // lib.rs wires the layers together
        }
        for import in imports(file, module) {
            let target = resolve(&import.target, &modules);
            if target.is_empty() {
                continue;
            }
            if rank(&target) > rank(module) {
                wrong.push(format!(
                    "{}:{}: {} imports {} (a higher layer)",
                    file.strip_prefix(src()).unwrap().display(),
                    import.line,
                    module.join("::"),
                    target.join("::")
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layers are {LAYERS:?}, lowest first:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_modules_import_each_other() {
    let modules = modules();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &modules {
        for import in imports(file, module) {
            let target = resolve(&import.target, &modules);
            // A module and its own submodules are one unit: a mod.rs declares its children
            // and they use its items.
            let related = target.starts_with(module) || module.starts_with(&target);
            if !related {
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    let cycles = find_cycles(&edges);
    assert!(
        cycles.is_empty(),
        "import cycles between modules:\n{}",
        cycles.join("\n")
    );
}

/// Every loop in the graph, as `a -> b -> a`, found by depth-first search.
fn find_cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<String> {
    let mut cycles = BTreeSet::new();
    for start in edges.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if next == start {
                    let mut names: Vec<String> = path.iter().map(|m| m.join("::")).collect();
                    names.push(start.join("::"));
                    cycles.insert(names.join(" -> "));
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    cycles.into_iter().collect()
}

#[test]
fn the_layer_check_sees_a_forbidden_import() {
    // The check must be able to fail: a problem module naming the judge is caught.
    let modules = modules();
    let target = resolve(&["judge".into(), "Engine".into()], &modules);
    assert_eq!(target, vec!["judge".to_string()]);
    assert!(rank(&target) > rank(&["problem".to_string()]));
    let mut edges = BTreeMap::new();
    edges.insert(
        vec!["a".to_string()],
        BTreeSet::from([vec!["b".to_string()]]),
    );
    edges.insert(
        vec!["b".to_string()],
        BTreeSet::from([vec!["a".to_string()]]),
    );
    assert_eq!(find_cycles(&edges).len(), 2);
}
