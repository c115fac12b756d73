#!/usr/bin/env bash
# Regenerate every generated section of README.md. A section is the text
# between `<!-- BEGIN generated: COMMAND -->` and `<!-- END generated -->`;
# it is replaced by what COMMAND prints, so no figure in the README is typed
# by hand. Run `cargo bench` first for the results tables.
set -euo pipefail
cd "$(dirname "$0")/.."

# The plain build runs the examples; the heap build (dhat as the global
# allocator, in its own target directory) counts allocations for the table.
cargo build --release --quiet --bin ethbench
cargo build --release --quiet --features heap --bin ethbench --target-dir target/heap
readme=README.md
out=$(mktemp)
trap 'rm -f "$out" "$out.section"' EXIT

in_section=0
while IFS= read -r line; do
    if [[ $in_section == 0 && $line =~ ^'<!-- BEGIN generated: '(.*)' -->'$ ]]; then
        command=${BASH_REMATCH[1]}
        printf '%s\n\n' "$line" >>"$out"
        if ! bash -c "$command" >"$out.section"; then
            echo "error: \`$command\` failed; README.md left unchanged" >&2
            exit 1
        fi
        cat "$out.section" >>"$out"
        in_section=1
    elif [[ $in_section == 1 && $line == '<!-- END generated -->' ]]; then
        printf '\n%s\n' "$line" >>"$out"
        in_section=0
    elif [[ $in_section == 0 ]]; then
        printf '%s\n' "$line" >>"$out"
    fi
done <"$readme"

if [[ $in_section == 1 ]]; then
    echo "error: a generated section in $readme has no END marker; README.md left unchanged" >&2
    exit 1
fi
mv "$out" "$readme"
echo "updated $readme"
