#!/usr/bin/env bash
# The corpus table of docs/migration.md: every file of FOLDER (keepalived's doc/samples) through
# `keepalived -t` and the importer's parser and mapper (the import without the database):
#
#     bash bench/keepalived-samples.sh /path/to/keepalived/doc/samples
#
# Prints a Markdown table; exits non-zero if any file makes the importer fail other than with its
# own refusal (errors with file and line). Uses the compiled test classes (./mvnw -o -q test-compile).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[[ $# -eq 1 && -d $1 ]] || { echo "usage: $0 FOLDER" >&2; exit 2; }
cd "$ROOT"
./mvnw -o -q test-compile >&2
CP=$(./mvnw -o -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
java -cp "target/test-classes:target/classes:$CP" io.lvscp.importer.KeepalivedSamplesCorpus "$1"
