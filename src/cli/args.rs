//! The command line: every command, its flags and their parsers. Nothing here runs anything.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

// Numeric flags allow negative numbers, so `--duration -1` reaches the
// flag's parser, which says what it takes, instead of clap's "unexpected argument '-1'".
#[derive(Parser)]
#[command(name = "ethbench", version, about = "Benchmarks for the hot paths of an Ethereum execution client")]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    /// No progress lines on stderr (they are rewritten in place on a terminal, one every ten seconds in a log).
    #[arg(long, global = true)]
    pub(crate) quiet: bool,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// List every workload with its description.
    List {
        /// Print a Markdown table (as in the README).
        #[arg(long)]
        markdown: bool,
        /// Add allocations and bytes per op, counted once per workload (needs `--features heap`).
        #[arg(long)]
        allocs: bool,
        /// Print JSON: each workload's id, description and throughput per run.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
    },
    /// Describe the fixtures from their manifest, as a Markdown table.
    Fixtures,
    /// Verify one workload, then run it in a loop and print the time per op.
    /// `evm/bytecode` and `rlp/block` run your own inputs (see `--code`, `--input`).
    Run {
        /// Workload id, e.g. `rlp/decode/block_200tx` (see `ethbench list`), or `evm/bytecode`, `rlp/block`, `statetest`, `blocktest`.
        workload: String,
        /// Number of iterations (of each workload).
        #[arg(long, conflicts_with = "duration", value_parser = parse_count, allow_negative_numbers = true)]
        iters: Option<u64>,
        /// Run for this many seconds instead (default 5, shared by the workloads of an input).
        #[arg(long, value_parser = parse_seconds, allow_negative_numbers = true)]
        duration: Option<f64>,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        profile: ProfileArgs,
        /// Print the figures as JSON on stdout (the lines for people go to stderr).
        #[arg(long)]
        json: bool,
    },
    /// Benchmark one workload, or your own input, under Criterion, with the
    /// suite's settings; results go beside `cargo bench`'s, for `compare`.
    Bench {
        /// Workload id (or id prefix), or `evm/bytecode`, `rlp/block`, `statetest`, `blocktest`.
        workload: String,
        #[command(flatten)]
        input: InputArgs,
        /// Save the results as this Criterion baseline.
        #[arg(long)]
        save_baseline: Option<String>,
        /// Compare with this saved Criterion baseline.
        #[arg(long)]
        baseline: Option<String>,
    },
    /// Judge one set of Criterion results against another: exit 0 when nothing
    /// regressed, 1 when a regression is confirmed, 2 when the input is unusable.
    Compare {
        /// Base side: baseline names, comma-separated, each may end in `*` (`ab-base-*`).
        #[arg(long)]
        base: String,
        /// New side, same form (`new` is Criterion's latest run).
        #[arg(long, default_value = "new")]
        new: String,
        /// Smallest change reported, in percent.
        #[arg(long, default_value_t = 3.0, value_parser = parse_percent, allow_negative_numbers = true)]
        floor: f64,
        /// A floor for benchmarks whose id starts with PREFIX: `PREFIX=PERCENT` (repeatable).
        #[arg(long = "floor-for", value_parser = parse_floor_for)]
        floors: Vec<(String, f64)>,
        /// Per-benchmark floors calibrated on this machine (`ethbench floors --write`); `none` to use only
        /// `--floor`. Default: ci/unpaired-floors.json, where it exists.
        #[arg(long)]
        calibrated_floors: Option<String>,
        /// Criterion's output directory.
        #[arg(long)]
        criterion_dir: Option<PathBuf>,
        /// Exit 1 on a slower suspect too (one run per side), not only on a confirmed regression.
        #[arg(long)]
        gate: bool,
        /// Confirm the suspects: a paired A/B (`ci/compare.sh`) of the base
        /// baseline's recorded commit and this working tree, on the suspects
        /// only; its verdict and exit status are the answer.
        #[arg(long)]
        confirm: bool,
        #[command(flatten)]
        reports: Reports,
    },
    /// Per-benchmark floors from runs on this machine in which no workload changed. For one-run
    /// comparisons (`--baselines`): every pair of the baselines compared with no floor; each floor is
    /// twice the largest change seen, at least 1%. For the paired A/B (`--paired`): twice the largest
    /// shift a paired run estimated, at least 1%.
    #[command(group = clap::ArgGroup::new("runs").required(true).args(["baselines", "paired"]))]
    Floors {
        /// Criterion baselines of one tree, comma-separated (each may end in `*`): at least two.
        #[arg(long)]
        baselines: Option<String>,
        /// JSON of paired runs (`ethbench ab --json`) in which no workload changed: A/A runs, or pull
        /// requests that changed only code no workload runs.
        #[arg(long, num_args = 1..)]
        paired: Vec<PathBuf>,
        /// Criterion's output directory.
        #[arg(long)]
        criterion_dir: Option<PathBuf>,
        /// Write them to FILE, else to ci/unpaired-floors.json (`ethbench compare` uses it), or with
        /// `--paired` to ci/paired-floors.json (`ethbench ab` uses it).
        #[arg(long, num_args = 0..=1, value_name = "FILE")]
        write: Option<Option<PathBuf>>,
        /// The smallest floor, in percent (default: 1).
        #[arg(long, value_parser = parse_percent)]
        minimum: Option<f64>,
        /// Also draw them, widest first, to this SVG file.
        #[arg(long)]
        svg: Option<PathBuf>,
    },
    /// Paired A/B of two builds of `ethbench`: both run at once and time
    /// alternate ~20 ms chunks of each workload, so machine noise hits both
    /// alike. Exit 0 when nothing regressed, 1 on a confirmed regression, 2
    /// when the run failed. `ci/compare.sh` builds the two sides and calls this.
    Ab {
        /// The base build's `ethbench` binary.
        #[arg(long)]
        base: PathBuf,
        /// The head build's `ethbench` binary.
        #[arg(long)]
        head: PathBuf,
        /// Only workloads whose id starts with this (several prefixes: comma-separated).
        filter: Option<String>,
        /// Smallest change reported, in percent.
        #[arg(long, default_value_t = 2.0, value_parser = parse_percent, allow_negative_numbers = true)]
        floor: f64,
        /// A floor for benchmarks whose id starts with PREFIX: `PREFIX=PERCENT` (repeatable).
        #[arg(long = "floor-for", value_parser = parse_floor_for)]
        floors: Vec<(String, f64)>,
        /// Per-benchmark floors calibrated on this machine (`ethbench floors --paired … --write`);
        /// `none` to use only `--floor`. Default: ci/paired-floors.json, where it exists.
        #[arg(long)]
        calibrated_floors: Option<String>,
        /// Measurement budget in seconds for the whole run (preparation not counted).
        #[arg(long, default_value_t = 900.0, value_parser = parse_seconds, allow_negative_numbers = true)]
        budget: f64,
        /// Most rounds (each a fresh pair of processes) per benchmark.
        #[arg(long, default_value_t = 24)]
        max_rounds: usize,
        /// Plant a change on the head side, `PREFIX=uniform:PERCENT` or
        /// `PREFIX=amortized:EVERY` (repeatable; the head must be built with `--features plant`).
        #[arg(long = "plant", value_parser = parse_labelled)]
        plants: Vec<(String, String)>,
        /// Run only shard INDEX of COUNT (`1/2`): a share of the benchmarks (after the filter)
        /// balanced by --shard-weights; every shard computes the same split.
        #[arg(long)]
        shard: Option<ethbench::judge::ab::shard::Shard>,
        /// Seconds each benchmark measured in a whole run, `{id: seconds}` (ci/shard-weights.json);
        /// without it every benchmark weighs the same.
        #[arg(long, requires = "shard")]
        shard_weights: Option<PathBuf>,
        /// Time nothing and judge only the instruction counts (`--iai-baseline`):
        /// a pull request's counting job, on a runner of its own.
        #[arg(long, requires = "iai_baseline", conflicts_with_all = ["shard", "plants", "filter"])]
        counts_only: bool,
        #[command(flatten)]
        reports: Reports,
    },
    /// main's history: record a run, or render the trend page and summary
    /// and check for slow creep (exit 1 when a benchmark crept).
    History {
        #[command(subcommand)]
        action: HistoryAction,
    },
    /// The worker end of `ethbench ab`: requests on stdin, replies on stdout.
    #[command(hide = true)]
    Worker,
    /// Candidate stopping rules of the paired verdict, replayed on recorded
    /// A/A rounds: false alarms and detection of planted changes.
    #[command(hide = true)]
    StoppingRule {
        /// JSON of paired A/A runs (`ethbench ab --json`), such as `target/calibrate/aa-*.json`.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The floor a change must clear, in percent.
        #[arg(long, default_value = "2", value_parser = parse_percent)]
        floor: f64,
        /// Per-benchmark floors (ci/paired-floors.json), which win over `--floor` where they name the benchmark.
        #[arg(long)]
        calibrated_floors: Option<String>,
    },
    /// This machine in one line, as every results file names it; `--slug`
    /// for file names (`xeon-2core`).
    #[command(hide = true)]
    Machine {
        #[arg(long)]
        slug: bool,
    },
    /// Old name of `report table`.
    #[command(hide = true)]
    Table(TableArgs),
    /// Instruction counts: save iai-callgrind's latest run as the committed
    /// baseline, or check the latest run against it (see scripts/iai.sh).
    Iai {
        #[command(subcommand)]
        action: IaiAction,
    },
    /// Old name of `report precompiles`.
    #[command(hide = true)]
    Precompiles(BaselineArgs),
    /// Old name of `report opcodes`.
    #[command(hide = true)]
    Opcodes(BaselineArgs),
    /// Gas per second of every opcode, storage-access case and precompile
    /// input, slowest first, against a target: where gas is mispriced.
    Pricing {
        /// Criterion baseline to read (`cargo bench --bench evm --bench precompile` makes `new`).
        #[arg(long, default_value = "new", conflicts_with = "fresh")]
        baseline: String,
        /// Criterion's output directory.
        #[arg(long)]
        criterion_dir: Option<PathBuf>,
        /// Measure every case now, with the suite's timing loop, instead of reading Criterion's results.
        #[arg(long)]
        fresh: bool,
        /// With --fresh: seconds per workload.
        #[arg(long, default_value_t = 1.0, value_parser = parse_seconds, allow_negative_numbers = true, requires = "fresh")]
        seconds: f64,
        /// MGas/s below which a case is marked (default 60: a 60M-gas block in one second; docs/pricing.md says why).
        #[arg(long, default_value_t = ethbench::judge::pricing::DEFAULT_TARGET_MGAS, value_parser = parse_positive, allow_negative_numbers = true)]
        target_mgas: f64,
        /// Write the results file here (Markdown, with its chart `.svg` and raw `.json` beside it).
        #[arg(long)]
        write: Option<PathBuf>,
    },
    /// Search each parametric family of priced operations for the program
    /// that spends a gas budget slowest: the worst case, found rather than hand-written.
    Worst {
        /// Only this family (`keccak256`, `exp`, `copy`, `memory`, `log`, `cold_account`, `storage`, `modexp`,
        /// `hash_precompiles`, `blake2f`, `bn254_pairing`, `bls12_g1msm`, `bls12_g2msm`, `bls12_pairing`,
        /// `precompile_fixed`).
        #[arg(long)]
        family: Option<String>,
        /// Gas each program spends [default: 30000000; with --from, 1000000].
        #[arg(long, value_parser = parse_count, allow_negative_numbers = true)]
        gas: Option<u64>,
        /// Measuring time per point, seconds.
        #[arg(long, default_value_t = 0.6, value_parser = parse_seconds, allow_negative_numbers = true)]
        seconds: f64,
        /// No search: take each family's worst case from these results files (the `.json` beside a
        /// `--write`), re-make it to spend --gas, and write the list to --programs.
        #[arg(long, requires = "programs", conflicts_with_all = ["family", "counts", "reference", "write"])]
        from: Vec<PathBuf>,
        /// With --from: the program list `scripts/worstcase-fixtures.sh` fills with the execution
        /// specification (fixtures/worstcase/programs.json).
        #[arg(long, requires = "from")]
        programs: Option<PathBuf>,
        /// Points kept per family.
        #[arg(long, default_value_t = 3, value_parser = parse_count, allow_negative_numbers = true)]
        keep: u64,
        /// Confirm the kept points by their instruction counts (needs valgrind).
        #[arg(long)]
        counts: bool,
        /// Blockchain tests (files or directories) of hand-written worst cases, such as an
        /// execution-spec-tests benchmark release, to compare each family's worst with.
        #[arg(long)]
        reference: Vec<PathBuf>,
        /// MGas/s the report measures shortfalls against.
        #[arg(long, default_value_t = ethbench::judge::pricing::DEFAULT_TARGET_MGAS, value_parser = parse_positive, allow_negative_numbers = true)]
        target_mgas: f64,
        /// Write the results file here (Markdown, with its chart `.svg` and the programs in `.json` beside it).
        #[arg(long)]
        write: Option<PathBuf>,
    },
    /// The state at scale: build (or reuse) states of 10⁴ to 10⁷ entries on
    /// disk (10⁸ with `--max 1e8`), time every state operation at each with
    /// its I/O per operation, warm and cold, and fit the growth.
    Scale {
        /// Largest tier: 1e4, 1e5, 1e6, 1e7 (default) or 1e8.
        #[arg(long, conflicts_with = "tiers")]
        max: Option<String>,
        /// Exactly these tiers, comma-separated (`1e4,1e6`).
        #[arg(long)]
        tiers: Option<String>,
        /// Only cases whose name starts with this (`mdbx/read`, `trie/`, `evm/sload`).
        #[arg(long)]
        only: Option<String>,
        /// Measuring time per workload, in seconds.
        #[arg(long, default_value_t = 1.5, value_parser = parse_seconds, allow_negative_numbers = true)]
        seconds: f64,
        /// Write the results here (Markdown), with the plot (.svg) and the raw figures (.json) beside it.
        #[arg(long)]
        write: Option<PathBuf>,
        /// Remove every cached state (target/ethbench-scale) and exit.
        #[arg(long)]
        clean: bool,
    },
    /// A block's import stage by stage on the state at scale: each stage's time, share, MGas/s and I/O, with a stacked bar per block.
    Pipeline {
        /// Blocks, comma-separated: mixed_3m, mixed_30m, mixed_60m (default: mixed_30m,mixed_60m).
        #[arg(long)]
        blocks: Option<String>,
        /// The tier the blocks run on: 1e4 to 1e8 (default 1e6).
        #[arg(long)]
        tier: Option<String>,
        /// Instead of the generated blocks, the last block of each blockchain test in these files or
        /// directories (an execution-spec-tests benchmark release), on the test's own pre-state.
        #[arg(long, num_args = 1.., conflicts_with_all = ["blocks", "tier"])]
        input: Vec<PathBuf>,
        /// Measuring time per stage, in seconds.
        #[arg(long, default_value_t = 3.0, value_parser = parse_seconds, allow_negative_numbers = true)]
        seconds: f64,
        /// Write the results here (Markdown), with the chart (.svg) and the raw figures (.json) beside it.
        #[arg(long)]
        write: Option<PathBuf>,
        /// Write the generator's spec of one block (`--blocks NAME`) on the 10^4 tier to this file, for the
        /// execution specification to fill (scripts/pipeline-reference.sh), and exit.
        #[arg(long, value_name = "FILE")]
        spec: Option<PathBuf>,
    },
    /// Criterion's results as tables: every benchmark of a baseline (`report
    /// [PREFIX]`), the per-opcode costs (`report opcodes`), the precompiles
    /// (`report precompiles`), or several sides against a base (`report table`).
    #[command(args_conflicts_with_subcommands = true)]
    Report {
        #[command(subcommand)]
        kind: Option<ReportKind>,
        #[command(flatten)]
        results: BaselineArgs,
        /// Only benchmarks whose id starts with this.
        prefix: Option<String>,
        /// Print JSON instead of Markdown.
        #[arg(long)]
        json: bool,
    },
}

/// Which Criterion baseline, where.
#[derive(clap::Args)]
pub(crate) struct BaselineArgs {
    /// Criterion baseline: `new` is the latest run, or a name saved with `--save-baseline`.
    #[arg(long, default_value = "new")]
    pub(crate) baseline: String,
    /// Criterion's output directory.
    #[arg(long)]
    pub(crate) criterion_dir: Option<PathBuf>,
}

/// Several sides against a base.
#[derive(clap::Args)]
pub(crate) struct TableArgs {
    /// The base side: `LABEL=BASELINES` (`system=alloc-system-*`).
    #[arg(long, value_parser = parse_labelled)]
    pub(crate) base: (String, String),
    /// Another side, same form (repeatable).
    #[arg(long = "side", value_parser = parse_labelled, required = true)]
    pub(crate) sides: Vec<(String, String)>,
    /// Smallest change called real, in percent.
    #[arg(long, default_value_t = 3.0, value_parser = parse_percent, allow_negative_numbers = true)]
    pub(crate) floor: f64,
    /// Criterion's output directory.
    #[arg(long)]
    pub(crate) criterion_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
pub(crate) enum ReportKind {
    /// Per-opcode cost (baseline program subtracted) and MGas/s of the EVM
    /// workloads, from a Criterion run of `cargo bench --bench evm`.
    Opcodes(BaselineArgs),
    /// Time per call, gas and MGas/s of every precompile, from a Criterion
    /// run of `cargo bench --bench precompile`.
    Precompiles(BaselineArgs),
    /// One table of several sides against a base (allocators, toolchains):
    /// time per side and change against the base, judged by the comparator's rule.
    Table(TableArgs),
}

/// Where a comparison's reports go, and the instruction counts it also judges.
#[derive(clap::Args)]
pub(crate) struct Reports {
    /// Write the pull-request comment (Markdown) here (`-`: standard output).
    #[arg(long)]
    pub(crate) markdown: Option<PathBuf>,
    /// Write the full comparison as JSON here.
    #[arg(long)]
    pub(crate) json: Option<PathBuf>,
    /// Write the new (head) side in Bencher Metric Format here.
    #[arg(long)]
    pub(crate) bmf: Option<PathBuf>,
    /// Also judge the latest iai-callgrind run (target/iai) against this
    /// instruction-count baseline: a count that rose past its tolerance is a
    /// regression, whatever the times say.
    #[arg(long)]
    pub(crate) iai_baseline: Option<PathBuf>,
    /// Judge only these groups' counts (comma-separated: the groups this
    /// run counted, as a shard does); default every group.
    #[arg(long, value_delimiter = ',', value_parser = parse_counted_group, requires = "iai_baseline")]
    pub(crate) iai_groups: Vec<String>,
}

#[derive(clap::Args)]
pub(crate) struct ProfileArgs {
    /// Sample the CPU with pprof and write a flamegraph SVG.
    #[arg(long)]
    pub(crate) flame: bool,
    /// Where the flamegraph goes.
    #[arg(long, default_value = "flamegraph.svg", requires = "flame")]
    pub(crate) flame_output: PathBuf,
    /// Samples per second.
    #[arg(long, default_value_t = 1000, value_parser = parse_frequency, requires = "flame", allow_negative_numbers = true)]
    pub(crate) flame_frequency: i32,
    /// Profile only the first SECS of the run.
    #[arg(long, value_parser = parse_seconds, requires = "flame", allow_negative_numbers = true)]
    pub(crate) flame_duration: Option<f64>,
    /// Count allocations with dhat: allocations and bytes per op, peak live
    /// bytes, and a dhat-heap.json for the DHAT viewer (needs `--features heap`).
    #[arg(long)]
    pub(crate) heap: bool,
    /// Where dhat's profile goes.
    #[arg(long, default_value = "dhat-heap.json", requires = "heap")]
    pub(crate) heap_output: PathBuf,
}

/// Your own inputs, for `evm/bytecode`, `rlp/block`, `statetest` and `blocktest`.
#[derive(clap::Args, Default)]
pub(crate) struct InputArgs {
    /// statetest, blocktest: test files, or directories read recursively for `*.json`.
    pub(crate) paths: Vec<PathBuf>,
    /// statetest, blocktest: only entries of this fork (`Cancun`, `Prague`, `Osaka`, …).
    #[arg(long)]
    pub(crate) fork: Option<String>,
    /// statetest, blocktest: only cases whose id contains this.
    #[arg(long)]
    pub(crate) filter: Option<String>,
    /// evm/bytecode: runtime bytecode: a file of hex text (`0x` optional, whitespace ignored) or raw
    /// bytes, or the hex itself starting with `0x` (`--code 0x600160005500`).
    #[arg(long)]
    pub(crate) code: Option<PathBuf>,
    /// evm/bytecode: calldata as hex (default: none).
    #[arg(long)]
    pub(crate) calldata: Option<String>,
    /// evm/bytecode: gas limit of the call (default 16,000,000).
    #[arg(long)]
    pub(crate) gas_limit: Option<u64>,
    /// evm/bytecode: wei sent with the call.
    #[arg(long, value_parser = parse_wei)]
    pub(crate) value: Option<alloy_primitives::U256>,
    /// rlp/block: the block's RLP: a file of hex text or raw bytes, or the hex itself starting with `0x`.
    #[arg(long)]
    pub(crate) input: Option<PathBuf>,
    /// rlp/block: the block's receipts (an RLP list: a file of hex or raw bytes, or `0x…`), to compute the receipts root.
    #[arg(long)]
    pub(crate) receipts: Option<PathBuf>,
}

impl InputArgs {
    /// The first flag given for any of your own inputs.
    pub(crate) fn given(&self) -> Option<&'static str> {
        self.given_for_code_or_block().or(self.given_for_fixture_tests())
    }

    /// The first flag given for `evm/bytecode` or `rlp/block`.
    pub(crate) fn given_for_code_or_block(&self) -> Option<&'static str> {
        first_given([
            (self.code.is_some(), "--code"),
            (self.calldata.is_some(), "--calldata"),
            (self.gas_limit.is_some(), "--gas-limit"),
            (self.value.is_some(), "--value"),
            (self.input.is_some(), "--input"),
            (self.receipts.is_some(), "--receipts"),
        ])
    }

    /// The first argument given for `statetest` or `blocktest`.
    pub(crate) fn given_for_fixture_tests(&self) -> Option<&'static str> {
        first_given([
            (!self.paths.is_empty(), "a path"),
            (self.fork.is_some(), "--fork"),
            (self.filter.is_some(), "--filter"),
        ])
    }
}

fn first_given<const N: usize>(flags: [(bool, &'static str); N]) -> Option<&'static str> {
    flags.into_iter().find_map(|(given, flag)| given.then_some(flag))
}

pub(crate) fn parse_wei(s: &str) -> Result<alloy_primitives::U256, String> {
    s.parse().map_err(|_| format!("`{s}` is not an amount of wei"))
}

#[derive(Subcommand)]
pub(crate) enum HistoryAction {
    /// Write a record of a Criterion baseline into the history directory.
    Record {
        /// The history directory (a checkout of the `bench-history` branch).
        #[arg(long)]
        dir: PathBuf,
        /// The commit the baseline measured.
        #[arg(long)]
        commit: String,
        /// Criterion baseline to record.
        #[arg(long, default_value = "main")]
        baseline: String,
        /// Criterion's output directory.
        #[arg(long)]
        criterion_dir: Option<PathBuf>,
        /// The record's place in the history, seconds since the epoch
        /// (default: now); for a run that writes several records at once.
        #[arg(long)]
        unix: Option<u64>,
    },
    /// Render the trend page (HTML) and the summary (Markdown), and check for creep.
    Render {
        /// The history directory.
        #[arg(long)]
        dir: PathBuf,
        /// Write the trend page here.
        #[arg(long)]
        html: Option<PathBuf>,
        /// Write the Markdown summary here (`-`: standard output).
        #[arg(long)]
        markdown: Option<PathBuf>,
        /// Runs on each side of the creep check.
        #[arg(long, default_value_t = 5)]
        window: usize,
        /// How many runs back the earlier side ends.
        #[arg(long, default_value_t = 10)]
        lag: usize,
        /// Smallest creep reported, in percent; also the trend page's band.
        #[arg(long, default_value_t = 3.0, value_parser = parse_percent, allow_negative_numbers = true)]
        floor: f64,
        /// Web page of a commit, without its SHA (`https://github.com/OWNER/REPO/commit/`):
        /// the page's runs link to their commits.
        #[arg(long)]
        commit_url: Option<String>,
    },
    /// Write a record of a commit of main that was not measured, and why:
    /// the trend shows it as a gap with the reason.
    Skip {
        /// The history directory.
        #[arg(long)]
        dir: PathBuf,
        /// The commit that was not measured.
        #[arg(long)]
        commit: String,
        /// Why, in a line (`the suite failed: <run URL>`).
        #[arg(long)]
        reason: String,
        /// The record's place in the history, seconds since the epoch (default: now).
        #[arg(long)]
        unix: Option<u64>,
    },
}

#[derive(Subcommand)]
pub(crate) enum IaiAction {
    /// Write ci/iai-baseline.json from the summaries of the latest run.
    Save,
    /// Write the latest run's counts to FILE, one of the runs `spread` reads.
    Record { file: PathBuf },
    /// How far each twin's count moved over recorded runs of one build, and
    /// the tolerance that calls for (what `scripts/iai.sh --spread N` runs).
    Spread {
        /// Runs written by `ethbench iai record`, two at least.
        #[arg(required = true, num_args = 2..)]
        runs: Vec<PathBuf>,
        /// Set these tolerances in ci/iai-baseline.json, recording how they were derived. A
        /// tolerance already there that is wider stays: each twin's rare jumps show up in some
        /// sets of runs and not in others, so the evidence of earlier spreads is kept.
        #[arg(long)]
        write: bool,
        /// With --write: forget the committed tolerances and keep only these (after a change that
        /// removed a cause of spread).
        #[arg(long, requires = "write")]
        fresh: bool,
    },
    /// A/A of the counts: judge each recorded run after the first against the
    /// first, with ci/iai-baseline.json's tolerances, as a pull request's
    /// base and head are judged; exit 1 if any count rose past its tolerance.
    Aa {
        /// Runs written by `ethbench iai record`, two at least; the first is the base.
        #[arg(required = true, num_args = 2..)]
        runs: Vec<PathBuf>,
    },
    /// Compare the latest run with ci/iai-baseline.json: exit 1 if a count
    /// rose past its tolerance, a benchmark did not run, or one is new.
    Check {
        /// Fail only when a benchmark did not run or has no baseline; print
        /// the moved counts without failing. For a machine other than the
        /// one that took the baseline: glibc picks memcpy by CPU and cache
        /// size, so counts there are not comparable.
        #[arg(long)]
        report: bool,
        /// Only these groups must have run (evm, rlp, trie, recovery, precompile, db, pipeline); default all.
        #[arg(value_parser = parse_counted_group)]
        groups: Vec<String>,
    },
}

/// A group that has instruction-count twins.
pub(crate) fn parse_counted_group(s: &str) -> Result<String, String> {
    const COUNTED: [&str; 7] = ["evm", "rlp", "trie", "recovery", "precompile", "db", "pipeline"];
    if COUNTED.contains(&s) {
        Ok(s.to_owned())
    } else {
        Err(format!("`{s}` is not a group with instruction counts ({})", COUNTED.join(", ")))
    }
}

pub(crate) fn parse_percent(s: &str) -> Result<f64, String> {
    match s.trim_end_matches('%').parse::<f64>() {
        Ok(v) if (0.0..100.0).contains(&v) => Ok(v / 100.0),
        _ => Err(format!("`{s}` is not a percentage between 0 and 100")),
    }
}

pub(crate) fn parse_floor_for(s: &str) -> Result<(String, f64), String> {
    let (prefix, percent) = s.split_once('=').ok_or_else(|| format!("`{s}` is not PREFIX=PERCENT"))?;
    Ok((prefix.to_owned(), parse_percent(percent)?))
}

pub(crate) fn parse_labelled(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((label, spec)) if !label.is_empty() && !spec.is_empty() => Ok((label.to_owned(), spec.to_owned())),
        _ => Err(format!("`{s}` is not LABEL=BASELINES")),
    }
}

pub(crate) fn parse_frequency(s: &str) -> Result<i32, String> {
    match s.parse::<i32>() {
        Ok(v) if v > 0 => Ok(v),
        _ => Err(format!("`{s}` is not a positive number of samples per second")),
    }
}

pub(crate) fn parse_count(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(v) if v > 0 => Ok(v),
        _ => Err(format!("`{s}` is not a positive whole number")),
    }
}

pub(crate) fn parse_positive(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("`{s}` is not a positive number")),
    }
}

pub(crate) fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("`{s}` is not a positive number of seconds")),
    }
}
