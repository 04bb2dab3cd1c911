//! Makefile dependency files (`--depfile`): which inputs a target was made from, so `make`
//! rebuilds it when any of them changes.

use std::path::{Path, PathBuf};

/// Escapes a path for a Makefile rule: spaces, `#`, `:` and `$` would otherwise split or
/// change the rule.
pub fn escape(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' ' | '#' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '$' => out.push_str("$$"),
            _ => out.push(c),
        }
    }
    out
}

/// The text of a dependency file: `targets: inputs`, one input per continued line, and an empty
/// rule per input so that `make` does not fail when an input is deleted.
pub fn render(targets: &[PathBuf], inputs: &[PathBuf]) -> String {
    let mut inputs: Vec<&PathBuf> = inputs.iter().collect();
    inputs.sort();
    inputs.dedup();
    let mut out = targets
        .iter()
        .map(|t| escape(t))
        .collect::<Vec<_>>()
        .join(" ");
    out.push(':');
    for input in &inputs {
        out.push_str(" \\\n  ");
        out.push_str(&escape(input));
    }
    out.push('\n');
    for input in &inputs {
        out.push('\n');
        out.push_str(&escape(input));
        out.push_str(":\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_make_specials_and_lists_phony_inputs() {
        let text = render(
            &[PathBuf::from("out/a b.html")],
            &[PathBuf::from("in/$x:y.md"), PathBuf::from("in/img 1.png")],
        );
        assert_eq!(
            text,
            "out/a\\ b.html: \\\n  in/$$x\\:y.md \\\n  in/img\\ 1.png\n\nin/$$x\\:y.md:\n\nin/img\\ 1.png:\n"
        );
    }
}
