//! A stream's data. The in-library drivers produce a whole payload at once (a
//! screenshot, a file's content), so a stream they fill is a buffer that the
//! caller drains; it never has to wait for more.

use crate::abi::virterror::*;
use crate::core::{Error, Result};
use parking_lot::Mutex;

/// The identity of a stream handle: its virStreamNew flags and its state.
pub struct StreamBody {
    pub flags: u32,
    state: Mutex<State>,
}

enum State {
    /// No driver has attached the stream to a transfer yet.
    Unused,
    /// A transfer from the driver: `data[pos..]` is still to be read.
    Source { data: Vec<u8>, pos: usize },
    /// Finished or aborted.
    Closed,
}

fn not_open() -> Error {
    Error::internal(VIR_FROM_STREAMS, "stream is not open")
}

impl StreamBody {
    pub fn new(flags: u32) -> StreamBody {
        StreamBody { flags, state: Mutex::new(State::Unused) }
    }

    /// Makes the stream a source of `data` (a driver's answer), replacing any
    /// earlier transfer, as libvirt's file streams do.
    pub fn fill(&self, data: Vec<u8>) {
        *self.state.lock() = State::Source { data, pos: 0 };
    }

    /// Copies the next bytes into `buf`; 0 at the end of the data.
    pub fn recv(&self, buf: &mut [u8]) -> Result<usize> {
        match &mut *self.state.lock() {
            State::Unused => Err(Error::no_support("virStreamRecv")),
            State::Source { data, pos } => {
                let n = buf.len().min(data.len() - *pos);
                buf[..n].copy_from_slice(&data[*pos..*pos + n]);
                *pos += n;
                Ok(n)
            }
            State::Closed => Err(not_open()),
        }
    }

    /// Every stream a driver fills is read-only: libvirt's file streams then fail
    /// the write on the file descriptor.
    pub fn send(&self, _data: &[u8]) -> Result<usize> {
        match &*self.state.lock() {
            State::Unused => Err(Error::no_support("virStreamSend")),
            State::Source { .. } => Err(Error::system(VIR_FROM_STREAMS, libc::EBADF, "cannot write to stream")),
            State::Closed => Err(not_open()),
        }
    }

    /// virStreamFinish (`abort` false) and virStreamAbort: both close the
    /// transfer, and closing a closed stream again succeeds.
    pub fn close(&self, abort: bool) -> Result<()> {
        let mut state = self.state.lock();
        match *state {
            State::Unused if abort => Ok(()),
            State::Unused => Err(Error::no_support("virStreamFinish")),
            _ => {
                *state = State::Closed;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filled_stream_drains_then_closes() {
        let stream = StreamBody::new(0);
        assert_eq!(stream.recv(&mut [0; 4]).unwrap_err().code, VIR_ERR_NO_SUPPORT);
        assert!(stream.close(true).is_ok());
        assert_eq!(stream.close(false).unwrap_err().code, VIR_ERR_NO_SUPPORT);
        stream.fill(b"hello".to_vec());
        let mut buf = [0; 4];
        assert_eq!(stream.recv(&mut buf).unwrap(), 4);
        assert_eq!(&buf, b"hell");
        assert_eq!(stream.recv(&mut buf).unwrap(), 1);
        assert_eq!(stream.recv(&mut buf).unwrap(), 0);
        let e = stream.send(b"x").unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (VIR_ERR_SYSTEM_ERROR, "cannot write to stream: Bad file descriptor"));
        assert!(stream.close(false).is_ok());
        assert!(stream.close(false).is_ok());
        assert_eq!(stream.recv(&mut buf).unwrap_err().message, "internal error: stream is not open");
        assert_eq!(stream.send(b"x").unwrap_err().message, "internal error: stream is not open");
    }
}
