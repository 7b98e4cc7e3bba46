//! The probes of ../shared/docs/kustomize-output.md, one test per table,
//! built from hand-made nodes (what kustomize's JSON round trip holds).

use super::*;
use crate::yaml::Key;

fn s(text: &str) -> Node {
    Node::string(text)
}

fn int(i: i64) -> Node {
    Node::new(Value::Int(i))
}

fn m(entries: Vec<(&str, Node)>) -> Node {
    let mut map = Mapping::new();
    for (k, v) in entries {
        map.insert(Key::new(k), v);
    }
    Node::new(Value::Map(map))
}

fn seq(items: Vec<Node>) -> Node {
    Node::seq(items)
}

fn emit(node: &Node) -> String {
    let mut out = String::new();
    emit_document(node, &mut out);
    out
}

/// `k: <value>` at the root.
fn value_line(value: Node) -> String {
    emit(&m(vec![("k", value)]))
}

/// A string value under `  k: ` (a mapping at indent 2).
fn nested(value: &str) -> String {
    emit(&m(vec![("a", m(vec![("k", s(value))]))]))
}

#[test]
fn documents_are_joined_with_separators() {
    let a = m(vec![("name", s("a"))]);
    let b = m(vec![("name", s("b"))]);
    assert_eq!(emit_documents(&[a.clone(), b]), "name: a\n---\nname: b\n");
    assert_eq!(emit_documents(&[a]), "name: a\n");
    assert_eq!(emit_documents(&[]), "");
}

#[test]
fn keys_are_sorted_naturally() {
    let doc = m(vec![
        ("b", int(1)),
        ("a10", int(2)),
        ("a9", int(3)),
        ("ANOTHER_ENV_VARIABLE", int(4)),
        ("A_FIRST_ENV_VARIABLE", int(5)),
    ]);
    assert_eq!(
        emit(&doc),
        "A_FIRST_ENV_VARIABLE: 5\nANOTHER_ENV_VARIABLE: 4\na9: 3\na10: 2\nb: 1\n"
    );
}

#[test]
fn nested_mappings_indent_by_two() {
    let doc = m(vec![("metadata", m(vec![("name", s("x"))]))]);
    assert_eq!(emit(&doc), "metadata:\n  name: x\n");
}

#[test]
fn sequences_under_keys_are_not_indented() {
    let doc = m(vec![(
        "containers",
        seq(vec![m(vec![("name", s("b")), ("image", s("a"))])]),
    )]);
    assert_eq!(emit(&doc), "containers:\n- image: a\n  name: b\n");
}

#[test]
fn mapping_in_sequence_starts_on_the_dash_line() {
    let item = m(vec![
        ("a", int(1)),
        ("b", seq(vec![s("x")])),
        ("c", m(vec![("d", int(1))])),
    ]);
    assert_eq!(
        emit(&seq(vec![item])),
        "- a: 1\n  b:\n  - x\n  c:\n    d: 1\n"
    );
}

#[test]
fn sequences_in_sequences() {
    let doc = m(vec![(
        "e",
        seq(vec![seq(vec![s("a"), s("b")]), seq(vec![s("c")])]),
    )]);
    assert_eq!(emit(&doc), "e:\n- - a\n  - b\n- - c\n");
}

#[test]
fn empty_collections_are_flow() {
    let doc = m(vec![
        ("a", Node::map()),
        ("b", seq(vec![])),
        ("c", seq(vec![Node::map()])),
        ("d", seq(vec![seq(vec![])])),
    ]);
    assert_eq!(emit(&doc), "a: {}\nb: []\nc:\n- {}\nd:\n- []\n");
    assert_eq!(emit(&Node::map()), "{}\n");
    assert_eq!(emit(&seq(vec![])), "[]\n");
}

#[test]
fn long_keys_are_complex() {
    let k129 = "k".repeat(129);
    let doc = m(vec![("spec", m(vec![(k129.as_str(), s("v129"))]))]);
    assert_eq!(emit(&doc), format!("spec:\n  ? {k129}\n  : v129\n"));

    let k130 = "k".repeat(130);
    let doc = m(vec![(
        "spec",
        m(vec![(k130.as_str(), m(vec![("a", int(1))]))]),
    )]);
    assert_eq!(emit(&doc), format!("spec:\n  ? {k130}\n  : a: 1\n"));

    // A complex key's sequence value is indented, on the `:` line.
    let doc = m(vec![(
        "spec",
        m(vec![(k130.as_str(), seq(vec![s("a"), s("b")]))]),
    )]);
    assert_eq!(emit(&doc), format!("spec:\n  ? {k130}\n  : - a\n    - b\n"));
}

#[test]
fn key_length_limit_counts_bytes() {
    let ones = "1".repeat(128);
    assert_eq!(
        emit(&m(vec![(ones.as_str(), s("q"))])),
        format!("\"{ones}\": q\n")
    );
    let e64 = "é".repeat(64);
    assert_eq!(
        emit(&m(vec![(e64.as_str(), s("q"))])),
        format!("{e64}: q\n")
    );
    let e65 = "é".repeat(65);
    assert_eq!(
        emit(&m(vec![(e65.as_str(), s("q"))])),
        format!("? {e65}\n: q\n")
    );
}

#[test]
fn multi_line_keys_are_complex_literals() {
    let doc = m(vec![("spec", m(vec![("multi\nline", s("x"))]))]);
    assert_eq!(emit(&doc), "spec:\n  ? |-\n    multi\n    line\n  : x\n");
}

#[test]
fn long_complex_keys_with_spaces_are_folded() {
    // 20 words of 7 letters: 159 bytes, so a complex key, folded at 80.
    let key = ["kkkkkkk"; 20].join(" ");
    let doc = m(vec![("spec", m(vec![(key.as_str(), s("v"))]))]);
    let half = ["kkkkkkk"; 10].join(" ");
    assert_eq!(
        emit(&doc),
        format!("spec:\n  ? {half}\n    {half}\n  : v\n")
    );
}

#[test]
fn simple_keys_are_never_folded() {
    let key = ["kkkkkkk"; 15].join(" "); // 119 bytes
    assert_eq!(
        emit(&m(vec![(key.as_str(), s("v"))])),
        format!("{key}: v\n")
    );
}

#[test]
fn non_strings_are_plain() {
    let doc = m(vec![
        ("n", Node::null()),
        ("t", Node::new(Value::Bool(true))),
        ("f", Node::new(Value::Bool(false))),
        ("i", int(-12)),
        ("u", Node::new(Value::UInt(9223372036854775808))),
        ("x", Node::new(Value::Float(1.5))),
        ("y", Node::new(Value::Float(1.0))),
        ("z", Node::new(Value::Float(1234567.5))),
        ("w", Node::new(Value::Float(-0.0))),
    ]);
    assert_eq!(
        emit(&doc),
        // Keys `n` and `y` are goyaml.v2 bools, so they are quoted.
        "f: false\ni: -12\n\"n\": null\nt: true\nu: 9223372036854775808\nw: 0\nx: 1.5\n\"y\": 1\nz: 1.2345675e+06\n"
    );
}

#[test]
fn strings_goyaml_v2_would_retype_are_double_quoted() {
    for text in [
        "yes",
        "y",
        "N",
        "on",
        "Off",
        "null",
        "~",
        "",
        "123",
        "+12",
        "0777",
        "0x1F",
        "0o17",
        "0b101",
        "1_000",
        "1__2",
        "20011214",
        "1.0",
        "1.",
        "0.",
        "-.5",
        "+.5e5",
        "1e3",
        "08",
        ".inf",
        "-.INF",
        ".NaN",
        "2001-12-14",
        "2001-1-1",
        "2001-12-14T21:59:43Z",
        "2001-12-14 21:59:43.10",
        "1:20",
        "12:30:45",
        "true",
        "False",
        "2001-12-14T00:00:00Z",
        "2001-12-14T21:59:43.1-05:00",
    ] {
        assert_eq!(value_line(s(text)), format!("k: \"{text}\"\n"), "{text:?}");
    }
}

#[test]
fn strings_goyaml_v2_keeps_are_plain() {
    for text in [
        "nO",
        "tRUE",
        "Yes!",
        "12e",
        "0xG",
        "1,000",
        "0b2",
        "._",
        "+",
        "-0b",
        "1e400",
        "2001-12-14T21:59:43",
        "2001-13-01",
        "2001-02-30",
        "2001-12-14 21:59:43.10 -5",
        "=",
        "<<",
        ".",
        "~a",
        "a~",
        "Infinity",
        "foo:bar",
        "http://x.com/a#b",
        "foo#bar",
        "a[b]",
        "a,b",
        "?foo",
        ":foo",
        "-foo",
        "a'b",
        "a\"b",
        "a\\b",
        "a  b",
        "café",
        "日本語",
        "\u{a0}",
        "\u{e000}",
    ] {
        assert_eq!(value_line(s(text)), format!("k: {text}\n"), "{text:?}");
    }
}

#[test]
fn indicators_single_quote() {
    for (text, out) in [
        ("foo: bar", "'foo: bar'"),
        ("a:", "'a:'"),
        ("a: ", "'a: '"),
        ("foo #bar", "'foo #bar'"),
        ("a #", "'a #'"),
        ("#foo", "'#foo'"),
        ("[a]", "'[a]'"),
        ("{a}", "'{a}'"),
        ("&a", "'&a'"),
        ("*a", "'*a'"),
        ("!a", "'!a'"),
        ("|a", "'|a'"),
        (">a", "'>a'"),
        ("%a", "'%a'"),
        ("@a", "'@a'"),
        ("`a", "'`a'"),
        ("\"a", "'\"a'"),
        ("'a", "'''a'"),
        ("'", "''''"),
        ("''", "''''''"),
        ("' a '", "''' a '''"),
        ("*/1 * * * *", "'*/1 * * * *'"),
        (": test", "': test'"),
        ("- foo", "'- foo'"),
        ("-", "'-'"),
        ("- ", "'- '"),
        ("? foo", "'? foo'"),
        (": foo", "': foo'"),
        ("---", "'---'"),
        ("--- a", "'--- a'"),
        ("...", "'...'"),
        (" leading", "' leading'"),
        ("trailing  ", "'trailing  '"),
        (" ", "' '"),
        ("null ", "'null '"),
    ] {
        assert_eq!(value_line(s(text)), format!("k: {out}\n"), "{text:?}");
    }
}

#[test]
fn special_characters_double_quote_with_escapes() {
    for (text, out) in [
        ("tab\there", r#""tab\there""#),
        ("emoji 😀", r#""emoji \U0001F600""#),
        ("ctl\u{1}x", r#""ctl\x01x""#),
        ("a\u{1b}b", r#""a\eb""#),
        ("a\u{feff}b", r#""a\uFEFFb""#),
        ("\u{feff}ab c", r#""\uFEFF\x61\x62\x20\x63""#),
        ("cr\rx", r#""cr\rx""#),
        ("a\\b\tc\"", r#""a\\b\tc\"""#),
        (
            "\0\u{7}\u{8}\t\u{b}\u{c}\r\u{1b}\u{2028}\u{2029}\u{e}",
            r#""\0\a\b\t\v\f\r\e\L\P\x0E""#,
        ),
        ("\u{feff}\u{a0}é", r#""\uFEFF\_\xE9""#),
        ("a\u{fffd}\u{10ffff}\t", "\"a\u{fffd}\\U0010FFFF\\t\""),
    ] {
        assert_eq!(value_line(s(text)), format!("k: {out}\n"), "{text:?}");
    }
}

#[test]
fn corpus_quoting_rows() {
    assert_eq!(emit(&m(vec![("TEST", s("'"))])), "TEST: ''''\n");
    assert_eq!(
        emit(&m(vec![("schedule", s("*/1 * * * *"))])),
        "schedule: '*/1 * * * *'\n"
    );
    assert_eq!(emit(&m(vec![("value", s(": test"))])), "value: ': test'\n");
}

#[test]
fn line_separator_breaks_single_quotes() {
    assert_eq!(value_line(s("ls\u{2028}x")), "k: 'ls\u{2028}  x'\n");
}

#[test]
fn nel_is_folded_by_the_json_round_trip() {
    // Probed with kubectl.
    assert_eq!(value_line(s("\u{85}x")), "k: ' x'\n");
    assert_eq!(
        value_line(s("a \u{85} \u{85}\u{85} b\u{85}")),
        "k: \"a\\n\\nb \"\n"
    );
    assert_eq!(value_line(s("a\u{85}\u{85}\u{85}b")), "k: |-\n  a\n\n  b\n");
}

#[test]
fn literal_block_scalars() {
    for (text, out) in [
        ("line1\nline2\n", "|\n    line1\n    line2\n"),
        ("line1\nline2", "|-\n    line1\n    line2\n"),
        ("line1\nline2\n\n", "|+\n    line1\n    line2\n\n"),
        ("a\n\n\n", "|+\n    a\n\n\n"),
        ("\n", "|2+\n\n"),
        ("\n\n", "|2+\n\n\n"),
        (" lead\nsecond\n", "|2\n     lead\n    second\n"),
        (" lead\nno-trail", "|2-\n     lead\n    no-trail\n"),
        ("\nlead-nl\n", "|2\n\n    lead-nl\n"),
        ("a\n b\n", "|\n    a\n     b\n"),
        ("a\n\n b", "|-\n    a\n\n     b\n"),
        ("a\u{2028}b\n", "|\n    a\u{2028}    b\n"),
    ] {
        assert_eq!(nested(text), format!("a:\n  k: {out}"), "{text:?}");
    }
    let long = "x".repeat(200);
    assert_eq!(
        nested(&format!("{long}\nsecond line\n")),
        format!("a:\n  k: |\n    {long}\n    second line\n")
    );
}

#[test]
fn literal_is_followed_by_the_next_key() {
    let doc = m(vec![("a", s("x\ny")), ("b", s("z\n")), ("c", int(1))]);
    assert_eq!(emit(&doc), "a: |-\n  x\n  y\nb: |\n  z\nc: 1\n");
}

#[test]
fn literal_in_a_sequence() {
    assert_eq!(emit(&seq(vec![s("x\ny\n")])), "- |\n  x\n  y\n");
    let doc = m(vec![("k", seq(vec![s("x\ny\n"), s("z")]))]);
    assert_eq!(emit(&doc), "k:\n- |\n  x\n  y\n- z\n");
}

#[test]
fn literal_falls_back_to_double_quotes() {
    for (text, out) in [
        ("a \nb\n", r#""a \nb\n""#),
        ("a\tb\nc\n", r#""a\tb\nc\n""#),
        ("a\r\nb\n", r#""a\r\nb\n""#),
        ("a\nb ", r#""a\nb ""#),
        ("  \n", r#""  \n""#),
    ] {
        assert_eq!(nested(text), format!("a:\n  k: {out}\n"), "{text:?}");
    }
}

#[test]
fn double_quoted_multi_line_folds() {
    // corpus baseandoverlaymedium__TestMediumOverlay
    let text = "Lorem ipsum dolor sit amet, consectetur\nadipiscing elit, sed do eiusmod tempor\nincididunt ut labore et dolore magna aliqua. \n";
    let doc = m(vec![("data", m(vec![("nonsense", s(text))]))]);
    assert_eq!(
        emit(&doc),
        "data:\n  nonsense: \"Lorem ipsum dolor sit amet, consectetur\\nadipiscing elit, sed do eiusmod\n    tempor\\nincididunt ut labore et dolore magna aliqua. \\n\"\n"
    );
}

#[test]
fn plain_folding_at_80_columns() {
    let words: Vec<String> = (0..30).map(|i| format!("word{i:02}")).collect();
    let line = |r: std::ops::Range<usize>| words[r].join(" ");
    assert_eq!(
        nested(&words.join(" ")),
        format!(
            "a:\n  k: {}\n    {}\n    {}\n",
            line(0..11),
            line(11..23),
            line(23..30)
        )
    );
}

#[test]
fn plain_folding_edges() {
    // `  k: ` is 5 columns; the spec's `  pN: ` rows are 6, so one more x.
    let x = |n: usize| "x".repeat(n);
    assert_eq!(
        nested(&format!("{} y", x(73))),
        format!("a:\n  k: {} y\n", x(73))
    );
    assert_eq!(
        nested(&format!("{} y z", x(75))),
        format!("a:\n  k: {} y\n    z\n", x(75))
    );
    assert_eq!(
        nested(&format!("{} y z", x(76))),
        format!("a:\n  k: {}\n    y z\n", x(76))
    );
    assert_eq!(
        nested(&format!("{}  y z", x(81))),
        format!("a:\n  k: {}  y\n    z\n", x(81))
    );
}

#[test]
fn folding_counts_the_key() {
    let key = "k".repeat(78);
    let doc = m(vec![("a", m(vec![(key.as_str(), s("w1 w2 w3"))]))]);
    assert_eq!(emit(&doc), format!("a:\n  {key}: w1\n    w2 w3\n"));
}

#[test]
fn single_quoted_folding() {
    let words: Vec<String> = (0..30).map(|i| format!("word{i:02}")).collect();
    let text = format!("#{}", words.join(" "));
    let line = |r: std::ops::Range<usize>| words[r].join(" ");
    let doc = m(vec![("a", m(vec![("p1", s(&text))]))]);
    assert_eq!(
        emit(&doc),
        format!(
            "a:\n  p1: '#{}\n    {}\n    {}'\n",
            line(0..11),
            line(11..23),
            line(23..30)
        )
    );
}

#[test]
fn double_quoted_folding() {
    let text = format!("\t{}  y z", "x".repeat(77));
    let doc = m(vec![("a", m(vec![("p1", s(&text))]))]);
    assert_eq!(
        emit(&doc),
        format!("a:\n  p1: \"\\t{}\n    \\ y z\"\n", "x".repeat(77))
    );
    let emoji = "😀".repeat(30);
    let doc = m(vec![("a", m(vec![("p1", s(&format!("{emoji} a b")))]))]);
    assert_eq!(
        emit(&doc),
        format!("a:\n  p1: \"{}\n    a b\"\n", "\\U0001F600".repeat(30))
    );
}

#[test]
fn corpus_long_line_breaks() {
    // corpus stringquoteblank__TestLongLineBreaks: the value starts at column 17.
    let text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Maecenas suscipit ex non molestie varius.";
    let env = m(vec![("name", s("LONG_STRING_BLANK")), ("value", s(text))]);
    let container = m(vec![("env", seq(vec![env]))]);
    let pod = m(vec![("containers", seq(vec![container]))]);
    let doc = m(vec![(
        "spec",
        m(vec![("template", m(vec![("spec", pod)]))]),
    )]);
    assert_eq!(
        emit(&doc),
        "spec:\n  template:\n    spec:\n      containers:\n      - env:\n        - name: LONG_STRING_BLANK\n          value: Lorem ipsum dolor sit amet, consectetur adipiscing elit. Maecenas\n            suscipit ex non molestie varius.\n"
    );
}

#[test]
fn folding_in_nested_sequences() {
    let words: Vec<String> = (0..20).map(|i| format!("word{i:02}")).collect();
    let doc = m(vec![(
        "a",
        m(vec![("k", seq(vec![seq(vec![s(&words.join(" "))])]))]),
    )]);
    // `  - - ` is 6 columns; the space after word10 is at column 83.
    assert_eq!(
        emit(&doc),
        format!(
            "a:\n  k:\n  - - {}\n      {}\n",
            words[..11].join(" "),
            words[11..].join(" ")
        )
    );
}

#[test]
fn nulls_and_empty_strings() {
    let doc = m(vec![("k", seq(vec![Node::null(), Node::null(), s("")]))]);
    assert_eq!(emit(&doc), "k:\n- null\n- null\n- \"\"\n");
}

#[test]
fn keys_follow_value_quoting() {
    let doc = m(vec![
        ("true", int(1)),
        ("yes", int(2)),
        ("1", int(3)),
        ("", int(4)),
        ("#c", int(5)),
        ("- x", int(6)),
        ("a: b", int(7)),
        ("null", int(8)),
    ]);
    assert_eq!(
        emit(&doc),
        "\"\": 4\n'#c': 5\n'- x': 6\n\"1\": 3\n'a: b': 7\n\"null\": 8\n\"true\": 1\n\"yes\": 2\n"
    );
}

#[test]
fn root_scalars() {
    assert_eq!(emit(&s("foo")), "foo\n");
    assert_eq!(emit(&s("a\nb\n")), "|\n  a\n  b\n");
    assert_eq!(emit(&Node::null()), "null\n");
}

#[test]
fn deepest_loadable_tree_fits_a_small_stack() {
    // The loader refuses nesting past `max_depth`; the emitter recurses once
    // per level, which must fit a 2 MB thread stack even in debug builds.
    let depth = crate::yaml::LoadOptions::default().max_depth;
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let mut node = s("leaf");
            for i in 0..depth {
                node = if i % 2 == 0 {
                    seq(vec![node])
                } else {
                    m(vec![("k", node)])
                };
            }
            assert!(check_emittable(&node).is_ok());
            assert!(emit(&node).ends_with("- leaf\n"));
        })
        .expect("thread starts");
    handle.join().expect("no stack overflow");
}

#[test]
fn resolver_edges_probed_with_kubectl() {
    let quoted = [
        "2001-12-14   21:59:43",
        "2001-12-14 21:59:43,5",
        "2001-12-14T21:59:43.5+24:00",
        "2001-12-14T21:59:43+24:60",
        "2000-02-29",
        "0000-01-01",
        "2001-12-14T1:2:3Z",
        "2001-12-14t1:2:3-01:00",
        "0b-1",
        "+_1",
        ".5_5",
        "1e-400",
        "99999999999999999999",
        "0O17",
        "0B11",
        "0X1f",
        "+0x1F",
        "-0o17",
        "0_7",
        ".5e1_0",
        "1:2:3.",
        "1_0:5",
        "+1:20",
        "190:20:30.5_5",
        "0b+1",
        "-9223372036854775809",
        "18446744073709551616",
        "+.5",
        "1.5e3_0",
        "-_1",
        "0x_1",
        "1__",
        "+0",
        "-0.0e-0",
        "0b1_1",
    ];
    for text in quoted {
        assert_eq!(value_line(s(text)), format!("k: \"{text}\"\n"), "{text:?}");
    }
    let plain = [
        "2001-12-14T21:59:43+25:00",
        "2001-12-14T21:59:43+24:61",
        "2001-2-29",
        "1900-02-29",
        "2001-12-14 21:59",
        "2001-12-14T21:59:43.",
        "2001-12-14T01:02:03.Z",
        "2001-12-14T1:2:3+0100",
        "12001-12-14",
        "-0b",
        "0x1FFFFFFFFFFFFFFFFF",
        "0o",
        "._5",
        ".5_e1",
        "1:60",
        "0x",
        "0b",
        "-.",
        "1e+",
        ".1e",
        "._",
        "_1",
    ];
    for text in plain {
        assert_eq!(value_line(s(text)), format!("k: {text}\n"), "{text:?}");
    }
    assert_eq!(value_line(s("2001-12-14 ")), "k: '2001-12-14 '\n");
}
