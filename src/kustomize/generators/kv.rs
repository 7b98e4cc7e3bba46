//! Key/value sources of a generator entry (kustomize's `api/kv`): env files,
//! then literals, then files, in that order.

use crate::kustomize::error::{Error, ErrorKind, Result};
use crate::kustomize::kustomization::GeneratorArgs;
use crate::kustomize::loader::Loader;

/// One key and its raw value (a file's bytes need not be UTF-8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub key: String,
    pub value: Vec<u8>,
}

fn generator_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Generator, message)
}

/// Go's `%v` of a string slice: `[a b c]`.
fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// Go's `%q` of a string (close enough for messages: Rust's debug quoting).
fn go_quote(s: &str) -> String {
    format!("{s:?}")
}

/// Every pair of an entry, in kustomize's order (`kv.loader.Load`).
pub fn load_pairs(args: &GeneratorArgs, loader: &Loader) -> Result<Vec<Pair>> {
    let mut envs = args.envs.clone();
    if !args.env.is_empty() {
        envs.push(args.env.clone());
    }
    let mut pairs = Vec::new();
    for path in &envs {
        let content = load_bytes(loader, path)
            .and_then(|bytes| pairs_from_env_file(&bytes))
            .map_err(|e| e.context(format!("env source files: {}", go_list(&envs))))?;
        pairs.extend(content);
    }
    for literal in &args.literals {
        let pair = parse_literal(literal)
            .map_err(|e| e.context(format!("literal sources {}", go_list(&args.literals))))?;
        pairs.push(pair);
    }
    for source in &args.files {
        let pair = (|| {
            let (key, path) = parse_file_source(source)?;
            let value = load_bytes(loader, &path)?;
            Ok(Pair { key, value })
        })()
        .map_err(|e: Error| e.context(format!("file sources: {}", go_list(&args.files))))?;
        pairs.push(pair);
    }
    Ok(pairs)
}

/// A file's bytes through the loader (so load restrictions apply). The
/// loader reads text; a file that is not UTF-8 fails there after passing the
/// restriction checks, and is then read as bytes.
fn load_bytes(loader: &Loader, entry: &str) -> Result<Vec<u8>> {
    match loader.load_file(entry) {
        Ok(file) => Ok(file.text.as_bytes().to_vec()),
        Err(e) if e.kind == ErrorKind::Load => {
            let path = loader.resolve(entry);
            match loader.sources.fs().read_bytes(&path) {
                Ok(bytes) if std::str::from_utf8(&bytes).is_err() => Ok(bytes),
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// `k=v`, split at the first `=`; one pair of matching quotes around the
/// value is removed (kustomize's `parseLiteralSource`, `removeQuotes`).
pub fn parse_literal(source: &str) -> Result<Pair> {
    let invalid = || {
        generator_error(format!(
            "invalid literal source {source}, expected key=value"
        ))
    };
    let (key, value) = source.split_once('=').ok_or_else(invalid)?;
    if key.is_empty() {
        return Err(invalid());
    }
    Ok(Pair {
        key: key.to_string(),
        value: remove_quotes(value).as_bytes().to_vec(),
    })
}

fn remove_quotes(s: &str) -> &str {
    let b = s.as_bytes();
    if b.len() < 2 || b[0] != b[b.len() - 1] {
        return s;
    }
    if b[0] == b'"' || b[0] == b'\'' {
        return &s[1..s.len() - 1];
    }
    s
}

/// `path` (key = the file's base name) or `key=path` (kustomize's
/// `ParseFileSource`).
pub fn parse_file_source(source: &str) -> Result<(String, String)> {
    let separators = source.matches('=').count();
    match separators {
        0 => Ok((go_path_base(source), source.to_string())),
        1 if source.starts_with('=') => Err(generator_error(format!(
            "missing key name for file path {} in source {}",
            go_quote(&source[1..]),
            go_quote(source)
        ))),
        1 if source.ends_with('=') => Err(generator_error(format!(
            "missing file path for key name {} in source {}",
            go_quote(&source[..source.len() - 1]),
            go_quote(source)
        ))),
        1 => {
            let (key, path) = source.split_once('=').unwrap_or((source, ""));
            Ok((key.to_string(), path.to_string()))
        }
        _ => Err(generator_error(format!(
            "source {} key name or file path contains '='",
            go_quote(source)
        ))),
    }
}

/// Go's `path.Base`: the last slash-separated element, trailing slashes
/// ignored; "." for an empty path, "/" for only slashes.
fn go_path_base(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".to_string();
    }
    match trimmed.rfind('/') {
        Some(i) => trimmed[i + 1..].to_string(),
        None => trimmed.to_string(),
    }
}

/// Go's `bufio.Scanner` gives up (silently, as kustomize does not check)
/// on a line longer than this.
const MAX_LINE: usize = 64 * 1024 - 1;

/// The pairs of an env file (kustomize's `keyValuesFromLines`): lines split
/// as Go's `bufio.ScanLines` does; leading whitespace trimmed; empty lines and
/// `#` comments skipped; the value is everything after the first `=`,
/// verbatim; a line without `=` is a key with an empty value.
pub fn pairs_from_env_file(content: &[u8]) -> Result<Vec<Pair>> {
    let mut pairs = Vec::new();
    for (index, line) in scan_lines(content).into_iter().enumerate() {
        let Ok(text) = std::str::from_utf8(line) else {
            let bytes: Vec<String> = line.iter().map(u8::to_string).collect();
            return Err(generator_error(format!(
                "line [{}] has invalid utf8 bytes : {}",
                bytes.join(" "),
                String::from_utf8_lossy(line)
            )));
        };
        let text = if index == 0 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        let text = text.trim_start();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let (key, value) = text.split_once('=').unwrap_or((text, ""));
        if key.is_empty() {
            continue;
        }
        pairs.push(Pair {
            key: key.to_string(),
            value: value.as_bytes().to_vec(),
        });
    }
    Ok(pairs)
}

/// Lines as `bufio.ScanLines` yields them: split on `\n`, one trailing `\r`
/// dropped, no empty token after a final newline; stops at an over-long line.
fn scan_lines(content: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        if line.len() > MAX_LINE {
            break;
        }
        lines.push(line.strip_suffix(b"\r").unwrap_or(line));
        rest = next;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(pairs: &[Pair]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|p| {
                (
                    p.key.clone(),
                    String::from_utf8_lossy(&p.value).into_owned(),
                )
            })
            .collect()
    }

    fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn literals_strip_one_pair_of_matching_quotes() {
        // Probed: L="q" -> q, L3="mis' stays.
        let cases = [
            ("a=1", "1"),
            ("L=\"q\"", "q"),
            ("L='q'", "q"),
            ("L3=\"mis'", "\"mis'"),
            ("e=", ""),
            ("x=a=b", "a=b"),
            ("q=\"", "\""),
        ];
        for (src, want) in cases {
            let p = parse_literal(src).unwrap();
            assert_eq!(String::from_utf8(p.value).unwrap(), want, "{src}");
        }
        for bad in ["=x", "novalue"] {
            assert_eq!(
                parse_literal(bad).unwrap_err().message,
                format!("invalid literal source {bad}, expected key=value")
            );
        }
    }

    #[test]
    fn env_files_keep_values_verbatim() {
        // The rules of the semantics doc §4.1, probed with kubectl.
        let text = "\u{feff}A=1\r\n  # comment\n\n  B = spaced \nQ=\"quoted\"\nHASH=x # c\nBARE\n=skipped\nexport E=1\nlast=no-newline";
        let pairs = pairs_from_env_file(text.as_bytes()).unwrap();
        assert_eq!(
            kv(&pairs),
            owned(&[
                ("A", "1"),
                ("B ", " spaced "),
                ("Q", "\"quoted\""),
                ("HASH", "x # c"),
                ("BARE", ""),
                ("export E", "1"),
                ("last", "no-newline"),
            ])
        );
    }

    #[test]
    fn env_file_bom_only_on_first_line_and_invalid_utf8() {
        let pairs = pairs_from_env_file("A=1\n\u{feff}B=2\n".as_bytes()).unwrap();
        assert_eq!(pairs[1].key, "\u{feff}B");
        let err = pairs_from_env_file(b"A=1\nB=\xff\n").unwrap_err();
        assert_eq!(
            err.message,
            "line [66 61 255] has invalid utf8 bytes : B=\u{fffd}"
        );
    }

    #[test]
    fn env_file_stops_at_overlong_line() {
        let mut text = b"A=1\nB=".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_LINE));
        text.extend(b"\nC=3\n");
        let pairs = pairs_from_env_file(&text).unwrap();
        assert_eq!(pairs.len(), 1);
        let mut ok = b"B=".to_vec();
        ok.extend(std::iter::repeat_n(b'x', MAX_LINE - 2));
        ok.extend(b"\nC=3");
        assert_eq!(pairs_from_env_file(&ok).unwrap().len(), 2);
    }

    #[test]
    fn file_sources() {
        assert_eq!(
            parse_file_source("dir/app.properties").unwrap(),
            (
                "app.properties".to_string(),
                "dir/app.properties".to_string()
            )
        );
        assert_eq!(
            parse_file_source("k=dir/f").unwrap(),
            ("k".to_string(), "dir/f".to_string())
        );
        assert_eq!(
            parse_file_source("=f").unwrap_err().message,
            "missing key name for file path \"f\" in source \"=f\""
        );
        assert_eq!(
            parse_file_source("k=").unwrap_err().message,
            "missing file path for key name \"k\" in source \"k=\""
        );
        assert_eq!(
            parse_file_source("a=b=c").unwrap_err().message,
            "source \"a=b=c\" key name or file path contains '='"
        );
        assert_eq!(go_path_base("a/b/"), "b");
        assert_eq!(go_path_base("///"), "/");
    }
}
