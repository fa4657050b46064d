//! libvirt's default event loop (virEventRegisterDefaultImpl): file handles
//! watched with poll() and timers, each iteration waiting for the first of them.
//!
//! As in libvirt: watch and timer numbers start at 1 and only grow; a timer of
//! interval -1 is disabled, 0 fires on every iteration, N fires every N ms; a
//! removed entry never fires again, and its free callback runs at the start of a
//! later iteration (never inside the call that removed it, which may come from
//! the entry's own callback), an iteration that then does not block. Callbacks
//! run without the loop's lock, so they may add, update and remove entries; a
//! change from another thread while the loop waits wakes it (a self-pipe).

use crate::abi::event::*;
use crate::abi::virterror::VIR_FROM_EVENT;
use crate::core::{Error, Result};
use parking_lot::Mutex;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

/// A handle's callback: (watch, fd, events that occurred).
pub type HandleCallback = Box<dyn FnMut(i32, i32, i32) + Send>;
/// A timer's callback: (timer).
pub type TimeoutCallback = Box<dyn FnMut(i32) + Send>;
/// What frees a removed entry's data.
pub type FreeCallback = Box<dyn FnOnce() + Send>;

/// One watch or timer. `callback` is None while it runs: its entry is then not
/// released, so its data is never freed under a running callback.
struct Entry<C> {
    id: i32,
    callback: Option<C>,
    free: Option<FreeCallback>,
    removed: bool,
}

impl<C> Entry<C> {
    /// Removed, and no callback of it running.
    fn released(&self) -> bool {
        self.removed && self.callback.is_some()
    }
}

struct Handle {
    entry: Entry<HandleCallback>,
    fd: i32,
    events: i32,
}

struct Timeout {
    entry: Entry<TimeoutCallback>,
    interval: i32,
    /// When it fires next; None while disabled.
    due: Option<Instant>,
}

#[derive(Default)]
struct State {
    last_watch: i32,
    last_timer: i32,
    handles: Vec<Handle>,
    timeouts: Vec<Timeout>,
    /// How many threads are waiting in poll(): a change must wake them.
    waiting: usize,
}

pub struct EventLoop {
    state: Mutex<State>,
    wake_read: UnixStream,
    wake_write: UnixStream,
}

fn due(interval: i32, now: Instant) -> Option<Instant> {
    u64::try_from(interval).ok().map(|ms| now + Duration::from_millis(ms))
}

impl State {
    fn handle(&mut self, watch: i32) -> Option<&mut Handle> {
        self.handles.iter_mut().find(|h| h.entry.id == watch && !h.entry.removed)
    }

    fn timeout(&mut self, timer: i32) -> Option<&mut Timeout> {
        self.timeouts.iter_mut().find(|t| t.entry.id == timer && !t.entry.removed)
    }

    /// Takes the removed entries that no callback is running for.
    fn take_removed(&mut self) -> Vec<Option<FreeCallback>> {
        let mut frees: Vec<_> = self.handles.iter_mut().filter(|h| h.entry.released()).map(|h| h.entry.free.take()).collect();
        frees.extend(self.timeouts.iter_mut().filter(|t| t.entry.released()).map(|t| t.entry.free.take()));
        self.handles.retain(|h| !h.entry.released());
        self.timeouts.retain(|t| !t.entry.released());
        frees
    }

    /// How long poll() may wait for the next timer, in ms (-1: no timer).
    fn wait_ms(&self, now: Instant) -> i32 {
        self.timeouts
            .iter()
            .filter(|t| !t.entry.removed)
            .filter_map(|t| t.due)
            .map(|due| {
                let left = due.saturating_duration_since(now);
                // Round up, so a timer is due when poll() returns.
                i32::try_from(left.as_micros().div_ceil(1000)).unwrap_or(i32::MAX)
            })
            .min()
            .unwrap_or(-1)
    }
}

impl EventLoop {
    pub fn new() -> std::io::Result<EventLoop> {
        let (wake_read, wake_write) = UnixStream::pair()?;
        wake_read.set_nonblocking(true)?;
        wake_write.set_nonblocking(true)?;
        Ok(EventLoop { state: Mutex::new(State::default()), wake_read, wake_write })
    }

    /// Runs `change` on the state, then wakes a waiting loop so it sees it.
    fn change<R>(&self, change: impl FnOnce(&mut State) -> R) -> R {
        let mut state = self.state.lock();
        let result = change(&mut state);
        if state.waiting > 0 {
            // A full pipe already holds a wake-up.
            let _ = (&self.wake_write).write(&[0]);
        }
        result
    }

    /// Watches `fd` for `events` (VIR_EVENT_HANDLE_*; 0 watches nothing yet).
    pub fn add_handle(&self, fd: i32, events: i32, callback: HandleCallback, free: Option<FreeCallback>) -> i32 {
        self.change(|state| {
            state.last_watch += 1;
            let entry = Entry { id: state.last_watch, callback: Some(callback), free, removed: false };
            state.handles.push(Handle { entry, fd, events });
            state.last_watch
        })
    }

    /// A watch that does not exist is ignored.
    pub fn update_handle(&self, watch: i32, events: i32) {
        self.change(|state| {
            if let Some(handle) = state.handle(watch) {
                handle.events = events;
            }
        })
    }

    /// False if there is no such watch (or it was removed already).
    pub fn remove_handle(&self, watch: i32) -> bool {
        self.change(|state| state.handle(watch).map(|h| h.entry.removed = true).is_some())
    }

    pub fn add_timeout(&self, interval: i32, callback: TimeoutCallback, free: Option<FreeCallback>) -> i32 {
        self.change(|state| {
            state.last_timer += 1;
            let entry = Entry { id: state.last_timer, callback: Some(callback), free, removed: false };
            state.timeouts.push(Timeout { entry, interval, due: due(interval, Instant::now()) });
            state.last_timer
        })
    }

    /// Restarts the timer with the new interval; a timer that does not exist is
    /// ignored.
    pub fn update_timeout(&self, timer: i32, interval: i32) {
        self.change(|state| {
            if let Some(timeout) = state.timeout(timer) {
                timeout.interval = interval;
                timeout.due = due(interval, Instant::now());
            }
        })
    }

    pub fn remove_timeout(&self, timer: i32) -> bool {
        self.change(|state| state.timeout(timer).map(|t| t.entry.removed = true).is_some())
    }

    /// One iteration: free what was removed, wait for the first due timer or
    /// ready handle, run the due timers' callbacks, then the ready handles'.
    pub fn run_once(&self) -> Result<()> {
        let frees = self.state.lock().take_removed();
        let freed = !frees.is_empty();
        frees.into_iter().flatten().for_each(|free| free());

        let (mut fds, watches, wait_ms) = {
            let mut state = self.state.lock();
            let mut fds = vec![pollfd(self.wake_read.as_raw_fd(), libc::POLLIN)];
            let mut watches = Vec::new();
            for handle in state.handles.iter().filter(|h| !h.entry.removed && h.events != 0) {
                fds.push(pollfd(handle.fd, poll_events(handle.events)));
                watches.push(handle.entry.id);
            }
            state.waiting += 1;
            (fds, watches, if freed { 0 } else { state.wait_ms(Instant::now()) })
        };
        let polled = crate::os::poll(&mut fds, wait_ms);
        self.state.lock().waiting -= 1;
        match polled {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => return Ok(()),
            Err(e) => {
                return Err(Error::system(VIR_FROM_EVENT, e.raw_os_error().unwrap_or(0), "Unable to poll on file handles"))
            }
        }
        if fds[0].revents != 0 {
            let mut sink = [0u8; 64];
            while matches!((&self.wake_read).read(&mut sink), Ok(n) if n > 0) {}
        }

        let now = Instant::now();
        let due: Vec<i32> = {
            let state = self.state.lock();
            state.timeouts.iter().filter(|t| !t.entry.removed && t.due.is_some_and(|d| d <= now)).map(|t| t.entry.id).collect()
        };
        for timer in due {
            self.fire_timeout(timer);
        }
        for (fd, watch) in fds[1..].iter().zip(watches) {
            if fd.revents != 0 {
                self.fire_handle(watch, vir_events(fd.revents));
            }
        }
        Ok(())
    }

    fn fire_timeout(&self, timer: i32) {
        let taken = {
            let mut state = self.state.lock();
            state.timeout(timer).and_then(|t| {
                t.due = due(t.interval, Instant::now());
                t.entry.callback.take()
            })
        };
        let Some(mut callback) = taken else { return };
        callback(timer);
        let mut state = self.state.lock();
        if let Some(t) = state.timeouts.iter_mut().find(|t| t.entry.id == timer) {
            t.entry.callback = Some(callback);
        }
    }

    fn fire_handle(&self, watch: i32, events: i32) {
        let taken = {
            let mut state = self.state.lock();
            // A callback earlier in this iteration may have stopped the watch.
            state.handle(watch).filter(|h| h.events != 0).and_then(|h| Some((h.fd, h.entry.callback.take()?)))
        };
        let Some((fd, mut callback)) = taken else { return };
        callback(watch, fd, events);
        let mut state = self.state.lock();
        if let Some(h) = state.handles.iter_mut().find(|h| h.entry.id == watch) {
            h.entry.callback = Some(callback);
        }
    }
}

fn pollfd(fd: i32, events: libc::c_short) -> libc::pollfd {
    libc::pollfd { fd, events, revents: 0 }
}

fn poll_events(events: i32) -> libc::c_short {
    let mut out = 0;
    if events & VIR_EVENT_HANDLE_READABLE != 0 {
        out |= libc::POLLIN;
    }
    if events & VIR_EVENT_HANDLE_WRITABLE != 0 {
        out |= libc::POLLOUT;
    }
    out
}

/// poll()'s answer in libvirt's terms; an invalid descriptor counts as an error.
fn vir_events(revents: libc::c_short) -> i32 {
    let mut out = 0;
    if revents & libc::POLLIN != 0 {
        out |= VIR_EVENT_HANDLE_READABLE;
    }
    if revents & libc::POLLOUT != 0 {
        out |= VIR_EVENT_HANDLE_WRITABLE;
    }
    if revents & (libc::POLLERR | libc::POLLNVAL) != 0 {
        out |= VIR_EVENT_HANDLE_ERROR;
    }
    if revents & libc::POLLHUP != 0 {
        out |= VIR_EVENT_HANDLE_HANGUP;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::Arc;

    fn counter() -> Arc<AtomicUsize> {
        Arc::new(AtomicUsize::new(0))
    }

    /// A timer callback counting its calls in `c`.
    fn tick(c: &Arc<AtomicUsize>) -> TimeoutCallback {
        let c = c.clone();
        Box::new(move |_| {
            c.fetch_add(1, SeqCst);
        })
    }

    fn count(c: &Arc<AtomicUsize>) -> FreeCallback {
        let c = c.clone();
        Box::new(move || {
            c.fetch_add(1, SeqCst);
        })
    }

    #[test]
    fn timers_fire_by_interval_and_ids_grow() {
        let events = EventLoop::new().unwrap();
        let (every, slow, off) = (counter(), counter(), counter());
        let t1 = events.add_timeout(0, tick(&every), None);
        let t2 = events.add_timeout(30, tick(&slow), None);
        let t3 = events.add_timeout(-1, tick(&off), None);
        assert_eq!((t1, t2, t3), (1, 2, 3));
        for _ in 0..3 {
            events.run_once().unwrap();
        }
        assert_eq!(every.load(SeqCst), 3);
        assert_eq!(slow.load(SeqCst), 0);
        events.update_timeout(t1, -1);
        let start = Instant::now();
        events.run_once().unwrap();
        assert!(start.elapsed() >= Duration::from_millis(20), "the loop waited for the 30 ms timer");
        assert_eq!((every.load(SeqCst), slow.load(SeqCst), off.load(SeqCst)), (3, 1, 0));
        events.update_timeout(t3, 0);
        events.update_timeout(t2, -1);
        events.run_once().unwrap();
        assert_eq!(off.load(SeqCst), 1);
        assert_eq!(events.add_handle(0, 0, Box::new(|_, _, _| {}), None), 1);
    }

    #[test]
    fn removal_frees_once_on_a_later_iteration() {
        let events = Arc::new(EventLoop::new().unwrap());
        let (fired, freed) = (counter(), counter());
        let (f, l) = (fired.clone(), events.clone());
        // A timer that removes itself the first time it fires.
        events.add_timeout(0, Box::new(move |timer| {
            f.fetch_add(1, SeqCst);
            assert!(l.remove_timeout(timer));
        }), Some(count(&freed)));
        events.run_once().unwrap();
        assert_eq!((fired.load(SeqCst), freed.load(SeqCst)), (1, 0));
        // The next iteration frees it without waiting (nothing else is registered).
        events.run_once().unwrap();
        assert_eq!((fired.load(SeqCst), freed.load(SeqCst)), (1, 1));
        assert!(!events.remove_timeout(1));
        assert!(!events.remove_handle(1));
    }

    #[test]
    fn handles_report_readiness_and_hangup() {
        let events = EventLoop::new().unwrap();
        let (a, mut b) = UnixStream::pair().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (s, reader) = (seen.clone(), a.try_clone().unwrap());
        let watch = events.add_handle(a.as_raw_fd(), VIR_EVENT_HANDLE_READABLE, Box::new(move |w, fd, ev| {
            s.lock().push((w, fd, ev));
            let _ = (&reader).read(&mut [0u8; 1]);
        }), None);
        b.write_all(b"x").unwrap();
        events.run_once().unwrap();
        assert_eq!(seen.lock().as_slice(), [(watch, a.as_raw_fd(), VIR_EVENT_HANDLE_READABLE)]);
        events.update_handle(watch, 0);
        let t = events.add_timeout(10, Box::new(|_| {}), None);
        events.run_once().unwrap();
        assert_eq!(seen.lock().len(), 1, "a handle watching nothing is not polled");
        events.remove_timeout(t);
        drop(b);
        events.update_handle(watch, VIR_EVENT_HANDLE_WRITABLE);
        events.run_once().unwrap();
        let last = *seen.lock().last().unwrap();
        assert_ne!(last.2 & VIR_EVENT_HANDLE_HANGUP, 0, "{last:?}");
    }

    #[test]
    fn another_thread_wakes_a_waiting_loop() {
        let events = Arc::new(EventLoop::new().unwrap());
        let fired = counter();
        let (l, f) = (events.clone(), fired.clone());
        let adder = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            l.add_timeout(0, tick(&f), None);
        });
        // Nothing is registered: only the wake-up ends this wait.
        events.run_once().unwrap();
        adder.join().unwrap();
        while fired.load(SeqCst) == 0 {
            events.run_once().unwrap();
        }
    }
}
