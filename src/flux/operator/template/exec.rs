//! Executing a parsed template: Go `text/template` semantics with
//! `missingkey=error` and data `nil` (so `.` and `$` are nil; inputs come
//! from the `inputs` function).

use super::funcs;
use super::parse::{Arg, Item, Pipe};
use super::value::Value;
use super::TemplateError;

/// Control flow out of a list of items.
enum Flow {
    Normal,
    Break,
    Continue,
}

pub struct State<'a> {
    inputs: &'a Value,
    vars: Vec<(String, Value)>,
    pub out: String,
}

/// What went wrong and at which node.
struct ExecError {
    at: String,
    msg: String,
}

impl<'a> State<'a> {
    pub fn new(inputs: &'a Value) -> State<'a> {
        State {
            inputs,
            vars: vec![("$".to_string(), Value::Nil)],
            out: String::new(),
        }
    }

    pub fn run(&mut self, items: &[Item]) -> Result<(), TemplateError> {
        self.walk(items, &Value::Nil).map(|_| ())
    }

    fn fail(&self, pipe: &Pipe, e: ExecError) -> TemplateError {
        TemplateError(format!(
            "template: resourceset:{}:{}: executing \"resourceset\" at <{}>: {}",
            pipe.line, pipe.col, e.at, e.msg
        ))
    }

    fn walk(&mut self, items: &[Item], dot: &Value) -> Result<Flow, TemplateError> {
        for item in items {
            match item {
                Item::Text(t) => self.out.push_str(t),
                Item::Action(pipe) => {
                    let v = self.pipe(pipe, dot)?;
                    if pipe.decl.is_empty() {
                        match v {
                            Value::Nil => self.out.push_str("<no value>"),
                            v => self.out.push_str(&v.to_go_string()),
                        }
                    }
                }
                Item::If {
                    branches,
                    otherwise,
                }
                | Item::With {
                    branches,
                    otherwise,
                } => {
                    let is_with = matches!(item, Item::With { .. });
                    let mark = self.vars.len();
                    let mut flow = None;
                    for (cond, body) in branches {
                        let v = self.pipe(cond, dot)?;
                        if v.truth() {
                            let new_dot = if is_with { v } else { dot.clone() };
                            flow = Some(self.walk(body, &new_dot)?);
                            break;
                        }
                    }
                    let flow = match flow {
                        Some(f) => f,
                        None => match otherwise {
                            Some(body) => self.walk(body, dot)?,
                            None => Flow::Normal,
                        },
                    };
                    self.vars.truncate(mark);
                    if !matches!(flow, Flow::Normal) {
                        return Ok(flow);
                    }
                }
                Item::Range {
                    pipe,
                    body,
                    otherwise,
                } => {
                    let mark = self.vars.len();
                    let (decl, iterable) = {
                        let bare = Pipe {
                            decl: Vec::new(),
                            ..pipe.clone()
                        };
                        (pipe.decl.clone(), self.pipe(&bare, dot)?)
                    };
                    let entries: Vec<(Value, Value)> = match iterable {
                        Value::List(items) => items
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (Value::Int(i as i64), v))
                            .collect(),
                        Value::Map(map) => {
                            map.into_iter().map(|(k, v)| (Value::Str(k), v)).collect()
                        }
                        Value::Int(n) => (0..n.max(0))
                            .map(|i| (Value::Int(i), Value::Int(i)))
                            .collect(),
                        Value::Nil => Vec::new(),
                        other => {
                            return Err(self.fail(
                                pipe,
                                ExecError {
                                    at: "range".into(),
                                    msg: format!(
                                        "range can't iterate over {}",
                                        other.to_go_string()
                                    ),
                                },
                            ))
                        }
                    };
                    if entries.is_empty() {
                        if let Some(body) = otherwise {
                            let flow = self.walk(body, dot)?;
                            self.vars.truncate(mark);
                            if !matches!(flow, Flow::Normal) {
                                return Ok(flow);
                            }
                        }
                        continue;
                    }
                    for (k, v) in entries {
                        match decl.len() {
                            0 => {}
                            1 => self.vars.push((decl[0].clone(), v.clone())),
                            _ => {
                                self.vars.push((decl[0].clone(), k));
                                self.vars.push((decl[1].clone(), v.clone()));
                            }
                        }
                        let flow = self.walk(body, &v)?;
                        self.vars.truncate(mark);
                        if matches!(flow, Flow::Break) {
                            break;
                        }
                    }
                }
                Item::Break => return Ok(Flow::Break),
                Item::Continue => return Ok(Flow::Continue),
            }
        }
        Ok(Flow::Normal)
    }

    fn pipe(&mut self, pipe: &Pipe, dot: &Value) -> Result<Value, TemplateError> {
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            value = Some(
                self.command(cmd, dot, value)
                    .map_err(|e| self.fail(pipe, e))?,
            );
        }
        let value = value.unwrap_or(Value::Nil);
        if !pipe.decl.is_empty() {
            if pipe.assign {
                let name = &pipe.decl[0];
                match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = value.clone(),
                    None => {
                        return Err(self.fail(
                            pipe,
                            ExecError {
                                at: name.clone(),
                                msg: format!("undefined variable: {name}"),
                            },
                        ))
                    }
                }
            } else {
                for name in &pipe.decl {
                    self.vars.push((name.clone(), value.clone()));
                }
            }
        }
        Ok(value)
    }

    fn command(
        &mut self,
        args: &[Arg],
        dot: &Value,
        last: Option<Value>,
    ) -> Result<Value, ExecError> {
        let first = &args[0];
        if let Arg::Func(name) = first {
            return self.call(name, &args[1..], dot, last);
        }
        if args.len() > 1 || last.is_some() {
            return Err(ExecError {
                at: first.describe(),
                msg: format!("can't give argument to non-function {}", first.describe()),
            });
        }
        self.arg(first, dot)
    }

    fn call(
        &mut self,
        name: &str,
        args: &[Arg],
        dot: &Value,
        last: Option<Value>,
    ) -> Result<Value, ExecError> {
        let at = || name.to_string();
        // `and` / `or` evaluate their arguments lazily and return one of them.
        if name == "and" || name == "or" {
            let n = args.len() + usize::from(last.is_some());
            if n < 1 {
                return Err(ExecError {
                    at: at(),
                    msg: format!("wrong number of args for {name}: want at least 1 got 0"),
                });
            }
            let mut result = Value::Nil;
            for a in args {
                result = self.arg(a, dot)?;
                if result.truth() != (name == "and") {
                    return Ok(result);
                }
            }
            if let Some(l) = last {
                result = l;
            }
            return Ok(result);
        }
        if name == "inputs" && args.is_empty() && last.is_none() {
            return Ok(self.inputs.clone());
        }
        let mut values = Vec::with_capacity(args.len() + 1);
        for a in args {
            values.push(self.arg(a, dot)?);
        }
        if let Some(l) = last {
            values.push(l);
        }
        funcs::call(name, values).map_err(|msg| ExecError {
            at: at(),
            msg: if msg.starts_with("function ") || msg.starts_with("wrong number") {
                msg
            } else {
                format!("error calling {name}: {msg}")
            },
        })
    }

    fn arg(&mut self, arg: &Arg, dot: &Value) -> Result<Value, ExecError> {
        match arg {
            Arg::Dot => Ok(dot.clone()),
            Arg::Nil => Ok(Value::Nil),
            Arg::Bool(b) => Ok(Value::Bool(*b)),
            Arg::Int(i) => Ok(Value::Int(*i)),
            Arg::Float(f) => Ok(Value::Float(*f)),
            Arg::Str(s) => Ok(Value::Str(s.clone())),
            Arg::Field(fields) => fields_of(dot.clone(), fields, &arg.describe()),
            Arg::Var(name, fields) => {
                let Some((_, v)) = self.vars.iter().rev().find(|(n, _)| n == name) else {
                    return Err(ExecError {
                        at: arg.describe(),
                        msg: format!("undefined variable: {name}"),
                    });
                };
                fields_of(v.clone(), fields, &arg.describe())
            }
            Arg::Func(name) => self.call(name, &[], dot, None),
            Arg::Chain(term, fields) => {
                let base = self.arg(term, dot)?;
                fields_of(base, fields, &term.describe())
            }
            Arg::Pipe(p) => {
                let mut value = None;
                for cmd in &p.cmds {
                    value = Some(self.command(cmd, dot, value)?);
                }
                Ok(value.unwrap_or(Value::Nil))
            }
        }
    }
}

/// Follows `.a.b` from `base` (missingkey=error).
fn fields_of(mut v: Value, fields: &[String], at: &str) -> Result<Value, ExecError> {
    for f in fields {
        v = match v {
            Value::Map(mut m) => match m.remove(f) {
                Some(x) => x,
                None => {
                    return Err(ExecError {
                        at: at.to_string(),
                        msg: format!("map has no entry for key {f:?}"),
                    })
                }
            },
            Value::Nil => {
                return Err(ExecError {
                    at: at.to_string(),
                    msg: format!("nil pointer evaluating interface {{}}.{f}"),
                })
            }
            other => {
                return Err(ExecError {
                    at: at.to_string(),
                    msg: format!("can't evaluate field {f} in type {}", other.type_name()),
                })
            }
        };
    }
    Ok(v)
}
