//! `Python`: the interpreter, its packages and the compiled harness, ready to compile a
//! candidate's file in a box and to launch a case.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::build::launch::Launch;
use crate::build::toolchain::{Build, CompileLimits};
use crate::cache::{self, digest, Cache};
use crate::languages::{Functions, Language};
use crate::problem::spec::Record;
use crate::problem::types::Signature;
use judge_sandbox::{self as sandbox, Cancel, Exit, Job};

use super::steps::{
    box_env, built, compile_failure, compile_harness, compile_limits, failed, set_mode, CODE_FILE,
    SOURCE_FILE,
};
use super::{contract, packages, Install, Packages, PythonError, HARNESS_SOURCE};

/// The interpreter's flags in every box: no `site` (the packages' folder is put on the path
/// by the harness), no environment variables, no user folders, no bytecode written.
pub(super) const FLAGS: &[&str] = &["-I", "-S", "-B"];

/// Python ready to judge: the interpreter, its packages and the compiled harness.
#[derive(Debug, Clone)]
pub struct Python {
    pub install: Install,
    pub packages: Packages,
    /// The folder of the compiled harness (`judge_py.pyc`).
    harness_dir: PathBuf,
    /// Everything that changes what a compile makes or a case runs.
    pub key: String,
    /// The limits of function problems in this language.
    functions: Functions,
    cache: Cache,
}

impl Python {
    /// Finds `language`'s interpreter and its packages (making the judge's environment on
    /// first use) and compiles the harness once.
    pub fn open(cache: &Cache, language: &Language) -> Result<Python, PythonError> {
        let install = Install::of(language)?;
        let functions = language.functions.ok_or_else(|| PythonError::NoFunctions {
            language: language.name.clone(),
        })?;
        let packages = packages::find(cache, &install)?;
        let key = digest(&[
            install.exe.as_os_str().as_encoded_bytes(),
            install.version.as_bytes(),
            HARNESS_SOURCE.as_bytes(),
            packages.origin.as_bytes(),
            FLAGS.join(" ").as_bytes(),
            sandbox::BOX_VERSION.as_bytes(),
        ]);
        let harness_dir = cache.path(&format!("runtime/python-harness-{}", &key[..16]));
        compile_harness(&install, &harness_dir)?;
        Ok(Python {
            install,
            packages,
            harness_dir,
            key,
            functions,
            cache: cache.clone(),
        })
    }

    fn harness(&self) -> PathBuf {
        self.harness_dir.join("judge_py.pyc")
    }

    /// What every box of this Python sees.
    fn mounts(&self) -> Vec<PathBuf> {
        let mut mounts = self.install.mounts();
        mounts.push(self.harness_dir.clone());
        mounts.extend(
            self.packages
                .paths
                .iter()
                .filter(|p| !sandbox::in_every_box(p))
                .cloned(),
        );
        mounts
    }

    fn job(&self, args: Vec<OsString>, cwd: &Path, extra: Option<&Path>) -> Job {
        let mut full: Vec<OsString> = FLAGS.iter().map(Into::into).collect();
        full.push(self.harness().into());
        full.extend(args);
        Job {
            program: self.install.exe.clone(),
            args: full,
            env: box_env(),
            cwd: cwd.to_path_buf(),
            stdin: sandbox::Input::default(),
            answer_pipe: false,
            mounts: self
                .mounts()
                .into_iter()
                .chain(extra.map(Path::to_path_buf))
                .map(sandbox::Mount::read_only)
                .collect(),
            executables: Some(vec![self.install.exe.clone()]),
        }
    }

    /// Compiles `source` (the candidate's file, shown as `file_name`) to bytecode in a box
    /// and checks that it defines `sig`'s function; cached by everything that decides it.
    pub fn compile(
        &self,
        source: &str,
        file_name: &str,
        sig: &Signature,
        limits: &CompileLimits,
        cancel: &Cancel,
    ) -> Result<Build, PythonError> {
        let key = digest(&[
            self.key.as_bytes(),
            file_name.as_bytes(),
            sig.name.as_bytes(),
            source.as_bytes(),
        ]);
        let dir = self.cache.path(&format!("builds/{}/py-{key}", &key[..2]));
        let code = dir.join(CODE_FILE);
        let ce = dir.join("compile-error.txt");
        if cache::is_own_file(&code) && cache::is_own_file(&dir.join(SOURCE_FILE)) {
            cache::touch(&dir);
            return Ok(built(code, 0, true));
        }
        if let Ok(stderr) = fs::read_to_string(&ce) {
            cache::touch(&dir);
            return Ok(failed(stderr, 0, true));
        }
        let cache_err = |source| PythonError::Cache {
            path: dir.clone(),
            source,
        };
        let work = self.cache.temp_dir().map_err(cache_err)?;
        fs::write(work.path().join(SOURCE_FILE), source).map_err(cache_err)?;
        let args = vec![
            "--compile".into(),
            SOURCE_FILE.into(),
            sig.name.clone().into(),
            file_name.into(),
        ];
        let started = Instant::now();
        let outcome = sandbox::run_with_cancel(
            &self.job(args, work.path(), None),
            &compile_limits(limits),
            cancel,
        )
        .map_err(PythonError::Sandbox)?;
        let time_ms = started.elapsed().as_millis() as u64;
        if outcome.exit == Exit::Code(0) && !outcome.output_exceeded {
            let (file, _) =
                cache::open_box_file(&work.path().join(CODE_FILE)).map_err(cache_err)?;
            // The source beside it is the judge's own copy (tracebacks quote it).
            cache::make_dir(&dir).map_err(cache_err)?;
            let copy = tempfile::NamedTempFile::new_in(&dir).map_err(cache_err)?;
            fs::write(copy.path(), source).map_err(cache_err)?;
            set_mode(copy.path(), cache::FILE_MODE).map_err(cache_err)?;
            copy.persist(dir.join(SOURCE_FILE))
                .map_err(|e| cache_err(e.error))?;
            cache::store_box_file(file, &code, cache::FILE_MODE).map_err(cache_err)?;
            return Ok(built(code, time_ms, false));
        }
        let stderr = compile_failure(&outcome, limits);
        // Only what the compiler said is kept: a compile killed for time may pass later.
        if outcome.exit == Exit::Code(1) && !outcome.wall_exceeded {
            self.cache
                .write(
                    &format!("builds/{}/py-{key}/compile-error.txt", &key[..2]),
                    stderr.as_bytes(),
                )
                .map_err(cache_err)?;
        }
        Ok(failed(stderr, time_ms, false))
    }

    /// How a case's box runs the compiled file `code` (from `compile`) as a solution of
    /// `sig`: the harness with the program's folder, the packages and the signature.
    pub fn launch(
        &self,
        code: &Path,
        sig: &Signature,
        records: &[Record],
        file_name: &str,
    ) -> Launch {
        let program_dir = code.parent().unwrap_or(Path::new("/")).to_path_buf();
        let packages = std::env::join_paths(&self.packages.paths).unwrap_or_default();
        let mut args: Vec<OsString> = FLAGS.iter().map(Into::into).collect();
        args.push(self.harness().into());
        args.push(program_dir.clone().into());
        args.push(packages);
        args.push(contract::signature_json(sig, records, file_name).into());
        let mut mounts = self.mounts();
        mounts.push(program_dir);
        Launch {
            program: self.install.exe.clone(),
            args,
            env: box_env(),
            mounts,
            executables: vec![self.install.exe.clone()],
            memory_overhead_mb: self.functions.memory_extra_mb,
            time_percent: self.functions.time_multiplier * 100,
        }
    }
}
