use std::path::Path;

use super::*;

fn with_override(text: &str) -> Result<Languages, LanguageError> {
    table::parse(
        text,
        "bank/languages.toml",
        Languages::builtin().all().to_vec(),
    )
    .map(|list| Languages { list })
}

fn invalid(text: &str) -> (Option<usize>, String, String) {
    match with_override(text) {
        Err(LanguageError::Invalid {
            file,
            line,
            key,
            message,
        }) => {
            assert_eq!(file, "bank/languages.toml");
            (line, key, message)
        }
        other => panic!("expected an invalid table, got {other:?}"),
    }
}

#[test]
fn the_builtin_table_names_six_languages_in_order() {
    let table = Languages::builtin();
    let ids: Vec<&str> = table.all().iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["rust", "c", "cpp", "python", "java", "kotlin"]);
    let rust = table.get("rust").unwrap();
    assert_eq!(rust.build, Build::Judge);
    let java = table.get("java").unwrap();
    assert_eq!(java.limits.memory, MemoryCount::Resident);
    assert!(java.limits.processes.unwrap() > 64);
    assert_eq!(
        table.get("cpp").unwrap().limits.memory,
        MemoryCount::AddressSpace
    );
}

#[test]
fn a_files_extension_names_its_language() {
    let table = Languages::builtin();
    let id = |p: &str| table.for_path(Path::new(p)).map(|l| l.id.as_str());
    assert_eq!(id("a/sol.cpp"), Some("cpp"));
    assert_eq!(id("sol.cc"), Some("cpp"));
    assert_eq!(id("sol.C"), Some("cpp"));
    assert_eq!(id("sol.c"), Some("c"));
    assert_eq!(id("sol.py"), Some("python"));
    assert_eq!(id("sol.py3"), Some("python"));
    assert_eq!(id("Sol.java"), Some("java"));
    assert_eq!(id("sol.kt"), Some("kotlin"));
    assert_eq!(id("sol.rs"), Some("rust"));
    assert_eq!(id("sol.txt"), None);
    assert_eq!(id("Makefile"), None);
}

#[test]
fn lang_beats_the_extension_and_an_unknown_one_lists_the_known() {
    let table = Languages::builtin();
    let chosen = table.choose(Some("c"), Path::new("x.cpp")).unwrap();
    assert_eq!(chosen.id, "c");
    let err = table.choose(Some("cobol"), Path::new("x.cpp")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown language `cobol`: the judge knows rust, c, cpp, python, java, kotlin"
    );
    let err = table
        .choose(None, Path::new("x.pas"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("x.pas: no language has the extension"),
        "{err}"
    );
    assert!(err.contains("cpp .cpp .cc"), "{err}");
}

#[test]
fn an_override_changes_only_the_keys_it_gives() {
    let table = with_override(
        "[cpp]\ncompile = [\"{gxx}\", \"-std=gnu++17\", \"-o\", \"{binary}\", \"{sources}\"]\n",
    )
    .unwrap();
    let cpp = table.get("cpp").unwrap();
    assert!(matches!(&cpp.build, Build::Command(c) if c[1] == "-std=gnu++17"));
    assert_eq!(cpp.extensions[0], "cpp", "kept from the built-in entry");
    assert_eq!(cpp.defined_in, "bank/languages.toml");
    assert_eq!(
        table.get("c").unwrap().defined_in,
        "languages.toml (built into the judge)"
    );
}

#[test]
fn an_override_may_add_a_language() {
    let table = with_override(
        "[lua]\nname = \"Lua\"\nextensions = [\"lua\"]\nbuild = \"none\"\nrun = [\"{lua}\", \"{source}\"]\nversion = [\"{lua}\", \"-v\"]\ntools.lua = { program = \"lua5.4\" }\n",
    )
    .unwrap();
    let lua = table.for_path(Path::new("x.lua")).unwrap();
    assert_eq!(lua.name, "Lua");
    assert_eq!(lua.build, Build::Nothing);
    assert_eq!(table.all().len(), 7);
}

#[test]
fn a_misspelt_key_is_named_with_its_file_and_line() {
    let (line, key, message) = invalid("# tuned\n[cpp]\ncompil = [\"g++\"]\n");
    assert_eq!(line, Some(3));
    assert_eq!(key, "cpp.compil");
    assert!(message.contains("unknown field `compil`"), "{message}");
}

#[test]
fn a_value_of_the_wrong_kind_is_named_by_its_key() {
    let (line, key, message) = invalid("[cpp]\nname = \"C++\"\nextensions = \"cpp\"\n");
    assert_eq!((line, key.as_str()), (Some(3), "cpp.extensions"));
    assert!(message.contains("expected a sequence"), "{message}");
    let (_, key, message) = invalid("[java]\nlimits = { memory = \"rss\" }\n");
    assert_eq!(key, "java.limits");
    assert!(message.contains("address-space"), "{message}");
}

#[test]
fn unknown_placeholders_are_refused_naming_the_command() {
    let (line, key, message) =
        invalid("[c]\ncompile = [\"{gcc}\", \"-o\", \"{binary}\", \"{src}\"]\n");
    assert_eq!((line, key.as_str()), (Some(2), "c.compile"));
    assert!(message.contains("unknown placeholder {src}"), "{message}");
    assert!(
        message.contains("{gcc}"),
        "the language's tools are listed: {message}"
    );
}

#[test]
fn an_extension_names_one_language() {
    let (_, key, message) = invalid("[c]\nextensions = [\"c\", \"cpp\"]\n");
    assert_eq!(key, "c.extensions");
    assert_eq!(
        message,
        "`.cpp` is also cpp's: a file's extension must name one language"
    );
    let (_, _, message) = invalid("[c]\nextensions = [\".c\"]\n");
    assert!(message.contains("without the dot"), "{message}");
}

#[test]
fn what_run_needs_is_what_the_compile_makes() {
    let (_, key, message) =
        invalid("[c]\ncompile = [\"{gcc}\", \"-o\", \"{out_dir}/a\", \"{sources}\"]\n");
    assert_eq!(key, "c.run");
    assert!(
        message.contains("{binary}, which its compile does not make"),
        "{message}"
    );
    let (_, key, _) = invalid("[c]\ncompile = [\"{gcc}\", \"{sources}\"]\n");
    assert_eq!(key, "c.compile");
}

#[test]
fn only_rust_is_built_by_the_judge() {
    let (_, key, message) = invalid("[c]\nbuild = \"judge\"\ncompile = []\n");
    assert_eq!(key, "c.build");
    assert!(message.contains("not both"), "{message}");
    let (_, key, _) = invalid("[cpp]\nbuild = \"judge\"\n");
    assert_eq!(key, "cpp.build");
    let (_, key, _) =
        invalid("[rust]\ncompile = [\"rustc\", \"{source}\", \"-o\", \"{binary}\"]\n");
    assert_eq!(key, "rust.compile");
}

#[test]
fn a_new_language_needs_its_commands() {
    let (_, key, message) = invalid("[lua]\nname = \"Lua\"\nextensions = [\"lua\"]\n");
    assert_eq!(key, "lua.run");
    assert_eq!(message, "a new language needs `run`");
    let (_, key, _) = invalid("[Lua]\nname = \"x\"\n");
    assert_eq!(key, "Lua");
}

#[test]
fn a_syntax_error_is_named_by_its_line() {
    let (line, _, _) = invalid("[cpp]\nname == 1\n[c]\n");
    assert_eq!(line, Some(2));
}

#[test]
fn commands_fill_their_placeholders_and_name_what_the_box_needs() {
    let table = with_override(
        "[demo]\nname = \"Demo\"\nextensions = [\"demo\"]\ncompile = [\"{sh}\", \"-c\", \"x\", \"{out_dir}\", \"{sources}\"]\nrun = [\"{sh}\", \"-m{memory_mb}\", \"{out_dir}/{class}\"]\nversion = [\"{sh}\", \"-c\", \"echo demo 1.0\"]\ntools.sh = { program = \"sh\" }\nrun_paths = [\"/etc/host*\", \"/no/such/path\"]\n",
    )
    .unwrap();
    let demo = table.get("demo").unwrap();
    let sh = std::fs::canonicalize(command::find_tools(&demo.tools).unwrap().tools[0].1.clone())
        .unwrap();
    let sources = ["a.demo".to_string(), "b.demo".to_string()];
    let vars = Vars {
        source: "a.demo",
        sources: &sources,
        binary: None,
        out_dir: Some(Path::new("out")),
        class: "Main",
        memory_mb: 256,
    };
    let compile = demo.compile_command(&vars).unwrap().unwrap();
    assert_eq!(compile.program, sh);
    let args: Vec<&str> = compile.args.iter().map(|a| a.to_str().unwrap()).collect();
    assert_eq!(args, ["-c", "x", "out", "a.demo", "b.demo"]);
    assert_eq!(compile.executables, std::slice::from_ref(&sh));
    let built = Path::new("/cache/builds/ab/out");
    let run = demo
        .run_command(&Vars {
            out_dir: Some(built),
            ..vars
        })
        .unwrap();
    let args: Vec<&str> = run.args.iter().map(|a| a.to_str().unwrap()).collect();
    assert_eq!(args, ["-m256", "/cache/builds/ab/out/Main"]);
    assert!(
        run.mounts.contains(&built.to_path_buf()),
        "{:?}",
        run.mounts
    );
    assert!(
        run.mounts.contains(&Path::new("/etc/hosts").to_path_buf()),
        "the glob: {:?}",
        run.mounts
    );
    assert!(
        !run.mounts.iter().any(|m| m.starts_with("/no")),
        "missing paths are left out"
    );
    assert_eq!(demo.version().unwrap(), "demo 1.0");
}

#[test]
fn a_missing_tool_is_not_installed_naming_it() {
    let table = with_override(
        "[demo]\nname = \"Demo\"\nextensions = [\"demo\"]\nbuild = \"none\"\nrun = [\"{x}\", \"{source}\"]\nversion = [\"{x}\"]\ntools.x = { program = \"no-such-tool-anywhere\" }\n",
    )
    .unwrap();
    let err = table.get("demo").unwrap().version().unwrap_err();
    assert!(
        matches!(&err, LanguageError::NotInstalled { why, .. } if matches!(**why, ToolError::NotOnPath(_))),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "Demo is not installed here: no `no-such-tool-anywhere` on PATH"
    );
}

#[test]
fn a_jvm_programs_class_is_its_public_class_else_main_else_its_name() {
    let public = "// public class Nope {}\nimport java.util.*;\npublic final class Solver { }\nclass Main {}";
    assert_eq!(class_of(public, "x.java"), "Solver");
    let main = "class Helper {}\nclass Main { public static void main(String[] a) {} }";
    assert_eq!(class_of(main, "x.java"), "Main");
    let text = "class Helper { String s = \"public class Fake\"; }";
    assert_eq!(class_of(text, "guess.java"), "guess");
    assert_eq!(class_of(text, "has-dash.java"), "Main");
}

#[test]
fn a_source_name_is_made_from_the_class() {
    let table = Languages::builtin();
    let java = table.get("java").unwrap();
    assert_eq!(
        java.source_name("sol.java", "public class Hello {}"),
        "Hello.java"
    );
    let cpp = table.get("cpp").unwrap();
    assert_eq!(cpp.source_name("sol.cpp", ""), "sol.cpp");
    assert!(cpp.is_header(Path::new("a.hpp")));
    assert!(cpp.owns(Path::new("a.hpp")) && cpp.owns(Path::new("a.cc")));
    assert!(!cpp.owns(Path::new("a.java")));
}

#[test]
fn every_builtin_language_has_a_stub_and_an_override_replaces_one() {
    for language in Languages::builtin().all() {
        let stub = language.stub.as_deref().unwrap_or_default();
        assert!(
            stub.ends_with('\n') && stub.len() > 20,
            "{}: {stub:?}",
            language.id
        );
    }
    let table = with_override("[python]\nstub = '''\nprint(42)\n'''\n").unwrap();
    assert_eq!(
        table.get("python").unwrap().stub.as_deref(),
        Some("print(42)\n")
    );
    assert!(
        table.get("cpp").unwrap().stub.is_some(),
        "kept where not given"
    );
    let (line, key, message) = invalid("[python]\nstub = \"  \"\n");
    assert_eq!((line, key.as_str()), (Some(2), "python.stub"));
    assert!(message.contains("empty"), "{message}");
}
