//! A backup file's bytes: a plaintext magic line, a JSON header, then the
//! payload in 1 MiB chunks sealed with XChaCha20-Poly1305 in the STREAM
//! construction (`aead::stream`, big-endian 32-bit counter and a last-chunk
//! flag). Every chunk authenticates the whole header as associated data, so
//! an edited header, a reordered, altered or dropped chunk, and a file cut
//! short (even at a chunk boundary) all fail to open. See ADR 0016.

use std::io::{BufRead, Read, Write};

use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::passphrase::{BackupKey, KdfParams, hex_array};
use crate::error::{StoreError, StoreResult};

const MAGIC: &[u8] = b"TSUNAGU-BACKUP\n";
pub const FORMAT_VERSION: u32 = 1;
const CHUNK: usize = 1 << 20;
const TAG: usize = 16;
/// A header is a few hundred bytes; anything much larger is not ours.
const MAX_HEADER: u32 = 64 * 1024;
/// Sealed with the key alone, so a wrong passphrase is told apart from a
/// damaged file before any payload is read.
const KEY_CHECK: &[u8] = b"tsunagu backup key check";

/// What a backup says about itself, readable without the passphrase
/// (nothing in it is secret) and authenticated by every chunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupHeader {
    pub format: u32,
    /// The store the backup was taken of.
    pub store_id: String,
    pub created_at: DateTime<Utc>,
    pub kdf: KdfParams,
    #[serde(with = "hex_array")]
    stream_nonce: [u8; 19],
    #[serde(with = "hex_array")]
    check_nonce: [u8; 24],
    #[serde(with = "hex_bytes")]
    key_check: Vec<u8>,
}

/// Seals everything `plaintext` yields into `out`.
pub(crate) fn seal(
    key: &BackupKey,
    store_id: &str,
    created_at: DateTime<Utc>,
    plaintext: &mut impl Read,
    out: &mut impl Write,
) -> StoreResult<()> {
    let aead = XChaCha20Poly1305::new(key.key_bytes().into());
    let mut stream_nonce = [0u8; 19];
    let mut check_nonce = [0u8; 24];
    rand::rng().fill_bytes(&mut stream_nonce);
    rand::rng().fill_bytes(&mut check_nonce);
    let key_check = aead
        .encrypt(&XNonce::from(check_nonce), KEY_CHECK)
        .map_err(|_| StoreError::Corrupt("backup seal"))?;
    let header = BackupHeader {
        format: FORMAT_VERSION,
        store_id: store_id.to_string(),
        created_at,
        kdf: key.params(),
        stream_nonce,
        check_nonce,
        key_check,
    };
    let header_bytes =
        serde_json::to_vec(&header).map_err(|_| StoreError::Corrupt("backup header"))?;
    out.write_all(MAGIC)?;
    let header_len = u32::try_from(header_bytes.len()).map_err(|_| StoreError::BackupDamaged)?;
    out.write_all(&header_len.to_le_bytes())?;
    out.write_all(&header_bytes)?;

    let mut encryptor = EncryptorBE32::from_aead(aead, (&stream_nonce).into());
    let mut current = read_full(plaintext, CHUNK)?;
    loop {
        let next = if current.len() == CHUNK {
            read_full(plaintext, CHUNK)?
        } else {
            Vec::new()
        };
        if next.is_empty() {
            let sealed = encryptor
                .encrypt_last(Payload {
                    msg: &current,
                    aad: &header_bytes,
                })
                .map_err(|_| StoreError::Corrupt("backup seal"))?;
            out.write_all(&sealed)?;
            return Ok(());
        }
        let sealed = encryptor
            .encrypt_next(Payload {
                msg: &current,
                aad: &header_bytes,
            })
            .map_err(|_| StoreError::Corrupt("backup seal"))?;
        out.write_all(&sealed)?;
        current = next;
    }
}

/// Reads a backup's header without opening its payload.
pub fn read_header(input: &mut impl Read) -> StoreResult<(BackupHeader, Vec<u8>)> {
    let mut magic = [0u8; MAGIC.len()];
    input
        .read_exact(&mut magic)
        .map_err(|_| StoreError::NotABackup)?;
    if magic != MAGIC {
        return Err(StoreError::NotABackup);
    }
    let mut len = [0u8; 4];
    input
        .read_exact(&mut len)
        .map_err(|_| StoreError::BackupDamaged)?;
    let len = u32::from_le_bytes(len);
    if len > MAX_HEADER {
        return Err(StoreError::BackupDamaged);
    }
    let mut header_bytes = vec![0u8; len as usize];
    input
        .read_exact(&mut header_bytes)
        .map_err(|_| StoreError::BackupDamaged)?;
    let header: BackupHeader =
        serde_json::from_slice(&header_bytes).map_err(|_| StoreError::BackupDamaged)?;
    if header.format != FORMAT_VERSION {
        return Err(StoreError::BackupFormatUnknown);
    }
    Ok((header, header_bytes))
}

/// The key for `passphrase` if it is the one this backup was sealed with.
pub(crate) fn unlock(header: &BackupHeader, passphrase: &str) -> StoreResult<BackupKey> {
    let key = BackupKey::derive(passphrase, header.kdf)?;
    let aead = XChaCha20Poly1305::new(key.key_bytes().into());
    match aead.decrypt(
        &XNonce::from(header.check_nonce),
        header.key_check.as_slice(),
    ) {
        Ok(check) if check == KEY_CHECK => Ok(key),
        _ => Err(StoreError::BackupPassphraseWrong),
    }
}

/// Opens the payload after [`read_header`], writing it to `out` chunk by
/// chunk. On any failure what was written must be thrown away: the caller
/// writes to a temporary file.
pub(crate) fn open(
    key: &BackupKey,
    header: &BackupHeader,
    header_bytes: &[u8],
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> StoreResult<()> {
    let aead = XChaCha20Poly1305::new(key.key_bytes().into());
    let mut decryptor = DecryptorBE32::from_aead(aead, (&header.stream_nonce).into());
    loop {
        let sealed = read_full(input, CHUNK + TAG)?;
        let at_end = input.fill_buf()?.is_empty();
        if sealed.len() < CHUNK + TAG && !at_end {
            return Err(StoreError::BackupDamaged);
        }
        let payload = Payload {
            msg: &sealed,
            aad: header_bytes,
        };
        if at_end {
            let plain = decryptor
                .decrypt_last(payload)
                .map_err(|_| StoreError::BackupDamaged)?;
            out.write_all(&plain)?;
            return Ok(());
        }
        let plain = decryptor
            .decrypt_next(payload)
            .map_err(|_| StoreError::BackupDamaged)?;
        out.write_all(&plain)?;
    }
}

fn read_full(input: &mut impl Read, size: usize) -> StoreResult<Vec<u8>> {
    let mut buf = Vec::with_capacity(size);
    input.take(size as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        hex::decode(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> BackupKey {
        BackupKey::derive(
            "テスト用のパスフレーズ",
            KdfParams {
                memory_kib: 1024,
                passes: 1,
                lanes: 1,
                salt: [7; 16],
            },
        )
        .unwrap()
    }

    fn sealed(payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        seal(&key(), "s", Utc::now(), &mut &payload[..], &mut out).unwrap();
        out
    }

    fn opened(file: &[u8]) -> StoreResult<Vec<u8>> {
        let mut input = std::io::BufReader::new(file);
        let (header, header_bytes) = read_header(&mut input)?;
        let key = unlock(&header, "テスト用のパスフレーズ")?;
        let mut out = Vec::new();
        open(&key, &header, &header_bytes, &mut input, &mut out)?;
        Ok(out)
    }

    #[test]
    fn payloads_of_every_chunk_shape_round_trip() {
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK] {
            let payload: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            assert_eq!(opened(&sealed(&payload)).unwrap(), payload, "{len}");
        }
    }

    #[test]
    fn a_file_cut_at_a_chunk_boundary_or_missing_a_chunk_is_refused() {
        let payload = vec![5u8; 3 * CHUNK + 10];
        let file = sealed(&payload);
        let body = file.len() - (3 * (CHUNK + TAG) + 10 + TAG);
        let boundary = body + 2 * (CHUNK + TAG);
        assert!(matches!(
            opened(&file[..boundary]),
            Err(StoreError::BackupDamaged)
        ));
        let mut dropped = file[..body + CHUNK + TAG].to_vec();
        dropped.extend_from_slice(&file[body + 2 * (CHUNK + TAG)..]);
        assert!(matches!(opened(&dropped), Err(StoreError::BackupDamaged)));
        let mut swapped = file[..body].to_vec();
        swapped.extend_from_slice(&file[body + CHUNK + TAG..body + 2 * (CHUNK + TAG)]);
        swapped.extend_from_slice(&file[body..body + CHUNK + TAG]);
        swapped.extend_from_slice(&file[body + 2 * (CHUNK + TAG)..]);
        assert!(matches!(opened(&swapped), Err(StoreError::BackupDamaged)));
    }
}
