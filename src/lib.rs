//! rsops: a SOPS-compatible file encryption library and tool.
//!
//! Files in sops' format (YAML, JSON, dotenv, INI, binary; TOML as an
//! addition) hold their values encrypted with AES-256-GCM under a data key
//! that is wrapped for every recipient. This crate reads and writes them
//! exactly as sops 3.x does.
//!
//! The API for programs:
//!
//! * [`file`](mod@file): decrypt and encrypt files in one call ([`file::Decryptor`],
//!   [`file::Encryptor`]), or step by step;
//! * [`format::Format`], the file formats, and [`tree`], the format-neutral
//!   document model (with sops' tree paths, `["a"][0]`);
//! * [`keys`], the recipients (master keys) and the trait every key source
//!   implements; [`datakey`], how a file's data key is wrapped and
//!   recovered (key groups, Shamir's scheme, key services);
//! * [`metadata`], the `sops` block; [`error`], errors with sops' exit codes.
//!
//! The modules marked hidden serve the `rsops` binary, its fuzz targets and
//! its tests; they are not a stable interface.

pub mod datakey;
pub mod error;
pub mod file;
pub mod format;
pub mod keys;
pub mod metadata;
pub mod proto;
pub mod tree;

#[doc(hidden)]
pub mod cipher;
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod crypt;
#[doc(hidden)]
pub mod kube;
#[doc(hidden)]
pub mod platform;
#[doc(hidden)]
pub mod stores;

pub(crate) mod config;
pub(crate) mod gofmt;
pub(crate) mod io;
pub(crate) mod keyservice;
#[cfg(feature = "publish")]
pub(crate) mod publish;
pub(crate) mod shamir;
pub(crate) mod timefmt;
pub(crate) mod walk;
