//! Your own inputs: `ethbench run|bench evm/bytecode` and `rlp/block` on the
//! committed samples and on inputs made here, and every bad input refused in
//! one line with exit status 2.

mod common;

use std::path::Path;

use common::{assert_refused, ethbench, ethbench_env};

fn assert_ran(args: &[&str]) -> String {
    let (code, stdout, stderr) = ethbench(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stdout
}

fn write(dir: &Path, name: &str, data: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, data).unwrap();
    path.to_str().unwrap().to_owned()
}

const KECCAK_LOOP: &str = "fixtures/evm/contracts/KeccakLoop.bin";
/// `chain(uint256)` with n = 100.
const CHAIN_100: &str = "0x5852cc0c0000000000000000000000000000000000000000000000000000000000000064";

#[test]
fn committed_contract_runs_and_reports_gas() {
    let selector = &alloy_primitives::keccak256("chain(uint256)")[..4];
    assert_eq!(&CHAIN_100[2..10], alloy_primitives::hex::encode(selector), "calldata is chain(100)");
    let out = assert_ran(&["run", "evm/bytecode", "--code", KECCAK_LOOP, "--calldata", CHAIN_100, "--iters", "20"]);
    assert!(out.contains("the call succeeds, uses"), "{out}");
    assert!(out.contains("input/evm/KeccakLoop: 20 iterations"), "{out}");
    assert!(out.contains("MGas/s"), "{out}");
}

#[test]
fn code_as_raw_bytes_or_spaced_hex() {
    let dir = tempfile::tempdir().unwrap();
    // PUSH1 1 PUSH1 2 ADD POP STOP
    let program = [0x60, 0x01, 0x60, 0x02, 0x01, 0x50, 0x00];
    let raw = write(dir.path(), "raw.bin", program);
    let hex = write(dir.path(), "spaced.hex", "0x6001 6002\n01 50 00\n");
    for code in [raw, hex] {
        let out = assert_ran(&["run", "evm/bytecode", "--code", &code, "--iters", "5"]);
        // 21000 + 3 + 3 + 3 + 2
        assert!(out.contains("uses 21011 gas"), "{out}");
    }
}

#[test]
fn failing_calls_say_why_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let revert = write(dir.path(), "revert.hex", "60006000fd");
    assert_refused(&["run", "evm/bytecode", "--code", &revert], "reverts");
    assert_refused(&["run", "evm/bytecode", "--code", &revert], "at pc 4 (REVERT)");
    let spin = write(dir.path(), "spin.hex", "5b600056");
    assert_refused(&["run", "evm/bytecode", "--code", &spin, "--gas-limit", "50000"], "runs out of gas");
    let invalid = write(dir.path(), "invalid.hex", "6001fe");
    assert_refused(&["run", "evm/bytecode", "--code", &invalid], "invalid opcode");
    assert_refused(&["run", "evm/bytecode", "--code", &invalid], "at pc 2");
}

#[test]
fn bad_bytecode_input_is_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let ok = write(dir.path(), "ok.hex", "00");
    assert_refused(&["run", "evm/bytecode", "--code", "no/such/file.hex"], "no such file");
    let text = write(dir.path(), "text.hex", "0x60zz");
    assert_refused(&["run", "evm/bytecode", "--code", &text], "is not hex");
    let empty = write(dir.path(), "empty.hex", "  \n");
    assert_refused(&["run", "evm/bytecode", "--code", &empty], "holds no bytes");
    assert_refused(&["run", "evm/bytecode", "--code", &ok, "--calldata", "0xabc"], "--calldata");
    assert_refused(&["run", "evm/bytecode", "--code", &ok, "--gas-limit", "0"], "must be above 0");
    assert_refused(&["run", "evm/bytecode"], "needs --code");
    assert_refused(&["run", "rlp/decode/header", "--code", &ok], "--code is for your own inputs");
}

fn fixture_block_hex(dir: &Path) -> String {
    let block = std::fs::read("fixtures/block_200tx/block.rlp").unwrap();
    write(dir, "block.hex", alloy_primitives::hex::encode_prefixed(block))
}

#[test]
fn a_block_is_decoded_recovered_and_its_roots_printed() {
    let dir = tempfile::tempdir().unwrap();
    let block = fixture_block_hex(dir.path());
    let out = assert_ran(&[
        "run",
        "rlp/block",
        "--input",
        &block,
        "--receipts",
        "fixtures/block_200tx/receipts.rlp",
        "--iters",
        "2",
    ]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read("fixtures/manifest.json").unwrap()).unwrap();
    let expected = &manifest["files"]["block_200tx/block.rlp"]["expected"];
    let tx_root = expected["transactions_root"].as_str().unwrap();
    assert!(out.contains(&format!("transactions root {tx_root} (computed; matches the header)")), "{out}");
    assert!(out.contains(expected["header_hash"].as_str().unwrap()), "{out}");
    assert!(out.contains("receipts root 0x") && out.contains("matches the header"), "{out}");
    for id in ["decode", "recover_k256_sequential", "recover_secp256k1_rayon", "transactions_root", "receipts_root"] {
        assert!(out.contains(&format!("input/block/block/{id}: 2 iterations")), "{id}: {out}");
    }
}

#[test]
fn bad_blocks_are_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut block = std::fs::read("fixtures/block_200tx/block.rlp").unwrap();
    let garbage = write(dir.path(), "garbage.bin", [0xc0 + 5, 1, 2]);
    assert_refused(&["run", "rlp/block", "--input", &garbage], "is not a block in RLP");
    block.push(0x80);
    let trailing = write(dir.path(), "trailing.rlp", &block);
    assert_refused(&["run", "rlp/block", "--input", &trailing], "1 bytes after the block");
    let good = fixture_block_hex(dir.path());
    let wrong_receipts = write(dir.path(), "receipts.hex", "0xc0");
    assert_refused(&["run", "rlp/block", "--input", &good, "--receipts", &wrong_receipts], "receipts root");
    assert_refused(&["run", "rlp/block"], "needs --input");
}

#[test]
fn bench_saves_and_compares_a_named_baseline() {
    let home = tempfile::tempdir().unwrap();
    let env = [("CRITERION_HOME", home.path().to_str().unwrap()), ("ETHBENCH_MEASUREMENT_SECS", "0.2")];
    let ethbench_in = |args: &[&str]| ethbench_env(args, &env);
    let args = ["bench", "evm/bytecode", "--code", KECCAK_LOOP, "--calldata", CHAIN_100];
    let (code, _, stderr) = ethbench_in(&[&args[..], &["--baseline", "before"]].concat());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("baseline `before`") || stderr.contains("no Criterion results"), "{stderr}");
    let (code, _, stderr) = ethbench_in(&[&args[..], &["--save-baseline", "before"]].concat());
    assert_eq!(code, 0, "{stderr}");
    assert!(home.path().join("input_evm/KeccakLoop/before/estimates.json").exists(), "{stderr}");
    let (code, stdout, stderr) = ethbench_in(&[&args[..], &["--baseline", "before"]].concat());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("input/evm/KeccakLoop"), "{stdout}");
    assert!(stdout.contains("change:") || stdout.contains("No change") || stdout.contains("Change within"), "{stdout}");
}

#[test]
fn bytecode_beyond_the_osaka_gas_cap_runs_with_the_cap_lifted() {
    let dir = tempfile::tempdir().unwrap();
    // PUSH3 1_000_000; loop: JUMPDEST PUSH1 1 SWAP1 SUB DUP1 PUSH1 4 JUMPI; STOP
    // 21,000 intrinsic + 3 (PUSH3) + 10^6 turns of 26 (1+3+3+3+3+3+10) = 26,021,003
    // gas, above Osaka's 2^24 (16,777,216).
    let big = write(dir.path(), "countdown.hex", "620f42405b600190038060045700");
    let out = assert_ran(&["run", "evm/bytecode", "--code", &big, "--gas-limit", "30000000", "--iters", "2"]);
    assert!(out.contains("uses 26021003 gas"), "{out}");
    assert!(out.contains("above Osaka's per-transaction cap of 16777216 (EIP-7825); the cap is lifted"), "{out}");
    // Under the default limit (below the cap), the same code runs out of gas, and says so.
    assert_refused(&["run", "evm/bytecode", "--code", &big], "runs out of gas");
}

#[test]
fn a_block_and_its_receipts_can_be_given_as_inline_hex() {
    let hex = |path: &str| alloy_primitives::hex::encode_prefixed(std::fs::read(path).unwrap());
    let (block, receipts) = (hex("fixtures/mainnet/19426587.block.rlp"), hex("fixtures/mainnet/19426587.receipts.rlp"));
    let out = assert_ran(&["run", "rlp/block", "--input", &block, "--receipts", &receipts, "--iters", "2"]);
    let header: serde_json::Value =
        serde_json::from_slice(&std::fs::read("fixtures/mainnet/19426587.header.json").unwrap()).unwrap();
    assert!(out.contains(header["hash"].as_str().unwrap()), "the published header's hash: {out}");
    assert!(
        out.contains("receipts root 0x") && out.contains("(computed from --receipts; matches the header)"),
        "{out}"
    );
    assert!(out.contains("input/block/inline/decode: 2 iterations"), "{out}");
    assert_refused(&["run", "rlp/block", "--input", "0xzz"], "--input: names no file and is not hex");
}
