//! Figures: images set as blocks (scaled to the measure, centred, with a caption), pictures
//! taken out of running text, and the store that loads each image of the book once.

use super::blocks::{Ctx, Layouter};
use super::boxes::{Draw, Element, derive};
use super::linebreak::Align;
use super::structure::{NodeId, Role};
use crate::image_facts::declared_size;
use crate::model::{Figure, Image, Inline, Length, LengthUnit};

impl Layouter<'_> {
    /// A paragraph, or the figure it is when it holds an image and nothing else (possibly
    /// inside a link).
    pub fn body_paragraph(&mut self, inlines: &[Inline], ctx: &Ctx, out: &mut Vec<Element>) {
        if let Some(image) = standalone_image(inlines) {
            let figure = Figure {
                image: image.clone(),
                caption: Vec::new(),
            };
            self.figure(&figure, ctx, out);
        } else {
            self.paragraph_with_images(inlines, ctx, out);
        }
    }

    /// A body paragraph. Pictures inside running text (the corpus has "Pushed the 1000th commit!
    /// `<img width=100%>`" in list items) are set as figures between the pieces of text around
    /// them: a screenshot cannot sit on a line. Images no taller than a line or two (icons,
    /// badges) keep their alt text in the line.
    fn paragraph_with_images(&mut self, inlines: &[Inline], ctx: &Ctx, out: &mut Vec<Element>) {
        let style = self.body_style(ctx.size);
        let mut run_start = 0;
        for (i, inline) in inlines.iter().enumerate() {
            let Some(image) = image_of(inline) else {
                continue;
            };
            if !self.is_picture(image, ctx) {
                continue;
            }
            let before = &inlines[run_start..i];
            if before.iter().any(has_ink) {
                self.structure.open(Role::Paragraph);
                self.paragraph(before, &style, ctx, Align::Justify, out);
                self.structure.close();
            }
            let start = out.len();
            let figure = Figure {
                image: image.clone(),
                caption: Vec::new(),
            };
            self.figure(&figure, ctx, out);
            if start > 0 && out.len() > start {
                out[start].space_before = self.theme.parskip / 2.0;
            }
            run_start = i + 1;
        }
        let rest = &inlines[run_start..];
        if run_start == 0 || rest.iter().any(has_ink) {
            let start = out.len();
            self.structure.open(Role::Paragraph);
            self.paragraph(rest, &style, ctx, Align::Justify, out);
            self.structure.close();
            if run_start > 0 && out.len() > start {
                out[start].space_before = self.theme.parskip / 2.0;
            }
        }
    }

    /// True for a book image shown larger than about two lines of text. Reads only the size
    /// the file declares: an icon that stays alt text is never decoded nor embedded.
    fn is_picture(&self, image: &Image, ctx: &Ctx) -> bool {
        let Some((_, height)) = self
            .assets
            .get(&image.src)
            .and_then(|asset| declared_size(&asset.bytes))
        else {
            return false;
        };
        let explicit_share = image
            .width
            .as_ref()
            .is_some_and(|w| w.unit() == LengthUnit::Percent);
        let f = &self.theme.figures;
        explicit_share || height as f32 * f.pt_per_px > ctx.size * f.inline_picture_lines
    }

    /// The index of the image for `src`, loading it once; `None` (after a warning) when it
    /// cannot be shown.
    pub fn image(&mut self, image: &Image) -> Option<usize> {
        if let Some(i) = self.images.index.get(&image.src) {
            return *i;
        }
        let result = match self.assets.get(&image.src) {
            Some(asset) => {
                super::images::load(&image.src, &asset.bytes, (self.source.clone(), image.pos))
                    .map_err(|e| format!("image `{}` cannot be embedded: {e}", image.src))
            }
            None if image.src.starts_with("http:") || image.src.starts_with("https:") => {
                Err(format!(
                    "remote image `{}` is not fetched; its alt text is shown",
                    image.src
                ))
            }
            None => Err(format!(
                "image `{}` is not among the book's assets; its alt text is shown",
                image.src
            )),
        };
        let index = match result {
            Ok(img) => {
                self.images.images.push(img);
                Some(self.images.images.len() - 1)
            }
            Err(msg) => {
                self.warn(Some(image.pos), msg);
                None
            }
        };
        self.images.index.insert(image.src.clone(), index);
        index
    }

    /// The cover page: the image `src` as large as fits `width` x `height`, centred, a figure
    /// whose alt text is `alt`; `None` (after a warning) when the image cannot be shown.
    pub fn cover(&mut self, src: &str, alt: &str, width: f32, height: f32) -> Option<Element> {
        let image = Image {
            src: src.to_string(),
            alt: alt.to_string(),
            title: None,
            width: None,
            height: None,
            pos: crate::model::Pos::default(),
        };
        let index = self.image(&image)?;
        let img = &self.images.images[index];
        let aspect = img.height as f32 / img.width.max(1) as f32;
        let (mut w, mut h) = (width, width * aspect);
        if h > height {
            h = height;
            w = h / aspect;
        }
        let node = self.structure.open(Role::Figure {
            alt: alt.to_string(),
        });
        self.structure.close();
        let mut e = Element::new(height);
        e.draws.push(Draw::Image {
            index,
            node: Some(node),
            x: (width - w) / 2.0,
            y: (height - h) / 2.0,
            w,
            h,
        });
        Some(e)
    }

    /// A figure: the picture scaled to the measure (never taller than most of the page),
    /// centred, tagged with its alt text, and its caption; the alt text in italics when the
    /// image cannot be shown.
    pub fn figure(&mut self, figure: &Figure, ctx: &Ctx, out: &mut Vec<Element>) {
        let Some(index) = self.image(&figure.image) else {
            // Alt text in italics stands in for the image.
            let style = derive(&self.body_style(ctx.size), |s| s.face.italic = true);
            let mut inl = vec![Inline::Text(figure.image.alt.clone())];
            if !figure.caption.is_empty() {
                inl.push(Inline::SoftBreak);
                inl.extend(figure.caption.iter().cloned());
            }
            self.structure.open(Role::Paragraph);
            self.paragraph(&inl, &style, ctx, Align::Left, out);
            self.structure.close();
            return;
        };
        let alt = figure.image.alt.trim().to_string();
        if alt.is_empty() {
            self.missing_alt
                .push((self.source.clone(), figure.image.pos));
            self.warn(
                Some(figure.image.pos),
                format!(
                    "image `{}` has no alt text: readers of the tagged PDF get nothing for it;                      write what it shows in ![...]",
                    figure.image.src
                ),
            );
        }
        let t = self.theme;
        let node = self.structure.open(Role::Figure { alt: alt.clone() });
        let img = &self.images.images[index];
        // 96 px per inch, as browsers show them; never wider than the text nor taller than
        // most of the page.
        let natural_w = img.width as f32 * t.figures.pt_per_px;
        let aspect = img.height as f32 / img.width.max(1) as f32;
        // The width given, else the width that the height given makes, else the natural one.
        let pt = |l: &Length| length_pt(l, ctx, ctx.width, t.figures.pt_per_px);
        let given_w = figure.image.width.as_ref().map(pt);
        let given_h = figure.image.height.as_ref().map(pt);
        let mut w = given_w
            .or(given_h.map(|h| h / aspect.max(f32::MIN_POSITIVE)))
            .unwrap_or(natural_w);
        w = w.min(ctx.width);
        let mut h = w * aspect;
        if h > self.max_image_height {
            h = self.max_image_height;
            w = h / aspect;
        }
        let pad = t.figures.pad;
        let mut e = Element::new(h + 2.0 * pad);
        e.draws.push(Draw::Image {
            index,
            node: Some(node),
            x: ctx.x + (ctx.width - w) / 2.0,
            y: pad,
            w,
            h,
        });
        if !figure.image.alt.trim().is_empty() {
            e.draws.push(Draw::Hidden {
                x: ctx.x + (ctx.width - w) / 2.0,
                y: pad + h / 2.0,
                size: ctx.size,
                text: figure.image.alt.clone(),
            });
        }
        out.push(e);
        if !figure.caption.is_empty() {
            let style = derive(&self.body_style(ctx.size * t.figures.caption_factor), |s| {
                s.face.italic = true;
                s.color = t.colors.secondary;
            });
            let start = out.len();
            self.structure.open(Role::Caption);
            self.paragraph(&figure.caption, &style, ctx, Align::Center, out);
            self.structure.close();
            if out.len() > start {
                out[start].break_before = false;
                out[start].space_before = t.figures.caption_gap;
            }
        }
        self.structure.close();
    }
}

/// A length given to an image, in points, as CSS resolves it: `px` (and a bare number) at the
/// theme's size of a pixel, absolute units by their definition, `em`/`rem` (and `ex`/`ch`,
/// taken as half an em) from the paragraph's font size, `%` and the viewport units (`vh`
/// too: a page's text is the viewport) from `base`, the text width.
fn length_pt(length: &Length, ctx: &Ctx, base: f32, pt_per_px: f32) -> f32 {
    /// Points in an inch, by the definition of the point.
    const PT_PER_INCH: f32 = 72.0;
    let value = length.value();
    match length.unit() {
        LengthUnit::Unitless | LengthUnit::Px => value * pt_per_px,
        LengthUnit::Pt => value,
        LengthUnit::In => value * PT_PER_INCH,
        LengthUnit::Cm => value * PT_PER_INCH / 2.54,
        LengthUnit::Mm => value * PT_PER_INCH / 25.4,
        LengthUnit::Em | LengthUnit::Rem => value * ctx.size,
        LengthUnit::Ex | LengthUnit::Ch => value * ctx.size / 2.0,
        LengthUnit::Percent | LengthUnit::Vw | LengthUnit::Vh => value / 100.0 * base,
    }
}

/// A picture inside a table cell, drawn at the top of the cell and scaled to its column.
pub struct CellPicture {
    /// The cell: row (the header row first) and column.
    pub cell: (usize, usize),
    /// Its index among the layout's images.
    index: usize,
    /// Its Figure node, inside the cell's node.
    node: NodeId,
    /// Its alt text and place, for the warning when the alt text is missing.
    image: Image,
}

impl Layouter<'_> {
    /// Takes the pictures out of a table cell's content (an image, alone or as a link's only
    /// content, that can be shown), each tagged as a Figure with its alt text inside the
    /// cell's node, which must be the open one. Returns the rest of the content; an image
    /// that cannot be shown stays in it, as its alt text.
    pub fn cell_pictures(
        &mut self,
        content: &[Inline],
        cell: (usize, usize),
        pictures: &mut Vec<CellPicture>,
    ) -> Vec<Inline> {
        let mut rest = Vec::new();
        for inline in content {
            let Some((image, index)) =
                image_of(inline).and_then(|image| Some((image, self.image(image)?)))
            else {
                rest.push(inline.clone());
                continue;
            };
            let node = self.structure.open(Role::Figure {
                alt: image.alt.trim().to_string(),
            });
            self.structure.close();
            pictures.push(CellPicture {
                cell,
                index,
                node,
                image: image.clone(),
            });
        }
        rest
    }

    /// Makes room for the pictures in the column widths: a column is as wide as its widest
    /// picture at its natural size when the table has room (pictures shrink to their column,
    /// so they add nothing to its minimum).
    pub fn widen_for_pictures(&self, pictures: &[CellPicture], natural: &mut [f32]) {
        for p in pictures {
            if let Some(n) = natural.get_mut(p.cell.1) {
                *n = n.max(self.natural_width(p));
            }
        }
    }

    fn natural_width(&self, picture: &CellPicture) -> f32 {
        self.images.images[picture.index].width as f32 * self.theme.figures.pt_per_px
    }

    /// Draws the pictures of `cell` one below the other from `y` down, in a column `width`
    /// wide at `x`: at their natural size, or smaller to fit the column, keeping their aspect
    /// ratio. Returns the height they take (with a gap of `gap` after each).
    #[allow(clippy::too_many_arguments)]
    pub fn place_cell_pictures(
        &mut self,
        pictures: &[CellPicture],
        cell: (usize, usize),
        (x, y): (f32, f32),
        width: f32,
        gap: f32,
        align: Align,
        el: &mut Element,
    ) -> f32 {
        let mut height = 0.0;
        for p in pictures.iter().filter(|p| p.cell == cell) {
            let img = &self.images.images[p.index];
            let aspect = img.height as f32 / img.width.max(1) as f32;
            let mut w = self.natural_width(p).min(width);
            let mut h = w * aspect;
            if h > self.max_image_height {
                h = self.max_image_height;
                w = h / aspect;
            }
            let left = match align {
                Align::Center => (width - w) / 2.0,
                Align::Right => width - w,
                _ => 0.0,
            };
            el.draws.push(Draw::Image {
                index: p.index,
                node: Some(p.node),
                x: x + left,
                y: y + height,
                w,
                h,
            });
            height += h + gap;
            if p.image.alt.trim().is_empty() {
                self.missing_alt.push((self.source.clone(), p.image.pos));
                self.warn(
                    Some(p.image.pos),
                    format!(
                        "image `{}` in a table cell has no alt text: readers of the tagged PDF \
                         get nothing for it; write what it shows in ![...]",
                        p.image.src
                    ),
                );
            }
        }
        height
    }
}

/// The image an inline is, or holds as a link's only content (white space around it in the
/// link, as in `<a href=..> <img> </a>`, does not count).
pub fn image_of(inline: &Inline) -> Option<&Image> {
    match inline {
        Inline::Image(image) => Some(image),
        Inline::Link(link) => {
            let mut inked = link.content.iter().filter(|inline| has_ink(inline));
            match (inked.next(), inked.next()) {
                (Some(Inline::Image(image)), None) => Some(image),
                _ => None,
            }
        }
        _ => None,
    }
}

/// True when an inline prints something (not a space, a break or raw HTML, which has no ink in
/// PDF: an `<a name>` anchor, a comment).
pub fn has_ink(inline: &Inline) -> bool {
    match inline {
        Inline::SoftBreak | Inline::LineBreak | Inline::RawHtml(_) | Inline::Anchor(_) => false,
        Inline::Text(t) => !t.trim().is_empty(),
        _ => true,
    }
}

/// The single image of a paragraph that holds nothing else (possibly inside a link).
pub fn standalone_image(inlines: &[Inline]) -> Option<&Image> {
    let mut inked = inlines.iter().filter(|inline| has_ink(inline));
    let image = image_of(inked.next()?)?;
    inked.next().is_none().then_some(image)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, Pos};

    fn image(src: &str) -> Image {
        Image {
            src: src.into(),
            alt: "alt".into(),
            title: None,
            width: None,
            height: None,
            pos: Pos::default(),
        }
    }

    fn link(content: Vec<Inline>) -> Inline {
        Inline::Link(Link {
            url: "https://example.com".into(),
            title: None,
            content,
            pos: Pos::default(),
        })
    }

    #[test]
    fn an_image_alone_in_a_link_with_white_space_is_a_figure() {
        let space = || Inline::Text(" ".into());
        let para = vec![link(vec![space(), Inline::Image(image("a.png")), space()])];
        assert_eq!(
            standalone_image(&para).map(|i| i.src.as_str()),
            Some("a.png")
        );
        let with_text = vec![link(vec![
            Inline::Text("see".into()),
            Inline::Image(image("a.png")),
        ])];
        assert!(
            standalone_image(&with_text).is_none(),
            "text beside it: not a figure"
        );
        let two = vec![Inline::Image(image("a.png")), Inline::Image(image("b.png"))];
        assert!(standalone_image(&two).is_none());
    }

    #[test]
    fn anchors_and_raw_html_have_no_ink() {
        assert!(!has_ink(&Inline::Anchor("x".into())));
        assert!(!has_ink(&Inline::RawHtml("<!-- c -->".into())));
        assert!(!has_ink(&Inline::Text(" \n".into())));
        assert!(has_ink(&Inline::Text("x".into())));
    }
}
