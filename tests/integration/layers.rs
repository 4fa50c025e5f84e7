//! The map of the judge. The workspace's crates are its layers, and Cargo keeps each from
//! naming a crate that depends on it; this file checks the rest, read from the sources and
//! manifests so that a new `use` or dependency that breaks the map fails here and names
//! its line: each crate depends only on the crates below it; inside a crate whose folders
//! are layers (judge-core, the `judge` package) a folder imports only the folders below it;
//! and in every crate no two modules, nor two folders, import each other (directly or round
//! a longer loop).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A crate of the workspace: its package name, its folder, and the order of its top-level
/// modules (lowest first) when they are layers.
struct Crate {
    name: &'static str,
    dir: &'static str,
    layers: Option<&'static [&'static str]>,
}

/// The crates, lowest first. In judge-core, `runtime` is the solutions' own crate (compiled
/// into the engine only for its tests) and `error` gathers every phase's error type. In the
/// `judge` package, `error` adds the command line's own failures and only `cli` is above it.
/// judge-sandbox and judge-service have no order among their folders, only no loops.
const CRATES: &[Crate] = &[
    Crate {
        name: "judge-sandbox",
        dir: "crates/judge-sandbox",
        layers: None,
    },
    Crate {
        name: "judge-core",
        dir: "crates/judge-core",
        layers: Some(&[
            "runtime",
            "problem",
            "cache",
            "languages",
            "build",
            "report",
            "similarity",
            "judge",
            "authoring",
            "interview",
            "error",
        ]),
    },
    Crate {
        name: "judge-service",
        dir: "crates/judge-service",
        layers: None,
    },
    Crate {
        name: "judge",
        dir: ".",
        layers: Some(&["error", "cli"]),
    },
];

/// Modules of a crate root that belong to a layer under another name.
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

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn src(krate: &Crate) -> PathBuf {
    root().join(krate.dir).join("src")
}

/// Every module of a crate by path (`judge::runner`), with its file.
fn modules(krate: &Crate) -> BTreeMap<Vec<String>, PathBuf> {
    let src = src(krate);
    let mut found = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.insert(module_path(&src, &path), path);
            }
        }
    }
    found
}

fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
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
    // `runtime/judge_rt.rs` is the module `judge_rt` (lib.rs names it by path), and its test
    // files in `runtime/judge_rt/` are its submodules.
    if parts.first().map(String::as_str) == Some("runtime") {
        parts.remove(0);
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

fn rank(layers: &[&str], module: &[String]) -> usize {
    let top = module.first().map_or("", |s| layer_of_root_module(s));
    layers
        .iter()
        .position(|l| *l == top)
        .unwrap_or_else(|| panic!("module {} is in no layer of {layers:?}", module.join("::")))
}

/// Every import of a crate between two modules, resolved: (importer, imported, file, line).
fn edges_of(krate: &Crate) -> Vec<(Vec<String>, Vec<String>, PathBuf, usize)> {
    let modules = modules(krate);
    let mut edges = Vec::new();
    for (module, file) in &modules {
        for import in imports(file, module) {
            let target = resolve(&import.target, &modules);
            edges.push((module.clone(), target, file.clone(), import.line));
        }
    }
    edges
}

/// The `judge-*` crates a manifest names in any of its dependency tables.
fn workspace_dependencies(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let mut section = String::new();
    let mut found = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.trim_matches(['[', ']']).to_string();
        } else if section.ends_with("dependencies") && line.starts_with("judge-") {
            let name: String = line
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

#[test]
fn each_crate_depends_only_on_the_crates_below_it() {
    let rank_of = |name: &str| CRATES.iter().position(|c| c.name == name);
    let mut wrong = Vec::new();
    for (at, krate) in CRATES.iter().enumerate() {
        let manifest = root().join(krate.dir).join("Cargo.toml");
        for dependency in workspace_dependencies(&manifest) {
            match rank_of(&dependency) {
                Some(r) if r < at => {}
                Some(_) => wrong.push(format!(
                    "{}: {} depends on {dependency} (a higher crate)",
                    manifest.display(),
                    krate.name
                )),
                None => wrong.push(format!(
                    "{}: {dependency} is no crate of CRATES",
                    manifest.display()
                )),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The check reads what it should: judge-core names judge-sandbox.
    let core = root().join("crates/judge-core/Cargo.toml");
    assert!(workspace_dependencies(&core).contains(&"judge-sandbox".to_string()));
}

#[test]
fn each_layer_imports_only_the_layers_below_it() {
    let mut wrong = Vec::new();
    for krate in CRATES {
        let Some(layers) = krate.layers else {
            continue;
        };
        for (module, target, file, line) in edges_of(krate) {
            // The crate root wires the layers together; a path into it names no layer.
            if module.is_empty() || target.is_empty() {
                continue;
            }
            if rank(layers, &target) > rank(layers, &module) {
                wrong.push(format!(
                    "{}:{line}: {} imports {} (a higher layer; {} has {layers:?}, lowest first)",
                    file.strip_prefix(root()).unwrap().display(),
                    module.join("::"),
                    target.join("::"),
                    krate.name
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_two_modules_import_each_other() {
    let mut cycles = Vec::new();
    for krate in CRATES {
        let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
        for (module, target, _, _) in edges_of(krate) {
            // A module and its own submodules are one unit: a mod.rs declares its children
            // and they use its items.
            let related = target.starts_with(&module) || module.starts_with(&target);
            if !related {
                edges.entry(module).or_default().insert(target);
            }
        }
        cycles.extend(
            find_cycles(&edges)
                .into_iter()
                .map(|c| format!("{}: {c}", krate.name)),
        );
    }
    assert!(
        cycles.is_empty(),
        "import cycles between modules:\n{}",
        cycles.join("\n")
    );
}

/// Each import as one between the top-level modules (folders, or files at the top) of its
/// crate, leaving out the root (it declares them all) and imports within one folder.
fn folder_edges(
    edges: impl IntoIterator<Item = (Vec<String>, Vec<String>)>,
) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut folders: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, target) in edges {
        let (Some(from), Some(to)) = (module.first(), target.first()) else {
            continue;
        };
        if from != to {
            folders
                .entry(vec![from.clone()])
                .or_default()
                .insert(vec![to.clone()]);
        }
    }
    folders
}

#[test]
fn no_two_folders_import_each_other() {
    let mut cycles = Vec::new();
    for krate in CRATES {
        let edges = edges_of(krate).into_iter().map(|(m, t, _, _)| (m, t));
        cycles.extend(
            find_cycles(&folder_edges(edges))
                .into_iter()
                .map(|c| format!("{}: {c}", krate.name)),
        );
    }
    assert!(
        cycles.is_empty(),
        "import cycles between folders (a module of one naming a module of the other):\n{}",
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

fn path(text: &str) -> Vec<String> {
    text.split("::").map(String::from).collect()
}

#[test]
fn the_layer_check_sees_a_forbidden_import() {
    // The checks must be able to fail: a problem module naming the judge is caught.
    let core = &CRATES[1];
    let layers = core.layers.unwrap();
    let target = resolve(&path("judge::Engine"), &modules(core));
    assert_eq!(target, path("judge"));
    assert!(rank(layers, &target) > rank(layers, &path("problem")));
    let mut edges = BTreeMap::new();
    edges.insert(path("a"), BTreeSet::from([path("b")]));
    edges.insert(path("b"), BTreeSet::from([path("a")]));
    assert_eq!(find_cycles(&edges).len(), 2);
    // Two folders whose modules import each other, none of them the same module: a loop of
    // folders though no two modules loop.
    let folders = folder_edges([
        (path("api"), path("web::session")),
        (path("web::pages"), path("api")),
        (path("web::pages"), path("web")),
        (Vec::new(), path("api")),
    ]);
    assert_eq!(
        find_cycles(&folders),
        vec!["api -> web -> api", "web -> api -> web"]
    );
}
