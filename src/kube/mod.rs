//! Kubernetes: rsops as KSOPS (the kustomize SOPS plugin), and Secrets
//! built from encrypted files.

pub mod decrypt;
pub mod dotenv;
pub mod generator;
pub mod ksops;
pub mod secret;
