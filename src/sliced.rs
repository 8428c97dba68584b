//! Long work done a piece at a time. A page runs pieces between frames, so that it stays
//! responsive however long the whole takes; natively the work simply runs to the end. The
//! simulator's run, the failure sweep and the load curve are all such work, and the browser
//! schedules all three the same way.

/// Work that can be advanced in bounded pieces.
pub trait Sliced {
    /// What the finished work gives.
    type Output;

    /// Does one bounded piece of the work (a few milliseconds at most); returns whether the
    /// work is done.
    fn advance(&mut self) -> bool;

    /// Share of the work done, from 0 to 1.
    fn progress(&self) -> f64;

    /// The result; call once [`Sliced::advance`] has said the work is done.
    fn finish(self) -> Self::Output;

    /// Runs the work to the end at once (for the CLI and tests).
    fn run_to_end(mut self) -> Self::Output
    where
        Self: Sized,
    {
        while !self.advance() {}
        self.finish()
    }
}
