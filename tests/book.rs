//! Book assembly on the real file system: confinement of images through real symlinks and
//! `..`, and the seed page as a one-chapter book.

use std::path::{Path, PathBuf};

use bindery::book::{Book, BookOptions};
use bindery::model::{Block, Inline, visit_inlines};
use bindery::read::{ReadOptions, read_document};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

fn read(path: &Path, warnings: &mut Vec<bindery::Diagnostic>) -> (PathBuf, bindery::Document) {
    let bytes = std::fs::read(path).unwrap();
    let doc = read_document(path, &bytes, &ReadOptions::default(), warnings).unwrap();
    (path.to_path_buf(), doc)
}

fn image_sources(book: &Book) -> Vec<String> {
    let mut out = Vec::new();
    for chapter in &book.chapters {
        visit_inlines(&chapter.document.blocks, &mut |inline| {
            if let Inline::Image(image) = inline {
                out.push(image.src.clone());
            }
        });
        for block in &chapter.document.blocks {
            if let Block::Figure(figure) = block {
                out.push(figure.image.src.clone());
            }
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn real_symlinks_and_dot_dot_cannot_leave_the_allowed_folders() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::create_dir_all(&secret).unwrap();
    std::fs::write(secret.join("key.png"), PNG).unwrap();
    let content = dir.path().join("content");
    let stat = dir.path().join("static/img");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::create_dir_all(&stat).unwrap();
    std::fs::write(stat.join("ok.png"), PNG).unwrap();
    std::os::unix::fs::symlink(secret.join("key.png"), stat.join("link.png")).unwrap();
    std::os::unix::fs::symlink(&secret, stat.join("dir")).unwrap();
    let page = content.join("page.md");
    std::fs::write(
        &page,
        "title: Page\n\n![ok](/img/ok.png) ![a](/img/link.png) ![b](/img/dir/key.png) \
         ![c](../secret/key.png) ![d](/../secret/key.png)\n",
    )
    .unwrap();

    let mut warnings = Vec::new();
    let docs = vec![read(&page, &mut warnings)];
    let options = BookOptions {
        resource_paths: vec![dir.path().join("static")],
        ..BookOptions::default()
    };
    let book = Book::assemble(docs, &options, &mut warnings).unwrap();
    assert_eq!(image_sources(&book), ["img/ok.png"]);
    assert_eq!(book.assets.len(), 1);
    let refused = warnings
        .iter()
        .filter(|w| w.message.contains("outside"))
        .count();
    assert_eq!(refused, 4, "{warnings:#?}");
}

#[test]
fn a_missing_resource_path_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.md");
    std::fs::write(&page, "title: Page\n\nText.\n").unwrap();
    let mut warnings = Vec::new();
    let docs = vec![read(&page, &mut warnings)];
    let options = BookOptions {
        resource_paths: vec![dir.path().join("nowhere")],
        ..BookOptions::default()
    };
    assert!(Book::assemble(docs, &options, &mut warnings).is_err());
}

#[test]
fn the_seed_is_a_one_chapter_book_with_its_logo() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let seed = shared.join("seeds/000_8e844e437c2c703a.txt");
    // Missing, the test fails: it must never pass without its input.
    assert!(seed.exists(), "{} not found", seed.display());
    let mut warnings = Vec::new();
    let docs = vec![read(&seed, &mut warnings)];
    let options = BookOptions {
        resource_paths: vec![shared.join("corpus/fullstackpython/static")],
        site_url: Some("https://www.fullstackpython.com".into()),
        ..BookOptions::default()
    };
    let book = Book::assemble(docs, &options, &mut warnings).unwrap();
    assert_eq!(book.chapters.len(), 1);
    assert_eq!(book.chapters[0].slug, "python-community");
    assert_eq!(image_sources(&book), ["img/logos/py.png"]);
    assert_eq!(book.assets["img/logos/py.png"].media_type, "image/png");
    // With the site's URL, links to other pages stay links: no warnings at all.
    assert!(warnings.is_empty(), "{warnings:#?}");
}
