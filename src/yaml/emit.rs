//! Writing nodes exactly as `kustomize build` prints them.
//!
//! TODO(emitter helper): implement.

use super::Node;

/// Appends one document (no `---`, ends with a single newline) to `out`.
pub fn emit_document(_node: &Node, _out: &mut String) {
    unimplemented!()
}

/// Documents joined with `---\n`, as `kustomize build` writes a resource list.
/// No documents: the empty string.
pub fn emit_documents(nodes: &[Node]) -> String {
    let mut out = String::new();
    for (i, n) in nodes.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        emit_document(n, &mut out);
    }
    out
}

/// A float as kustomize prints it after the JSON round trip (integral floats
/// as integers, otherwise Go's shortest `%g` with a 2-digit exponent).
pub fn format_float(_f: f64) -> String {
    unimplemented!()
}
