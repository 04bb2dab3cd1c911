# Pelican-style header ("key: value" lines up to the first blank line, no ---) to a YAML
# metadata block that pandoc understands. Also rewrites site-absolute image paths
# (src="/img/...") to relative ones so that pandoc's --resource-path finds them: pandoc reads
# absolute paths from the file system root and never looks them up in the resource path.
# This is the "what a user must give pandoc" step of bench/compare.sh.
function yamlval(v) {
    sub(/^[ \t]+/, "", v); sub(/[ \t\r]+$/, "", v)
    if (v ~ /^(True|False|true|false)$/) return tolower(v)
    gsub(/'/, "''", v)
    return "'" v "'"
}
NR == 1 { inhdr = ($0 ~ /^[A-Za-z_][A-Za-z0-9_-]*:/); if (inhdr) print "---" }
inhdr && /^[ \t\r]*$/ { print "---"; print ""; inhdr = 0; next }
inhdr && match($0, /^[A-Za-z_][A-Za-z0-9_-]*:/) {
    print tolower(substr($0, 1, RLENGTH - 1)) ": " yamlval(substr($0, RLENGTH + 1)); next
}
inhdr { print "---"; print ""; inhdr = 0 }
{ gsub(/src="\/img\//, "src=\"img/"); gsub(/\]\(\/img\//, "](img/"); print }
END { if (inhdr) print "---" }
