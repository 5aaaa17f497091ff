//! The data key of a file: wrapped for every recipient when a file is
//! encrypted, recovered from whichever recipients can open it when it is
//! decrypted. This is where key groups, Shamir's scheme and the key
//! services (this process's own key sources, then `--keyservice` servers)
//! come together, above the key sources of [`crate::keys`].

use zeroize::Zeroizing;

use crate::error::{code, Error, Result};
use crate::keys::{check_data_key_len, check_enc_len, Credentials, KeyError, KeyResult, MasterKey};
use crate::keyservice::Remote;
use crate::metadata::Metadata;

/// The key services used to wrap and unwrap data keys, in the order they
/// are tried: the local one first (when enabled), then the remote ones in
/// the order given.
#[derive(Debug)]
pub struct Services {
    /// Use this process's own key sources (`--enable-local-keyservice`).
    pub local: bool,
    pub remotes: Vec<Remote>,
}

impl Default for Services {
    /// Local only, as without any key service flag.
    fn default() -> Self {
        Services {
            local: true,
            remotes: Vec::new(),
        }
    }
}

impl Services {
    /// From `--enable-local-keyservice` and the `--keyservice` URIs
    /// (`tcp://HOST:PORT`, `unix:///PATH`; the CLI checks them with
    /// `keyservice::check_uri`, and an invalid one fails when
    /// used). Connections are made on first use.
    pub fn new(local: bool, uris: &[String]) -> Services {
        let remotes = uris
            .iter()
            .map(|u| u.trim())
            .filter(|u| !u.is_empty())
            .map(Remote::new)
            .collect();
        Services { local, remotes }
    }

    fn local_only(&self) -> bool {
        self.local && self.remotes.is_empty()
    }

    fn none_error(&self) -> String {
        "no key service to use: the local key service is disabled (--enable-local-keyservice=false) and no --keyservice was given".to_string()
    }
}

/// What a run uses to wrap and unwrap data keys: the credentials this
/// process's key sources load (identities are read once per run, however
/// many files or keys are processed) and the key services to ask.
#[derive(Default)]
pub struct Context {
    pub credentials: Credentials,
    pub services: Services,
}

impl Context {
    /// A context using these key services.
    pub fn with_services(services: Services) -> Context {
        Context {
            credentials: Credentials::default(),
            services,
        }
    }
}

/// Why a new data key could not be wrapped for the recipients. Which exit
/// code that is depends on the command (sops: 128 when `edit` creates a
/// file, 1 elsewhere), so the callers decide it.
#[derive(Debug, thiserror::Error)]
pub enum WrapError {
    /// No key group holds a key.
    #[error("no recipients: give keys with --age (or SOPS_AGE_RECIPIENTS), --pgp, --kms, … or a creation rule in .sops.yaml")]
    NoRecipients,
    /// A key group is empty (sops' message).
    #[error("Could not generate data key: [empty key group provided]")]
    EmptyGroup,
    /// The Shamir split failed (a threshold beyond the number of groups).
    #[error("could not split the data key for Shamir secret sharing")]
    Split(#[source] crate::shamir::ShamirError),
    /// These recipients could not be given the key; every one is listed.
    #[error("could not encrypt the data key: {}", list(.0))]
    Keys(Vec<KeyError>),
}

fn list(errs: &[KeyError]) -> String {
    let texts: Vec<String> = errs.iter().map(ToString::to_string).collect();
    texts.join("; ")
}

/// Wrap `secret` (the data key or a Shamir share) for `key` with the first
/// key service of `ctx` that succeeds. The error names the key, and each
/// key service's failure.
pub fn wrap_key(ctx: &mut Context, key: &mut MasterKey, secret: &[u8]) -> KeyResult<()> {
    if ctx.services.local_only() || !key.known() {
        return key.wrap(secret);
    }
    let mut errs: Vec<KeyError> = Vec::new();
    if ctx.services.local {
        match key.wrap(secret) {
            Ok(()) => return Ok(()),
            Err(e) => errs.push(e.context("local key service")),
        }
    }
    if let Some(msg) = crate::keys::to_proto(key) {
        for remote in ctx.services.remotes.iter_mut() {
            let got = remote.encrypt(&msg, secret).and_then(|ct| {
                let enc = String::from_utf8(ct).map_err(|_| {
                    KeyError::Service(
                        "the key service returned an encrypted data key that is not text".into(),
                    )
                })?;
                if enc.is_empty() {
                    return Err(KeyError::Service(
                        "the key service returned an empty encrypted data key".into(),
                    ));
                }
                key.set_enc(enc);
                Ok(())
            });
            match got {
                Ok(()) => return Ok(()),
                Err(e) => errs.push(e.context(format!("key service {}", remote.uri()))),
            }
        }
    }
    let label = key.label();
    Err(all_failed(errs, ctx).map(|m| format!("could not encrypt the data key with {label}: {m}")))
}

/// The failures of every key service asked, as one error of the first
/// one's kind listing them all (a local failure when none could be asked).
fn all_failed(errs: Vec<KeyError>, ctx: &Context) -> KeyError {
    let mut errs = errs.into_iter();
    let Some(first) = errs.next() else {
        return KeyError::Local(ctx.services.none_error());
    };
    let rest: Vec<String> = errs.map(|e| e.to_string()).collect();
    if rest.is_empty() {
        return first;
    }
    first.map(|m| format!("{m}; {}", rest.join("; ")))
}

/// Unwrap the data key (or share) stored for `key` with the first key
/// service of `ctx` that succeeds. When several were asked and all
/// failed, the error is the first one's kind with every failure in its
/// message.
pub fn unwrap_key(ctx: &mut Context, key: &MasterKey) -> KeyResult<Zeroizing<Vec<u8>>> {
    if ctx.services.local_only() || !key.known() {
        return key.unwrap_key(&mut ctx.credentials);
    }
    let mut errs = Vec::new();
    if ctx.services.local {
        match key.unwrap_key(&mut ctx.credentials) {
            Ok(p) => return Ok(p),
            Err(e) => errs.push(e.context("local key service")),
        }
    }
    if let Some(msg) = crate::keys::to_proto(key) {
        for remote in ctx.services.remotes.iter_mut() {
            match remote.decrypt(&msg, key.enc().as_bytes()) {
                Ok(p) => return Ok(p),
                Err(e) => errs.push(e.context(format!("key service {}", remote.uri()))),
            }
        }
    }
    Err(all_failed(errs, ctx))
}

/// Wrap a new data key for every recipient, splitting it with Shamir's
/// scheme when there are several key groups.
pub fn wrap_data_key(
    md: &mut Metadata,
    key: &crate::cipher::DataKey,
    ctx: &mut Context,
) -> std::result::Result<(), WrapError> {
    if md.key_groups.is_empty() || md.key_groups.iter().all(|g| g.is_empty()) {
        return Err(WrapError::NoRecipients);
    }
    if md.key_groups.iter().any(|g| g.is_empty()) {
        return Err(WrapError::EmptyGroup);
    }
    let parts: Vec<Zeroizing<Vec<u8>>> = if md.key_groups.len() == 1 {
        vec![Zeroizing::new(key.as_bytes().to_vec())]
    } else {
        if md.shamir_threshold == 0 {
            md.shamir_threshold = md.key_groups.len();
        }
        crate::shamir::split(key.as_bytes(), md.key_groups.len(), md.shamir_threshold)
            .map_err(WrapError::Split)?
    };
    let mut errors = Vec::new();
    for (group, part) in md.key_groups.iter_mut().zip(parts.iter()) {
        for k in group.iter_mut() {
            if let Err(e) = wrap_key(ctx, k, part) {
                errors.push(e);
            }
        }
    }
    if !errors.is_empty() {
        return Err(WrapError::Keys(errors));
    }
    Ok(())
}

/// A decryption order as `--decryption-order` and `SOPS_DECRYPTION_ORDER`
/// give it: key types separated by commas (spaces around them and empty
/// entries ignored).
pub fn parse_decryption_order(list: &str) -> Vec<String> {
    list.split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Default order in which key types are tried (sops: age, then pgp, then the rest).
pub const DEFAULT_DECRYPTION_ORDER: [&str; 2] = ["age", "pgp"];

/// Why the data key could not be recovered, for programs: every key that
/// was tried and its failure, by key group. It is the cause of the
/// [`Error`] that [`unwrap_data_key`] returns (exit code 128), whose
/// message is sops' report of the same (`Group 0: FAILED` …); its own text
/// is that report's last sentence.
#[derive(Debug, thiserror::Error)]
#[error("{why}")]
pub struct RecoveryError {
    /// Per key group, in file order: each key tried (as sops names it) and
    /// why it failed; empty for a group that gave its part.
    pub groups: Vec<Vec<(String, KeyError)>>,
    why: String,
}

/// Recover the data key: in each group try the keys in decryption order until
/// one works; with several groups, combine shares once the threshold is met.
///
/// On failure the error's [`source`](std::error::Error::source) is a
/// [`RecoveryError`].
pub fn unwrap_data_key(
    md: &Metadata,
    order: &[String],
    ctx: &mut Context,
) -> Result<crate::cipher::DataKey> {
    let prio = |k: &MasterKey| {
        let t = k.type_id();
        if order.is_empty() {
            DEFAULT_DECRYPTION_ORDER
                .iter()
                .position(|o| *o == t)
                .unwrap_or(DEFAULT_DECRYPTION_ORDER.len())
        } else {
            order.iter().position(|o| o == t).unwrap_or(order.len())
        }
    };
    let groups = md.key_groups.len();
    let needed = if groups > 1 {
        if md.shamir_threshold == 0 {
            groups
        } else {
            md.shamir_threshold
        }
    } else {
        1
    };
    let mut parts = Vec::new();
    let mut report = String::new();
    let mut failures: Vec<Vec<(String, KeyError)>> = Vec::new();
    for (gi, group) in md.key_groups.iter().enumerate() {
        let mut idx: Vec<usize> = (0..group.len()).collect();
        idx.sort_by_key(|&i| prio(&group[i]));
        let mut errs = Vec::new();
        let mut ok = false;
        for i in idx {
            let got = check_enc_len(group[i].enc())
                .and_then(|()| unwrap_key(ctx, &group[i]))
                .and_then(|p| check_data_key_len(p.len()).map(|()| p));
            match got {
                Ok(p) => {
                    parts.push(p);
                    ok = true;
                    break;
                }
                Err(e) => errs.push((group[i].describe(), e)),
            }
        }
        if ok {
            report.push_str(&format!("Group {gi}: SUCCESS\n"));
            failures.push(Vec::new());
        } else {
            report.push_str(&format!("Group {gi}: FAILED\n"));
            for (name, e) in &errs {
                report.push_str(&format!("  {name}: FAILED\n    - {e}\n"));
            }
            failures.push(errs);
        }
        if parts.len() >= needed {
            break;
        }
    }
    if parts.len() < needed {
        let why = if groups > 1 {
            format!("Recovery failed because only {} key group(s) could be decrypted, and {needed} are needed.", parts.len())
        } else {
            "Recovery failed because no master key was able to decrypt the file. At least one key has to be successful.".to_string()
        };
        return Err(Error::with_source(
            code::COULD_NOT_RETRIEVE_KEY,
            format!(
                "Failed to get the data key required to decrypt the SOPS file.\n\n{report}\n{why}"
            ),
            RecoveryError {
                groups: failures,
                why,
            },
        ));
    }
    let key = if groups > 1 {
        crate::shamir::combine(&parts).map_err(|e| {
            Error::with_source(
                code::COULD_NOT_RETRIEVE_KEY,
                "could not combine the key shares",
                e,
            )
        })?
    } else {
        parts.pop().unwrap_or_default()
    };
    Ok(crate::cipher::DataKey::from_bytes(key.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::keys::age::{self, AgeKey};
    use crate::keys::{MAX_DATA_KEY_LEN, MAX_ENC_LEN};

    fn age_key(recipient: &str, secret: &[u8]) -> MasterKey {
        MasterKey::new(AgeKey {
            recipient: recipient.to_string(),
            enc: age::wrap(recipient, secret).unwrap(),
        })
    }

    #[test]
    fn recovered_data_keys_and_enc_fields_are_capped() {
        let id = ::age::x25519::Identity::generate();
        let r = id.to_public().to_string();
        let mut ctx = Context::default();
        ctx.credentials.insert("age", age::Identities::of(id));
        let md = |group: Vec<MasterKey>| Metadata {
            key_groups: vec![group],
            ..Default::default()
        };
        let good = [5u8; 32];
        // A key that gives back more than MAX_DATA_KEY_LEN bytes fails like
        // a key that cannot decrypt; another key of the group still works.
        let long = age_key(&r, &[1u8; MAX_DATA_KEY_LEN + 1]);
        let e = unwrap_data_key(&md(vec![long.clone()]), &[], &mut ctx).unwrap_err();
        assert_eq!(e.code(), crate::error::code::COULD_NOT_RETRIEVE_KEY);
        assert!(
            e.message().contains("more than 64 bytes"),
            "{}",
            e.message()
        );
        let k = unwrap_data_key(&md(vec![long, age_key(&r, &good)]), &[], &mut ctx).unwrap();
        assert_eq!(k.as_bytes(), &good);
        // An enc field over MAX_ENC_LEN is refused before it is decoded.
        let mut huge = age_key(&r, &good);
        let mut a = huge.get::<AgeKey>().unwrap().clone();
        a.enc.push_str(&" ".repeat(MAX_ENC_LEN));
        huge = MasterKey::new(a);
        let e = unwrap_data_key(&md(vec![huge.clone()]), &[], &mut ctx).unwrap_err();
        assert!(e.message().contains("enc field is"), "{}", e.message());
        // Programs get the same as typed values: which key, and why.
        let r = e
            .source_as::<RecoveryError>()
            .expect("a RecoveryError cause");
        assert_eq!(r.groups.len(), 1);
        assert!(
            matches!(r.groups[0][..], [(_, KeyError::Refused(_))]),
            "{r:?}"
        );
        // The report names the cause's text once.
        assert_eq!(e.message().matches("Recovery failed because").count(), 1);
        assert!(huge
            .unwrap_key(&mut ctx.credentials)
            .unwrap_err()
            .to_string()
            .contains("enc field is"));
        // The caps fit what sops writes: a data key, a Shamir share.
        assert!(check_data_key_len(33).is_ok() && check_data_key_len(65).is_err());
        assert!(check_enc_len(&"x".repeat(MAX_ENC_LEN)).is_ok());
    }
}
