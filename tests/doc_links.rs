//! Every relative link in the README and in `docs/` names a file that
//! exists: a moved module or a renamed results file must not leave a
//! reader at a dead end.

use std::path::{Path, PathBuf};

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("docs/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The targets of `[text](target)` links, without their `#anchor`.
fn link_targets(text: &str) -> Vec<&str> {
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')')?];
            let target = target.split('#').next().unwrap_or_default().trim();
            (!target.is_empty() && !target.contains("://") && !target.starts_with("mailto:") && !target.contains(' '))
                .then_some(target)
        })
        .collect()
}

#[test]
fn every_relative_link_in_the_docs_resolves() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    markdown_files(&root.join("docs"), &mut files);
    let mut dead = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a Markdown file is readable");
        for target in link_targets(&text) {
            if !file.parent().expect("a file has a directory").join(target).exists() {
                dead.push(format!("{} → {target}", file.strip_prefix(root).unwrap_or(file).display()));
            }
        }
    }
    assert!(files.len() > 5, "found only {} Markdown files", files.len());
    assert!(dead.is_empty(), "links to files that do not exist:\n{}", dead.join("\n"));
}

#[test]
fn link_targets_drop_anchors_and_web_addresses() {
    let text = "see [a](docs/a.md#part), [b](https://example.org/x), [c](../src/c.rs) and [d](#here)";
    assert_eq!(link_targets(text), ["docs/a.md", "../src/c.rs"]);
}
