//! A text file's encoding, told from its first bytes, and a reader that
//! turns it into UTF-8 as it streams (`encoding_rs` does the decoding).

use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::io::{self, Read};

/// How many bytes are looked at to tell the encoding and the delimiter.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The encoding of a text that starts with `head`: its BOM when it has
/// one; else UTF-16 when every other byte is NUL (a BOM-less export from
/// Excel or Windows tools); else UTF-8 when the bytes are valid UTF-8; else
/// Windows-1252, the superset of Latin-1 that spreadsheets on Windows write.
pub fn sniff_encoding(head: &[u8]) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return encoding;
    }
    let pairs = head.len() / 2;
    if pairs >= 2 {
        let even_nul = head.iter().step_by(2).filter(|b| **b == 0).count();
        let odd_nul = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
        if odd_nul * 10 >= pairs * 3 && even_nul * 10 < pairs {
            return UTF_16LE;
        }
        if even_nul * 10 >= pairs * 3 && odd_nul * 10 < pairs {
            return UTF_16BE;
        }
    }
    match std::str::from_utf8(head) {
        Ok(_) => UTF_8,
        // A UTF-8 sequence cut by the end of the sample is still UTF-8.
        Err(e) if e.error_len().is_none() => UTF_8,
        Err(_) => WINDOWS_1252,
    }
}

/// A reader of UTF-8 over a reader of `encoding` (its BOM removed), with
/// Windows line ends (`\r\n`) made `\n`, so lines are counted one way.
pub struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    at: usize,
    done: bool,
    /// A `\r` that ended the last chunk, held until we see what follows.
    held_cr: bool,
}

impl<R: Read> DecodingReader<R> {
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        DecodingReader {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            input: vec![0; 16 * 1024],
            output: Vec::new(),
            at: 0,
            done: false,
            held_cr: false,
        }
    }

    /// Decodes the next chunk into `output`; false at the end.
    fn fill(&mut self) -> io::Result<bool> {
        while self.at >= self.output.len() {
            if self.done {
                return Ok(false);
            }
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            let mut text =
                String::with_capacity(self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16));
            let (_, _, _) = self
                .decoder
                .decode_to_string(&self.input[..n], &mut text, last);
            if std::mem::take(&mut self.held_cr) {
                text.insert(0, '\r');
            }
            if !last && text.ends_with('\r') {
                text.pop();
                self.held_cr = true;
            }
            self.output = text.replace("\r\n", "\n").into_bytes();
            self.at = 0;
            self.done = last;
        }
        Ok(true)
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.fill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.output.len() - self.at);
        buf[..n].copy_from_slice(&self.output[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Reads up to [`SNIFF_BYTES`] from `reader` (fewer only at its end).
pub fn read_head(reader: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    reader.take(SNIFF_BYTES as u64).read_to_end(&mut head)?;
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> String {
        let mut out = String::new();
        DecodingReader::new(bytes, sniff_encoding(bytes))
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom
            .then_some(0xFEFF_u16)
            .into_iter()
            .chain(text.encode_utf16());
        for u in units {
            out.extend(if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("Prénom;Nom\n".as_bytes()), "Prénom;Nom\n");
        assert_eq!(decode(b"\xEF\xBB\xBFPr\xC3\xA9nom"), "Prénom");
    }

    #[test]
    fn utf16_both_ways_with_and_without_bom() {
        for be in [false, true] {
            for bom in [false, true] {
                assert_eq!(
                    decode(&utf16("Prénom,Zoë\n", be, bom)),
                    "Prénom,Zoë\n",
                    "be={be} bom={bom}"
                );
            }
        }
    }

    #[test]
    fn windows_line_ends_become_one_newline_even_across_chunks() {
        let text = "a,b\r\n".repeat(10_000);
        assert_eq!(decode(text.as_bytes()), "a,b\n".repeat(10_000));
        assert_eq!(decode(b"a\rb\r"), "a\rb\r", "a lone carriage return stays");
    }

    #[test]
    fn latin1_and_windows_1252_are_read_as_such() {
        // "Prénom;Société – Zoë" as Windows-1252 (the dash is 0x96).
        let bytes = b"Pr\xE9nom;Soci\xE9t\xE9 \x96 Zo\xEB";
        assert_eq!(decode(bytes), "Prénom;Société – Zoë");
    }

    #[test]
    fn decoding_streams_in_small_reads_across_chunk_borders() {
        let text = "é".repeat(40_000);
        let bytes = utf16(&text, false, true);
        let mut reader = DecodingReader::new(bytes.as_slice(), UTF_16LE);
        let mut out = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(String::from_utf8(out).unwrap(), text);
    }
}
