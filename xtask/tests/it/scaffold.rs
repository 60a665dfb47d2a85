//! `cargo xtask new-provider`: the names, what it reads from a spec, and
//! the edits that register a provider.

use xtask::scaffold::{
    Names, client_manifest, facts, register_dependency, register_in_order_tracking, register_module,
};

use crate::spec::{GOOD, file};

#[test]
fn a_spec_name_gives_every_name_of_the_provider() {
    let names = Names::of("big-commerce").unwrap();
    assert_eq!(names.module, "big_commerce");
    assert_eq!(names.krate, "big-commerce-client");
    assert_eq!(names.krate_path, "big_commerce_client");
    assert_eq!(names.ty, "BigCommerce");
    assert_eq!(names.constant, "BIG_COMMERCE");
    for bad in ["", "Shop", "shop_2", "2shop", "../x"] {
        assert!(Names::of(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn the_credentials_are_the_first_security_alternative() {
    let spec = tracking_spec::parse(file(), GOOD).unwrap();
    let names = Names::of("shop").unwrap();
    let found = facts(&spec.json, &names);
    assert_eq!(found.unwritten, Vec::<String>::new());
    assert_eq!(found.credentials.len(), 1);
    assert_eq!(found.credentials[0].header, "x-key");
    assert_eq!(found.credentials[0].setting, "SHOP_KEY");
    // `https://{shop}.example.com/api`: a variable, so no default URL.
    assert_eq!(found.default_url, None);
    assert_eq!(found.server_path, "/api");

    let oauth = GOOD.replace(
        "      type: apiKey\n      in: header\n      name: X-Key",
        "      type: oauth2\n      flows: {clientCredentials: {tokenUrl: 'https://x.example.com/token', scopes: {}}}",
    );
    let spec = tracking_spec::parse(file(), &oauth).unwrap();
    let found = facts(&spec.json, &names);
    assert_eq!(found.unwritten, ["key (oauth2)"]);
}

#[test]
fn registering_adds_one_entry_to_each_list() {
    let names = Names::of("shop").unwrap();
    let root = xtask::workspace_root();
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();

    let registry = register_module(
        &read("crates/order-tracking/src/providers/mod.rs"),
        &names,
        "",
    )
    .unwrap();
    assert!(registry.contains("pub mod shop;\n"), "{registry}");
    let list = registry.split_once("static ALL").unwrap().1;
    assert!(list.contains("    &shop::Shop,\n];"), "{list}");
    assert_eq!(
        list.matches("::").count(),
        xtask::spec_files(&[]).unwrap().len() + 1
    );

    let manifest =
        register_in_order_tracking(&read("crates/order-tracking/Cargo.toml"), &names, "").unwrap();
    assert!(manifest.contains("\nshop-client.workspace = true\n"));
    for feature in ["rustls", "rustls-ring", "native-tls"] {
        assert!(
            manifest.contains(&format!("{feature} = [\"shop-client/{feature}\", ")),
            "{manifest}"
        );
    }

    let workspace = register_dependency(&read("Cargo.toml"), &names, "9.9.9").unwrap();
    assert!(workspace.contains(
        "\nshop-client = { path = \"crates/shop-client\", version = \"9.9.9\", default-features = false }\n"
    ));
}

/// A spec with a `pattern` generates code that names `regress` (Amazon's
/// packageReferenceId): the new crate depends on it, or does not compile.
#[test]
fn the_client_depends_on_what_its_generated_code_names() {
    let names = Names::of("shop").unwrap();
    let plain = "pub struct A { pub b: ::chrono::DateTime<::chrono::Utc> }";
    let patterned = "static P: ::std::sync::LazyLock<::regress::Regex> = ::std::sync::LazyLock::new(|| ::regress::Regex::new(\"^[0-9]+$\").unwrap());";
    let manifest = client_manifest(&names, "Shop", plain);
    assert!(
        manifest.contains("\nchrono.workspace = true\n"),
        "{manifest}"
    );
    assert!(!manifest.contains("regress"), "{manifest}");
    let manifest = client_manifest(&names, "Shop", patterned);
    assert!(
        manifest.contains("\nregress.workspace = true\n"),
        "{manifest}"
    );
}
