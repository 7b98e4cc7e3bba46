//! `fluxlint build resourceset -f FILE [--inputs-from FILE]
//! [--inputs-from-provider FILE]`: a drop-in for `flux-operator build
//! resourceset`: the objects a Flux Operator ResourceSet generates, with
//! its commonMetadata and owner labels, `---` before each object and
//! `# step: NAME` before each named step's objects.

use crate::flux::operator::build_resourceset;
use crate::flux::operator::inputs::{InputSet, Provider};
use crate::flux::operator::template::Value;
use crate::source::FileId;
use crate::yaml::{emit_document, parse_documents, LoadOptions, Node};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ResourceSet manifest.
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub file: PathBuf,
    /// Input sets (a YAML list) replacing `spec.inputs`.
    #[arg(long, value_name = "FILE")]
    pub inputs_from: Option<PathBuf>,
    /// ResourceSetInputProvider manifests (Static providers) for `spec.inputsFrom`.
    #[arg(long, value_name = "FILE")]
    pub inputs_from_provider: Option<PathBuf>,
}

fn docs(path: &PathBuf) -> Result<Vec<Node>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_documents(&text, FileId::NONE, &LoadOptions::default())
        .map(|d| d.into_iter().filter(|d| !d.is_null()).collect())
        .map_err(|e| format!("{}: {}", path.display(), e.message))
}

fn input_sets(node: &Node) -> Vec<InputSet> {
    node.as_seq()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| match Value::from_node(i) {
                    Value::Map(m) => Some(m),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn build(args: &Args) -> Result<String, String> {
    let rset = docs(&args.file)?
        .into_iter()
        .find(|d| d.str_at(&["kind"]) == Some("ResourceSet"))
        .ok_or_else(|| format!("{}: no ResourceSet", args.file.display()))?;
    let inputs = match &args.inputs_from {
        Some(f) => Some(input_sets(
            &docs(f)?.into_iter().next().unwrap_or_else(Node::null),
        )),
        None => None,
    };
    let providers = match &args.inputs_from_provider {
        Some(f) => {
            let ns = rset.str_at(&["metadata", "namespace"]).unwrap_or_default();
            let mut out = Vec::new();
            for d in docs(f)? {
                if let Some(p) = Provider::from_static_manifest(&d, ns).map_err(|e| e.message)? {
                    out.push(p);
                }
            }
            Some(out)
        }
        None => None,
    };
    let steps = build_resourceset(&rset, inputs, providers.as_deref()).map_err(|e| e.message)?;
    let mut text = String::new();
    for step in steps {
        if step.objects.is_empty() {
            continue;
        }
        if let Some(name) = &step.name {
            text.push_str(&format!("# step: {name}\n"));
        }
        for o in &step.objects {
            text.push_str("---\n");
            emit_document(o, &mut text);
        }
    }
    Ok(text)
}

#[allow(clippy::print_stderr)]
pub fn run(args: &Args) -> i32 {
    match build(args) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("Error: writing output: {e}");
                    2
                }
                _ => 0,
            }
        }
        Err(e) => {
            eprintln!("Error: {e}");
            1
        }
    }
}
