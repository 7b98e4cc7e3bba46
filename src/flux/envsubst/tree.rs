//! The parse tree of a template: text and `${...}` references, each with its byte range.
//!
//! Go's parser builds a right-nested list (`List(a, List(b, c))`); the tree here is the
//! flat sequence that list stands for. Names borrow from the template; text borrows too
//! unless an escape was removed from it.

use std::borrow::Cow;
use std::ops::Range;

/// A parsed template: the top-level sequence of text and references.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template<'s> {
    pub(super) source: &'s str,
    pub(super) nodes: Vec<Node<'s>>,
}

impl<'s> Template<'s> {
    /// The template text this tree was parsed from; spans index into it.
    pub fn source(&self) -> &'s str {
        self.source
    }

    /// The top-level nodes, in order.
    pub fn nodes(&self) -> &[Node<'s>] {
        &self.nodes
    }

    /// Every reference in the template, nested ones included, in source order (a
    /// reference comes before the references inside its arguments).
    pub fn references(&self) -> References<'_, 's> {
        References {
            stack: vec![self.nodes.iter()],
        }
    }
}

/// An element of the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node<'s> {
    Text(Text<'s>),
    Reference(Reference<'s>),
}

impl Node<'_> {
    /// Byte range of the node in the template.
    pub fn span(&self) -> Range<usize> {
        match self {
            Node::Text(text) => text.span.clone(),
            Node::Reference(reference) => reference.span.clone(),
        }
    }
}

/// Literal text. `value` is the text after escapes: `$$` → `$` in plain text, and also
/// `\/` → `/`, `\\` → `\` in the pattern and replacement of the `/` operators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text<'s> {
    pub value: Cow<'s, str>,
    /// Byte range in the template, escape characters included.
    pub span: Range<usize>,
}

/// A `${...}` reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference<'s> {
    /// The variable name (Go's `Param`).
    pub name: &'s str,
    /// Byte range of `name` in the template.
    pub name_span: Range<usize>,
    pub operator: Operator,
    /// The operator's arguments, each a text or a nested reference. A default operator
    /// may have any number (their values are concatenated), the others have at most two.
    pub args: Vec<Node<'s>>,
    /// Byte range from `$` to the closing `}` inclusive.
    pub span: Range<usize>,
}

/// The operator of a reference, as Flux's parser recognizes it.
///
/// Flux evaluates every operator that supplies a fallback (`=`, `:=`, `:-`, `:?`, `:+`)
/// the same way: the arguments replace an empty or unset value. `${V-x}`, `${V+x}` and
/// `${V?x}` (no colon) do not parse at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `${V}`.
    Value,
    /// `${#V}`: the length in bytes.
    Length,
    /// `${V^}`.
    UpperFirst,
    /// `${V^^}`.
    UpperAll,
    /// `${V,}`.
    LowerFirst,
    /// `${V,,}`.
    LowerAll,
    /// `${V^,}`: parses, evaluates to the value unchanged.
    UpperThenLower,
    /// `${V,^}`: parses, evaluates to the value unchanged.
    LowerThenUpper,
    /// `${V:offset}`, `${V:offset:length}`.
    Substring,
    /// `${V#glob}`.
    TrimShortestPrefix,
    /// `${V##glob}`.
    TrimLongestPrefix,
    /// `${V%glob}`.
    TrimShortestSuffix,
    /// `${V%%glob}`.
    TrimLongestSuffix,
    /// `${V/text/replacement}`.
    ReplaceFirst,
    /// `${V//text/replacement}`.
    ReplaceAll,
    /// `${V/#text/replacement}`.
    ReplacePrefix,
    /// `${V/%text/replacement}`.
    ReplaceSuffix,
    /// `${V=default}`.
    DefaultEquals,
    /// `${V:=default}`.
    DefaultColonEquals,
    /// `${V:-default}`.
    DefaultColonMinus,
    /// `${V:?default}` (no error in Flux: a default like `:-`).
    DefaultColonQuestion,
    /// `${V:+default}` (not bash's alternative value: a default like `:-`).
    DefaultColonPlus,
}

impl Operator {
    /// The operator as written and as Go's parse tree names it (`""` for [`Value`],
    /// `"#"` for both [`Length`] and [`TrimShortestPrefix`]).
    ///
    /// [`Value`]: Operator::Value
    /// [`Length`]: Operator::Length
    /// [`TrimShortestPrefix`]: Operator::TrimShortestPrefix
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Value => "",
            Operator::Length => "#",
            Operator::UpperFirst => "^",
            Operator::UpperAll => "^^",
            Operator::LowerFirst => ",",
            Operator::LowerAll => ",,",
            Operator::UpperThenLower => "^,",
            Operator::LowerThenUpper => ",^",
            Operator::Substring => ":",
            Operator::TrimShortestPrefix => "#",
            Operator::TrimLongestPrefix => "##",
            Operator::TrimShortestSuffix => "%",
            Operator::TrimLongestSuffix => "%%",
            Operator::ReplaceFirst => "/",
            Operator::ReplaceAll => "//",
            Operator::ReplacePrefix => "/#",
            Operator::ReplaceSuffix => "/%",
            Operator::DefaultEquals => "=",
            Operator::DefaultColonEquals => ":=",
            Operator::DefaultColonMinus => ":-",
            Operator::DefaultColonQuestion => ":?",
            Operator::DefaultColonPlus => ":+",
        }
    }

    /// Whether the operator supplies a fallback for an unset variable, so that strict
    /// mode accepts the variable being unset (Go's `isDefaultOp`).
    pub fn supplies_default(self) -> bool {
        matches!(
            self,
            Operator::DefaultEquals
                | Operator::DefaultColonEquals
                | Operator::DefaultColonMinus
                | Operator::DefaultColonQuestion
                | Operator::DefaultColonPlus
        )
    }
}

/// Iterator over all references of a [`Template`], depth first.
pub struct References<'t, 's> {
    stack: Vec<std::slice::Iter<'t, Node<'s>>>,
}

impl<'t, 's> Iterator for References<'t, 's> {
    type Item = &'t Reference<'s>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let level = self.stack.last_mut()?;
            match level.next() {
                None => {
                    self.stack.pop();
                }
                Some(Node::Text(_)) => {}
                Some(Node::Reference(reference)) => {
                    self.stack.push(reference.args.iter());
                    return Some(reference);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference<'s>(name: &'s str, span: Range<usize>, args: Vec<Node<'s>>) -> Node<'s> {
        Node::Reference(Reference {
            name,
            name_span: span.start + 2..span.start + 2 + name.len(),
            operator: if args.is_empty() {
                Operator::Value
            } else {
                Operator::DefaultColonMinus
            },
            args,
            span,
        })
    }

    #[test]
    fn references_walks_nested_arguments_in_source_order() {
        // "${a:-${b}}${c}"
        let template = Template {
            source: "${a:-${b}}${c}",
            nodes: vec![
                reference("a", 0..10, vec![reference("b", 5..9, vec![])]),
                reference("c", 10..14, vec![]),
            ],
        };
        let names: Vec<&str> = template.references().map(|r| r.name).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(template.nodes()[1].span(), 10..14);
    }

    #[test]
    fn only_fallback_operators_supply_a_default() {
        assert!(Operator::DefaultColonPlus.supplies_default());
        assert!(Operator::DefaultEquals.supplies_default());
        assert!(!Operator::Value.supplies_default());
        assert!(!Operator::Length.supplies_default());
        assert!(!Operator::ReplaceAll.supplies_default());
        assert_eq!(
            Operator::Length.as_str(),
            Operator::TrimShortestPrefix.as_str()
        );
    }
}
