# flip_byte.sh, sourced by the shell tests: flip_byte FILE OFFSET changes one
# bit of the byte at OFFSET, always. Writing a fixed byte instead leaves the
# file as it was whenever that byte was already there (1 in 256 for random
# ciphertext), and the test that meant to corrupt it then passes or fails
# by chance.
flip_byte() {
  local old
  old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "\\x$(printf %02x $((old ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
