//! `v1` ConfigMap and Secret: where `postBuild.substituteFrom` and
//! `valuesFrom` read their variables and values.
//!
//! A Secret's `data` is base64; `stringData` is plain text that the API
//! server folds over `data` when it stores the object (a key in both takes
//! the `stringData` value). Offline, [`Secret::string_data`] does that fold.
//! A SOPS-encrypted Secret (the `sops` key kustomize-controller removes when
//! it decrypts) cannot be read offline.

use super::meta::{ObjectMeta, StringMap};
use super::{ApiVersion, Model, ModelError};
use crate::source::Span;
use crate::yaml::Node;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use indexmap::IndexMap;
use serde::Deserialize;

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMap {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub data: StringMap,
    /// base64; Flux's substitution ignores it.
    #[serde(default)]
    pub binary_data: StringMap,
    pub immutable: Option<bool>,
}

impl Model for ConfigMap {
    const KIND: &'static str = "ConfigMap";
    const VERSIONS: &'static [ApiVersion] = &[ApiVersion::plain("v1")];

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// base64 values as written.
    #[serde(default)]
    pub data: StringMap,
    #[serde(default)]
    pub string_data: StringMap,
    /// `Opaque` when empty (see [`Secret::secret_type`]).
    #[serde(default, rename = "type")]
    pub secret_type: String,
    pub immutable: Option<bool>,
    /// SOPS metadata: present while the Secret is encrypted. Not a Kubernetes
    /// field; kustomize-controller removes it when it decrypts.
    pub sops: Option<Node>,
    /// Where each `data` value was written, for errors.
    #[serde(skip)]
    pub data_spans: IndexMap<String, Span>,
}

impl Model for Secret {
    const KIND: &'static str = "Secret";
    const VERSIONS: &'static [ApiVersion] = &[ApiVersion::plain("v1")];

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn locate(&mut self, node: &Node) {
        if let Some(data) = node.get("data").and_then(Node::as_map) {
            self.data_spans = data.iter().map(|(k, v)| (k.name.clone(), v.span)).collect();
        }
    }
}

/// Go's `base64.StdEncoding`, which encoding/json uses for `[]byte`:
/// padding required, stray bits after the last full byte tolerated.
const GO_STD_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

impl Secret {
    /// `type`, defaulted to `Opaque`.
    pub fn secret_type(&self) -> &str {
        if self.secret_type.is_empty() {
            "Opaque"
        } else {
            &self.secret_type
        }
    }

    pub fn is_sops_encrypted(&self) -> bool {
        self.sops.is_some()
    }

    /// `data` decoded, with `stringData` folded over it as the API server
    /// does (a key in both takes the `stringData` value; new keys follow).
    pub fn decoded_data(&self) -> Result<IndexMap<String, Vec<u8>>, ModelError> {
        if let Some(sops) = &self.sops {
            return Err(ModelError {
                message: format!(
                    "Secret '{}' is SOPS-encrypted: its data is decrypted only in the cluster",
                    self.metadata.name
                ),
                span: sops.span,
            });
        }
        let mut out = IndexMap::new();
        for (key, value) in &self.data {
            let bytes = decode_go_base64(value).map_err(|message| ModelError {
                message: format!("data.{key}: {message}"),
                span: self.data_spans.get(key).copied().unwrap_or(Span::NONE),
            })?;
            out.insert(key.clone(), bytes);
        }
        for (key, value) in &self.string_data {
            out.insert(key.clone(), value.clone().into_bytes());
        }
        Ok(out)
    }

    /// [`Secret::decoded_data`] as text, as Flux reads variables
    /// (`string(bytes)`); bytes that are not UTF-8 become U+FFFD.
    pub fn string_data(&self) -> Result<IndexMap<String, String>, ModelError> {
        Ok(self
            .decoded_data()?
            .into_iter()
            .map(|(k, v)| {
                let text = match String::from_utf8(v) {
                    Ok(s) => s,
                    Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
                };
                (k, text)
            })
            .collect())
    }
}

/// Decodes as Go's `base64.StdEncoding.Decode`: `\r` and `\n` are skipped,
/// errors give the offset in the original text.
fn decode_go_base64(text: &str) -> Result<Vec<u8>, String> {
    let kept: Vec<(usize, u8)> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b != b'\r' && *b != b'\n')
        .collect();
    let clean: Vec<u8> = kept.iter().map(|(_, b)| *b).collect();
    GO_STD_BASE64.decode(&clean).map_err(|e| {
        let at = match e {
            base64::DecodeError::InvalidByte(i, _)
            | base64::DecodeError::InvalidLastSymbol(i, _) => {
                kept.get(i).map_or(text.len(), |(orig, _)| *orig)
            }
            base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidPadding => {
                // Go reports where the incomplete quantum starts.
                let complete = clean.len() / 4 * 4;
                kept.get(complete).map_or(text.len(), |(orig, _)| *orig)
            }
        };
        format!("illegal base64 data at input byte {at}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flux::model::parse;
    use crate::source::FileId;
    use crate::yaml::{parse_documents, LoadOptions};

    fn load(text: &str) -> Node {
        parse_documents(text, FileId(0), &LoadOptions::default())
            .expect("parses")
            .remove(0)
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn config_map_data() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vars, namespace: flux-system}\n\
                    data:\n  cluster: prod\n  replicas: \"3\"\nbinaryData:\n  blob: AAE=\nimmutable: true\nspec: {}\n";
        let p = parse::<ConfigMap>(&load(text)).unwrap();
        let cm = p.value;
        assert_eq!(cm.data["cluster"], "prod");
        assert_eq!(cm.data["replicas"], "3");
        assert_eq!(cm.binary_data["blob"], "AAE=");
        assert_eq!(cm.immutable, Some(true));
        let unknown: Vec<_> = p.unknown_fields.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(unknown, ["spec"]);
        // Unquoted numbers are not strings: the API server refuses them.
        let e = parse::<ConfigMap>(&load(
            "apiVersion: v1\nkind: ConfigMap\ndata: {replicas: 3}\n",
        ))
        .unwrap_err();
        assert_eq!(
            e.message,
            "data.replicas in body must be of type string: \"integer\""
        );
    }

    #[test]
    fn secret_string_data_folds_over_decoded_data() {
        let text =
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/basic-auth\n\
                    data:\n  user: YWRtaW4=\n  pass: b2xk\n  multi: |\n    aGVs\n    bG8=\n\
                    stringData:\n  pass: new\n  extra: e\n";
        let s = parse::<Secret>(&load(text)).unwrap().value;
        assert_eq!(s.secret_type(), "kubernetes.io/basic-auth");
        let data = s.string_data().unwrap();
        let got: Vec<(&str, &str)> = data.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            got,
            [
                ("user", "admin"),
                ("pass", "new"),
                ("multi", "hello"),
                ("extra", "e")
            ]
        );
        assert!(!s.is_sops_encrypted());
        let s = parse::<Secret>(&load("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"))
            .unwrap()
            .value;
        assert_eq!(s.secret_type(), "Opaque");
        assert!(s.string_data().unwrap().is_empty());
    }

    #[test]
    fn bad_base64_points_at_the_value() {
        let text =
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  ok: YQ==\n  bad: ab$d\n";
        let s = parse::<Secret>(&load(text)).unwrap().value;
        let e = s.string_data().unwrap_err();
        assert_eq!(e.message, "data.bad: illegal base64 data at input byte 2");
        assert_eq!(slice(text, e.span), "ab$d");
        // Go's StdEncoding wants padding.
        assert_eq!(
            decode_go_base64("YQ").unwrap_err(),
            "illegal base64 data at input byte 0"
        );
        assert_eq!(decode_go_base64("YWJj\nZA==").unwrap(), b"abcd");
        // Binary data comes through as bytes, and lossily as text.
        let text = "apiVersion: v1\nkind: Secret\ndata: {b: /w==}\n";
        let s = parse::<Secret>(&load(text)).unwrap().value;
        assert_eq!(s.decoded_data().unwrap()["b"], [0xff]);
        assert_eq!(s.string_data().unwrap()["b"], "\u{fffd}");
    }

    #[test]
    fn sops_encrypted_secrets_cannot_be_read() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  token: ENC[AES256_GCM,data:abc,type:str]\n\
                    sops:\n  age:\n    - recipient: age1xyz\n  version: 3.8.1\n";
        let p = parse::<Secret>(&load(text)).unwrap();
        assert!(p.unknown_fields.is_empty());
        let s = p.value;
        assert!(s.is_sops_encrypted());
        let e = s.string_data().unwrap_err();
        assert_eq!(
            e.message,
            "Secret 's' is SOPS-encrypted: its data is decrypted only in the cluster"
        );
        assert!(slice(text, e.span).starts_with("age:"));
    }
}
