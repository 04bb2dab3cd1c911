//! Inline content flattened into atoms with resolved styles (emphasis, code, links, notes).

use std::rc::Rc;

use super::blocks::Layouter;
use super::boxes::{Style, Target, derive};
use super::fonts::{FaceKey, Family};
use super::measure::Atom;
use super::structure::Role;
use crate::model::Inline;

impl Layouter<'_> {
    /// Appends the atoms of `inlines` in `style` to `out`.
    pub fn atoms(&mut self, inlines: &[Inline], style: &Rc<Style>, out: &mut Vec<Atom>) {
        let look = self.theme;
        for inline in inlines {
            match inline {
                Inline::Text(text) => push_text(text, style, out),
                Inline::Emphasis(c) => {
                    let s = derive(style, |s| s.face.italic = !s.face.italic);
                    self.atoms(c, &s, out);
                }
                Inline::Strong(c) => {
                    let s = derive(style, |s| s.face.bold = true);
                    self.atoms(c, &s, out);
                }
                Inline::Strikethrough(c) => {
                    let s = derive(style, |s| s.strike = true);
                    self.atoms(c, &s, out);
                }
                Inline::Superscript(c) => {
                    let s = derive(style, |s| {
                        s.rise += s.size * look.superscript.0;
                        s.size *= look.superscript.1;
                    });
                    self.atoms(c, &s, out);
                }
                Inline::Subscript(c) => {
                    let s = derive(style, |s| {
                        s.rise -= s.size * look.subscript.0;
                        s.size *= look.subscript.1;
                    });
                    self.atoms(c, &s, out);
                }
                Inline::Code(code) => {
                    let s = derive(style, |s| {
                        s.face = FaceKey {
                            family: Family::Mono,
                            ..s.face
                        };
                        s.size *= look.code.inline_factor;
                    });
                    push_text(code, &s, out);
                }
                Inline::Link(link) => {
                    let target = self.link_target(&link.url);
                    let node = target.as_ref().map(|_| {
                        let text = crate::model::plain_text(&link.content);
                        let description = if text.trim().is_empty() {
                            link.url.clone()
                        } else {
                            text.trim().to_string()
                        };
                        self.structure
                            .leaf_in(style.node, Role::Link { description })
                    });
                    let s = derive(style, |s| {
                        if let Some(t) = &target {
                            s.link = Some(Rc::new(t.clone()));
                            s.color = look.colors.link;
                            s.node = node;
                        }
                    });
                    self.atoms(&link.content, &s, out);
                }
                Inline::Image(image) => {
                    if !image.alt.is_empty() {
                        let s = derive(style, |s| s.face.italic = !s.face.italic);
                        push_text(&image.alt, &s, out);
                    }
                }
                // A destination at the start of the block it is in (see `Layouter::blocks`).
                Inline::Anchor(id) => self.text_anchors.push(id.clone()),
                Inline::LineBreak => out.push(Atom::HardBreak(style.clone())),
                Inline::SoftBreak => out.push(Atom::Space(style.clone())),
                Inline::FootnoteRef(label) => {
                    if let Some((number, note)) = self.footnote(label) {
                        let dest = self.footnote_dest(label);
                        let node = self.structure.leaf_in(
                            style.node,
                            Role::Link {
                                description: format!("footnote {number}"),
                            },
                        );
                        let s = derive(style, |s| {
                            s.rise += s.size * look.superscript.0;
                            s.size *= look.superscript.1;
                            s.color = look.colors.link;
                            s.link = Some(Rc::new(Target::Dest(dest.clone())));
                            s.node = Some(node);
                        });
                        out.push(Atom::Note(number.to_string(), s, note));
                    }
                }
                Inline::RawHtml(_) => {}
            }
        }
    }

    /// Maps a link url to a PDF target in the current chapter: see [`link_target`].
    pub fn link_target(&self, url: &str) -> Option<Target> {
        link_target(&self.slug, url)
    }
}

/// Maps a link url in the chapter `slug` to a PDF target: internal book links and `#fragment`
/// links become destinations, everything else a URI.
pub fn link_target(slug: &str, url: &str) -> Option<Target> {
    if let Some((slug, fragment)) = crate::book::parse_internal_link(url) {
        return Some(Target::Dest(match fragment {
            Some(f) => format!("{slug}#{f}"),
            None => slug.to_string(),
        }));
    }
    if let Some(fragment) = url.strip_prefix('#') {
        return Some(Target::Dest(format!("{slug}#{fragment}")));
    }
    if url.is_empty() {
        return None;
    }
    Some(Target::Uri(url.to_string()))
}

fn push_text(text: &str, style: &Rc<Style>, out: &mut Vec<Atom>) {
    let mut first = true;
    for part in text.split(char::is_whitespace) {
        if !first {
            out.push(Atom::Space(style.clone()));
        }
        first = false;
        if !part.is_empty() {
            // Merge with a directly preceding text atom of the same style (one word).
            if let Some(Atom::Text(prev, ps)) = out.last_mut()
                && Rc::ptr_eq(ps, style)
            {
                prev.push_str(part);
                continue;
            }
            out.push(Atom::Text(part.to_string(), style.clone()));
        }
    }
}
