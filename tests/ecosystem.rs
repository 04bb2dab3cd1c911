//! What users of other command-line tools expect: shell completions, a manual page, coloured
//! diagnostics on request and plain ones when piped.

use std::process::Command;

fn bindery(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bindery"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("bindery runs")
}

#[test]
fn completions_for_every_shell_and_a_manual_page() {
    for (shell, marker) in [
        ("bash", "complete -F _bindery"),
        ("zsh", "#compdef bindery"),
        ("fish", "complete -c bindery"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let output = bindery(&["completions", shell]);
        assert!(output.status.success());
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: {script}");
        // The subcommands and their options are completed.
        assert!(
            script.contains("convert") && script.contains("resource-path"),
            "{shell}"
        );
    }
    let output = bindery(&["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2));

    let man = String::from_utf8(bindery(&["man"]).stdout).unwrap();
    assert!(man.contains(".TH bindery 1"), "{man}");
    assert!(man.contains("convert") && man.contains("build"), "{man}");
}

#[test]
fn diagnostics_are_coloured_only_when_asked_or_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("p.md");
    std::fs::write(&page, "title: P\n\n![a picture](missing.png)\n").unwrap();
    let out = dir.path().join("p.epub");
    let run = |color: &str| {
        let output = bindery(&[
            "convert",
            page.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--color",
            color,
        ]);
        assert!(output.status.success());
        String::from_utf8(output.stderr).unwrap()
    };
    let coloured = run("always");
    assert!(
        coloured.contains("\u{1b}[1m\u{1b}[33mwarning:\u{1b}[0m image `missing.png`"),
        "{coloured:?}"
    );
    assert!(coloured.contains("\u{1b}[2m    = hint:"), "{coloured:?}");
    // Piped (as here) with `auto`, and with `never`: plain text.
    for color in ["auto", "never"] {
        let plain = run(color);
        assert!(!plain.contains('\u{1b}'), "{color}: {plain:?}");
        assert!(
            plain.contains(": warning: image `missing.png` not found"),
            "{plain}"
        );
    }
}
