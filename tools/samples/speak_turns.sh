#!/usr/bin/env bash
# Speaks a text answer as a recording with turns: each paragraph is
# synthesised with flite (kal16, 16 kHz) and paragraphs are separated by
# GAP seconds of silence, long enough for the engine to detect an end of
# turn, so an interview over it gets follow-up questions.
# usage: speak_turns.sh INPUT.txt OUTPUT.wav [GAP_SECONDS]
set -euo pipefail
in=$1 out=$2 gap=${3:-3.2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
parts=()
# Paragraphs are separated by blank lines.
awk -v RS= -v dir="$tmp" '{ gsub(/\n/, " "); f = sprintf("%s/p%03d.txt", dir, NR); print > f; close(f) }' "$in"
for p in "$tmp"/p*.txt; do
  n=$((n + 1))
  flite -voice kal16 -f "$p" -o "$tmp/s$n.wav"
  parts+=("$tmp/s$n.wav")
  sox -n -r 16000 -c 1 -b 16 "$tmp/g$n.wav" trim 0 "$gap"
  parts+=("$tmp/g$n.wav")
done
mkdir -p "$(dirname "$out")"
sox "${parts[@]}" -r 16000 -c 1 -b 16 "$out"
echo "spoke $n turns into $out"
