//! How far a long job is and how long it has left, from its pace so far,
//! on stderr: one line rewritten twice a second on a terminal, a new line
//! every ten seconds in a log. A job done within two seconds prints nothing,
//! and nothing at all is printed after [`silence`] (`ethbench --quiet`).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static SILENT: AtomicBool = AtomicBool::new(false);

/// No progress from here on, in this process.
pub fn silence() {
    SILENT.store(true, Ordering::Relaxed);
}

pub struct Progress {
    what: String,
    total: u64,
    done: u64,
    start: Instant,
    shown: Instant,
    terminal: bool,
    printed: bool,
}

impl Progress {
    pub fn new(what: String, total: u64) -> Self {
        let now = Instant::now();
        Self {
            what,
            total: total.max(1),
            done: 0,
            start: now,
            shown: now,
            terminal: std::io::stderr().is_terminal(),
            printed: false,
        }
    }

    pub fn advance(&mut self, by: u64) {
        self.done = (self.done + by).min(self.total);
        self.show();
    }

    /// For a job whose size is learned as it goes (the A/B settles
    /// benchmarks early): `done` of a total now thought to be `total`.
    pub fn set(&mut self, done: u64, total: u64) {
        self.total = total.max(1);
        self.done = done.min(self.total);
        self.show();
    }

    fn show(&mut self) {
        if SILENT.load(Ordering::Relaxed) {
            return;
        }
        let Some(line) = self.due() else { return };
        if self.terminal {
            eprint!("\r{line}   ");
            let _ = std::io::stderr().flush();
        } else {
            eprintln!("{line}");
        }
    }

    /// The line to show now, if one is due: from two seconds in, twice a
    /// second on a terminal and every ten seconds in a log.
    fn due(&mut self) -> Option<String> {
        let every = if self.terminal { Duration::from_millis(500) } else { Duration::from_secs(10) };
        let started = self.start.elapsed() >= Duration::from_secs(2);
        if !started || self.shown.elapsed() < every {
            return None;
        }
        self.shown = Instant::now();
        self.printed = true;
        let fraction = self.done as f64 / self.total as f64;
        let elapsed = self.start.elapsed().as_secs_f64();
        let left = if fraction > 0.0 { elapsed * (1.0 - fraction) / fraction } else { 0.0 };
        Some(format!(
            "{}: {:>3.0}%, {} elapsed, about {} left",
            self.what,
            100.0 * fraction,
            clock(elapsed),
            clock(left)
        ))
    }

    pub fn finish(&mut self) {
        if self.printed {
            let start = if self.terminal { "\r" } else { "" };
            eprintln!("{start}{}: done in {}{}", self.what, clock(self.start.elapsed().as_secs_f64()), " ".repeat(30));
        }
    }
}

/// `1m05s`, `12s`.
pub fn clock(secs: f64) -> String {
    let s = secs.round() as u64;
    if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_job_shows_how_far_it_is_and_the_time_left_from_its_pace() {
        let mut p = Progress::new("ab".to_owned(), 4);
        p.terminal = false;
        assert_eq!(p.due(), None, "nothing in the first two seconds");
        p.start = Instant::now() - Duration::from_secs(30);
        p.shown = Instant::now() - Duration::from_secs(11);
        p.done = 1;
        // A quarter done in 30 s: 90 s to go at that pace.
        assert_eq!(p.due().as_deref(), Some("ab:  25%, 30s elapsed, about 1m30s left"));
        assert_eq!(p.due(), None, "in a log, the next line ten seconds later");
    }
}
