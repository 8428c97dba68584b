//! The one table of shortcuts and gestures: the key handler looks keys up in it and the help
//! overlay lists it, so the two can never disagree.

use super::action::Action;
use super::geometry::GRID;

/// Which modifier a key binding needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Modifier {
    /// None (Shift is ignored unless a Shift binding of the key exists: `?` needs Shift on
    /// most layouts).
    Plain,
    /// Shift alone.
    Shift,
    /// Ctrl, or ⌘ on a Mac, without Shift.
    Command,
    /// Ctrl/⌘ with Shift.
    CommandShift,
}

/// A key and its modifier. Letters match in either case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key's `KeyboardEvent.key` value.
    pub key: &'static str,
    /// The modifier it needs.
    pub modifier: Modifier,
}

/// What a shortcut does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Step back.
    Undo,
    /// Step forward again.
    Redo,
    /// Select every component.
    SelectAll,
    /// Copy the selection.
    Copy,
    /// Paste the clipboard.
    Paste,
    /// Copy and paste in one step.
    Duplicate,
    /// Delete the selection.
    Delete,
    /// Clear the selection and close overlays.
    Escape,
    /// Show or hide the shortcut list.
    Help,
    /// Move the selection by this many grid steps (right, down).
    Nudge(i8, i8),
}

/// Grid steps a Shift+arrow moves the selection.
const BIG_STEP: i8 = 5;

impl Command {
    /// The editor action the command performs (`Help` only changes the page).
    pub fn action(self) -> Option<Action> {
        match self {
            Command::Undo => Some(Action::Undo),
            Command::Redo => Some(Action::Redo),
            Command::SelectAll => Some(Action::SelectAll),
            Command::Copy => Some(Action::Copy),
            Command::Paste => Some(Action::Paste),
            Command::Duplicate => Some(Action::Duplicate),
            Command::Delete => Some(Action::DeleteSelection),
            Command::Escape => Some(Action::ClearSelection),
            Command::Help => None,
            Command::Nudge(x, y) => Some(Action::Nudge {
                dx: f64::from(x) * GRID,
                dy: f64::from(y) * GRID,
            }),
        }
    }
}

/// One row of the help overlay: how to do it, what it does, and the keys that do it (none
/// for pointer gestures).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shortcut {
    /// How to do it, as the help shows it.
    pub how: &'static str,
    /// What it does.
    pub what: &'static str,
    /// Keys bound to it.
    pub keys: &'static [Key],
    /// What the keys do.
    pub command: Option<Command>,
}

const fn key(key: &'static str, modifier: Modifier) -> Key {
    Key { key, modifier }
}

const fn gesture(how: &'static str, what: &'static str) -> Shortcut {
    Shortcut {
        how,
        what,
        keys: &[],
        command: None,
    }
}

const fn keys(
    how: &'static str,
    what: &'static str,
    keys: &'static [Key],
    command: Command,
) -> Shortcut {
    Shortcut {
        how,
        what,
        keys,
        command: Some(command),
    }
}

/// Every shortcut and gesture, in the order the help lists them.
pub const SHORTCUTS: &[Shortcut] = &[
    gesture(
        "Drag from the palette",
        "add a component (or click it: adds it at the centre, or the first free place after)",
    ),
    gesture(
        "Drag a component",
        "move it (all selected ones move together)",
    ),
    gesture("Drag from the ● port", "connect to another component"),
    gesture("Drag the background", "pan"),
    gesture("Shift + drag the background", "select with a rectangle"),
    gesture("Wheel", "zoom around the pointer"),
    gesture(
        "Two fingers on the canvas",
        "pinch to zoom, around the fingers",
    ),
    gesture("Click / Shift + click", "select / add to the selection"),
    gesture(
        "Tab, Shift + Tab",
        "go from component to component (selects it)",
    ),
    gesture(
        "Enter on a component",
        "go to its inspector: its name, links and parameters",
    ),
    gesture(
        "Enter on a palette item",
        "add it at the centre of the view, or the first free place after",
    ),
    gesture(
        "Links in the inspector",
        "connect the selected component, or pick one of its links to edit or delete",
    ),
    keys(
        "Arrow keys",
        "move the selection one grid step",
        &[
            key("ArrowLeft", Modifier::Plain),
            key("ArrowRight", Modifier::Plain),
            key("ArrowUp", Modifier::Plain),
            key("ArrowDown", Modifier::Plain),
        ],
        Command::Nudge(0, 0),
    ),
    keys(
        "Shift + arrow keys",
        "move the selection five grid steps",
        &[
            key("ArrowLeft", Modifier::Shift),
            key("ArrowRight", Modifier::Shift),
            key("ArrowUp", Modifier::Shift),
            key("ArrowDown", Modifier::Shift),
        ],
        Command::Nudge(0, 0),
    ),
    keys(
        "Delete or Backspace",
        "delete the selection",
        &[
            key("Delete", Modifier::Plain),
            key("Backspace", Modifier::Plain),
        ],
        Command::Delete,
    ),
    keys(
        "Ctrl/⌘ + Z",
        "undo",
        &[key("z", Modifier::Command)],
        Command::Undo,
    ),
    keys(
        "Ctrl/⌘ + Shift + Z, Ctrl + Y",
        "redo",
        &[
            key("z", Modifier::CommandShift),
            key("y", Modifier::Command),
        ],
        Command::Redo,
    ),
    keys(
        "Ctrl/⌘ + A",
        "select everything",
        &[key("a", Modifier::Command)],
        Command::SelectAll,
    ),
    keys(
        "Ctrl/⌘ + C",
        "copy",
        &[key("c", Modifier::Command)],
        Command::Copy,
    ),
    keys(
        "Ctrl/⌘ + V",
        "paste",
        &[key("v", Modifier::Command)],
        Command::Paste,
    ),
    keys(
        "Ctrl/⌘ + D",
        "duplicate",
        &[key("d", Modifier::Command)],
        Command::Duplicate,
    ),
    keys(
        "Esc",
        "clear the selection, close this",
        &[key("Escape", Modifier::Plain)],
        Command::Escape,
    ),
    keys(
        "?",
        "show or hide this help",
        &[key("?", Modifier::Plain)],
        Command::Help,
    ),
];

/// The command bound to a key press, if any. `command` is Ctrl or ⌘.
pub fn lookup(pressed: &str, command: bool, shift: bool) -> Option<Command> {
    let wanted: &[Modifier] = match (command, shift) {
        (false, false) => &[Modifier::Plain],
        (false, true) => &[Modifier::Shift, Modifier::Plain],
        (true, false) => &[Modifier::Command],
        (true, true) => &[Modifier::CommandShift],
    };
    let found = wanted.iter().find_map(|m| {
        SHORTCUTS.iter().find_map(|s| {
            s.keys
                .iter()
                .any(|k| k.modifier == *m && k.key.eq_ignore_ascii_case(pressed))
                .then_some(s.command)
                .flatten()
        })
    })?;
    // The arrows share one row per step size; the key gives the direction.
    Some(match found {
        Command::Nudge(..) => {
            let step = if shift { BIG_STEP } else { 1 };
            match pressed {
                "ArrowLeft" => Command::Nudge(-step, 0),
                "ArrowRight" => Command::Nudge(step, 0),
                "ArrowUp" => Command::Nudge(0, -step),
                _ => Command::Nudge(0, step),
            }
        }
        other => other,
    })
}
