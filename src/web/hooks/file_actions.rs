//! The File menu and files dropped on the page: open, save, and export the diagram.

use super::canvas_area::CanvasArea;
use crate::editor::{Action, Editor, Notice, Origin};
use crate::model::{Problems, Scenario};
use crate::solve::Report;
use crate::web::file_menu::FileAction;
use crate::web::files;
use std::rc::Rc;
use web_sys::{DragEvent, Element};
use yew::prelude::*;

/// Handlers for the File menu and for dropping a file on the canvas.
pub struct FileActions {
    /// A choice in the File menu.
    pub on_file: Callback<FileAction>,
    /// A file dropped on the page.
    pub on_drop: Callback<DragEvent>,
    /// While a picture is being exported: the canvas must draw the whole design, since
    /// the picture is made from what it draws (a large design draws only what is in view).
    pub exporting: bool,
}

/// A picture of the diagram asked for, made once the canvas draws all of it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Picture {
    Svg,
    Png,
}

/// The File menu's actions on the design on screen.
#[hook]
pub fn use_file_actions(
    editor: &UseReducerHandle<Editor>,
    canvas: &CanvasArea,
    report: Rc<Result<Rc<Report>, Problems>>,
    pinned: bool,
) -> FileActions {
    let dispatch = editor.dispatcher();
    let notify = {
        let dispatch = dispatch.clone();
        move |notice: Notice| dispatch.dispatch(Action::Notify(notice))
    };
    let opened = {
        let (dispatch, notify) = (dispatch.clone(), notify.clone());
        move |result: Result<Scenario, String>| match result {
            Ok(s) => dispatch.dispatch(Action::Open {
                scenario: Box::new(s),
                origin: Origin::File,
            }),
            Err(text) => notify(Notice::error(format!("{text}. Your design is unchanged."))),
        }
    };
    let picture = use_state(|| None::<Picture>);
    {
        // Runs after the render that drew everything; the next render draws the view again.
        let (scenario, node, notify) =
            (editor.scenario.clone(), canvas.node.clone(), notify.clone());
        let picture = picture.clone();
        use_effect_with(*picture, move |asked| {
            if let Some(kind) = *asked {
                let report = report.as_ref().as_ref().ok().map(|r| r.as_ref());
                let svg = node
                    .cast::<Element>()
                    .and_then(|el| files::diagram_svg(&el, &scenario, report));
                let outcome = match (kind, svg) {
                    (_, None) => Err("the diagram is empty".to_owned()),
                    (Picture::Svg, Some(svg)) => files::export_svg(&svg, &scenario),
                    (Picture::Png, Some(svg)) => {
                        let notify = notify.clone();
                        files::export_png(&svg, &scenario, move |r| {
                            if let Err(e) = r {
                                notify(Notice::error(format!("PNG export failed: {e}")));
                            }
                        });
                        Ok(())
                    }
                };
                if let Err(e) = outcome {
                    notify(Notice::error(format!("Could not do that: {e}.")));
                }
                picture.set(None);
            }
        });
    }
    let on_file = {
        let scenario = editor.scenario.clone();
        let (notify, opened, picture) = (notify.clone(), opened.clone(), picture.clone());
        Callback::from(move |action: FileAction| {
            let action_saves = matches!(action, FileAction::SaveJson);
            let outcome = match action {
                FileAction::SaveJson => files::export_json(&scenario),
                FileAction::Open(file) => {
                    files::read_file(file, opened.clone());
                    Ok(())
                }
                FileAction::ExportSvg => {
                    picture.set(Some(Picture::Svg));
                    Ok(())
                }
                FileAction::ExportPng => {
                    picture.set(Some(Picture::Png));
                    Ok(())
                }
            };
            match outcome {
                Err(e) => notify(Notice::error(format!("Could not do that: {e}."))),
                // A file holds one design: the comparison beside it is said to stay behind.
                Ok(()) if pinned && action_saves => notify(Notice::info(
                    "Saved the design. The baseline pinned beside it is not in the file, which \
                     holds one design: Copy link carries both, and this browser keeps the \
                     baseline with the design.",
                )),
                Ok(()) => {}
            }
        })
    };
    let on_drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        if let Some(file) = e
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            files::read_file(file, opened.clone());
        }
    });
    FileActions {
        on_file,
        on_drop,
        exporting: picture.is_some(),
    }
}
