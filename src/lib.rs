//! rsops: a SOPS-compatible file encryption library and tool.

pub mod cipher;
pub mod cli;
pub mod config;
pub mod crypt;
pub mod error;
pub mod format;
pub mod gofmt;
pub mod io;
pub mod keys;
pub mod keyservice;
pub mod metadata;
pub mod platform;
pub mod publish;
pub mod shamir;
pub mod stores;
pub mod timefmt;
pub mod tree;
pub mod walk;
