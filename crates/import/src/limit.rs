//! A reader that fails once more than a cap has come through, so a file
//! over the limit is refused as it streams in, never read whole first.

use std::io::{self, ErrorKind, Read};

pub struct Limited<R> {
    inner: R,
    left: u64,
}

impl<R> Limited<R> {
    pub fn new(inner: R, cap: u64) -> Self {
        Limited { inner, left: cap }
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // One byte past the cap is asked for, to tell "exactly the cap" from "over".
        let want = buf
            .len()
            .min(usize::try_from(self.left + 1).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            return Err(io::Error::new(
                ErrorKind::FileTooLarge,
                "over the size limit",
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}
