//! sops' key service protocol (`proto/keyservice.proto`): the generated
//! gRPC messages (always: the key sources map their keys to and from
//! them), and with the `keyservice` feature the tonic client and server
//! that carry them. A leaf module.

#[rustfmt::skip]
#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    unused_qualifications,
    unreachable_pub
)]
mod generated {
    include!("keyservice/generated.rs");
    #[cfg(feature = "keyservice")]
    include!("keyservice/generated_grpc.rs");
}

pub use generated::*;

use std::fmt;

// The generated messages that carry a data key print it redacted.
impl fmt::Debug for EncryptRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptRequest")
            .field("key", &self.key)
            .field(
                "plaintext",
                &format_args!("<{} bytes>", self.plaintext.len()),
            )
            .finish()
    }
}

impl fmt::Debug for DecryptResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptResponse")
            .field(
                "plaintext",
                &format_args!("<{} bytes>", self.plaintext.len()),
            )
            .finish()
    }
}
