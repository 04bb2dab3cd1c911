#![no_main]
//! The front-matter parser (Pelican header and YAML block) on arbitrary text.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut warnings = Vec::new();
    if let Ok(front) =
        bindery::read::frontmatter::parse(text, std::path::Path::new("f.md"), &mut warnings)
    {
        // The body offset must be a char boundary inside the text.
        assert!(text.is_char_boundary(front.body_offset.min(text.len())));
        assert!(front.body_offset <= text.len());
    }
    for warning in &warnings {
        let _ = warning.to_string();
    }
});
