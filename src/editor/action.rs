//! What a person can do in the editor: change the design, or change what they see.

use super::edit::Edit;
use super::geometry::Viewport;
use super::notice::Notice;
use crate::model::Scenario;

/// One thing the editor's reducer does. [`Action::Edit`] changes the design as given; the
/// others depend on the editor's state (selection, clipboard, snapping, history) or change
/// only the view.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Change the design (one undo step).
    Edit(Edit),
    /// Open another design (a link, a file, a journey stage, a blank canvas, a recent
    /// design): one undo step like an edit, but the page keeps the design it replaces as a
    /// design of its own (see `Editor::opened`).
    Open {
        /// The design opened.
        scenario: Box<Scenario>,
        /// Where it comes from.
        origin: Origin,
    },
    /// Move components by an offset, snapped when snapping is on (one drag, one undo step).
    Move {
        /// Which components.
        ids: Vec<String>,
        /// Offset, canvas units.
        dx: f64,
        /// Offset, canvas units.
        dy: f64,
    },
    /// Move the selected components by an offset (the arrow keys).
    Nudge {
        /// Offset, canvas units.
        dx: f64,
        /// Offset, canvas units.
        dy: f64,
    },
    /// Delete the selection (components with their links, or the selected link).
    DeleteSelection,
    /// Copy the selected components (and the links among them) to the editor's clipboard.
    Copy,
    /// Paste the clipboard as new components, offset from the originals, and select them.
    Paste,
    /// Copy and paste in one step.
    Duplicate,
    /// Turn snapping to the grid on or off.
    ToggleSnap,
    /// Select one component; `additive` toggles it in the selection instead.
    Select {
        /// Component id.
        id: String,
        /// Shift-click.
        additive: bool,
    },
    /// Select exactly these components (rubber band).
    SelectMany(Vec<String>),
    /// Select a link.
    SelectLink {
        /// Sender id.
        from: String,
        /// Receiver id.
        to: String,
    },
    /// Select everything.
    SelectAll,
    /// Clear the selection.
    ClearSelection,
    /// Change the view.
    SetViewport(Viewport),
    /// Show a message.
    Notify(Notice),
    /// Hide the message.
    DismissNotice,
    /// Step back.
    Undo,
    /// Step forward again.
    Redo,
}

impl From<Edit> for Action {
    fn from(edit: Edit) -> Action {
        Action::Edit(edit)
    }
}

/// Where an opened design comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Origin {
    /// The design the page started with (the last one worked on, or the starter).
    #[default]
    Start,
    /// A shared link.
    Link,
    /// A file.
    File,
    /// A stage of the journey.
    Stage,
    /// One of the shipped examples.
    Example,
    /// A blank canvas.
    Blank,
    /// A design kept in the browser, by its key there.
    Recent(String),
}
