//! The map of the judge. The workspace's crates are its layers, and Cargo keeps each from
//! naming a crate that depends on it; this file checks the rest, read from the sources and
//! manifests so that a new `use` or dependency that breaks the map fails here and names
//! its line: each crate depends only on the crates below it; inside a crate whose folders
//! are layers (judge-core, the `judge` package) a folder imports only the folders below it;
//! and in every crate no two modules, nor two folders, import each other (directly or round
//! a longer loop).

mod paths;

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

/// One path into the crate found in a file, as a module path from the crate root, with its
/// line for the message.
struct Import {
    line: usize,
    target: Vec<String>,
    /// The name a `pub use` gives the target in the importing module (`*` for a glob).
    reexported_as: Option<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn src(krate: &Crate) -> PathBuf {
    root().join(krate.dir).join("src")
}

/// Every module of the crate whose sources are in `src`, by path (`judge::runner`), with
/// its file.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files
        .into_iter()
        .map(|path| (module_path(src, &path), path))
        .collect()
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

/// The paths into its own crate that the file of `module` names (`paths::named_paths`),
/// each as a module path from the crate root: `crate::` from the root, `super::` and
/// `self::` from where they are written (inside an inline `mod tests` too), and a `use`
/// that starts at a child module from the module. Paths into other crates are left out.
fn imports(
    file: &Path,
    module: &[String],
    modules: &BTreeMap<Vec<String>, PathBuf>,
) -> Vec<Import> {
    let text = std::fs::read_to_string(file).unwrap();
    paths::named_paths(&text)
        .into_iter()
        .filter_map(|named| {
            let mut base: Vec<String> = module.iter().chain(&named.inside).cloned().collect();
            let mut segments = named.segments.iter().peekable();
            match segments.peek().map(|s| s.as_str()) {
                Some("crate") => {
                    segments.next();
                    base.clear();
                }
                Some("super" | "self") => {
                    while let Some(s) = segments.next_if(|s| *s == "super" || *s == "self") {
                        if s == "super" {
                            base.pop();
                        }
                    }
                }
                Some(first) if named.in_use => {
                    let mut child = base.clone();
                    child.push(first.to_string());
                    if !modules.contains_key(&child) {
                        return None;
                    }
                }
                _ => return None,
            }
            base.extend(segments.cloned());
            Some(Import {
                line: named.line,
                target: base,
                reexported_as: named.reexported_as,
            })
        })
        .collect()
}

/// What a crate's modules re-export (`pub use`): a path through a module's re-export names
/// the module the item comes from, not the one that passes it on.
#[derive(Default)]
struct Reexports {
    /// `report::Report` -> `report::record::Report`.
    named: BTreeMap<Vec<String>, Vec<String>>,
    /// `report` -> `report::record` for `pub use record::*` in report/mod.rs.
    globs: BTreeMap<Vec<String>, Vec<Vec<String>>>,
    /// The names each module's file defines.
    defined: BTreeMap<Vec<String>, BTreeSet<String>>,
}

impl Reexports {
    fn of(imports: &[(Vec<String>, PathBuf, Vec<Import>)]) -> Reexports {
        let mut reexports = Reexports::default();
        for (module, file, found) in imports {
            let text = std::fs::read_to_string(file).unwrap();
            reexports
                .defined
                .insert(module.clone(), paths::defined_names(&text));
            for import in found {
                match import.reexported_as.as_deref() {
                    Some("*") => reexports
                        .globs
                        .entry(module.clone())
                        .or_default()
                        .push(import.target.clone()),
                    Some(name) => {
                        let mut key = module.clone();
                        key.push(name.to_string());
                        reexports.named.insert(key, import.target.clone());
                    }
                    None => {}
                }
            }
        }
        reexports
    }

    /// Where `name`, named in `module`, comes from when `module` re-exports it.
    fn source(&self, module: &[String], name: &str) -> Option<Vec<String>> {
        let mut key = module.to_vec();
        key.push(name.to_string());
        if let Some(target) = self.named.get(&key) {
            return Some(target.clone());
        }
        if self.defined.get(module).is_some_and(|d| d.contains(name)) {
            return None;
        }
        self.globs.get(module)?.iter().find_map(|glob| {
            let mut from = glob.clone();
            from.push(name.to_string());
            let defines = self.defined.get(glob).is_some_and(|d| d.contains(name));
            (defines || self.named.contains_key(&from)).then_some(from)
        })
    }
}

/// The module `target` names: the longest module path it starts with, followed through
/// the re-exports on its way.
fn resolve(
    target: &[String],
    modules: &BTreeMap<Vec<String>, PathBuf>,
    reexports: &Reexports,
) -> Vec<String> {
    let mut target = target.to_vec();
    // A re-export can pass on a re-export; a few steps reach the item (a loop of them
    // stops here).
    for _ in 0..8 {
        let module = longest_module(&target, modules);
        let Some(name) = target.get(module.len()) else {
            return module;
        };
        match reexports.source(&module, name) {
            Some(mut from) if from != target[..=module.len()] => {
                from.extend_from_slice(&target[module.len() + 1..]);
                target = from;
            }
            _ => return module,
        }
    }
    longest_module(&target, modules)
}

/// The longest module path that `target` starts with.
fn longest_module(target: &[String], modules: &BTreeMap<Vec<String>, PathBuf>) -> Vec<String> {
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
    edges_in(&src(krate))
}

/// `edges_of` the crate whose sources are in `src`.
fn edges_in(src: &Path) -> Vec<(Vec<String>, Vec<String>, PathBuf, usize)> {
    let modules = modules(src);
    let imports: Vec<(Vec<String>, PathBuf, Vec<Import>)> = modules
        .iter()
        .map(|(module, file)| {
            (
                module.clone(),
                file.clone(),
                imports(file, module, &modules),
            )
        })
        .collect();
    let reexports = Reexports::of(&imports);
    let mut edges = Vec::new();
    for (module, file, found) in imports {
        for import in found {
            let target = resolve(&import.target, &modules, &reexports);
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

/// Each import as one between two modules, leaving out those between a module and its own
/// submodules: they are one unit (a mod.rs declares its children and they use its items).
fn module_edges(edges: Vec<Edge>) -> Graph {
    let mut modules = Graph::new();
    for (module, target) in edges {
        let related = target.starts_with(&module) || module.starts_with(&target);
        if !related {
            modules.entry(module).or_default().insert(target);
        }
    }
    modules
}

/// An import graph: each module (or folder) and what it imports.
type Graph = BTreeMap<Vec<String>, BTreeSet<Vec<String>>>;

/// One import: (importer, imported), module paths from the crate root.
type Edge = (Vec<String>, Vec<String>);

/// Loops the code still has, each with the change that breaks it: the checks pass over
/// them (both ways round) and fail on any other loop, and fail once one of them is gone, so
/// that the list only shrinks.
const KNOWN_LOOPS: &[(&str, &str)] = &[];

/// Whether `found` is a loop of KNOWN_LOOPS, started at any of its modules.
fn is_known(found: &str) -> bool {
    let rotations = |text: &str| -> Vec<String> {
        let (krate, path) = text.split_once(": ").unwrap();
        let nodes: Vec<&str> = path.split(" -> ").collect();
        let ring = &nodes[..nodes.len() - 1];
        (0..ring.len())
            .map(|i| {
                let mut turned: Vec<&str> = ring[i..].iter().chain(&ring[..i]).copied().collect();
                turned.push(turned[0]);
                format!("{krate}: {}", turned.join(" -> "))
            })
            .collect()
    };
    KNOWN_LOOPS
        .iter()
        .any(|(known, _)| rotations(known).iter().any(|r| r == found))
}

/// The loops of the graph `graph` makes of each crate's imports, each named by its crate,
/// but for the known ones; fails if a known loop is no longer there.
fn loops_in_every_crate(graph: fn(Vec<Edge>) -> Graph) -> Vec<String> {
    let mut cycles = Vec::new();
    for krate in CRATES {
        let edges = edges_of(krate).into_iter().map(|(m, t, _, _)| (m, t));
        cycles.extend(
            find_cycles(&graph(edges.collect()))
                .into_iter()
                .map(|c| format!("{}: {c}", krate.name)),
        );
    }
    for (known, why) in KNOWN_LOOPS {
        assert!(
            cycles.iter().any(|c| c == known),
            "{known} is gone: take it out of KNOWN_LOOPS ({why})"
        );
    }
    cycles.retain(|c| !is_known(c));
    cycles
}

#[test]
fn no_two_modules_import_each_other() {
    let cycles = loops_in_every_crate(module_edges);
    assert!(
        cycles.is_empty(),
        "import cycles between modules:\n{}",
        cycles.join("\n")
    );
}

/// Each import as one between the top-level modules (folders, or files at the top) of its
/// crate, leaving out the root (it declares them all) and imports within one folder.
fn folder_edges(edges: Vec<Edge>) -> Graph {
    let mut folders = Graph::new();
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
    let cycles = loops_in_every_crate(folder_edges);
    assert!(
        cycles.is_empty(),
        "import cycles between folders (a module of one naming a module of the other):\n{}",
        cycles.join("\n")
    );
}

/// Every loop in the graph, as `a -> b -> a`, found by depth-first search.
fn find_cycles(edges: &Graph) -> Vec<String> {
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
    let modules = modules(&src(core));
    let target = resolve(&path("judge::Engine"), &modules, &Reexports::default());
    assert_eq!(target, path("judge"));
    assert!(rank(layers, &target) > rank(layers, &path("problem")));
    let mut edges = BTreeMap::new();
    edges.insert(path("a"), BTreeSet::from([path("b")]));
    edges.insert(path("b"), BTreeSet::from([path("a")]));
    assert_eq!(find_cycles(&edges).len(), 2);
    // Two folders whose modules import each other, none of them the same module: a loop of
    // folders though no two modules loop.
    let folders = folder_edges(vec![
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

/// Writes a crate's sources into `dir`: (path under src/, text).
fn fake_crate(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    let src = dir.join("src");
    for (path, text) in files {
        let file = src.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    src
}

#[test]
fn a_cycle_made_only_through_grouped_imports_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let src = fake_crate(
        dir.path(),
        &[
            ("lib.rs", "mod api;\nmod web;\nmod store;\n"),
            ("store.rs", "pub fn keep() {}\n"),
            // api names web's pages inside a group, over several lines, and passes on
            // its routes' item.
            (
                "api/mod.rs",
                "mod routes;\npub use routes::route;\npub fn serve() {}\nuse crate::{\n    store::keep,\n    web::{pages::page},\n};\n",
            ),
            ("api/routes.rs", "pub fn route() {}\n"),
            ("web/mod.rs", "pub mod pages;\n"),
            // web's pages name api back through `super::super::` inside nested groups.
            (
                "web/pages.rs",
                "use super::super::{api::{route, serve as s}, store};\npub fn page() { route(); s(); store::keep(); }\n",
            ),
        ],
    );
    let edges: Vec<Edge> = edges_in(&src)
        .into_iter()
        .map(|(m, t, _, _)| (m, t))
        .collect();
    // The re-exported item is placed where it is defined.
    assert!(
        edges.contains(&(path("web::pages"), path("api::routes"))),
        "{edges:?}"
    );
    assert_eq!(
        find_cycles(&module_edges(edges.clone())),
        vec![
            "api -> web::pages -> api",
            "web::pages -> api -> web::pages"
        ]
    );
    assert_eq!(
        find_cycles(&folder_edges(edges)),
        vec!["api -> web -> api", "web -> api -> web"]
    );
    // The same tree with pages naming only what api re-exports from routes: no loop of
    // modules (routes names nothing), though the folders still loop.
    std::fs::write(
        src.join("web/pages.rs"),
        "use super::super::{api::{route}, store};\npub fn page() { route(); store::keep(); }\n",
    )
    .unwrap();
    let edges: Vec<Edge> = edges_in(&src)
        .into_iter()
        .map(|(m, t, _, _)| (m, t))
        .collect();
    assert!(find_cycles(&module_edges(edges.clone())).is_empty());
    assert_eq!(find_cycles(&folder_edges(edges)).len(), 2);
}

/// The longest a source file may be, and a `mod.rs`: past these a file holds more than one
/// thing, and the next engineer scrolls instead of reading (issue 30 item 6).
const MOST_LINES: usize = 800;
const MOST_MOD_RS_LINES: usize = 100;

/// Every Rust file under `dir`, leaving out `target` and hidden folders (from the root:
/// the crates, the binary, tests, benches, the bank's references and submissions).
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder") {
        let path = entry.expect("a folder entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The files of `files` longer than their limit, each with its length.
fn too_long(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).ok()?.lines().count();
            let most = if file.ends_with("mod.rs") {
                MOST_MOD_RS_LINES
            } else {
                MOST_LINES
            };
            (lines > most).then(|| format!("{}: {lines} lines (at most {most})", file.display()))
        })
        .collect()
}

#[test]
fn no_file_is_over_800_lines_and_mod_rs_files_are_thin() {
    let mut files = Vec::new();
    rust_files(&root(), &mut files);
    assert!(files.len() > 100, "found only {} Rust files", files.len());
    let long = too_long(&files);
    assert!(
        long.is_empty(),
        "files too long to read:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_length_check_sees_a_long_file_and_a_fat_mod_rs() {
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.rs");
    let fat = dir.path().join("mod.rs");
    let short = dir.path().join("short.rs");
    std::fs::write(&long, "// a line\n".repeat(MOST_LINES + 1)).unwrap();
    std::fs::write(&fat, "// a line\n".repeat(MOST_MOD_RS_LINES + 1)).unwrap();
    std::fs::write(&short, "// a line\n".repeat(MOST_LINES)).unwrap();
    let found = too_long(&[long, fat, short]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("long.rs: 801 lines"), "{found:?}");
    assert!(
        found[1].contains("mod.rs: 101 lines (at most 100)"),
        "{found:?}"
    );
}
