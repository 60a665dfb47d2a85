//! Arbitrary rows given to `trackctl validate`: never a panic; every row is
//! judged valid or reported with its line, or, when a value holds a line
//! break (which no column takes, and which an unterminated quote looks
//! like), the file is refused naming the line. Bounded for CI (PROPTEST_CASES).

use std::process::Command;

use proptest::prelude::*;

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("crux".to_string()),
        Just("vtex-oms".to_string()),
        Just("sellercloud".to_string()),
        Just("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3".to_string()),
        Just("2024-04-09T12:26:18Z".to_string()),
        Just("po-multiple".to_string()),
        "[0-9]{1,4}(\\.[0-9]{1,4})?",
        "[a-z0-9:;.\\-]{0,12}",
        ".{0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_rows_are_judged_line_by_line(rows in prop::collection::vec(prop::collection::vec(cell(), 14), 1..6)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.csv");
        let mut writer = csv::Writer::from_path(&path).unwrap();
        writer.write_record(["provider", "order_ref", "tracking_number", "carrier", "service", "shipped_at", "cost", "weight", "tracking_url", "invoice_number", "invoice_value", "target", "line_items", "delivered_at"]).unwrap();
        for row in &rows {
            writer.write_record(row).unwrap();
        }
        writer.flush().unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_trackctl")).arg("validate").arg(&path).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        prop_assert!(!stderr.contains("panicked"), "{stderr}");
        if rows.iter().flatten().any(|cell| cell.trim().contains(['\n', '\r'])) {
            prop_assert_eq!(output.status.code(), Some(2), "{}{}", stdout, stderr);
            prop_assert!(stderr.contains("a quoted value runs over more than one line"), "{stderr}");
            return Ok(());
        }
        prop_assert!(matches!(output.status.code(), Some(0 | 1)), "{stdout}{stderr}");
        let summary = stdout.lines().last().unwrap_or_default().to_string();
        let reported = stdout.lines().filter(|l| l.starts_with("line ")).count();
        prop_assert_eq!(summary, format!("{} valid, {reported} invalid", rows.len() - reported));
    }
}
