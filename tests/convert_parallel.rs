//! `convert` with several inputs renders them on every core (issue 13): the files it writes
//! must be byte for byte those of one thread, and those of converting each input alone.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn corpus_pages() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/fullstackpython/content/pages");
    let mut pages = Vec::new();
    for dir in fs::read_dir(&root).expect("the shared corpus is beside the crate") {
        for entry in fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "markdown") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    assert!(pages.len() > 20, "too few corpus pages: {}", pages.len());
    pages
}

fn convert(inputs: &[PathBuf], out: &Path, threads: Option<&str>) {
    let mut cmd = Command::cargo_bin("bindery").unwrap();
    cmd.arg("convert")
        .args(inputs)
        .args(["--to", "html", "-q", "-o"]);
    cmd.arg(format!("{}/", out.display()));
    if let Some(threads) = threads {
        cmd.env("RAYON_NUM_THREADS", threads);
    }
    cmd.assert().success();
}

#[test]
fn many_inputs_on_many_threads_give_the_bytes_of_one_thread_and_of_one_input() {
    let pages = corpus_pages();
    let dir = tempfile::tempdir().unwrap();
    let (one, many, alone) = (
        dir.path().join("1"),
        dir.path().join("n"),
        dir.path().join("a"),
    );
    convert(&pages, &one, Some("1"));
    convert(&pages, &many, Some("4"));
    for page in pages.iter().take(5) {
        convert(std::slice::from_ref(page), &alone, None);
    }
    assert_eq!(fs::read_dir(&alone).unwrap().count(), 5);
    let names: Vec<_> = fs::read_dir(&one)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), pages.len());
    let mut compared_alone = 0;
    for name in &names {
        let a = fs::read(one.join(name)).unwrap();
        let b = fs::read(many.join(name)).unwrap();
        assert!(a == b, "{name:?} differs between 1 and 4 threads");
        if let Ok(c) = fs::read(alone.join(name)) {
            assert!(a == c, "{name:?} differs from converting it alone");
            compared_alone += 1;
        }
    }
    assert_eq!(compared_alone, 5);
}
