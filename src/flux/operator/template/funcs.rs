//! The template functions: Go's builtins, the slim-sprig functions a
//! ResourceSet can use (hermetic: no env, random or clock functions), and
//! flux-operator's `slugify`, `toYaml`, `mustToYaml` (`inputs` is handled by
//! the executor).

use super::value::Value;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::cmp::Ordering;
use std::collections::BTreeMap;

type R = Result<Value, String>;

fn want(name: &str, args: &[Value], n: usize) -> Result<(), String> {
    if args.len() != n {
        return Err(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        ));
    }
    Ok(())
}

/// sprig `strval`: `fmt.Sprintf("%v")` except for strings.
pub fn strval(v: &Value) -> String {
    v.to_go_string()
}

/// `cast.ToInt64`: numbers truncate, strings parse (base 0), others 0.
fn to_int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::Str(s) => parse_go_int(s.trim()).unwrap_or(0),
        _ => 0,
    }
}

fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let n = if let Some(h) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(b) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        i64::from_str_radix(b, 2).ok()?
    } else if let Some(o) = body.strip_prefix("0o").or(body.strip_prefix("0O")) {
        i64::from_str_radix(o, 8).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        i64::from_str_radix(&body[1..], 8).ok()?
    } else {
        body.parse().ok()?
    };
    Some(if neg { -n } else { n })
}

fn to_float(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Str(s) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn to_list(v: &Value) -> Result<Vec<Value>, String> {
    match v {
        Value::List(l) => Ok(l.clone()),
        Value::Nil => Ok(Vec::new()),
        other => Err(format!("cannot find first on type {}", other.type_name())),
    }
}

/// `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32))
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// sprig `empty`: the zero value of its type.
fn empty(v: &Value) -> bool {
    !v.truth()
}

fn indent(n: i64, s: &str) -> String {
    let pad = " ".repeat(n.max(0) as usize);
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

fn title(s: &str) -> String {
    let mut out = String::new();
    let mut prev_letter = false;
    for c in s.chars() {
        if !prev_letter && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = c.is_alphanumeric() || c == '_' || c == '\'';
    }
    out
}

fn compare(a: &Value, b: &Value) -> Result<Ordering, String> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y).ok_or_else(|| "NaN".to_string()),
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        (
            Value::Int(_) | Value::Float(_) | Value::Str(_),
            Value::Int(_) | Value::Float(_) | Value::Str(_),
        ) => Err("incompatible types for comparison".into()),
        _ => Err("invalid type for comparison".into()),
    }
}

fn go_eq(a: &Value, b: &Value) -> Result<bool, String> {
    match (a, b) {
        (Value::Int(_), Value::Float(_)) | (Value::Float(_), Value::Int(_)) => {
            Err("incompatible types for comparison".into())
        }
        (Value::Str(_), Value::Int(_) | Value::Float(_) | Value::Bool(_))
        | (Value::Int(_) | Value::Float(_) | Value::Bool(_), Value::Str(_))
        | (Value::Bool(_), Value::Int(_) | Value::Float(_))
        | (Value::Int(_) | Value::Float(_), Value::Bool(_)) => {
            Err("incompatible types for comparison".into())
        }
        (Value::List(_) | Value::Map(_), _) | (_, Value::List(_) | Value::Map(_)) => {
            Err("non-comparable type".into())
        }
        _ => Ok(a == b),
    }
}

/// Go's `fmt.Sprintf` for the verbs templates use.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut minus = false;
        let mut zero = false;
        let mut plus = false;
        while let Some(&f) = chars.peek() {
            match f {
                '-' => minus = true,
                '0' => zero = true,
                '+' => plus = true,
                ' ' | '#' => {}
                _ => break,
            }
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut prec: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            prec = Some(p.parse().unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next += 1;
        let s = match (verb, arg) {
            ('d', Value::Int(i)) => {
                if plus && *i >= 0 {
                    format!("+{i}")
                } else {
                    i.to_string()
                }
            }
            ('f' | 'F', Value::Float(_) | Value::Int(_)) => {
                format!("{:.*}", prec.unwrap_or(6), to_float(arg))
            }
            ('q', Value::Str(s)) => go_quote(s),
            ('t', Value::Bool(b)) => b.to_string(),
            ('x', Value::Int(i)) => format!("{i:x}"),
            ('x', Value::Str(s)) => s.bytes().map(|b| format!("{b:02x}")).collect(),
            ('X', Value::Int(i)) => format!("{i:X}"),
            ('s' | 'v', v) => {
                let s = if matches!(v, Value::Nil) {
                    "%!s(<nil>)".to_string()
                } else {
                    v.to_go_string()
                };
                let s = if verb == 'v' && matches!(v, Value::Nil) {
                    "<nil>".to_string()
                } else {
                    s
                };
                match prec {
                    Some(p) if verb == 's' => s.chars().take(p).collect(),
                    _ => s,
                }
            }
            (verb, v) => format!("%!{verb}({}={})", v.type_name(), v.to_go_string()),
        };
        let w: usize = width.parse().unwrap_or(0);
        let len = s.chars().count();
        if len < w {
            let pad = w - len;
            if minus {
                out.push_str(&s);
                out.push_str(&" ".repeat(pad));
            } else if zero && matches!(verb, 'd' | 'f' | 'x') {
                let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
                out.push_str(sign);
                out.push_str(&"0".repeat(pad));
                out.push_str(digits);
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&s);
            }
        } else {
            out.push_str(&s);
        }
    }
    if next < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[next..]
            .iter()
            .map(|a| format!("{}={}", a.type_name(), a.to_go_string()))
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

/// `fmt.Sprint`: spaces between operands when neither is a string.
fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !matches!(a, Value::Str(_)) && !matches!(args[i - 1], Value::Str(_)) {
            out.push(' ');
        }
        out.push_str(&a.to_go_string());
    }
    out
}

fn str_arg(v: &Value) -> String {
    strval(v)
}

/// sigs.k8s.io/yaml `Marshal`.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    crate::yaml::emit_document(&v.to_node(), &mut out);
    out
}

/// Calls the function `name` with evaluated arguments.
pub fn call(name: &str, a: Vec<Value>) -> R {
    let s = |i: usize| a.get(i).map(str_arg).unwrap_or_default();
    let n = a.len();
    let fixed = |k: usize| want(name, &a, k);
    Ok(match name {
        // ---- Go builtins ----
        "not" => {
            fixed(1)?;
            Value::Bool(!a[0].truth())
        }
        "eq" => {
            if n < 2 {
                return Err("missing argument for comparison".into());
            }
            let mut res = false;
            for b in &a[1..] {
                if go_eq(&a[0], b)? {
                    res = true;
                    break;
                }
            }
            Value::Bool(res)
        }
        "ne" => {
            fixed(2)?;
            Value::Bool(!go_eq(&a[0], &a[1])?)
        }
        "lt" | "le" | "gt" | "ge" => {
            fixed(2)?;
            let o = compare(&a[0], &a[1])?;
            Value::Bool(match name {
                "lt" => o == Ordering::Less,
                "le" => o != Ordering::Greater,
                "gt" => o == Ordering::Greater,
                _ => o != Ordering::Less,
            })
        }
        "len" => {
            fixed(1)?;
            Value::Int(match &a[0] {
                Value::Str(x) => x.len(),
                Value::List(l) => l.len(),
                Value::Map(m) => m.len(),
                other => return Err(format!("len of type {}", other.type_name())),
            } as i64)
        }
        "index" => {
            if n < 1 {
                return Err(format!(
                    "wrong number of args for index: want at least 1 got {n}"
                ));
            }
            let mut v = a[0].clone();
            for k in &a[1..] {
                v = match (v, k) {
                    (Value::Map(mut m), key) => m.remove(&strval(key)).unwrap_or(Value::Nil),
                    (Value::List(l), Value::Int(i)) => l
                        .into_iter()
                        .nth(usize::try_from(*i).unwrap_or(usize::MAX))
                        .ok_or_else(|| format!("error calling index: index out of range: {i}"))?,
                    (Value::Nil, _) => return Err("index of untyped nil".into()),
                    (other, _) => {
                        return Err(format!("can't index item of type {}", other.type_name()))
                    }
                };
            }
            v
        }
        "slice" => {
            let from = a.get(1).map(to_int).unwrap_or(0).max(0) as usize;
            match a.first() {
                Some(Value::Str(x)) => {
                    let to = a.get(2).map(|v| to_int(v) as usize).unwrap_or(x.len());
                    Value::Str(
                        x.get(from..to)
                            .ok_or("slice index out of range")?
                            .to_string(),
                    )
                }
                Some(Value::List(l)) => {
                    let to = a.get(2).map(|v| to_int(v) as usize).unwrap_or(l.len());
                    Value::List(l.get(from..to).ok_or("slice index out of range")?.to_vec())
                }
                _ => return Err("can't slice item".into()),
            }
        }
        "print" => Value::Str(sprint(&a)),
        "println" => Value::Str(format!(
            "{}\n",
            a.iter()
                .map(Value::to_go_string)
                .collect::<Vec<_>>()
                .join(" ")
        )),
        "printf" => {
            if n < 1 {
                return Err("wrong number of args for printf: want at least 1 got 0".into());
            }
            Value::Str(sprintf(&s(0), &a[1..]))
        }
        // ---- flux-operator ----
        "slugify" => {
            fixed(1)?;
            Value::Str(super::slug::slugify(&s(0)))
        }
        "toYaml" => {
            fixed(1)?;
            Value::Str(to_yaml(&a[0]))
        }
        "mustToYaml" => {
            fixed(1)?;
            Value::Str(to_yaml(&a[0]))
        }
        // ---- sprig: strings ----
        "toString" => Value::Str(s(0)),
        "lower" => Value::Str(s(0).to_lowercase()),
        "upper" => Value::Str(s(0).to_uppercase()),
        "title" => Value::Str(title(&s(0))),
        "trim" => Value::Str(s(0).trim().to_string()),
        "trimAll" => {
            fixed(2)?;
            let cut: Vec<char> = s(0).chars().collect();
            Value::Str(s(1).trim_matches(cut.as_slice()).to_string())
        }
        "trimPrefix" => {
            fixed(2)?;
            let v = s(1);
            Value::Str(v.strip_prefix(&s(0)).unwrap_or(&v).to_string())
        }
        "trimSuffix" => {
            fixed(2)?;
            let v = s(1);
            Value::Str(v.strip_suffix(&s(0)).unwrap_or(&v).to_string())
        }
        "replace" => {
            fixed(3)?;
            Value::Str(s(2).replace(&s(0), &s(1)))
        }
        "contains" => {
            fixed(2)?;
            Value::Bool(s(1).contains(&s(0)))
        }
        "hasPrefix" => {
            fixed(2)?;
            Value::Bool(s(1).starts_with(&s(0)))
        }
        "hasSuffix" => {
            fixed(2)?;
            Value::Bool(s(1).ends_with(&s(0)))
        }
        "repeat" => {
            fixed(2)?;
            Value::Str(s(1).repeat(to_int(&a[0]).max(0) as usize))
        }
        "nospace" => Value::Str(s(0).chars().filter(|c| !c.is_whitespace()).collect()),
        "trunc" => {
            fixed(2)?;
            let c = to_int(&a[0]);
            let v = s(1);
            let len = v.len() as i64;
            Value::Str(if c < 0 && -c < len {
                v[(len + c) as usize..].to_string()
            } else if c >= 0 && len > c {
                v[..c as usize].to_string()
            } else {
                v
            })
        }
        "substr" => {
            fixed(3)?;
            let v = s(2);
            let (st, en) = (to_int(&a[0]), to_int(&a[1]));
            let len = v.len() as i64;
            Value::Str(if st < 0 {
                v[..en.clamp(0, len) as usize].to_string()
            } else if en < 0 || en > len {
                v[st.min(len) as usize..].to_string()
            } else {
                v[st.min(en) as usize..en as usize].to_string()
            })
        }
        "indent" => {
            fixed(2)?;
            Value::Str(indent(to_int(&a[0]), &s(1)))
        }
        "nindent" => {
            fixed(2)?;
            Value::Str(format!("\n{}", indent(to_int(&a[0]), &s(1))))
        }
        "quote" => Value::Str(
            a.iter()
                .filter(|v| !matches!(v, Value::Nil))
                .map(|v| go_quote(&strval(v)))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "squote" => Value::Str(
            a.iter()
                .filter(|v| !matches!(v, Value::Nil))
                .map(|v| format!("'{}'", strval(v)))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "cat" => Value::Str(
            a.iter()
                .filter(|v| !matches!(v, Value::Nil))
                .map(strval)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "split" => {
            fixed(2)?;
            let mut m = BTreeMap::new();
            for (i, part) in s(1).split(s(0).as_str()).enumerate() {
                m.insert(format!("_{i}"), Value::Str(part.to_string()));
            }
            Value::Map(m)
        }
        "splitList" => {
            fixed(2)?;
            Value::List(
                s(1).split(s(0).as_str())
                    .map(|p| Value::Str(p.to_string()))
                    .collect(),
            )
        }
        "join" => {
            fixed(2)?;
            let items = match &a[1] {
                Value::List(l) => l
                    .iter()
                    .filter(|v| !matches!(v, Value::Nil))
                    .map(strval)
                    .collect(),
                Value::Nil => Vec::new(),
                other => vec![strval(other)],
            };
            Value::Str(items.join(&s(0)))
        }
        "snakecase" | "kebabcase" => {
            let sep = if name == "snakecase" { '_' } else { '-' };
            let mut out = String::new();
            let mut prev_lower = false;
            for c in s(0).chars() {
                if c.is_uppercase() && prev_lower {
                    out.push(sep);
                }
                if c == ' ' || c == '-' || c == '_' {
                    out.push(sep);
                    prev_lower = false;
                    continue;
                }
                prev_lower = c.is_lowercase() || c.is_ascii_digit();
                out.extend(c.to_lowercase());
            }
            Value::Str(out)
        }
        "b64enc" => Value::Str(base64::engine::general_purpose::STANDARD.encode(s(0))),
        "b64dec" => Value::Str(
            base64::engine::general_purpose::STANDARD
                .decode(s(0))
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_else(|e| e.to_string()),
        ),
        "sha256sum" => {
            let d = Sha256::digest(s(0).as_bytes());
            Value::Str(d.iter().map(|b| format!("{b:02x}")).collect())
        }
        "adler32sum" => {
            Value::Str(crate::flux::operator::inputs::adler32(s(0).as_bytes()).to_string())
        }
        "regexMatch" => {
            fixed(2)?;
            let re = regex::Regex::new(&s(0)).map_err(|e| e.to_string())?;
            Value::Bool(re.is_match(&s(1)))
        }
        "regexReplaceAll" => {
            fixed(3)?;
            let re = regex::Regex::new(&s(0)).map_err(|e| e.to_string())?;
            Value::Str(re.replace_all(&s(1), s(2).as_str()).into_owned())
        }
        "regexFind" => {
            fixed(2)?;
            let re = regex::Regex::new(&s(0)).map_err(|e| e.to_string())?;
            Value::Str(
                re.find(&s(1))
                    .map(|m| m.as_str().to_string())
                    .unwrap_or_default(),
            )
        }
        // ---- sprig: conversion and defaults ----
        "int" | "int64" | "atoi" => {
            fixed(1)?;
            Value::Int(to_int(&a[0]))
        }
        "float64" => {
            fixed(1)?;
            Value::Float(to_float(&a[0]))
        }
        "toStrings" => Value::List(
            to_list(&a[0])?
                .iter()
                .map(|v| Value::Str(strval(v)))
                .collect(),
        ),
        "default" => {
            if n == 0 {
                return Err("wrong number of args for default: want at least 1 got 0".into());
            }
            match a.get(1) {
                Some(v) if !empty(v) => v.clone(),
                _ => a[0].clone(),
            }
        }
        "empty" => Value::Bool(a.first().is_none_or(empty)),
        "coalesce" => a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil),
        "ternary" => {
            fixed(3)?;
            if a[2].truth() {
                a[0].clone()
            } else {
                a[1].clone()
            }
        }
        "fail" => return Err(s(0)),
        "toJson" | "mustToJson" | "toRawJson" | "mustToRawJson" => {
            fixed(1)?;
            Value::Str(a[0].to_json())
        }
        "toPrettyJson" | "mustToPrettyJson" => {
            fixed(1)?;
            Value::Str(a[0].to_pretty_json())
        }
        "fromJson" | "mustFromJson" => {
            fixed(1)?;
            let j: serde_json::Value = serde_json::from_str(&s(0)).map_err(|e| e.to_string())?;
            from_json(&j)
        }
        // ---- sprig: dicts ----
        "dict" => {
            let mut m = BTreeMap::new();
            for pair in a.chunks(2) {
                m.insert(
                    strval(&pair[0]),
                    pair.get(1).cloned().unwrap_or(Value::Str(String::new())),
                );
            }
            Value::Map(m)
        }
        "get" => {
            fixed(2)?;
            match &a[0] {
                Value::Map(m) => m.get(&s(1)).cloned().unwrap_or(Value::Str(String::new())),
                _ => Value::Str(String::new()),
            }
        }
        "hasKey" => {
            fixed(2)?;
            Value::Bool(matches!(&a[0], Value::Map(m) if m.contains_key(&s(1))))
        }
        "set" => {
            fixed(3)?;
            let mut m = match &a[0] {
                Value::Map(m) => m.clone(),
                _ => BTreeMap::new(),
            };
            m.insert(s(1), a[2].clone());
            Value::Map(m)
        }
        "unset" => {
            fixed(2)?;
            let mut m = match &a[0] {
                Value::Map(m) => m.clone(),
                _ => BTreeMap::new(),
            };
            m.remove(&s(1));
            Value::Map(m)
        }
        "keys" => {
            let mut ks = Vec::new();
            for d in &a {
                if let Value::Map(m) = d {
                    ks.extend(m.keys().map(|k| Value::Str(k.clone())));
                }
            }
            Value::List(ks)
        }
        "values" => match a.first() {
            Some(Value::Map(m)) => Value::List(m.values().cloned().collect()),
            _ => Value::List(Vec::new()),
        },
        "pluck" => {
            let key = s(0);
            Value::List(
                a.iter()
                    .skip(1)
                    .filter_map(|d| match d {
                        Value::Map(m) => m.get(&key).cloned(),
                        _ => None,
                    })
                    .collect(),
            )
        }
        "merge" | "mustMerge" => {
            let mut out = match a.first() {
                Some(Value::Map(m)) => m.clone(),
                _ => BTreeMap::new(),
            };
            for src in a.iter().skip(1) {
                if let Value::Map(m) = src {
                    merge_into(&mut out, m);
                }
            }
            Value::Map(out)
        }
        // ---- sprig: lists ----
        "list" => Value::List(a),
        "first" => to_list(&a[0])?.first().cloned().unwrap_or(Value::Nil),
        "last" => to_list(&a[0])?.last().cloned().unwrap_or(Value::Nil),
        "rest" => Value::List(to_list(&a[0])?.into_iter().skip(1).collect()),
        "initial" => {
            let mut l = to_list(&a[0])?;
            l.pop();
            Value::List(l)
        }
        "append" | "push" => {
            fixed(2)?;
            let mut l = to_list(&a[0])?;
            l.push(a[1].clone());
            Value::List(l)
        }
        "prepend" => {
            fixed(2)?;
            let mut l = to_list(&a[0])?;
            l.insert(0, a[1].clone());
            Value::List(l)
        }
        "concat" => {
            let mut l = Vec::new();
            for x in &a {
                l.extend(to_list(x)?);
            }
            Value::List(l)
        }
        "reverse" => Value::List(to_list(&a[0])?.into_iter().rev().collect()),
        "uniq" => {
            let mut out: Vec<Value> = Vec::new();
            for x in to_list(&a[0])? {
                if !out.contains(&x) {
                    out.push(x);
                }
            }
            Value::List(out)
        }
        "compact" => Value::List(to_list(&a[0])?.into_iter().filter(|v| !empty(v)).collect()),
        "without" => {
            let l = to_list(&a[0])?;
            Value::List(l.into_iter().filter(|v| !a[1..].contains(v)).collect())
        }
        "has" => {
            fixed(2)?;
            Value::Bool(to_list(&a[1])?.contains(&a[0]))
        }
        "sortAlpha" => {
            let mut l: Vec<String> = to_list(&a[0])?.iter().map(strval).collect();
            l.sort();
            Value::List(l.into_iter().map(Value::Str).collect())
        }
        "until" => Value::List((0..to_int(&a[0]).max(0)).map(Value::Int).collect()),
        // ---- sprig: math ----
        "add" => Value::Int(a.iter().map(to_int).sum()),
        "add1" => Value::Int(to_int(&a[0]) + 1),
        "sub" => {
            fixed(2)?;
            Value::Int(to_int(&a[0]) - to_int(&a[1]))
        }
        "mul" => Value::Int(a.iter().map(to_int).product()),
        "div" | "mod" => {
            fixed(2)?;
            let d = to_int(&a[1]);
            if d == 0 {
                return Err("runtime error: integer divide by zero".into());
            }
            Value::Int(if name == "div" {
                to_int(&a[0]) / d
            } else {
                to_int(&a[0]) % d
            })
        }
        "max" => Value::Int(a.iter().map(to_int).max().unwrap_or(0)),
        "min" => Value::Int(a.iter().map(to_int).min().unwrap_or(0)),
        _ => return Err(format!("function {name:?} not defined")),
    })
}

fn merge_into(dst: &mut BTreeMap<String, Value>, src: &BTreeMap<String, Value>) {
    for (k, v) in src {
        match (dst.get_mut(k), v) {
            (Some(Value::Map(d)), Value::Map(s)) => merge_into(d, s),
            (Some(_), _) => {}
            (None, v) => {
                dst.insert(k.clone(), v.clone());
            }
        }
    }
}

fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::Str(s.clone()),
        serde_json::Value::Array(a) => Value::List(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => {
            Value::Map(o.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(s: &str) -> Value {
        Value::Str(s.into())
    }

    #[test]
    fn sprig_argument_order() {
        assert_eq!(
            call("replace", vec![st("-"), st("_"), st("a-b")]).unwrap(),
            st("a_b")
        );
        assert_eq!(
            call("hasPrefix", vec![st("a"), st("abc")]).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(call("default", vec![st("d"), st("")]).unwrap(), st("d"));
        assert_eq!(call("default", vec![st("d"), st("x")]).unwrap(), st("x"));
        assert_eq!(call("int", vec![st("3")]).unwrap(), Value::Int(3));
        assert_eq!(call("quote", vec![st("a\"b")]).unwrap(), st("\"a\\\"b\""));
        assert_eq!(
            call("nindent", vec![Value::Int(2), st("a\nb")]).unwrap(),
            st("\n  a\n  b")
        );
    }

    #[test]
    fn printf_formats_like_go() {
        assert_eq!(
            sprintf("%s-%d-%05d", &[st("a"), Value::Int(3), Value::Int(42)]),
            "a-3-00042"
        );
        assert_eq!(sprintf("%v", &[Value::Float(1.5)]), "1.5");
    }

    #[test]
    fn eq_rejects_mixed_types() {
        assert!(call("eq", vec![Value::Int(1), st("1")]).is_err());
        assert_eq!(
            call("eq", vec![st("a"), st("b"), st("a")]).unwrap(),
            Value::Bool(true)
        );
    }
}
