//! Finding the images a book uses, loading them, and refusing files outside the allowed folders.
//!
//! An image `src` is looked up in the document's folder and in every resource path
//! (`--resource-path DIR`); a site-absolute `/img/x.png` is looked up as `DIR/img/x.png`. The
//! file found is canonicalized (`..` and symlinks resolved) and must lie inside one of those
//! roots, so a document cannot pull `../../etc/passwd` into a book.
//!
//! All file access goes through [`Files`], so tests can use [`MemoryFiles`].

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Component, Path, PathBuf};

pub use crate::image_facts::{
    JpegFrame, MAX_IMAGE_PIXELS, declared_size, jpeg_frame, sniff_media_type,
};
pub use crate::url::{has_scheme, is_remote, percent_decode};

/// A file embedded in or copied with the outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Where it was found.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its media type (`image/png`).
    pub media_type: &'static str,
}

/// The file operations the book module needs. [`RealFiles`] uses the file system.
pub trait Files {
    /// Reads a whole file.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// The absolute path with `.`, `..` and symlinks resolved; fails when it does not exist.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
}

/// The real file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealFiles;

/// The largest file read as a resource (an image, a cover): 256 MiB. Checked before reading,
/// so a 3 GiB sparse `.png` or a device is refused instead of filling the memory.
pub const MAX_RESOURCE_BYTES: u64 = 256 * 1024 * 1024;

impl Files for RealFiles {
    /// Reads a regular file of at most [`MAX_RESOURCE_BYTES`]; a pipe, a socket or a device
    /// is refused before it is opened (opening a pipe blocks until someone writes to it).
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        use std::io::Read;
        let regular_size = |metadata: std::fs::Metadata| {
            // (A folder is left to fail on reading, with the system's own words.)
            if !metadata.is_file() && !metadata.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "not a regular file (a pipe, socket or device)",
                ));
            }
            if metadata.len() > MAX_RESOURCE_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "{} MiB, more than the limit of {} MiB for a resource",
                        metadata.len() >> 20,
                        MAX_RESOURCE_BYTES >> 20
                    ),
                ));
            }
            Ok(metadata.len())
        };
        regular_size(std::fs::metadata(path)?)?;
        let file = std::fs::File::open(path)?;
        // Checked again on the open file: the path may have been replaced in between.
        let size = regular_size(file.metadata()?)?;
        let mut bytes = Vec::with_capacity(size as usize);
        file.take(MAX_RESOURCE_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_RESOURCE_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the file grew past the size limit while it was read",
            ));
        }
        Ok(bytes)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
}

/// An in-memory file system for tests: files by absolute path, and symlinks.
#[derive(Debug, Clone, Default)]
pub struct MemoryFiles {
    files: BTreeMap<PathBuf, Vec<u8>>,
    links: BTreeMap<PathBuf, PathBuf>,
}

impl MemoryFiles {
    /// An empty file system.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file at an absolute path.
    pub fn file(mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.insert(path.into(), bytes.into());
        self
    }

    /// Adds a symlink at `path` pointing at `target` (absolute, or relative to the link's
    /// folder).
    pub fn symlink(mut self, path: impl Into<PathBuf>, target: impl Into<PathBuf>) -> Self {
        self.links.insert(path.into(), target.into());
        self
    }

    fn is_dir(&self, path: &Path) -> bool {
        path == Path::new("/") || self.files.keys().any(|f| f.starts_with(path) && f != path)
    }

    fn resolve(&self, path: &Path, depth: usize) -> io::Result<PathBuf> {
        if depth > 40 {
            return Err(other_loop());
        }
        let mut out = PathBuf::from("/");
        let mut components: Vec<Component> = path.components().collect();
        components.reverse();
        while let Some(component) = components.pop() {
            match component {
                Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                Component::Normal(name) => {
                    out.push(name);
                    if let Some(target) = self.links.get(&out) {
                        let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
                        let joined = parent.join(target);
                        out = self.resolve(&joined, depth + 1)?;
                    }
                }
            }
        }
        Ok(out)
    }
}

/// The error for a symlink cycle.
fn other_loop() -> io::Error {
    io::Error::other("too many levels of symbolic links")
}

impl Files for MemoryFiles {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let real = self.canonicalize(path)?;
        self.files
            .get(&real)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let real = self.resolve(path, 0)?;
        if self.files.contains_key(&real) || self.is_dir(&real) {
            Ok(real)
        } else {
            Err(io::Error::new(io::ErrorKind::NotFound, "no such file"))
        }
    }
}

/// Why an image could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageProblem {
    /// No file at any of the places tried.
    NotFound(Vec<PathBuf>),
    /// The file exists but lies outside the document's folder and the resource paths.
    Outside(PathBuf),
    /// The file is not an image bindery can embed.
    UnknownType(PathBuf),
    /// The file could not be read.
    Unreadable(PathBuf, String),
    /// The `src` is not a file reference bindery understands (e.g. a `data:` URL).
    Unsupported,
    /// The image declares more than [`MAX_IMAGE_PIXELS`] pixels: width, height.
    TooLarge(PathBuf, u32, u32),
}

impl ImageProblem {
    /// A sentence for a warning.
    pub fn describe(&self, src: &str) -> String {
        match self {
            ImageProblem::NotFound(tried) => {
                let tried: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
                format!("image `{src}` not found (looked at {})", tried.join(", "))
            }
            ImageProblem::Outside(path) => format!(
                "image `{src}` resolves to {}, outside the document's folder and the resource \
                 paths; refused",
                path.display()
            ),
            ImageProblem::UnknownType(path) => format!(
                "image `{src}` ({}) is not a PNG, JPEG, GIF, WebP or SVG file",
                path.display()
            ),
            ImageProblem::Unreadable(path, why) => {
                format!("image `{src}` ({}) cannot be read: {why}", path.display())
            }
            ImageProblem::Unsupported => format!("image `{src}` is not a file reference"),
            ImageProblem::TooLarge(path, width, height) => format!(
                "image `{src}` ({}) is {width} x {height} pixels, more than the limit of {} \
                 million; refused",
                path.display(),
                MAX_IMAGE_PIXELS / 1_000_000
            ),
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            ImageProblem::TooLarge(..) => {
                "the image is replaced by its alt text; scale it down (a book needs no more \
                 than a few thousand pixels across)"
            }
            _ => "the image is replaced by its alt text; check the path or add a --resource-path",
        }
    }
}

/// Finds, loads and deduplicates the images of a book.
pub struct Resolver<'a> {
    files: &'a dyn Files,
    /// Canonical resource paths, in the order given.
    resource_roots: Vec<PathBuf>,
    /// Loaded assets by key.
    pub assets: BTreeMap<String, Asset>,
    by_canonical: HashMap<PathBuf, String>,
}

impl<'a> Resolver<'a> {
    /// A resolver over already canonicalized resource paths.
    pub fn new(files: &'a dyn Files, resource_roots: Vec<PathBuf>) -> Self {
        Resolver {
            files,
            resource_roots,
            assets: BTreeMap::new(),
            by_canonical: HashMap::new(),
        }
    }

    /// Resolves `src` as written in a document whose folder is `doc_dir` (already canonical),
    /// loads it, and returns its asset key.
    pub fn resolve(&mut self, doc_dir: &Path, src: &str) -> Result<String, ImageProblem> {
        let path_part = src.split(['?', '#']).next().unwrap_or("");
        if path_part.is_empty() || has_scheme(path_part) {
            return Err(ImageProblem::Unsupported);
        }
        let decoded = percent_decode(path_part);
        let mut candidates: Vec<PathBuf> = Vec::new();
        if let Some(rel) = decoded.strip_prefix('/') {
            // Site-absolute: each resource path stands for the site root. The document's own
            // folder comes last, for books made without resource paths.
            for root in &self.resource_roots {
                candidates.push(root.join(rel));
            }
            candidates.push(doc_dir.join(rel));
        } else {
            candidates.push(doc_dir.join(&decoded));
            for root in &self.resource_roots {
                candidates.push(root.join(&decoded));
            }
        }
        let mut outside = None;
        for candidate in &candidates {
            let Ok(real) = self.files.canonicalize(candidate) else {
                continue;
            };
            let Some(root) = self.root_of(doc_dir, &real) else {
                outside.get_or_insert(real);
                continue;
            };
            return self.load(&real, &root);
        }
        Err(match outside {
            Some(real) => ImageProblem::Outside(real),
            None => ImageProblem::NotFound(candidates),
        })
    }

    /// Loads a file the user named explicitly (a `--cover FILE`), which needs no confinement.
    pub fn load_trusted(&mut self, path: &Path) -> Result<String, ImageProblem> {
        let real = self
            .files
            .canonicalize(path)
            .map_err(|_| ImageProblem::NotFound(vec![path.to_path_buf()]))?;
        let root = real.parent().unwrap_or(Path::new("/")).to_path_buf();
        self.load(&real, &root)
    }

    /// The allowed root that contains `real`, if any.
    fn root_of(&self, doc_dir: &Path, real: &Path) -> Option<PathBuf> {
        std::iter::once(doc_dir)
            .chain(self.resource_roots.iter().map(PathBuf::as_path))
            .find(|root| real.starts_with(root))
            .map(Path::to_path_buf)
    }

    fn load(&mut self, real: &Path, root: &Path) -> Result<String, ImageProblem> {
        if let Some(key) = self.by_canonical.get(real) {
            return Ok(key.clone());
        }
        let bytes = self
            .files
            .read(real)
            .map_err(|e| ImageProblem::Unreadable(real.to_path_buf(), e.to_string()))?;
        let media_type = sniff_media_type(&bytes)
            .ok_or_else(|| ImageProblem::UnknownType(real.to_path_buf()))?;
        if let Some((width, height)) = declared_size(&bytes)
            && u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS
        {
            return Err(ImageProblem::TooLarge(real.to_path_buf(), width, height));
        }
        let key = self.unique_key(asset_key(real.strip_prefix(root).unwrap_or(real)));
        self.by_canonical.insert(real.to_path_buf(), key.clone());
        self.assets.insert(
            key.clone(),
            Asset {
                path: real.to_path_buf(),
                bytes,
                media_type,
            },
        );
        Ok(key)
    }

    fn unique_key(&self, key: String) -> String {
        if !self.assets.contains_key(&key) {
            return key;
        }
        let (stem, ext) = match key.rfind('.') {
            Some(dot) if !key[dot..].contains('/') => (&key[..dot], &key[dot..]),
            _ => (key.as_str(), ""),
        };
        (2..)
            .map(|n| format!("{stem}-{n}{ext}"))
            .find(|k| !self.assets.contains_key(k))
            .expect("an unused key exists")
    }
}

/// A relative, `/`-separated key made of characters safe in any output's file names.
fn asset_key(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(
                name.to_string_lossy()
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect::<String>()
                    .trim_start_matches('.')
                    .to_string(),
            ),
            _ => None,
        })
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        "image".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n rest";

    fn fs() -> MemoryFiles {
        MemoryFiles::new()
            .file("/site/content/a.md", "x")
            .file("/site/content/local.png", PNG)
            .file("/site/static/img/logo.png", PNG)
            .file(
                "/site/static/img/photo.jpg",
                b"\xff\xd8\xff\xe0jpeg".to_vec(),
            )
            .file("/site/static/img/notes.txt", "text")
            .file("/etc/passwd", "root:x:0:0")
            .symlink("/site/static/img/escape.png", "/etc/passwd")
            .symlink("/site/static/img/alias.png", "logo.png")
    }

    fn resolver(files: &MemoryFiles) -> Resolver<'_> {
        Resolver::new(files, vec![PathBuf::from("/site/static")])
    }

    #[test]
    fn site_absolute_images_are_found_under_resource_paths() {
        let files = fs();
        let mut r = resolver(&files);
        let key = r
            .resolve(Path::new("/site/content"), "/img/logo.png")
            .unwrap();
        assert_eq!(key, "img/logo.png");
        assert_eq!(r.assets[&key].media_type, "image/png");
        let key = r.resolve(Path::new("/site/content"), "local.png").unwrap();
        assert_eq!(key, "local.png");
        let key = r
            .resolve(Path::new("/site/content"), "img/photo.jpg")
            .unwrap();
        assert_eq!(r.assets[&key].media_type, "image/jpeg");
    }

    #[test]
    fn the_same_file_is_loaded_once() {
        let files = fs();
        let mut r = resolver(&files);
        let a = r
            .resolve(Path::new("/site/content"), "/img/logo.png")
            .unwrap();
        let b = r
            .resolve(Path::new("/site/content"), "/img/alias.png")
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(r.assets.len(), 1);
    }

    #[test]
    fn paths_outside_the_roots_are_refused() {
        let files = fs();
        let mut r = resolver(&files);
        let err = r
            .resolve(Path::new("/site/content"), "../../etc/passwd")
            .unwrap_err();
        assert_eq!(err, ImageProblem::Outside(PathBuf::from("/etc/passwd")));
        let err = r
            .resolve(Path::new("/site/content"), "/img/escape.png")
            .unwrap_err();
        assert_eq!(err, ImageProblem::Outside(PathBuf::from("/etc/passwd")));
        let err = r
            .resolve(Path::new("/site/content"), "/../../etc/passwd")
            .unwrap_err();
        assert!(matches!(err, ImageProblem::Outside(_)), "{err:?}");
        assert!(r.assets.is_empty());
    }

    #[test]
    fn missing_and_unknown_files_are_reported() {
        let files = fs();
        let mut r = resolver(&files);
        assert!(matches!(
            r.resolve(Path::new("/site/content"), "/img/none.png"),
            Err(ImageProblem::NotFound(tried)) if tried.len() == 2
        ));
        assert!(matches!(
            r.resolve(Path::new("/site/content"), "/img/notes.txt"),
            Err(ImageProblem::UnknownType(_))
        ));
        assert_eq!(
            r.resolve(Path::new("/site/content"), "data:image/png;base64,xx"),
            Err(ImageProblem::Unsupported)
        );
    }

    #[test]
    fn media_types_come_from_magic_bytes() {
        assert_eq!(sniff_media_type(b"GIF89a..."), Some("image/gif"));
        assert_eq!(
            sniff_media_type(b"RIFF\0\0\0\0WEBPVP8 "),
            Some("image/webp")
        );
        assert_eq!(
            sniff_media_type(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"...\"/>"),
            Some("image/svg+xml")
        );
        assert_eq!(sniff_media_type(b"hello"), None);
    }

    #[test]
    fn keys_are_safe_and_percent_escapes_decoded() {
        assert_eq!(
            asset_key(Path::new("img/my photo (1).png")),
            "img/my_photo__1_.png"
        );
        assert_eq!(percent_decode("my%20photo.png"), "my photo.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert!(has_scheme("https://x") && has_scheme("mailto:a@b") && !has_scheme("C:\\x"));
    }
}
