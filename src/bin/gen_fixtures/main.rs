//! Regenerate `fixtures/` from the fixed seed, or check that it is unchanged.
//!
//!     cargo run --release --bin gen-fixtures            # rewrite fixtures/
//!     cargo run --release --bin gen-fixtures -- --check # compare, write nothing
//!     cargo run --release --bin gen-fixtures -- --out DIR

mod block;
mod gen;
mod state;

use std::path::PathBuf;
use std::process::ExitCode;

use ethbench::data::{Fixtures, MANIFEST};
use ethbench::measure::error::exit_with;

const USAGE: &str = "usage: gen-fixtures [--check] [--out DIR]";

fn main() -> ExitCode {
    let mut check = false;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--out" => match args.next() {
                Some(dir) => out = Some(dir.into()),
                None => exit_with(&format!("--out needs a directory; {USAGE}")),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => exit_with(&format!("unknown argument `{other}`; {USAGE}")),
        }
    }
    let dir = out.unwrap_or_else(Fixtures::default_dir);

    if check {
        let files = gen::build().unwrap_or_else(|e| exit_with(&e));
        let expected = gen::manifest(&files);
        let differing = match Fixtures::open(&dir) {
            Ok(fx) => {
                let mut differing: Vec<String> = files
                    .iter()
                    .filter(|f| fx.bytes(&f.name).map_or(true, |data| data != f.data))
                    .map(|f| f.name.clone())
                    .collect();
                if fx.manifest() != &expected {
                    differing.push(MANIFEST.to_owned());
                }
                differing
            }
            Err(e) => exit_with(&e),
        };
        if differing.is_empty() {
            println!("fixtures in {} match the generator ({} files)", dir.display(), files.len());
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "error: fixtures differ from the generator: {}; run `{}` and commit the result",
            differing.join(", "),
            ethbench::data::REGENERATE
        );
        return ExitCode::from(1);
    }

    match gen::write(&dir) {
        Ok(manifest) => {
            for (name, entry) in &manifest.files {
                println!("{:>9} bytes  {}  {name}", entry.bytes, &entry.sha256[..16]);
            }
            println!("wrote {} fixtures and {MANIFEST} to {}", manifest.files.len(), dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => exit_with(&e),
    }
}
