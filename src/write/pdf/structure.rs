//! The logical structure of the laid-out book, for tagged PDF: a tree of roles (section,
//! heading, paragraph, list, table, figure, note...) that the typesetter opens and closes as it
//! walks the model. Every drawn piece names the node it belongs to (or none: an artifact such as
//! a running header). Nodes are attached to their parent in the order their content is drawn,
//! which is the reading order; nodes that receive no content are left out.

/// Index of a node in [`StructTree::nodes`].
pub type NodeId = usize;

/// Deeper nesting is folded into the node at this depth: a quote nested 100,000 times is
/// content, not a reason for a tree that no reader (and no recursive writer) can walk.
const MAX_DEPTH: usize = 48;

/// What a node is.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Role {
    /// A part of a book (a summary's `# Part`), holding its chapters.
    Part,
    /// A chapter.
    Section,
    /// A heading of level 1 to 6, with its text.
    Heading(u8, String),
    /// A paragraph.
    Paragraph,
    /// A list, numbered or not.
    List {
        /// Numbered.
        ordered: bool,
    },
    /// A list item.
    ListItem,
    /// A list item's marker.
    Label,
    /// A list item's content.
    ListBody,
    /// A block quote.
    BlockQuote,
    /// A code block.
    Code,
    /// A table.
    Table,
    /// The header rows of a table.
    TableHead,
    /// The body rows of a table.
    TableBody,
    /// A table row.
    TableRow,
    /// A header cell (its scope is the column).
    HeaderCell,
    /// A data cell.
    DataCell,
    /// A picture with its alternative text.
    Figure {
        /// The alt text (empty when the source has none).
        alt: String,
    },
    /// A figure's caption.
    Caption,
    /// A link, with a description for assistive technology.
    Link {
        /// What the link is about (its text, else its target).
        description: String,
    },
    /// A footnote.
    Note,
    /// The contents page.
    Contents,
    /// One entry of the contents.
    ContentsEntry,
}

/// A node: its role and parent.
#[derive(Debug, Clone, PartialEq)]
pub struct StructNode {
    /// The role.
    pub role: Role,
    /// The enclosing node; `None` at the top.
    pub parent: Option<NodeId>,
}

/// The structure tree under construction: nodes, and the path of open ones.
#[derive(Debug, Clone, Default)]
pub struct StructTree {
    /// All nodes, parents before children.
    pub nodes: Vec<StructNode>,
    /// Open nodes, innermost last (a node repeats when nesting was folded at
    /// [`MAX_DEPTH`]).
    stack: Vec<NodeId>,
}

impl StructTree {
    /// Opens a node inside the current one and makes it current. Pair with [`Self::close`].
    pub fn open(&mut self, role: Role) -> NodeId {
        let id = match self.stack.last() {
            Some(&top) if self.stack.len() >= MAX_DEPTH => top,
            parent => {
                self.nodes.push(StructNode {
                    role,
                    parent: parent.copied(),
                });
                self.nodes.len() - 1
            }
        };
        self.stack.push(id);
        id
    }

    /// Opens a node inside `parent` (instead of the current node) and makes it current: a
    /// footnote belongs to its chapter, not to the paragraph that refers to it.
    pub fn open_in(&mut self, parent: Option<NodeId>, role: Role) -> NodeId {
        let saved = std::mem::take(&mut self.stack);
        if let Some(parent) = parent {
            self.stack.push(parent);
        }
        let id = self.open(role);
        self.stack = saved;
        self.stack.push(id);
        id
    }

    /// Closes the current node.
    pub fn close(&mut self) {
        self.stack.pop();
    }

    /// A node inside the current one that is not made current (a link inside a paragraph).
    pub fn leaf(&mut self, role: Role) -> NodeId {
        let id = self.open(role);
        self.close();
        id
    }

    /// A node inside `parent` that is not made current (a link inside the text it is in).
    pub fn leaf_in(&mut self, parent: Option<NodeId>, role: Role) -> NodeId {
        let id = self.open_in(parent, role);
        self.close();
        id
    }

    /// The current node, if any.
    pub fn current(&self) -> Option<NodeId> {
        self.stack.last().copied()
    }

    /// Sets the role of a node (a figure's alt text becomes known after it was opened).
    pub fn set_role(&mut self, id: NodeId, role: Role) {
        if let Some(node) = self.nodes.get_mut(id) {
            node.role = role;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_nest_and_deep_nesting_folds() {
        let mut tree = StructTree::default();
        let section = tree.open(Role::Section);
        let p = tree.open(Role::Paragraph);
        let link = tree.leaf(Role::Link {
            description: "x".into(),
        });
        assert_eq!(tree.nodes[link].parent, Some(p));
        assert_eq!(tree.current(), Some(p));
        tree.close();
        assert_eq!(tree.current(), Some(section));
        for _ in 0..1000 {
            tree.open(Role::BlockQuote);
        }
        assert!(tree.nodes.len() <= MAX_DEPTH + 2, "{}", tree.nodes.len());
        for _ in 0..1000 {
            tree.close();
        }
        assert_eq!(tree.current(), Some(section));
    }
}
