#!/bin/sh
# Builds the conformance corpus under src/test/resources/corpus with DCMTK (Debian package dcmtk)
# and stores DCMTK's own views of each file next to it, so the tests run without DCMTK:
#   NAME.dcm        the object
#   NAME.json       dcm2json's output (for encapsulated files: after removing (7FE0,0010))
#   NAME.dump       dcmdump's output
#   NAME.raw        for compressed files: the pixel data DCMTK decodes (dcmdjpeg/dcmdrle/dcmdjpls)
# Run from dicomweb/: tools/corpus/make_corpus.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(pwd)/src/test/resources/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/make_inputs.py" "$work" > /dev/null
rm -rf "$out"
mkdir -p "$out"
cd "$work"
for d in *.dump; do dump2dcm -q "$d" "${d%.dump}.dcm"; done

cp vrs.dcm "$out/vrs_explicit_le.dcm"
dcmconv -q -e vrs.dcm "$out/vrs_undefined_lengths.dcm"
dcmconv -q +ti vrs.dcm "$out/vrs_implicit_le.dcm"
dcmconv -q +tb vrs.dcm "$out/vrs_explicit_be.dcm"
dcmconv -q +td vrs.dcm "$out/vrs_deflated.dcm"
dcmconv -q -F +ti vrs.dcm "$out/vrs_bare_implicit.dcm"
dcmconv -q +g vrs.dcm "$out/vrs_group_lengths.dcm"
for f in charset_*.dcm; do cp "$f" "$out/$f"; done
for f in ct16 mono1_12 mf8 rgb rgb_planar ybr422 palette; do cp "$f.dcm" "$out/$f.dcm"; done
dcmconv -q +tb ct16.dcm "$out/ct16_explicit_be.dcm"
dcmconv -q +ti mf8.dcm "$out/mf8_implicit_le.dcm"
dcmcrle -q ct16.dcm "$out/ct16_rle.dcm"
dcmcrle -q mf8.dcm "$out/mf8_rle.dcm"
dcmcrle -q rgb.dcm "$out/rgb_rle.dcm"
dcmcjpeg -q +e1 ct16.dcm "$out/ct16_jpeg_lossless_sv1.dcm"
dcmcjpeg -q +eb mf8.dcm "$out/mf8_jpeg_baseline.dcm"
dcmcjpeg -q +eb -ot mf8.dcm "$out/mf8_jpeg_baseline_no_bot.dcm"
dcmcjpeg -q +eb rgb.dcm "$out/rgb_jpeg_baseline.dcm"
dcmcjpeg -q +ee mono1_12.dcm "$out/mono1_12_jpeg_extended.dcm"
dcmcjpls -q ct16.dcm "$out/ct16_jpegls.dcm"
dcmcrle -q +fs 1 ct16.dcm "$out/ct16_rle_fragmented.dcm" 2>/dev/null || rm -f "$out/ct16_rle_fragmented.dcm"
dcmcjpeg -q +eb +fs 1 mf8.dcm "$out/mf8_jpeg_fragmented.dcm"

cd "$out"
for f in *.dcm; do
  n=${f%.dcm}
  dcmdump -q "$f" > "$n.dump"
  ts=$(dcmdump -q -M +P TransferSyntaxUID "$f" 2>/dev/null | sed 's/.*=//;s/ .*//;s/.*\[//;s/\].*//')
  case "$f" in
    *_rle*|*_jpeg*)
      cp "$f" "$work/strip.dcm"
      dcmodify -q -nb -ea "(7fe0,0010)" "$work/strip.dcm"
      dcm2json -q "$work/strip.dcm" > "$n.json"
      case "$f" in
        *_rle*) dcmdrle -q "$f" "$work/plain.dcm" ;;
        *_jpegls*) dcmdjpls -q "$f" "$work/plain.dcm" ;;
        *) dcmdjpeg -q "$f" "$work/plain.dcm" ;;
      esac
      dcmdump -q +W "$work" "$work/plain.dcm" > /dev/null
      mv "$work"/plain.dcm.0.raw "$n.raw" 2>/dev/null || mv "$(ls -t "$work"/*.raw | head -1)" "$n.raw"
      ;;
    *) dcm2json -q "$f" > "$n.json" 2> "$work/err" || { echo "dcm2json refuses $f: $(cat "$work/err")"; rm -f "$n.json"; } ;;
  esac
done
ls -la "$out" | awk '{s+=$5} END {print s " bytes in corpus"}'
