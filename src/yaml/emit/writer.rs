//! The emitter's cursor: output text plus the state goyaml.v2 (a port of
//! libyaml's emitter) keeps while writing, which decides every line break
//! and space.

/// Indentation step.
const BEST_INDENT: isize = 2;

pub(super) struct Writer<'a> {
    out: &'a mut String,
    /// Runes written on the current line.
    pub column: usize,
    /// The last thing written was whitespace (or nothing yet on the line
    /// that needs a separator).
    pub whitespace: bool,
    /// Only indentation (and indicators such as `- `) so far on this line.
    pub indention: bool,
    /// Current indent; -1 before the root collection.
    indent: isize,
    indents: Vec<isize>,
}

impl<'a> Writer<'a> {
    /// A writer at the start of a document.
    pub fn new(out: &'a mut String) -> Writer<'a> {
        Writer {
            out,
            column: 0,
            whitespace: true,
            indention: true,
            indent: -1,
            indents: Vec::new(),
        }
    }

    pub fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    pub fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// Writes a line break taken from scalar content: `\n` as a newline,
    /// other breaks (U+2028, U+2029) raw, both starting a new line.
    pub fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    /// Moves to the current indent, breaking the line unless the cursor is
    /// still in this line's indentation.
    pub fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    pub fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// Enters a collection or scalar. Block collections start at column 0;
    /// scalars at the top get an indent of 2. An indentless sequence (a
    /// mapping's value) keeps its mapping's indent.
    pub fn increase_indent(&mut self, scalar: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if scalar { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    pub fn decrease_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }
}
