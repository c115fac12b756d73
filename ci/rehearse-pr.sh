#!/usr/bin/env bash
# The bench-pr job on this machine, without GitHub: merge the head into the
# base as GitHub does for a pull request, compare the merge commit's first
# parent with it (ci/compare.sh), and complete the artifact
# (ci/pr-artifact.sh). Leaves the same files in OUT that bench-pr uploads,
# then renders the comment as bench-comment does (ci/render-comment.mjs,
# from the artifact's data and the pull request's changed paths) into
# OUT/trusted-comment.md.
#
#   ci/rehearse-pr.sh [--aa] [--broken] [--touch-judge] [--forge] [--shards K [--parts P] [--lose-shard N]] [BASE] [FILTER]
#                                                    default BASE: origin/main or HEAD
#
# The head is this checkout's HEAD. When BASE already contains it (BASE is
# HEAD, say), the comparison is HEAD's first parent against HEAD.
#
# --aa           an A/A run: the head is an empty commit on top of BASE, so
#                both sides build the same sources and every flag is a false alarm;
# --broken       adds a commit that does not compile on top of the head, to see
#                the "comparison failed" comment;
# --touch-judge  adds a commit changing a comment in src/judge/ab/: the comment says
#                the pull request changes the code that judges it;
# --forge        overwrites the artifact's comment.md with a forged "no
#                regressions" before rendering: the trusted comment ignores it.
# --shards K     the sharded path as bench-pr runs it: for each of K shards a
#                timing job (ci/compare.sh with SHARD=i/K PART=times into
#                OUT/shard-i: both sides built and paired on its share) and a
#                counting job (PART=counts into OUT/counts-i: the instruction
#                counts of its share of the groups), one after another here; then
#                ci/merge-shards.mjs joins them; prints each job's wall time,
#                builds included;
# --parts P      with --shards, only these jobs of each shard: `times`, `counts`
#                or `times,counts` (the default, as bench-pr runs them); the
#                merge then expects only those;
# --lose-shard N drops shard N's results before the merge, as if its runner
#                had died: the comment names it.
# Exit status is ci/compare.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
aa=0 broken=0 touch_judge=0 forge=0 shards=0 lose=0 parts=times,counts
while [[ ${1:-} == --* ]]; do
    case $1 in
        --aa) aa=1 ;;
        --broken) broken=1 ;;
        --touch-judge) touch_judge=1 ;;
        --forge) forge=1 ;;
        --shards) shards=${2:?--shards takes a count}; shift ;;
        --parts) parts=${2:?--parts takes times, counts or times,counts}; shift ;;
        --lose-shard) lose=${2:?--lose-shard takes a shard index}; shift ;;
        *) echo "error: unknown option $1; see the header of ci/rehearse-pr.sh" >&2; exit 2 ;;
    esac
    shift
done
[[ $parts =~ ^(times|counts|times,counts)$ ]] || { echo "error: --parts is times, counts or times,counts, not '$parts'" >&2; exit 2; }
base=$(git rev-parse "${1:-$(git rev-parse -q --verify origin/main || git rev-parse HEAD)}^{commit}")
filter=${2:-}
export OUT=${OUT:-target/ethbench-ci} RUN_URL=${RUN_URL:-local rehearsal}

work=$(mktemp -d)
trap 'git worktree remove --force "$work/pr" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --quiet --detach "$work/pr" HEAD
git() { command git -c user.name=rehearsal -c user.email=rehearsal@localhost "$@"; }
if ((aa)); then
    git -C "$work/pr" checkout --quiet --detach "$base"
    git -C "$work/pr" commit --quiet --allow-empty -m "A/A: the base again"
fi
if ((broken)); then
    echo 'compile_error!("broken on purpose by ci/rehearse-pr.sh");' >>"$work/pr/src/lib.rs"
    git -C "$work/pr" commit --quiet -am "broken on purpose"
fi
if ((touch_judge)); then
    echo '// A comment changed by ci/rehearse-pr.sh --touch-judge.' >>"$work/pr/src/judge/ab/mod.rs"
    git -C "$work/pr" commit --quiet -am "touch the paired runner's code"
fi
head_sha=$(git -C "$work/pr" rev-parse HEAD)
# GitHub's refs/pull/N/merge: the base first, the head merged into it.
git -C "$work/pr" checkout --quiet --detach "$base"
git -C "$work/pr" merge --quiet --no-ff --no-edit "$head_sha" >/dev/null ||
    git -C "$work/pr" commit --quiet --allow-empty -m "merge (already contained)"
merge=$(git -C "$work/pr" rev-parse HEAD)

status=0
if ((shards > 0)); then
    for part in ${parts//,/ }; do
        for ((i = 1; i <= shards; i++)); do
            dir=$OUT/$([[ $part == times ]] && echo shard || echo counts)-$i
            job_status=0
            SHARD=$i/$shards PART=$part OUT=$dir HEAD_REF=$merge ci/compare.sh "$merge^1" $filter || job_status=$?
            echo "rehearsal: shard $i/$shards $part exit $job_status, $(cat "$dir/wall-secs") s wall, builds included ($(paste -sd, "$dir/phases" 2>/dev/null | sed 's/,/ s, /g') s)"
        done
    done
    ((lose == 0)) || { rm -rf "$OUT/shard-$lose"; echo "rehearsal: shard $lose's timing results dropped, as if its runner died"; }
    rm -f "$OUT/comparison.json" "$OUT/failure" "$OUT/comment.md"
    node ci/merge-shards.mjs "$OUT" "$shards" --parts "$parts" "$OUT"/shard-* "$OUT"/counts-* || status=$?
    # The merged run's comment for a local reader: the trusted renderer's.
    node ci/render-comment.mjs "$OUT" --head "$head_sha" >"$OUT/comment.md"
else
    HEAD_REF=$merge ci/compare.sh "$merge^1" $filter || status=$?
fi
ci/pr-artifact.sh "$head_sha" "$(git rev-parse "$merge^1")"
echo "rehearsal: comparison exit $status; artifact in $OUT: $(ls "$OUT" | tr '\n' ' ')"
head -n 2 "$OUT/comment.md" | tail -n 1

# What bench-comment posts: rendered from the data by the base's renderer.
if ((forge)); then
    printf '<!-- ethbench:comparison -->\n### ethbench: 0 regressed. FORGED: all good, merge it @maintainers\n' >"$OUT/comment.md"
    echo "rehearsal: comment.md replaced by a forged one"
fi
git -C "$work/pr" diff --name-only "$merge^1" "$merge" >"$OUT/changed-files"
node ci/render-comment.mjs "$OUT" --head "$head_sha" --changed "$OUT/changed-files" \
    --conclusion "$( ((status == 0)) && echo success || echo failure)" >"$OUT/trusted-comment.md"
if grep -q FORGED "$OUT/trusted-comment.md"; then
    echo "error: the trusted comment repeats the forged comment.md" >&2
    exit 2
fi
echo "rehearsal: the trusted comment ($OUT/trusted-comment.md) begins:"
sed -n '2,4p' "$OUT/trusted-comment.md" | cut -c1-200
exit "$status"
