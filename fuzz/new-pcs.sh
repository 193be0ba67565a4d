#!/bin/sh
# Name the code a fuzz run reached for the first time after loading its corpus.
#
#   fuzz/new-pcs.sh LOG [TARGET]
#
# LOG is a log `plateau.sh` kept (it runs the target with `-print_pcs=1` and the address
# space not shuffled); TARGET defaults to the log's name up to its first `-`. Each edge
# libFuzzer found after `INITED` is given as the function and source line it lies in, with how
# many of the new edges each holds, most first: a long run still growing in hashing or
# allocation code is not finding new behaviour (fuzz/README.md, "Until coverage stops
# growing").
set -eu
here=$(cd "$(dirname "$0")" && pwd)
log=${1:?usage: new-pcs.sh LOG [TARGET]}
target=${2:-$(basename "$log" | cut -d- -f1)}
bin="$here/target/x86_64-unknown-linux-gnu/release/$target"
[ -x "$bin" ] || { echo "new-pcs.sh: $bin is not built" >&2; exit 2; }
command -v llvm-symbolizer >/dev/null 2>&1 || { echo "new-pcs.sh: needs llvm-symbolizer" >&2; exit 2; }
# Without shuffling, a position-independent binary is loaded at this address on x86-64 Linux.
base=0x555555554000
awk '/INITED/ { on = 1 } on && /NEW_PC/ { print $2 }' "$log" |
    while read -r pc; do printf '0x%x\n' $((pc - base)); done |
    llvm-symbolizer --obj="$bin" --functions=short --demangle --no-inlines --output-style=GNU 2>/dev/null |
    paste - - |
    sed -e 's|/root/.cargo/registry/src/[^/]*/||' -e 's|/rustc/[0-9a-f]*/||' -e "s|$(cd "$here/.." && pwd)/||" |
    sort | uniq -c | sort -rn
