//! The real mainnet blocks: their bodies and receipts reproduce the values
//! their headers publish, recovered senders pass the one check the chain
//! allows, and a block whose header does not match its body is refused.

mod common;

use alloy_rlp::Decodable;
use ethbench::data::mainnet::{check_nonce_sequences, Mainnet};
use ethbench::data::{self, EthBlock, Fixtures};
use ethbench::groups::recovery::{recover_block, Backend};

#[test]
fn mainnet_blocks_reproduce_their_published_headers() {
    let fx = Fixtures::open_default().unwrap();
    let mainnet = Mainnet::load(&fx).unwrap_or_else(|e| panic!("{e}"));
    for number in data::MAINNET_BLOCKS {
        let m = mainnet.block(number);
        // The manifest's values are the published header file's, byte for byte.
        let published: data::PublishedHeader = fx.json(&data::mainnet_header(number)).unwrap();
        assert_eq!(m.expected, published, "block {number}");
        assert_eq!(m.block.value.header.hash_slow(), m.expected.hash, "block {number}");
    }
}

#[test]
fn both_backends_recover_the_same_senders_with_consecutive_nonces() {
    let fx = Fixtures::open_default().unwrap();
    let mainnet = Mainnet::load(&fx).unwrap();
    for number in data::MAINNET_BLOCKS {
        let block = &mainnet.block(number).block.value;
        let k256 = recover_block(Backend::K256, &block.body.transactions, false).unwrap();
        let secp = recover_block(Backend::Secp256k1, &block.body.transactions, true).unwrap();
        assert_eq!(k256, secp, "block {number}");
        check_nonce_sequences(block, &k256).unwrap_or_else(|e| panic!("block {number}: {e}"));
        // A wrong sender shows: give every transaction the first one's.
        let wrong = vec![k256[0]; k256.len()];
        assert!(check_nonce_sequences(block, &wrong).is_err(), "block {number}");
    }
}

#[test]
fn a_block_whose_header_does_not_match_its_body_is_refused_in_one_line() {
    let number = data::MAINNET_BLOCKS[1];
    let name = data::mainnet_block(number);
    let fx = Fixtures::open_default().unwrap();
    let mut block = EthBlock::decode(&mut fx.bytes(&name).unwrap().as_slice()).unwrap();
    block.body.transactions.swap(0, 1);
    let dir = tempfile::tempdir().unwrap();
    common::fixtures_with(dir.path(), &name, &alloy_rlp::encode(&block));

    let err = Mainnet::load(&Fixtures::open(dir.path()).unwrap()).err().expect("refused").to_string();
    assert!(err.contains(&name) && err.contains("header does not match its body: transactions root"), "{err}");
    assert!(!err.contains('\n'), "{err}");

    let id = format!("rlp/decode/mainnet_{number}");
    let (code, _, stderr) = common::ethbench_env(&["run", &id], &[(data::DIR_ENV, dir.path().to_str().unwrap())]);
    assert_eq!(code, 2, "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("header does not match its body"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
