#!/usr/bin/env bash
# Build one side of a paired A/B run: the `ethbench` binary of REF, with its
# fixtures beside it, in OUT/SIDE/.
#
#   ci/build-side.sh REF SIDE OUT [cargo features…]
#
# Every side is built by this one procedure, from a checkout at the same
# path ($OUT/src), so one commit built twice gives the same bytes and code
# layout cannot pass for a change. Intermediate artifacts (the dependencies)
# are shared with `cargo bench` through cargo's build directory, but the
# binary lands in $OUT/target: a side never replaces the target/release/
# ethbench of your own builds, and each side is a fresh checkout, newer than
# any earlier build, so cargo never takes one side's binary for the other's. REF `WORKTREE` builds the working
# tree as it is, uncommitted changes included.
set -euo pipefail
ref=$1 side=$2 out=$3
shift 3
features=$*
repo=$(git rev-parse --show-toplevel)
shared=${CARGO_BUILD_BUILD_DIR:-${CARGO_TARGET_DIR:-$repo/target}}

if [[ $ref == WORKTREE ]]; then
    ref=$(git -C "$repo" stash create)
    ref=${ref:-HEAD}
fi
if ! commit=$(git -C "$repo" rev-parse --verify --quiet "$ref^{commit}"); then
    echo "error: \`$ref\` is not a commit here; fetch it or name another" >&2
    exit 2
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
git -C "$repo" worktree remove --force "$out/src" >/dev/null 2>&1 || rm -rf "$out/src"
git -C "$repo" worktree prune
git -C "$repo" worktree add --quiet --detach "$out/src" "$commit"
trap 'git -C "$repo" worktree remove --force "$out/src" >/dev/null 2>&1 || true' EXIT

# Both sides are built with this checkout's compiler flags (.cargo/config.toml:
# functions aligned to 64 bytes), whatever their own commit says, so a pull
# request that predates or changes the flags is still compared like for like.
rm -rf "$out/src/.cargo"
[[ ! -f $repo/.cargo/config.toml ]] || { mkdir -p "$out/src/.cargo" && cp "$repo/.cargo/config.toml" "$out/src/.cargo/"; }

echo "building $side ($commit${features:+, features $features})" >&2
(cd "$out/src" && CARGO_BUILD_BUILD_DIR="$shared" CARGO_TARGET_DIR="$out/target" \
    cargo build --profile bench --bin ethbench --quiet \
    ${features:+--features "$features"})
rm -rf "${out:?}/$side"
mkdir -p "$out/$side"
cp "$out/target/release/ethbench" "$out/$side/ethbench"
cp -r "$out/src/fixtures" "$out/$side/fixtures"
echo "$commit" >"$out/$side/commit"
