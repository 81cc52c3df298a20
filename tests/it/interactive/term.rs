//! A pseudo-terminal to run `qwen` on (stdin, stdout and stderr all on it, and it the
//! controlling terminal, so Ctrl-C is a real SIGINT), and a loopback SSE server whose
//! replies can stall until the test ends.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

const LIMIT: Duration = Duration::from_secs(20);

/// `qwen` running on a pseudo-terminal of 24×80.
pub struct Term {
    pty: Arc<pty_process::blocking::Pty>,
    child: Child,
    screen: Arc<Mutex<Vec<u8>>>,
    /// How far [`Term::expect`] has read.
    seen: usize,
    reader: Option<JoinHandle<()>>,
}

impl Term {
    /// Starts `qwen ARGS` against `base_url` with `dir` as its home, on a terminal.
    pub fn spawn(base_url: &str, dir: &Path, args: &[&str]) -> Self {
        Self::spawn_with(base_url, dir, args, |c| c)
    }

    /// [`Term::spawn`], with changes to the command (another stdout, more variables).
    pub fn spawn_with(
        base_url: &str,
        dir: &Path,
        args: &[&str],
        change: impl FnOnce(pty_process::blocking::Command) -> pty_process::blocking::Command,
    ) -> Self {
        let template = std_qwen(base_url, dir);
        let mut cmd = pty_process::blocking::Command::new(template.get_program()).env_clear();
        for (name, value) in template.get_envs() {
            if let Some(value) = value {
                cmd = cmd.env(name, value);
            }
        }
        cmd = cmd.env("TERM", "xterm").env("NO_COLOR", "1").args(args);
        let (pty, pts) = pty_process::blocking::open().unwrap();
        pty.resize(pty_process::Size::new(24, 80)).unwrap();
        let child = change(cmd).spawn(pts).unwrap();
        let pty = Arc::new(pty);
        let screen = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let (pty, screen) = (Arc::clone(&pty), Arc::clone(&screen));
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                // EIO once the child (the last holder of the terminal) is gone.
                while let Ok(n) = (&*pty).read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    screen.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            })
        };
        Self {
            pty,
            child,
            screen,
            seen: 0,
            reader: Some(reader),
        }
    }

    /// Everything the terminal showed so far.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    /// Waits until the terminal shows `needle` after what earlier calls matched.
    pub fn expect(&mut self, needle: &str) {
        let deadline = Instant::now() + LIMIT;
        loop {
            {
                let screen = self.screen.lock().unwrap();
                let rest = &screen[self.seen.min(screen.len())..];
                if let Some(i) = rest
                    .windows(needle.len())
                    .position(|w| w == needle.as_bytes())
                {
                    self.seen += i + needle.len();
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "the terminal never showed {needle:?}; it shows:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Types `text` (`\r` is Enter, `\x03` Ctrl-C, `\x04` Ctrl-D).
    pub fn send(&mut self, text: &str) {
        (&*self.pty).write_all(text.as_bytes()).unwrap();
    }

    /// Waits for `qwen` to exit (killing it after the limit) and returns its status.
    pub fn wait(&mut self) -> ExitStatus {
        let status = wait_for(&mut self.child, LIMIT);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        assert_no_key_on(&self.screen());
        status
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

fn assert_no_key_on(screen: &str) {
    assert!(!screen.contains("SECRET-1234"), "the key showed:\n{screen}");
}

/// What the server answers a request with: SSE frames, then the end of the body, or
/// nothing more until the server is dropped.
#[derive(Clone)]
pub enum Reply {
    Whole(Vec<String>),
    Stall(Vec<String>),
}

/// A loopback HTTP server for `POST /chat/completions`: request `i` gets reply `i` (the
/// last one again after that), and every request body is kept.
pub struct Sse {
    addr: SocketAddr,
    bodies: Arc<Mutex<Vec<Value>>>,
    release: Arc<(Mutex<bool>, Condvar)>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Sse {
    pub fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let release = Arc::new((Mutex::new(false), Condvar::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (bodies, release, stop) = (bodies.clone(), release.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut served = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((socket, _)) => {
                            let (bodies, release) = (bodies.clone(), release.clone());
                            let replies = replies.clone();
                            served.push(std::thread::spawn(move || {
                                serve(socket, &replies, &bodies, &release)
                            }));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
                for thread in served {
                    let _ = thread.join();
                }
            })
        };
        Self {
            addr,
            bodies,
            release,
            stop,
            thread: Some(thread),
        }
    }

    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The request bodies so far.
    pub fn bodies(&self) -> Vec<Value> {
        self.bodies.lock().unwrap().clone()
    }
}

impl Drop for Sse {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let (released, wake) = &*self.release;
        *released.lock().unwrap() = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    mut socket: TcpStream,
    replies: &[Reply],
    bodies: &Mutex<Vec<Value>>,
    release: &(Mutex<bool>, Condvar),
) {
    socket.set_nonblocking(false).unwrap();
    let Some(body) = read_body(&mut socket) else {
        return;
    };
    let index = {
        let mut bodies = bodies.lock().unwrap();
        bodies.push(serde_json::from_slice(&body).unwrap_or(Value::Null));
        bodies.len() - 1
    };
    let reply = &replies[index.min(replies.len() - 1)];
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
    let _ = socket.write_all(head.as_bytes());
    let (Reply::Whole(frames) | Reply::Stall(frames)) = reply;
    for frame in frames {
        let _ = socket.write_all(frame.as_bytes());
        let _ = socket.flush();
    }
    if let Reply::Stall(_) = reply {
        let (released, wake) = release;
        let guard = released.lock().unwrap();
        let _ = wake.wait_timeout_while(guard, LIMIT, |done| !*done);
    }
}

/// Reads a request's head and its `Content-Length` body.
fn read_body(socket: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = socket.read(&mut tmp).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut tmp).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
    }
    Some(buf[head_end..head_end + length].to_vec())
}

/// A whole reply streaming `texts`.
pub fn reply(texts: &[&str]) -> Reply {
    let pieces: Vec<Piece<'_>> = texts.iter().map(|t| Piece::Text(t)).collect();
    Reply::Whole(sse_frames(&pieces))
}
