//! Tables: column widths from content, rows that never split, and a header row repeated on
//! every page the table continues on.

use std::rc::Rc;

use super::blocks::{Ctx, Layouter};
use super::boxes::{Draw, Element, Style, derive};
use super::figures::CellPicture;
use super::linebreak::Align;
use super::measure::{self, Atom, Item};
use super::structure::Role;
use super::theme::Theme;
use crate::model::{self, Cell, Inline, Table};

impl Layouter<'_> {
    /// Lays out a table: one element per row. A table whose words cannot fit side by side
    /// is set smaller (down to half size, with tighter padding) before words are broken.
    pub fn table(&mut self, table: &Table, ctx: &Ctx, out: &mut Vec<Element>) {
        let steps = self.theme.tables.steps;
        for (i, (scale, pad)) in steps.into_iter().enumerate() {
            let last = i + 1 == steps.len();
            if self.table_at(table, ctx, ctx.size * scale, pad, last, out) {
                return;
            }
        }
    }

    /// Sets the table at `size`; returns false (adding nothing) when its longest words do not
    /// fit side by side and `force` is false.
    fn table_at(
        &mut self,
        table: &Table,
        ctx: &Ctx,
        size: f32,
        pad_x: f32,
        force: bool,
        out: &mut Vec<Element>,
    ) -> bool {
        let ncols = column_count(table);
        if ncols == 0 {
            return true;
        }
        let rtl = table_rtl(table, ctx.rtl);
        self.rtl = rtl;
        let body = self.body_style(size);
        let head = derive(&body, |s| s.face.bold = true);
        let has_header = table
            .header
            .cells
            .iter()
            .any(|c| !model::plain_text(&c.content).trim().is_empty());
        let mut pictures = Vec::new();
        let rows = self.cell_atoms(table, ncols, has_header, (&head, &body), &mut pictures);
        let (mut natural, minimum) = self.column_extents(&rows, ncols);
        self.widen_for_pictures(&pictures, &mut natural);
        let avail = ctx.width - ncols as f32 * 2.0 * pad_x;
        let sum_min: f32 = minimum.iter().sum();
        if sum_min > avail && !force {
            return false;
        }
        let widths = column_widths(&natural, &minimum, avail);
        let total_w: f32 = widths.iter().sum::<f32>() + ncols as f32 * 2.0 * pad_x;
        // A right-to-left table is mirrored: flush right, its first column on the right.
        let x0 = if rtl {
            ctx.x + (ctx.width - total_w).max(0.0)
        } else {
            ctx.x
        };
        let look = self.theme.tables;
        let mut header_el: Option<Rc<Element>> = None;
        for (r, cells) in rows.iter().enumerate() {
            let is_header = has_header && r == 0;
            let style = if is_header { &head } else { &body };
            let mut el = Element::new(0.0);
            // Cells in logical order (the structure's and the content stream's), each at its
            // column's place: left to right, or right to left in a mirrored table.
            let mut x = if rtl { x0 + total_w } else { x0 };
            let mut height = 0.0f32;
            for (c, atoms) in cells.iter().enumerate() {
                let cell_w = widths[c] + 2.0 * pad_x;
                if rtl {
                    x -= cell_w;
                }
                let align = cell_align(table.alignments.get(c), rtl);
                // Pictures at the top of the cell, then its text.
                let mut y = look.pad_y;
                y += self.place_cell_pictures(
                    &pictures,
                    (r, c),
                    (x + pad_x, y),
                    widths[c].max(1.0),
                    look.pad_y,
                    align,
                    &mut el,
                );
                let mut lines = Vec::new();
                self.set_atoms(
                    atoms,
                    style,
                    x + pad_x,
                    widths[c].max(1.0),
                    align,
                    false,
                    &mut lines,
                );
                for line in lines {
                    for mut d in line.draws {
                        d.shift(0.0, y);
                        el.draws.push(d);
                    }
                    el.footnotes.extend(line.footnotes);
                    y += line.height;
                }
                height = height.max(y + look.pad_y);
                if !rtl {
                    x += cell_w;
                }
            }
            el.height = height;
            row_rules(&mut el, x0, total_w, is_header, r == 0, self.theme);
            if is_header {
                header_el = Some(Rc::new(el.clone()));
            } else {
                el.repeat_header = header_el.clone();
                if has_header && r == 1 {
                    el.break_before = false;
                }
            }
            out.push(el);
        }
        true
    }

    /// The atoms of every cell, header first (`ncols` a row, empty cells added), each in a
    /// node of the structure tree: header row in THead, the others in TBody. Pictures in a
    /// cell are taken out of its text into `pictures`, drawn above it.
    fn cell_atoms(
        &mut self,
        table: &Table,
        ncols: usize,
        has_header: bool,
        (head, body): (&Rc<Style>, &Rc<Style>),
        pictures: &mut Vec<CellPicture>,
    ) -> Vec<Vec<Vec<Atom>>> {
        let empty: Vec<Inline> = Vec::new();
        let cell = |row: &[Cell], c: usize| -> Vec<Inline> {
            row.get(c).map_or(&empty, |cell| &cell.content).clone()
        };
        // Atoms of every cell, header first.
        let mut rows: Vec<Vec<Vec<Atom>>> = Vec::new();
        let all_rows: Vec<(&[Cell], &Rc<_>)> = has_header
            .then_some((table.header.cells.as_slice(), head))
            .into_iter()
            .chain(table.rows.iter().map(|r| (r.cells.as_slice(), body)))
            .collect();
        // Structure: header rows in THead, the others in TBody, a node per cell whose text
        // (laid out below) belongs to it.
        for (r, (row, style)) in all_rows.iter().enumerate() {
            let is_header = has_header && r == 0;
            if r == 0 || r == 1 && has_header {
                if r == 1 {
                    self.structure.close();
                }
                self.structure.open(if is_header {
                    Role::TableHead
                } else {
                    Role::TableBody
                });
            }
            self.structure.open(Role::TableRow);
            let mut cells = Vec::new();
            for c in 0..ncols {
                self.structure.open(if is_header {
                    Role::HeaderCell
                } else {
                    Role::DataCell
                });
                let style = self.in_current_node(style);
                let mut atoms = Vec::new();
                let text = self.cell_pictures(&cell(row, c), (r, c), pictures);
                self.atoms(&text, &style, &mut atoms);
                cells.push(atoms);
                self.structure.close();
            }
            self.structure.close();
            rows.push(cells);
        }
        if !all_rows.is_empty() {
            self.structure.close();
        }
        rows
    }

    /// The natural (one-line) and minimum (longest unbreakable run) width of every column.
    fn column_extents(&mut self, rows: &[Vec<Vec<Atom>>], ncols: usize) -> (Vec<f32>, Vec<f32>) {
        let mut natural = vec![0.0f32; ncols];
        let mut minimum = vec![0.0f32; ncols];
        for cells in rows {
            for (c, atoms) in cells.iter().enumerate() {
                let items =
                    measure::items(atoms, self.fonts, None, f32::MAX, &mut Vec::new(), false);
                let (mut total, mut run, mut longest) = (0.0f32, 0.0f32, 0.0f32);
                for item in &items {
                    total += item.width();
                    match item {
                        Item::Box { width, .. } => run += width,
                        _ => {
                            longest = longest.max(run);
                            run = 0.0;
                        }
                    }
                }
                longest = longest.max(run);
                natural[c] = natural[c].max(total);
                minimum[c] = minimum[c].max(longest);
            }
        }
        (natural, minimum)
    }
}

/// How a cell of a column aligned `align` is set. The Markdown alignments are logical, as
/// CSS's `start` and `end`: in a right-to-left table, `:--` (and no alignment) is flush
/// right, `--:` flush left.
fn cell_align(align: Option<&model::Align>, rtl: bool) -> Align {
    match (align, rtl) {
        (Some(model::Align::Center), _) => Align::Center,
        (Some(model::Align::Right), false) => Align::Right,
        (Some(model::Align::Right), true) => Align::FlushLeft,
        (_, false) => Align::Left,
        (_, true) => Align::Right,
    }
}

/// Column widths that fill at most `avail`: the natural ones when they fit, else each column's
/// minimum plus its share of what is left.
fn column_widths(natural: &[f32], minimum: &[f32], avail: f32) -> Vec<f32> {
    let (sum_nat, sum_min): (f32, f32) = (natural.iter().sum(), minimum.iter().sum());
    if sum_nat <= avail {
        natural.to_vec()
    } else if sum_min >= avail {
        minimum.iter().map(|m| m / sum_min * avail).collect()
    } else {
        let k = (avail - sum_min) / (sum_nat - sum_min);
        (0..natural.len())
            .map(|c| minimum[c] + (natural[c] - minimum[c]) * k)
            .collect()
    }
}

/// The number of columns: the widest row, header or alignment list.
fn column_count(table: &Table) -> usize {
    table
        .rows
        .iter()
        .map(|row| row.cells.len())
        .chain([table.header.cells.len(), table.alignments.len()])
        .max()
        .unwrap_or(0)
}

/// The table's direction, by its cells' first strong character, else `default` (the
/// context's). It holds for every cell: text without a strong character is set in it.
fn table_rtl(table: &Table, default: bool) -> bool {
    super::bidi::inlines_rtl(
        table
            .header
            .cells
            .iter()
            .chain(table.rows.iter().flat_map(|row| &row.cells))
            .map(|cell| cell.content.as_slice()),
    )
    .unwrap_or(default)
}

/// The rules of one row (its height already set): a strong one under the header, hairlines
/// between body rows, and a strong one above the first row.
fn row_rules(el: &mut Element, x0: f32, total_w: f32, is_header: bool, first: bool, theme: &Theme) {
    let look = theme.tables;
    let colors = theme.colors;
    let height = el.height;
    let (rule_h, color) = if is_header {
        (look.rule, colors.table_rule)
    } else {
        (look.hairline, colors.table_hairline)
    };
    el.draws.push(Draw::Rect {
        x: x0,
        y: height - rule_h,
        w: total_w,
        h: rule_h,
        color,
    });
    if first {
        el.draws.push(Draw::Rect {
            x: x0,
            y: 0.0,
            w: total_w,
            h: look.rule,
            color: colors.table_rule,
        });
    }
}
