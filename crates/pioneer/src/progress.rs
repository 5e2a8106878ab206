//! Progress of long commands, on standard error: each phase by name, with a bar, counts,
//! rate and time left on a terminal (redrawn at most ten times a second), or plain lines
//! when not on one (one every five seconds at most, and one at the end). A phase whose size
//! is unknown shows what it has done and for how long. A bar is full only when its phase
//! ended: once every item is handed over, a phase says it is finishing (a commit, an index
//! rebuild) until it really has.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// One named phase of a command.
pub struct Phase {
    name: String,
    total: Option<u64>,
    done: u64,
    started: Instant,
    drawn: Option<Instant>,
    tty: bool,
}

impl Phase {
    /// Starts a phase of `total` items (None: not known beforehand).
    pub fn start(name: impl Into<String>, total: Option<u64>) -> Self {
        let mut p = Self {
            name: name.into(),
            total,
            done: 0,
            started: Instant::now(),
            drawn: None,
            tty: std::io::stderr().is_terminal(),
        };
        p.draw(false);
        p
    }

    /// Items done so far.
    pub fn set(&mut self, done: u64) {
        self.done = done;
        let every = if self.tty { Duration::from_millis(100) } else { Duration::from_secs(5) };
        if self.drawn.is_none_or(|d| d.elapsed() >= every) {
            self.draw(false);
        }
    }

    /// Ends the phase: what it did and how long it took.
    pub fn finish(mut self) {
        self.draw(true);
    }

    fn draw(&mut self, ended: bool) {
        self.drawn = Some(Instant::now());
        let line = self.line(ended);
        let mut err = std::io::stderr().lock();
        let _ = if self.tty {
            write!(err, "\r{line}\x1b[K{}", if ended { "\n" } else { "" })
        } else {
            writeln!(err, "{line}")
        };
        let _ = err.flush();
    }

    /// The phase as one line.
    fn line(&self, ended: bool) -> String {
        let secs = self.started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 { self.done as f64 / secs } else { 0.0 };
        match self.total {
            None if ended && self.done == 0 => format!("{}: done in {}", self.name, clock(secs)),
            _ if ended => format!("{}: {} done in {}", self.name, self.done, clock(secs)),
            Some(total) if self.done >= total => {
                format!(
                    "{}: [{}] {}/{total}, finishing … {}",
                    self.name,
                    bar(total, total, true),
                    self.done,
                    clock(secs)
                )
            }
            Some(total) => {
                let left = if rate > 0.0 { clock((total - self.done) as f64 / rate) } else { "?".to_owned() };
                format!(
                    "{}: [{}] {:>3}% {}/{total} · {:.0}/s · {left} left",
                    self.name,
                    bar(self.done, total, false),
                    self.done * 100 / total.max(1),
                    self.done,
                    rate
                )
            }
            None if self.done > 0 => {
                format!("{}: {} · {:.0}/s · {}", self.name, self.done, rate, clock(secs))
            }
            None => format!("{} … {}", self.name, clock(secs)),
        }
    }
}

/// Runs `work` as a phase of unknown size, showing the time it has taken so far.
pub async fn waiting<T>(name: &str, work: impl std::future::Future<Output = T>) -> T {
    counting(name, None, &std::sync::atomic::AtomicU64::new(0), work).await
}

/// Runs `work` as a phase of `total` items (None: not known), showing the count `done`
/// that the work raises as it goes (see `Store::counting`).
pub async fn counting<T>(
    name: &str,
    total: Option<u64>,
    done: &std::sync::atomic::AtomicU64,
    work: impl std::future::Future<Output = T>,
) -> T {
    let mut phase = Phase::start(name, total);
    tokio::pin!(work);
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    loop {
        tokio::select! {
            out = &mut work => {
                phase.done = done.load(std::sync::atomic::Ordering::Relaxed);
                phase.finish();
                return out;
            }
            _ = tick.tick() => phase.set(done.load(std::sync::atomic::Ordering::Relaxed)),
        }
    }
}

/// A bar of 24 cells; full only for an ended phase (`full`), otherwise at most 23.
fn bar(done: u64, total: u64, full: bool) -> String {
    const CELLS: u64 = 24;
    let filled = if full { CELLS } else { (done * CELLS / total.max(1)).min(CELLS - 1) };
    format!("{}{}", "#".repeat(filled as usize), "-".repeat((CELLS - filled) as usize))
}

/// Seconds as `m:ss` (or `h:mm:ss`).
fn clock(secs: f64) -> String {
    let s = secs.round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(total: Option<u64>, done: u64) -> Phase {
        Phase { name: "writing".into(), total, done, started: Instant::now(), drawn: None, tty: false }
    }

    #[test]
    fn the_bar_is_full_only_when_the_phase_ended() {
        assert!(phase(Some(100), 99).line(false).contains("99%"));
        let handed_over = phase(Some(100), 100).line(false);
        assert!(handed_over.contains("finishing"), "{handed_over}");
        assert!(bar(100, 100, false).ends_with('-'), "a running bar keeps one empty cell");
        assert_eq!(bar(100, 100, true), "#".repeat(24));
        assert!(phase(Some(100), 100).line(true).contains("100 done"));
    }

    #[test]
    fn counts_rate_and_time_left_are_shown() {
        let p = phase(Some(1000), 250);
        let line = p.line(false);
        assert!(line.contains("250/1000") && line.contains("left") && line.contains("25%"), "{line}");
        assert!(phase(None, 0).line(false).starts_with("writing …"));
        assert_eq!(clock(3725.0), "1:02:05");
        assert_eq!(clock(65.0), "1:05");
    }
}
