//! A sheet as a grid of typed cells with their addresses (`B17`), read from a workbook
//! (`.xlsx`, `.xls`, `.ods`, by calamine) or a CSV file (UTF-8, with or without a BOM), and the
//! merged regions a workbook declares.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader, Sheets};

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A cell formatted as a date: its Excel serial (days since 1899-12-30).
    Date(f64),
    /// An error value (`#REF!`) or a formula Excel could not compute.
    Error(String),
}

impl Raw {
    pub fn is_empty(&self) -> bool {
        match self {
            Raw::Empty => true,
            Raw::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a reader sees it.
    pub fn text(&self) -> String {
        match self {
            Raw::Empty => String::new(),
            Raw::Text(s) => s.trim().to_owned(),
            Raw::Number(n) => number_text(*n),
            Raw::Bool(b) => b.to_string(),
            Raw::Date(d) => serial_date(*d).unwrap_or_else(|| number_text(*d)),
            Raw::Error(e) => e.clone(),
        }
    }
}

/// A number as its shortest exact decimal (`2400`, `1.8`).
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The date (`YYYY-MM-DD`) of an Excel serial in the 1900 date system, if it is one.
pub fn serial_date(serial: f64) -> Option<String> {
    // From 1 March 1900: before it Excel counts a 29 February 1900 that never was.
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Days since 1899-12-30 (Excel's day 0, counting its phantom 29 February 1900).
    let days = serial.floor() as i64 - 25_569; // to days since 1970-01-01
    let (y, m, d) = civil_from_days(days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A cell address: column letters and 1-based row, `B17`.
pub fn cell_ref(row: usize, col: usize) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// A column given as letters (`B`, `AA`), 0-based.
pub fn column_index(letters: &str) -> Option<usize> {
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    Some(letters.bytes().fold(0usize, |n, b| n * 26 + (b.to_ascii_uppercase() - b'A') as usize + 1) - 1)
}

/// A merged region, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    pub first: (usize, usize),
    pub last: (usize, usize),
}

/// One sheet: its name, its cells from A1 (rows of equal length) and its merged regions.
#[derive(Debug, Clone)]
pub struct Grid {
    pub sheet: String,
    pub rows: Vec<Vec<Raw>>,
    pub merged: Vec<Merged>,
    /// Cells have types (a workbook): a number written as text is then a problem; in a CSV
    /// every cell is text.
    pub typed: bool,
}

impl Grid {
    pub fn get(&self, row: usize, col: usize) -> &Raw {
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&Raw::Empty)
    }
}

/// Why a file cannot be read at all.
#[derive(Debug)]
pub enum ReadError {
    /// Not a format planpress reads (by its extension).
    Format,
    /// The file or its workbook structure cannot be read.
    Io(String),
    /// A CSV that is not UTF-8 (Excel's "CSV" in a Chinese Windows is GBK).
    NotUtf8,
    /// No sheet of that name; the names there are.
    NoSheet(Vec<String>),
}

/// Every sheet of the file `path` that `sheet` selects (all of them when `None`), in order.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Vec<Grid>, ReadError> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    match ext.as_str() {
        "csv" => read_csv(path).map(|g| vec![g]),
        "xlsx" | "xlsm" | "xls" | "ods" => read_book(path, sheet),
        _ => Err(ReadError::Format),
    }
}

fn read_csv(path: &Path) -> Result<Grid, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io(e.to_string()))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ReadError::Io(e.to_string()))?;
        rows.push(record.iter().map(|c| if c.is_empty() { Raw::Empty } else { Raw::Text(c.to_owned()) }).collect());
    }
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(square(Grid { sheet: name, rows, merged: Vec::new(), typed: false }))
}

fn read_book(path: &Path, sheet: Option<&str>) -> Result<Vec<Grid>, ReadError> {
    let mut book = open_workbook_auto(path).map_err(|e| ReadError::Io(e.to_string()))?;
    let names = book.sheet_names();
    let chosen: Vec<String> = match sheet {
        Some(s) if names.iter().any(|n| n == s) => vec![s.to_owned()],
        Some(_) => return Err(ReadError::NoSheet(names)),
        None => names,
    };
    let mut grids = Vec::new();
    for name in chosen {
        let range = book.worksheet_range(&name).map_err(|e| ReadError::Io(e.to_string()))?;
        let (top, left) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let mut rows: Vec<Vec<Raw>> = vec![Vec::new(); top];
        for row in range.rows() {
            let mut cells = vec![Raw::Empty; left];
            cells.extend(row.iter().map(raw));
            rows.push(cells);
        }
        let merged = merged_regions(&mut book, &name);
        grids.push(square(Grid { sheet: name, rows, merged, typed: true }));
    }
    Ok(grids)
}

fn raw(d: &Data) -> Raw {
    match d {
        Data::Empty => Raw::Empty,
        Data::String(s) => Raw::Text(s.clone()),
        Data::Int(i) => Raw::Number(*i as f64),
        Data::Float(f) => Raw::Number(*f),
        Data::Bool(b) => Raw::Bool(*b),
        Data::DateTime(dt) => Raw::Date(dt.as_f64()),
        Data::DateTimeIso(s) => Raw::Text(s.chars().take(10).collect()),
        Data::DurationIso(s) => Raw::Text(s.clone()),
        Data::Error(e) => Raw::Error(format!("{e:?}")),
    }
}

/// The merged regions of a sheet (workbooks that record them: `.xlsx`, `.xls`).
fn merged_regions<R: std::io::Read + std::io::Seek>(book: &mut Sheets<R>, name: &str) -> Vec<Merged> {
    let dims = match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => Vec::new(),
    };
    dims.iter().map(|d| Merged { first: (d.start.0 as usize, d.start.1 as usize), last: (d.end.0 as usize, d.end.1 as usize) }).collect()
}

/// Pads every row to the same length.
fn square(mut grid: Grid) -> Grid {
    let width = grid.rows.iter().map(Vec::len).max().unwrap_or(0);
    for row in &mut grid.rows {
        row.resize(width, Raw::Empty);
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(cell_ref(16, 1), "B17");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(column_index("B"), Some(1));
        assert_eq!(column_index("aa"), Some(26));
        assert_eq!(column_index("1"), None);
    }

    #[test]
    fn excel_serials() {
        assert_eq!(serial_date(40834.0).as_deref(), Some("2011-10-18"));
        assert_eq!(serial_date(61.0).as_deref(), Some("1900-03-01"));
        assert_eq!(serial_date(-3.0), None);
        assert_eq!(number_text(2400.0), "2400");
        assert_eq!(number_text(1.8), "1.8");
    }
}
