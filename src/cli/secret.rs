//! `rsops secret generic`: see [`crate::kube::secret`].

use crate::error::Result;
use crate::kube::secret::{self, Meta, Source};

use super::args::{Global, SecretKind};

pub fn run(g: &Global, kind: &SecretKind) -> Result<i32> {
    let SecretKind::Generic {
        name,
        from_file,
        from_env_file,
        from_keys,
        type_,
        namespace,
        label,
        annotation,
    } = kind;
    let mut sources = Vec::new();
    for f in from_file {
        sources.push(secret::parse_from_file(f)?);
    }
    sources.extend(from_env_file.iter().cloned().map(Source::EnvFile));
    sources.extend(from_keys.iter().cloned().map(Source::Keys));
    let meta = Meta {
        name: name.clone(),
        namespace: namespace.clone(),
        type_: type_.clone(),
        labels: label
            .iter()
            .map(|l| secret::parse_pair("--label", l))
            .collect::<Result<_>>()?,
        annotations: annotation
            .iter()
            .map(|a| secret::parse_pair("--annotation", a))
            .collect::<Result<_>>()?,
    };
    let out = secret::build(&meta, &sources)?;
    match &g.output {
        Some(o) => crate::io::write_atomic(std::path::Path::new(o), &out)?,
        None => crate::io::write_stdout(&out)?,
    }
    Ok(0)
}
