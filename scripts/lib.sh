# Shell helpers shared by scripts/ and ci/. Source it; it does nothing on its own.

# The bench executables `cargo bench --no-run` builds in DIR with the given
# extra cargo arguments, one path per line.
bench_executables() {
    local dir=$1
    shift
    (cd "$dir" && cargo bench --no-run --message-format=json "$@" 2>/dev/null) |
        grep '"kind":\["bench"\]' | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p'
}
