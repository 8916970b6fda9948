//! A software passkey for the tests: a P-256 key that answers the server's WebAuthn options the
//! way a platform authenticator with a screen lock does (attestation `none`, user present and
//! verified, a discoverable credential carrying the user handle). Written here, on the RustCrypto
//! `p256` crate the passkey library already uses, rather than pulling in a whole authenticator
//! crate: the CBOR it needs is five value kinds.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The few CBOR values an attestation object needs.
enum Cbor {
    Int(i64),
    Bytes(Vec<u8>),
    Text(&'static str),
    Map(Vec<(Cbor, Cbor)>),
}

fn head(major: u8, n: u64, out: &mut Vec<u8>) {
    let major = major << 5;
    match n {
        0..=23 => out.push(major | n as u8),
        24..=0xff => out.extend([major | 24, n as u8]),
        0x100..=0xffff => {
            out.push(major | 25);
            out.extend((n as u16).to_be_bytes());
        }
        _ => {
            out.push(major | 26);
            out.extend((n as u32).to_be_bytes());
        }
    }
}

fn encode(value: &Cbor, out: &mut Vec<u8>) {
    match value {
        Cbor::Int(n) if *n >= 0 => head(0, *n as u64, out),
        Cbor::Int(n) => head(1, (-1 - *n) as u64, out),
        Cbor::Bytes(b) => {
            head(2, b.len() as u64, out);
            out.extend(b);
        }
        Cbor::Text(t) => {
            head(3, t.len() as u64, out);
            out.extend(t.as_bytes());
        }
        Cbor::Map(entries) => {
            head(5, entries.len() as u64, out);
            for (k, v) in entries {
                encode(k, out);
                encode(v, out);
            }
        }
    }
}

/// User present, user verified, attested credential data included.
const FLAGS_CREATE: u8 = 0x01 | 0x04 | 0x40;
/// User present and verified.
const FLAGS_GET: u8 = 0x01 | 0x04;

/// One passkey held by a test "device".
pub struct SoftPasskey {
    key: SigningKey,
    credential_id: Vec<u8>,
    user_handle: Vec<u8>,
    origin: String,
    rp_id: String,
    counter: u32,
    /// Whether the user verification flag is set (a device without a screen lock: `false`).
    pub verified: bool,
}

impl SoftPasskey {
    /// A fresh key for the relying party at `origin` (`http://localhost:3999`).
    pub fn new(origin: &str) -> Self {
        let seed = Sha256::digest(crate::support::random_hex(32).as_bytes());
        let credential_id = Sha256::digest(seed).to_vec();
        let rp_id = url_host(origin);
        Self {
            key: SigningKey::from_slice(&seed).expect("a valid P-256 scalar"),
            credential_id,
            user_handle: Vec::new(),
            origin: origin.to_owned(),
            rp_id,
            counter: 0,
            verified: true,
        }
    }

    fn client_data(&self, kind: &str, options: &Value) -> Vec<u8> {
        let challenge = options["publicKey"]["challenge"]
            .as_str()
            .expect("a challenge");
        serde_json::to_vec(&json!({
            "type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": false,
        }))
        .unwrap()
    }

    fn flags(&self, flags: u8) -> u8 {
        if self.verified { flags } else { flags & !0x04 }
    }

    /// The answer to `navigator.credentials.create` with `options` (the server's `options`).
    pub fn register(&mut self, options: &Value) -> Value {
        let user = options["publicKey"]["user"]["id"]
            .as_str()
            .expect("a user handle");
        self.user_handle = B64.decode(user).expect("base64url user handle");
        let client_data = self.client_data("webauthn.create", options);
        let point = self.key.verifying_key().to_sec1_point(false);
        let xy = &point.as_bytes()[1..];
        let cose = Cbor::Map(vec![
            (Cbor::Int(1), Cbor::Int(2)),
            (Cbor::Int(3), Cbor::Int(-7)),
            (Cbor::Int(-1), Cbor::Int(1)),
            (Cbor::Int(-2), Cbor::Bytes(xy[..32].to_vec())),
            (Cbor::Int(-3), Cbor::Bytes(xy[32..].to_vec())),
        ]);
        let mut auth_data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        auth_data.push(self.flags(FLAGS_CREATE));
        auth_data.extend(self.counter.to_be_bytes());
        auth_data.extend([0; 16]);
        auth_data.extend((self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend(&self.credential_id);
        encode(&cose, &mut auth_data);
        let attestation = Cbor::Map(vec![
            (Cbor::Text("fmt"), Cbor::Text("none")),
            (Cbor::Text("attStmt"), Cbor::Map(vec![])),
            (Cbor::Text("authData"), Cbor::Bytes(auth_data)),
        ]);
        let mut attestation_object = Vec::new();
        encode(&attestation, &mut attestation_object);
        json!({
            "id": B64.encode(&self.credential_id),
            "rawId": B64.encode(&self.credential_id),
            "type": "public-key",
            "response": {
                "attestationObject": B64.encode(attestation_object),
                "clientDataJSON": B64.encode(client_data),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        })
    }

    /// The answer to `navigator.credentials.get` with `options`.
    pub fn assert(&mut self, options: &Value) -> Value {
        self.counter += 1;
        let client_data = self.client_data("webauthn.get", options);
        let mut auth_data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        auth_data.push(self.flags(FLAGS_GET));
        auth_data.extend(self.counter.to_be_bytes());
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": B64.encode(&self.credential_id),
            "rawId": B64.encode(&self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": B64.encode(auth_data),
                "clientDataJSON": B64.encode(client_data),
                "signature": B64.encode(signature.to_der().as_bytes()),
                "userHandle": B64.encode(&self.user_handle),
            },
            "clientExtensionResults": {},
        })
    }
}

fn url_host(origin: &str) -> String {
    let rest = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    rest.split([':', '/']).next().unwrap_or_default().to_owned()
}
