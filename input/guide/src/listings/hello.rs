use std::io::Write;

// ANCHOR: main
fn main() {
    let greeting = "Hello, bindery!";
    let mut out = std::io::stdout();
    writeln!(out, "{greeting}").unwrap();
}
// ANCHOR_END: main
