//! A [`Table`] as a file: CSV for Excel users (UTF-8 with a BOM, CRLF, RFC 4180 quoting), its
//! column dictionary, and workbooks (a sheet per table, headers in both languages, numbers as
//! numbers with their unit beside them). Workbooks carry a fixed creation date, so the same
//! content gives byte-identical files.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::tables::{Cell, ColumnType, Table};

/// Excel in a Chinese Windows opens a CSV without a byte-order mark as GBK.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

fn csv_bytes(header: Vec<String>, rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        // Writing into a Vec cannot fail.
        let _ = w.write_record(&header);
        for row in rows {
            let _ = w.write_record(&row);
        }
        let _ = w.flush();
    }
    out
}

/// The table as CSV.
pub fn csv(table: &Table) -> Vec<u8> {
    let header = table.columns.iter().map(|c| c.name.clone()).collect();
    csv_bytes(header, table.rows.iter().map(|row| row.iter().map(Cell::csv).collect()))
}

/// The column dictionary of a table, as CSV: one row per column.
pub fn dictionary(table: &Table) -> Vec<u8> {
    let header = ["column", "type", "description_zh", "description_en"].map(str::to_owned).to_vec();
    csv_bytes(header, table.columns.iter().map(|c| vec![c.name.clone(), c.kind.as_str().to_owned(), c.zh.clone(), c.en.clone()]))
}

/// A date that never changes, for the workbook's creation time: the files depend on content only.
fn fixed_properties(title: &str) -> Result<DocProperties, XlsxError> {
    let date = ExcelDateTime::from_ymd(2000, 1, 1)?;
    Ok(DocProperties::new().set_title(title).set_creation_datetime(&date))
}

/// A new workbook with fixed properties.
pub fn workbook(title: &str) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(&fixed_properties(title)?);
    Ok(book)
}

/// Writes `table` into `sheet` below two header rows (Chinese, then the column's name), and
/// freezes them. Returns the first data row.
pub fn write_table(sheet: &mut Worksheet, table: &Table) -> Result<u32, XlsxError> {
    let head = Format::new().set_bold().set_align(FormatAlign::Center).set_background_color("#E8EEF4");
    let integer = Format::new().set_num_format("0");
    let decimal = Format::new().set_num_format("General");
    for (c, column) in table.columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, short_label(&column.zh), &head)?;
        sheet.write_string_with_format(1, c, &column.name, &head)?;
        let width = match column.kind {
            ColumnType::Text | ColumnType::Url => 24.0,
            _ => 12.0,
        };
        sheet.set_column_width(c, width)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => {
                    sheet.write_string(r, c, s)?;
                }
                Cell::Number(n) => {
                    // The unit in the cell's number format: the value stays a number.
                    match table.units.get(r as usize - 2).filter(|u| !u.is_empty()) {
                        Some(unit) => {
                            let format = Format::new().set_num_format(format!("General\" {}\"", unit.replace('"', "")));
                            sheet.write_number_with_format(r, c, n.value, &format)?
                        }
                        None => sheet.write_number_with_format(r, c, n.value, &decimal)?,
                    };
                }
                Cell::Integer(i) => {
                    sheet.write_number_with_format(r, c, *i as f64, &integer)?;
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(r, c, *b)?;
                }
                Cell::Empty => {}
            }
        }
    }
    sheet.set_freeze_panes(2, 0)?;
    Ok(2)
}

/// A dictionary description as a header: the part before its first explanation.
fn short_label(zh: &str) -> &str {
    zh.split(['：', '（']).next().unwrap_or(zh)
}
