#!/usr/bin/env python3
"""Generates src/kustomize/fieldspec_tables.rs from kustomize's default field
spec tables (shared/reference/kustomize/fieldspecs/*.yaml).

Usage: tools/gen_fieldspecs.py [REFERENCE_DIR] [OUTPUT]
  REFERENCE_DIR defaults to <repo>/../shared/reference/kustomize/fieldspecs
  OUTPUT defaults to <repo>/src/kustomize/fieldspec_tables.rs

The reference files are one small, fixed YAML shape (a top-level key holding a
list of flat mappings; nameReference entries nest a `fieldSpecs:` list), so a
purpose-built reader is enough and keeps this script on the standard library.
"""

import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Section key in the YAML, Rust constant name, file name.
SECTIONS = [
    ("namePrefix", "NAME_PREFIX", "nameprefix.yaml"),
    ("nameSuffix", "NAME_SUFFIX", "namesuffix.yaml"),
    ("commonLabels", "COMMON_LABELS", "commonlabels.yaml"),
    ("templateLabels", "TEMPLATE_LABELS", "templatelabels.yaml"),
    ("commonAnnotations", "COMMON_ANNOTATIONS", "commonannotations.yaml"),
    ("namespace", "NAMESPACE", "namespace.yaml"),
    ("varReference", "VAR_REFERENCE", "varreference.yaml"),
    ("nameReference", "NAME_REFERENCE", "namereference.yaml"),
    ("images", "IMAGES", "images.yaml"),
    ("replicas", "REPLICAS", "replicas.yaml"),
]
SPEC_KEYS = {"group", "version", "kind", "path", "create"}


class FormatError(Exception):
    pass


def scalar(text, where):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text.startswith(("'", '"', "[", "{", "&", "*", "!", "|", ">")):
        raise FormatError(f"{where}: unsupported scalar {text!r}")
    return text


def read_lines(path):
    """Meaningful lines as (indent, text, line number)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if "\t" in line[: len(line) - len(line.lstrip())]:
                raise FormatError(f"{path}:{n}: tab indentation")
            out.append((len(line) - len(line.lstrip(" ")), stripped, n))
    return out


def parse_list(lines, i, indent, path):
    """A block sequence of flat mappings at `indent`; returns (items, next i).
    A value-less key (`fieldSpecs:`) holds a nested sequence."""
    items = []
    while i < len(lines):
        ind, text, n = lines[i]
        if ind < indent:
            break
        if ind != indent or not text.startswith("- "):
            raise FormatError(f"{path}:{n}: expected a list item at column {indent}")
        item = {}
        # The first key sits after "- "; the rest are indented by two more.
        first = (indent + 2, text[2:].strip(), n)
        pending = [first]
        i += 1
        while i < len(lines) and lines[i][0] == indent + 2 and not lines[i][1].startswith("- "):
            pending.append(lines[i])
            i += 1
        for ind2, kv, n2 in pending:
            key, sep, value = kv.partition(":")
            if not sep:
                raise FormatError(f"{path}:{n2}: expected 'key: value'")
            key = key.strip()
            if key in item:
                raise FormatError(f"{path}:{n2}: repeated key {key!r}")
            if value.strip():
                item[key] = scalar(value, f"{path}:{n2}")
            else:
                nested, i = parse_list(lines, i, indent + 2, path)
                item[key] = nested
        items.append(item)
    return items, i


def parse_file(path, expect_key):
    lines = read_lines(path)
    if expect_key is None:
        items, i = parse_list(lines, 0, 0, path)
    else:
        if not lines or lines[0][:2] != (0, expect_key + ":"):
            raise FormatError(f"{path}: expected top-level key {expect_key!r}")
        items, i = parse_list(lines, 1, 0, path)
    if i != len(lines):
        raise FormatError(f"{path}:{lines[i][2]}: unexpected content")
    return items


def spec(item, where):
    unknown = set(item) - SPEC_KEYS
    if unknown:
        raise FormatError(f"{where}: unknown field spec keys {sorted(unknown)}")
    create = item.get("create", "false")
    if create not in ("true", "false"):
        raise FormatError(f"{where}: create must be true or false, not {create!r}")
    return (
        item.get("group", ""),
        item.get("version", ""),
        item.get("kind", ""),
        item.get("path", ""),
        create == "true",
    )


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rust_spec(s, indent):
    g, v, k, p, c = s
    return (
        f"{indent}Spec {{ group: {rust_str(g)}, version: {rust_str(v)}, "
        f"kind: {rust_str(k)}, path: {rust_str(p)}, create: {'true' if c else 'false'} }},\n"
    )


def main(argv):
    ref = argv[1] if len(argv) > 1 else os.path.join(
        REPO, "..", "shared", "reference", "kustomize", "fieldspecs")
    out_path = argv[2] if len(argv) > 2 else os.path.join(
        REPO, "src", "kustomize", "fieldspec_tables.rs")

    tables = {}
    for key, _, file in SECTIONS:
        tables[key] = parse_file(os.path.join(ref, file), key)

    # kustomize joins the metadata-labels list onto commonLabels and
    # templateLabels in its Go source; the reference files carry the joined
    # lists. Check that, so an older copy without the join cannot slip in.
    meta = [spec(i, "metadatalabels.yaml") for i in
            parse_file(os.path.join(ref, "metadatalabels.yaml"), None)]
    common = [spec(i, "commonLabels") for i in tables["commonLabels"]]
    template = [spec(i, "templateLabels") for i in tables["templateLabels"]]
    if common[-len(meta):] != meta:
        raise FormatError("commonlabels.yaml does not end with the metadata-labels list")
    if template != meta:
        raise FormatError("templatelabels.yaml is not the metadata-labels list")

    rs = []
    rs.append("// Generated by tools/gen_fieldspecs.py from kustomize v5.5.0's default field\n")
    rs.append("// specs (shared/reference/kustomize/fieldspecs). Do not edit by hand.\n\n")
    rs.append("use super::{BackRef, Spec};\n")
    for key, const, _ in SECTIONS:
        items = tables[key]
        rs.append(f"\n/// `{key}`, in kustomize's source order.\n")
        if key == "nameReference":
            rs.append(f"pub(super) const {const}: &[BackRef] = &[\n")
            for j, item in enumerate(items):
                where = f"nameReference[{j}]"
                refs = item.get("fieldSpecs")
                if not isinstance(refs, list):
                    raise FormatError(f"{where}: missing fieldSpecs")
                target = {k: v for k, v in item.items() if k != "fieldSpecs"}
                if set(target) - {"group", "version", "kind"}:
                    raise FormatError(f"{where}: unknown keys {sorted(target)}")
                rs.append("    BackRef {\n")
                rs.append(f"        group: {rust_str(target.get('group', ''))},\n")
                rs.append(f"        version: {rust_str(target.get('version', ''))},\n")
                rs.append(f"        kind: {rust_str(target.get('kind', ''))},\n")
                rs.append("        referrers: &[\n")
                for r in refs:
                    rs.append(rust_spec(spec(r, where), "            "))
                rs.append("        ],\n")
                rs.append("    },\n")
        else:
            rs.append(f"pub(super) const {const}: &[Spec] = &[\n")
            for j, item in enumerate(items):
                rs.append(rust_spec(spec(item, f"{key}[{j}]"), "    "))
        rs.append("];\n")

    text = "".join(rs)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (FormatError, OSError) as e:
        print(f"gen_fieldspecs: {e}", file=sys.stderr)
        sys.exit(1)
