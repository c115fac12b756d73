//! `ethbench worst`: for each parametric family of priced operations
//! (KECCAK256 and the copies by size, memory expansion by size, EXP by
//! exponent bytes, LOG by topics and data, cold account and storage access,
//! MODEXP by lengths and exponent, BLAKE2F by rounds, BN254 and BLS12-381
//! pairings and MSMs by pairs, the fixed-price precompiles), search the
//! parameters for the program that spends a gas budget slowest: the lowest
//! MGas/s. Found, not written by hand. Each family's winner then becomes a
//! program for the execution specification to fill as a state test and a
//! blockchain test (`fixture`).

pub mod counts;
pub mod families;
pub mod fixture;
mod program;
pub mod report;
pub mod search;
