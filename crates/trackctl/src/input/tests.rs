use std::path::PathBuf;

use super::*;

const HEADER: &str = "provider,order_ref,tracking_number,shipped_at";

fn file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn ignoring(column: &str) -> Reading {
    Reading {
        ignored: vec![column.to_string()],
        ..Reading::default()
    }
}

fn rows(input: &Input) -> Vec<Row> {
    input.rows().unwrap().collect()
}

fn lines(rows: &[Row]) -> Vec<u64> {
    rows.iter().map(|(line, _)| *line).collect()
}

fn csv_of(count: usize) -> String {
    let mut text = format!("{HEADER}\n");
    for i in 0..count {
        text.push_str(&format!(
            "crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,1Z{i},2024-04-09\n"
        ));
    }
    text
}

#[test]
fn a_stray_quote_refuses_the_whole_file_naming_its_line() {
    let mut text = csv_of(1000);
    let at = text.match_indices('\n').nth(3).unwrap().0 + 1; // start of line 5
    text.insert(at + "crux,".len(), '"');
    let (_dir, path) = file("day.csv", &text);
    let error = check(&path, &Reading::default()).unwrap_err().to_string();
    assert!(error.contains("nothing was sent"), "{error}");
    assert!(
        error.contains("line 5: a quoted value runs over"),
        "{error}"
    );
}

#[test]
fn a_wrong_number_of_fields_refuses_the_file() {
    let text = format!("{HEADER}\ncrux,a,1Z1,2024-04-09\ncrux,a,1Z2\ncrux,a,1Z3,2024-04-09,x\n");
    let (_dir, path) = file("day.csv", &text);
    let error = check(&path, &Reading::default()).unwrap_err().to_string();
    assert!(
        error.contains("line 3: 3 fields, but the header has 4"),
        "{error}"
    );
    assert!(error.contains("line 4: 5 fields"), "{error}");
}

#[test]
fn every_data_line_gives_one_row_with_its_line() {
    let text = format!("{HEADER}\ncrux,a,1Z1,bad-date\n\ncrux,a,1Z2,2024-04-09\n");
    let (_dir, path) = file("day.csv", &text);
    let input = check(&path, &Reading::default()).unwrap();
    assert_eq!(input.data_lines, 2);
    let rows = rows(&input);
    assert_eq!(lines(&rows), [2, 4]);
    assert!(
        rows[0]
            .1
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("shipped_at")
    );
}

#[test]
fn crlf_files_have_the_right_line_numbers() {
    let text = csv_of(3).replace('\n', "\r\n");
    let (_dir, path) = file("day.csv", &text);
    assert_eq!(
        lines(&rows(&check(&path, &Reading::default()).unwrap())),
        [2, 3, 4]
    );

    let jsonl = "{\"order_ref\":\"a\",\"tracking_number\":\"1\"}\r\n\r\n{\"order_ref\":\"a\",\"tracking_number\":\"2\"}\r\n";
    let (_dir, path) = file("day.jsonl", jsonl);
    let rows = rows(&check(&path, &Reading::default()).unwrap());
    assert_eq!(lines(&rows), [1, 3]);
    assert!(rows.iter().all(|(_, r)| r.is_ok()));
}

#[test]
fn a_duplicate_column_is_refused_and_an_unknown_one_too_unless_ignored() {
    let (_dir, path) = file(
        "day.csv",
        "order_ref,tracking_number,tracking_number\na,1,2\n",
    );
    let error = check(&path, &Reading::default()).unwrap_err().to_string();
    assert!(
        error.contains("\"tracking_number\" appears twice (columns 2 and 3)"),
        "{error}"
    );

    let (_dir, path) = file("day.csv", "order_ref,Tracking Number,Order ID\na,1,2\n");
    let error = check(&path, &Reading::default()).unwrap_err().to_string();
    assert!(
        error.contains("\"order_ref\" appears twice (columns 1 and 3) (\"order_ref\" and \"Order ID\" both mean order_ref)"),
        "{error}"
    );

    let (_dir, path) = file("day.csv", "order_ref,tracking_number,carier\na,1,UPS\n");
    let error = check(&path, &Reading::default()).unwrap_err().to_string();
    assert!(
        error.contains("line 1: unknown column \"carier\" (did you mean \"carrier\"?)"),
        "{error}"
    );
    let input = check(&path, &ignoring("Carier")).unwrap();
    assert_eq!(input.warnings.len(), 1);
    assert!(input.warnings[0].contains("is ignored (--ignore-column)"));
    let row = rows(&input).remove(0).1.unwrap();
    assert_eq!(row.carrier, None);
}

#[test]
fn a_bom_is_dropped_in_both_formats() {
    let (_dir, path) = file("day.csv", &format!("\u{feff}{}", csv_of(1)));
    let input = check(&path, &Reading::default()).unwrap();
    // Nothing but the zone of its dates is told.
    assert!(
        input
            .warnings
            .iter()
            .all(|w| w.contains("dates without an offset")),
        "{:?}",
        input.warnings
    );
    assert_eq!(
        rows(&input)[0].1.as_ref().unwrap().provider,
        Some(order_tracking::Provider::CRUX)
    );

    let (_dir, path) = file(
        "day.jsonl",
        "\u{feff}{\"order_ref\":\"a\",\"tracking_number\":\"1\"}\n",
    );
    assert!(
        rows(&check(&path, &Reading::default()).unwrap())[0]
            .1
            .is_ok()
    );
}

#[test]
fn dates_are_read_alike_in_both_formats() {
    let (_dir, csv) = file("day.csv", &csv_of(1));
    let (_dir2, jsonl) = file(
        "day.jsonl",
        "{\"provider\":\"crux\",\"order_ref\":\"0e63ac67-7c45-454d-b2ef-bb6b5ed387c3\",\"tracking_number\":\"1Z0\",\"shipped_at\":\"2024-04-09\"}\n",
    );
    let from_csv = rows(&check(&csv, &Reading::default()).unwrap())
        .remove(0)
        .1
        .unwrap();
    let from_jsonl = rows(&check(&jsonl, &Reading::default()).unwrap())
        .remove(0)
        .1
        .unwrap();
    assert_eq!(from_csv, from_jsonl);
    assert_eq!(
        from_jsonl.shipped_at.unwrap().to_rfc3339(),
        "2024-04-09T00:00:00+00:00"
    );
}

#[test]
fn a_broken_json_line_refuses_the_file() {
    let (_dir, path) = file(
        "day.jsonl",
        "{\"order_ref\":\"a\",\"tracking_number\":\"1\"}\n{\"order_ref\":\"a\",\n[1]\n",
    );
    let error = check(&path, &Reading::default()).unwrap_err().to_string();
    assert!(error.contains("line 2: not JSON"), "{error}");
    assert!(error.contains("line 3: not a JSON object"), "{error}");
}

#[test]
fn quotes_are_read_strictly() {
    for (row, field) in [
        ("crux,\"0e63ac67\"x,1Z,2024-04-09", 2),
        ("crux,0e63\"ac67,1Z,2024-04-09", 2),
        ("crux,0e63ac67,1Z,\"2024-04-09", 4),
    ] {
        let (_dir, path) = file("day.csv", &format!("{HEADER}\n{row}\n"));
        let error = check(&path, &Reading::default()).unwrap_err().to_string();
        assert!(
            error.contains(&format!(
                "line 2: a stray or unterminated quote (\") in field {field}"
            )),
            "{row}: {error}"
        );
    }
    let fine = format!(
        "{HEADER}\ncrux, \"0e63ac67-7c45-454d-b2ef-bb6b5ed387c3\" ,\"1Z \"\"A\"\"\",2024-04-09\n"
    );
    let (_dir, path) = file("day.csv", &fine);
    let rows = rows(&check(&path, &Reading::default()).unwrap());
    assert_eq!(rows[0].1.as_ref().unwrap().tracking_number, "1Z \"A\"");
}

#[test]
fn a_lone_carriage_return_ends_a_line() {
    let text = csv_of(3).replace('\n', "\r");
    let (_dir, path) = file("day.csv", &text);
    assert_eq!(
        lines(&rows(&check(&path, &Reading::default()).unwrap())),
        [2, 3, 4]
    );
    let rows_of: Vec<String> = csv_of(3).lines().skip(1).map(str::to_string).collect();
    let mixed = format!(
        "{HEADER}\r\n{}\n{}\r{}\n",
        rows_of[0], rows_of[1], rows_of[2]
    );
    let (_dir, path) = file("day.csv", &mixed);
    assert_eq!(
        lines(&rows(&check(&path, &Reading::default()).unwrap())),
        [2, 3, 4]
    );
}

#[test]
fn a_bom_before_a_quoted_header_is_no_stray_quote() {
    let text = "\u{feff}\"provider\",\"order_ref\",\"tracking_number\"\r\ncrux,a,1Z1\r\n";
    let (_dir, path) = file("day.csv", text);
    let input = check(&path, &Reading::default()).unwrap();
    assert_eq!(lines(&rows(&input)), [2]);
}

#[test]
fn a_column_left_out_that_is_needed_says_so() {
    let (_dir, path) = file("day.csv", "order_ref,tracking_number\na,1\n");
    let error = check(&path, &ignoring("tracking_number"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("the column \"tracking_number\" is missing (--ignore-column leaves it out)"),
        "{error}"
    );
}

#[test]
fn lines_of_empty_cells_are_counted_blank_not_read_as_rows() {
    let text = format!("{}\n,,,\n , ,,\n\n", csv_of(2).trim_end());
    let (_dir, path) = file("day.csv", &text);
    let input = check(&path, &Reading::default()).unwrap();
    assert_eq!((input.data_lines, input.blank_lines), (2, 2));
    let rows = rows(&input);
    assert_eq!(lines(&rows), [2, 3]);
    assert!(rows.iter().all(|(_, r)| r.is_ok()));
}

#[test]
fn a_semicolon_file_is_read_by_its_header_and_says_so() {
    let text = "provider;order_ref;tracking_number;line_items\n\
                crux;0e63ac67-7c45-454d-b2ef-bb6b5ed387c3;1Z1;\"a:1;b:2\"\n";
    let (_dir, path) = file("export.csv", text);
    let input = check(&path, &Reading::default()).unwrap();
    assert!(
        input.warnings[0].contains("separated by semicolons"),
        "{:?}",
        input.warnings
    );
    let shipment = rows(&input).remove(0).1.unwrap();
    assert_eq!(shipment.tracking_number, "1Z1");
    assert_eq!(shipment.line_items.len(), 2);
    // Told otherwise, it is one column, and the message says what to give.
    let comma = Reading {
        delimiter: Some(b','),
        ..Reading::default()
    };
    let error = check(&path, &comma).unwrap_err().to_string();
    assert!(error.contains("give --delimiter"), "{error}");
}

#[test]
fn a_tab_file_with_human_names_is_read() {
    let text =
        "Provider\tOrder Ref\tTracking Number\ncrux\t0e63ac67-7c45-454d-b2ef-bb6b5ed387c3\t1Z 2\n";
    let (_dir, path) = file("export.csv", text);
    let input = check(&path, &Reading::default()).unwrap();
    assert!(input.warnings[0].contains("tabs"), "{:?}", input.warnings);
    assert_eq!(rows(&input).remove(0).1.unwrap().tracking_number, "1Z 2");
}

#[test]
fn windows_1252_text_is_refused_with_a_hint_and_read_with_the_flag() {
    // "Müller" and "São Paulo" as a spreadsheet on Windows saves them.
    let mut bytes = b"provider,order_ref,tracking_number,carrier,service\n".to_vec();
    bytes.extend(
        b"crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,1Z1,M\xfcller Transporte,S\xe3o Paulo\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, &bytes).unwrap();
    let error = check(&path, &Reading::default()).unwrap_err().to_string();
    assert!(error.contains("--encoding windows-1252"), "{error}");
    let windows = Reading {
        encoding: Some(parse_encoding("windows-1252").unwrap()),
        ..Reading::default()
    };
    let input = check(&path, &windows).unwrap();
    assert!(
        input.warnings[0].contains("windows-1252"),
        "{:?}",
        input.warnings
    );
    let shipment = rows(&input).remove(0).1.unwrap();
    assert_eq!(shipment.carrier.as_deref(), Some("Müller Transporte"));
    assert_eq!(shipment.service.as_deref(), Some("São Paulo"));
    // latin1 is windows-1252, as the WHATWG labels say.
    assert_eq!(parse_encoding("latin1").unwrap().name(), "windows-1252");
    assert!(parse_encoding("klingon").is_err());
}

#[test]
fn the_delimiter_is_the_headers_most_frequent_outside_quotes() {
    assert_eq!(csv_rows::delimiter_of("a,b,c"), b',');
    assert_eq!(csv_rows::delimiter_of("a;b;c"), b';');
    assert_eq!(csv_rows::delimiter_of("\"x,y\";b;c"), b';');
    assert_eq!(csv_rows::delimiter_of("a\tb"), b'\t');
    assert_eq!(csv_rows::delimiter_of("order_ref"), b',');
    assert_eq!(parse_delimiter("tab").ok(), Some(b'\t'));
    assert!(parse_delimiter("x").is_err());
}

#[test]
fn the_zone_of_dates_without_an_offset_is_told_once_with_the_first_line() {
    let text = format!(
        "{HEADER}\ncrux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,1Z1,2024-04-09T12:00:00Z\n\
         crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,1Z2,09/04/2024 14:00\n\
         crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,1Z3,10/04/2024 09:00\n"
    );
    let (_dir, path) = file("day.csv", &text);
    // Refused as it is: the day and the month could be either way round.
    let input = check(&path, &Reading::default()).unwrap();
    let read = rows(&input);
    assert!(read[0].1.is_ok());
    let error = read[1].1.as_ref().unwrap_err().to_string();
    assert!(error.contains("--date-format"), "{error}");
    let berlin = Reading {
        dates: dates::Dates {
            format: Some("%d/%m/%Y %H:%M".into()),
            zone: Some(dates::parse_zone("Europe/Berlin").unwrap()),
        },
        ..Reading::default()
    };
    let input = check(&path, &berlin).unwrap();
    assert_eq!(
        input.warnings,
        ["line 3: dates without an offset (this one first) are read in Europe/Berlin (--timezone)"]
    );
    let read = rows(&input);
    let shipped = read[1].1.as_ref().unwrap().shipped_at.unwrap();
    assert_eq!(
        shipped,
        "2024-04-09T12:00:00Z"
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    );
}
