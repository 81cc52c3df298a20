//! Link-time tuning for the `qwen` binary only.

fn main() {
    // `qwen --version` must start in about a millisecond. The dynamic loader otherwise spends
    // most of that applying ~32,000 RELA relocations (24 bytes each) to .data.rel.ro; packed
    // relative relocations (RELR, glibc ≥ 2.36, binutils ≥ 2.38) encode the same fixups in a
    // few kilobytes and apply them far faster, and the binary stays position-independent.
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.contains("linux-gnu") && linker_supports_relr() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    println!("cargo:rerun-if-changed=build.rs");
}

/// Older toolchains reject the flag; check once with a throwaway link instead of failing.
fn linker_supports_relr() -> bool {
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let src = std::path::Path::new(&out).join("relr_probe.c");
    if std::fs::write(&src, "int main(void){return 0;}\n").is_err() {
        return false;
    }
    std::process::Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .arg(&src)
        .arg("-Wl,-z,pack-relative-relocs")
        .arg("-o")
        .arg(std::path::Path::new(&out).join("relr_probe"))
        .output()
        .is_ok_and(|o| o.status.success())
}
