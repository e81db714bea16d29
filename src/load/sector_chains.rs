//! Load: a check of an `.xls` file's sector chains before calamine reads it.
//!
//! An `.xls` workbook is a compound file: sectors linked into chains by a
//! table (the FAT). calamine 0.38 follows the directory's chain with no bound,
//! so a damaged file whose chain loops back on itself makes it append sectors
//! until the machine's memory runs out. This walks the same chain, the same way,
//! and stops at the first sector seen twice. Everything else about the file is
//! left to calamine to judge.

const SIGNATURE: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// Sector ids at and above this are markers, not sectors.
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
/// Marks a sector of the DIFAT itself.
const DIFSECT: u32 = 0xFFFF_FFFC;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// `Err` with the reason when the directory's chain of sectors loops.
pub fn check_sector_chains(bytes: &[u8]) -> Result<(), String> {
    let Some(file) = CompoundFile::new(bytes) else {
        return Ok(());
    };
    let Some(fat) = file.fat() else {
        return Ok(());
    };
    let mut seen = vec![false; fat.len()];
    let mut id = file.u32_at(48);
    while id != END_OF_CHAIN {
        let Some(was_seen) = seen.get_mut(id as usize) else {
            // Past the table or the file: calamine says so itself.
            return Ok(());
        };
        if *was_seen {
            return Err(format!(
                "its directory's chain of sectors loops back to sector {id}"
            ));
        }
        *was_seen = true;
        id = fat[id as usize];
    }
    Ok(())
}

/// A compound file's header and sectors, as calamine reads them.
struct CompoundFile<'a> {
    bytes: &'a [u8],
    sector_size: usize,
}

impl<'a> CompoundFile<'a> {
    fn new(bytes: &'a [u8]) -> Option<Self> {
        if bytes.len() < 512 || !bytes.starts_with(SIGNATURE) {
            return None;
        }
        let sector_size = match u16::from_le_bytes([bytes[30], bytes[31]]) {
            0x09 => 512,
            0x0C => 4096,
            _ => return None,
        };
        Some(CompoundFile { bytes, sector_size })
    }

    fn u32_at(&self, offset: usize) -> u32 {
        let b = &self.bytes[offset..offset + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    /// The highest sector id calamine reads.
    fn max_id(&self) -> usize {
        self.bytes.len() / self.sector_size
    }

    /// Sector `id`, cut short at the end of the file; the header comes first.
    fn sector(&self, id: u32) -> &'a [u8] {
        let start = (id as usize + 1).saturating_mul(self.sector_size);
        let end = start.saturating_add(self.sector_size).min(self.bytes.len());
        self.bytes.get(start..end).unwrap_or_default()
    }

    /// The FAT, gathered through the DIFAT as calamine gathers it; `None` where
    /// calamine would stop with an error of its own.
    fn fat(&self) -> Option<Vec<u32>> {
        let mut difat: Vec<u32> = words(&self.bytes[76..512]).collect();
        let mut id = self.u32_at(68);
        let mut difat_sectors = 0;
        while id < RESERVED_SECTORS {
            difat_sectors += 1;
            if difat_sectors > self.max_id() + 1 || id as usize > self.max_id() {
                return None;
            }
            difat.extend(words(self.sector(id)));
            id = difat.pop()?;
        }
        let mut fat = Vec::new();
        for id in difat.into_iter().filter(|id| *id < DIFSECT) {
            if id as usize > self.max_id() {
                return None;
            }
            fat.extend(words(self.sector(id)));
        }
        Some(fat)
    }
}

fn words(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/workbooks")
            .join(name);
        std::fs::read(path).unwrap()
    }

    #[test]
    fn a_sound_file_passes_and_a_looping_chain_is_found() {
        assert_eq!(check_sector_chains(&fixture("offset.xls")), Ok(()));
        let error = check_sector_chains(&fixture("sector-loop.xls")).unwrap_err();
        assert!(error.contains("loops back to sector"), "{error}");
        assert_eq!(check_sector_chains(b"not a compound file"), Ok(()));
        assert_eq!(check_sector_chains(&fixture("truncated-943.xls")), Ok(()));
    }
}
