#!/usr/bin/env python3
"""Writes the dump2dcm inputs (dumps in their own character sets, raw pixel files) for the corpus.

Called by make_corpus.sh with the work folder as argument. Everything is synthetic: no patient data.
"""
import math
import os
import struct
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

UIDROOT = "1.2.826.0.1.3680043.10.1297"  # example root for test objects

def common(sop_class, n, modality="OT"):
    return f"""(0008,0016) UI [{sop_class}]
(0008,0018) UI [{UIDROOT}.1.{n}]
(0008,0020) DA [20240102]
(0008,0030) TM [101112.123]
(0008,0050) SH [ACC{n}]
(0008,0060) CS [{modality}]
(0010,0020) LO [PID{n}]
(0020,000d) UI [{UIDROOT}.2.{n}]
(0020,000e) UI [{UIDROOT}.3.{n}]
(0020,0013) IS [{n}]
"""

# --- every VR, nested sequences, private tags ---
vrs = common("1.2.840.10008.5.1.4.1.1.7", 1) + r"""(0008,0005) CS [ISO_IR 100]
(0008,0008) CS [ORIGINAL\PRIMARY\AXIAL]
(0008,0012) DA [20240101]
(0008,0013) TM [235959]
(0008,002a) DT [20240102101112.5+0100]
(0008,0054) AE [ARCA_AE\OTHER]
(0008,0090) PN [Doe^John^^Dr.=^^=]
(0008,1030) LO [Study of all VRs]
(0008,103e) LO []
(0008,1010) SH [STATION]
(0010,0010) PN [Müller^Jörg]
(0010,0030) DA [19700101]
(0010,0040) CS [O]
(0010,1010) AS [054Y]
(0010,1020) DS [1.75]
(0010,1030) DS [72.5\-1.5e2\0]
(0010,21b0) LT [line one]
(0010,4000) LT [Patient comment with \ backslash]
(0018,0050) DS [2.500000]
(0018,1020) LO [v1.0\v2.0\\v4]
(0018,9219) SS -5\7
(0018,9345) FD 3.14159\-2.5e-10
(0018,1310) US 0\256\256\0
(0018,9310) FD 1.5
(0020,0037) DS [1\0\0\0\1\0]
(0020,4000) LT [Image comments]
(0028,0009) AT (0018,1063)\(0018,1065)
(0032,1066) UT [unlimited text value]
(0040,a30a) DS [12.5]
(0040,9211) US 4095
(0040,9216) US 0
(0040,a124) UI [1.2.3.4]
(0040,a160) UT [free text]
(0040,a040) CS [TEXT]
(0040,e001) ST [short text]
(0072,0064) IS [1\2\-3]
(0072,0066) LO [label]
(0072,0068) LT [long text]
(0072,006a) PN [Smith^Jane]
(0072,006c) SH [short]
(0072,006e) ST [st value]
(0072,0070) UT [ut value]
(0072,0074) FD 2.5\3.5
(0072,0076) FL 1.25\-0.5
(0072,0078) UL 4294967295\1
(0072,007a) US 65535\0
(0072,007c) SL -2147483648\2147483647
(0072,007e) SS -32768\32767
(0072,0080) SQ (Sequence with undefined length #=2)
(fffe,e000) na (Item with undefined length #=2)
  (0008,0100) SH [CODE1]
  (0008,0104) LO [Meaning one]
(fffe,e00d) na (ItemDelimitationItem)
(fffe,e000) na (Item with undefined length #=1)
  (0040,a730) SQ (Sequence with undefined length #=1)
  (fffe,e000) na (Item with undefined length #=2)
    (0040,a010) CS [CONTAINS]
    (0040,a730) SQ (Sequence with undefined length #=1)
    (fffe,e000) na (Item with undefined length #=1)
      (0040,a160) UT [third level]
    (fffe,e00d) na (ItemDelimitationItem)
    (fffe,e0dd) na (SequenceDelimitationItem)
  (fffe,e00d) na (ItemDelimitationItem)
  (fffe,e0dd) na (SequenceDelimitationItem)
(fffe,e00d) na (ItemDelimitationItem)
(fffe,e0dd) na (SequenceDelimitationItem)
(0072,0082) SV -9223372036854775808\1
(0072,0083) UV 18446744073709551615\0
(0088,0140) UI [1.2.840.10008.1.2.1]
(0008,0119) UC [unlimited characters\second]
(0008,0120) UR [http://example.org/arca?x=1]
(0008,1140) SQ (Sequence with undefined length #=0)
(fffe,e0dd) na (SequenceDelimitationItem)
(0008,1115) SQ (Sequence with undefined length #=1)
(fffe,e000) na (Item with undefined length #=0)
(fffe,e00d) na (ItemDelimitationItem)
(fffe,e0dd) na (SequenceDelimitationItem)
(0009,0010) LO [ARCA TEST]
(0009,1001) LO [private value]
(0009,1002) UN 01\02\03\04
(0009,1003) OB 00\ff\10\20
(0011,0010) LO [OTHER CREATOR]
(0011,1010) SH [second block]
(0028,3010) SQ (Sequence with undefined length #=1)
(fffe,e000) na (Item with undefined length #=3)
  (0028,3002) US 4\0\16
  (0028,3003) LO [lut]
  (0028,3006) US 0\100\200\300
(fffe,e00d) na (ItemDelimitationItem)
(fffe,e0dd) na (SequenceDelimitationItem)
(0066,0016) OF 1.0\2.0\3.0
(0066,0040) OL 1\2\3
(0066,0023) OW 0001\0002\ffff
(0066,0025) OW 1234
(0066,0022) OD 2.5\-1.0
(0060,3000) SQ (Sequence with undefined length #=0)
(fffe,e0dd) na (SequenceDelimitationItem)
(0070,0022) FL 1.5\2.5
(0070,0023) CS [POLYLINE]
(7fe0,0001) OV 0\1\2
(7fe0,0002) OV 10\11\12
"""
write("vrs.dump", vrs.encode("latin-1"))

# --- character sets: (name, Specific Character Set, patient name, text) ---
charsets = [
    ("latin1", "ISO_IR 100", "Buc^Jérôme", "Über ça"),
    ("latin2", "ISO_IR 101", "Wałęsa^Lech", "Dvořák"),
    ("latin3", "ISO_IR 109", "Ħaġar^Ċensu", "Ġgantija"),
    ("latin4", "ISO_IR 110", "Ģirts^Ķēniņš", "Ŗīga"),
    ("latin5", "ISO_IR 148", "Işık^Ğül", "Şehir"),
    ("cyrillic", "ISO_IR 144", "Люкceмбypг", "Москва"),
    ("greek", "ISO_IR 126", "Διονυσιος", "Αθήνα"),
    ("hebrew", "ISO_IR 138", "שרון^דבורה", "ירושלים"),
    ("arabic", "ISO_IR 127", "قباني^لنزار", "القاهرة"),
    ("thai", "ISO_IR 166", "ประเทศไทย^ภาษาไทย", "กรุงเทพ"),
    ("utf8", "ISO_IR 192", "Wang^XiaoDong=王^小東=", "日本語 ✓"),
    ("gb18030", "GB18030", "Wang^XiaoDong=王^小东=", "中文文本"),
    ("gbk", "GBK", "Wang^XiaoDong=王^小东=", "中文"),
    ("katakana", "ISO_IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ", "ｶﾀｶﾅ"),
]
codecs = {"ISO_IR 100": "latin-1", "ISO_IR 101": "iso8859-2", "ISO_IR 109": "iso8859-3",
          "ISO_IR 110": "iso8859-4", "ISO_IR 148": "iso8859-9", "ISO_IR 144": "iso8859-5",
          "ISO_IR 126": "iso8859-7", "ISO_IR 138": "iso8859-8", "ISO_IR 127": "iso8859-6",
          "ISO_IR 166": "tis-620", "ISO_IR 192": "utf-8", "GB18030": "gb18030", "GBK": "gbk",
          "ISO_IR 13": "shift_jis"}
n = 10
for name, term, pn, text in charsets:
    n += 1
    enc = codecs[term]
    body = common("1.2.840.10008.5.1.4.1.1.7", n).encode() + \
        f"(0008,0005) CS [{term}]\n".encode() + \
        b"(0010,0010) PN [" + pn.encode(enc) + b"]\n" + \
        b"(0008,1030) LO [" + text.encode(enc) + b"]\n" + \
        b"(0010,4000) LT [" + text.encode(enc) + b"]\n"
    write(f"charset_{name}.dump", body)

# ISO 2022 examples after PS3.5 Annex H (Japanese), I (Korean), J (Chinese).
ESC = b"\x1b"
def iso2022_jp(s):
    return s.encode("iso2022_jp")
jp_pn = b"Yamada^Tarou=" + ESC + b"$B;3ED" + ESC + b"(B^" + ESC + b"$BB@O:" + ESC + b"(B=" + \
    ESC + b"$B$d$^$@" + ESC + b"(B^" + ESC + b"$B$?$m$&" + ESC + b"(B"
n += 1
write("charset_jis.dump", common("1.2.840.10008.5.1.4.1.1.7", n).encode() +
      b"(0008,0005) CS [\\ISO 2022 IR 87]\n(0010,0010) PN [" + jp_pn + b"]\n" +
      b"(0008,1030) LO [" + ESC + b"$B$3$s$K$A$O" + ESC + b"(B]\n")
# JIS X 0212 via ISO 2022 IR 159 (a supplementary kanji), plus half-width katakana G1.
n += 1
jis0212 = b"\xb0\xa1"  # EUC-JP G3 row 16 cell 1 with 0x8F prefix removed
write("charset_jis0212.dump", common("1.2.840.10008.5.1.4.1.1.7", n).encode() +
      b"(0008,0005) CS [ISO 2022 IR 13\\ISO 2022 IR 87\\ISO 2022 IR 159]\n(0010,0010) PN [" +
      b"\xd4\xcf\xc0\xde^\xc0\xdb\xb3=" + ESC + b"$B;3ED" + ESC + b"(J^" + ESC + b"$(D" +
      bytes(c & 0x7f for c in jis0212) + ESC + b"(J]\n")
n += 1
kr_pn = b"Hong^Gildong=" + ESC + b"$)C" + "洪^吉洞".encode("euc_kr") + b"=" + ESC + b"$)C" + \
    "홍^길동".encode("euc_kr")
write("charset_korean.dump", common("1.2.840.10008.5.1.4.1.1.7", n).encode() +
      b"(0008,0005) CS [\\ISO 2022 IR 149]\n(0010,0010) PN [" + kr_pn + b"]\n")
n += 1
cn_pn = b"Zhang^XiaoDong=" + ESC + b"$)A" + "张^小东".encode("gb2312") + b"="
write("charset_gb2312.dump", common("1.2.840.10008.5.1.4.1.1.7", n).encode() +
      b"(0008,0005) CS [\\ISO 2022 IR 58]\n(0010,0010) PN [" + cn_pn + b"]\n")
n += 1
# Latin-1 and Greek switched with ISO 2022 escapes.
gr = b"Dionysios=" + ESC + b"-F" + "Διονυσιος".encode("iso8859-7")
write("charset_2022_greek.dump", common("1.2.840.10008.5.1.4.1.1.7", n).encode() +
      b"(0008,0005) CS [ISO 2022 IR 100\\ISO 2022 IR 126]\n(0010,0010) PN [" + gr + b"]\n")

# --- images ---
def image_header(n, rows, cols, spp, photometric, bits, stored, signed, frames=1, planar=None):
    h = common("1.2.840.10008.5.1.4.1.1.7", n) + f"""(0028,0002) US {spp}
(0028,0004) CS [{photometric}]
(0028,0010) US {rows}
(0028,0011) US {cols}
(0028,0100) US {bits}
(0028,0101) US {stored}
(0028,0102) US {stored - 1}
(0028,0103) US {1 if signed else 0}
"""
    if frames > 1:
        h += f"(0028,0008) IS [{frames}]\n"
    if planar is not None:
        h += f"(0028,0006) US {planar}\n"
    return h

# CT-like 16-bit signed with rescale and window
rows = cols = 64
px = bytearray()
for y in range(rows):
    for x in range(cols):
        r = math.hypot(x - 32, y - 32)
        v = 1000 if r < 12 else (0 if r < 28 else -1000)
        v += (x * 7 + y * 3) % 50
        px += struct.pack("<h", v)
write("ct16.raw", bytes(px))
n += 1
write("ct16.dump", (image_header(n, rows, cols, 1, "MONOCHROME2", 16, 16, True) +
      "(0028,1050) DS [40]\n(0028,1051) DS [400]\n(0028,1052) DS [-1024]\n(0028,1053) DS [1]\n"
      "(7fe0,0010) OW =ct16.raw\n").encode())

# 12 bits stored in 16, unsigned, MONOCHROME1
px = bytearray()
for y in range(rows):
    for x in range(cols):
        px += struct.pack("<H", (x * 64 + y) & 0x0FFF)
write("mono1_12.raw", bytes(px))
n += 1
write("mono1_12.dump", (image_header(n, rows, cols, 1, "MONOCHROME1", 16, 12, False) +
      "(7fe0,0010) OW =mono1_12.raw\n").encode())

# 8-bit grayscale multi-frame, 3 frames
px = bytearray()
for f in range(3):
    for y in range(32):
        for x in range(32):
            px.append((x * 8 + f * 80) & 0xFF)
write("mf8.raw", bytes(px))
n += 1
write("mf8.dump", (image_header(n, 32, 32, 1, "MONOCHROME2", 8, 8, False, frames=3) +
      "(7fe0,0010) OB =mf8.raw\n").encode())

# RGB 8-bit, interleaved and planar
def rgb(x, y):
    return (x * 8) & 0xFF, (y * 8) & 0xFF, ((x + y) * 4) & 0xFF
inter = bytearray()
for y in range(32):
    for x in range(32):
        inter += bytes(rgb(x, y))
write("rgb.raw", bytes(inter))
planes = bytearray()
for c in range(3):
    for y in range(32):
        for x in range(32):
            planes.append(rgb(x, y)[c])
write("rgb_planar.raw", bytes(planes))
n += 1
write("rgb.dump", (image_header(n, 32, 32, 3, "RGB", 8, 8, False, planar=0) +
      "(7fe0,0010) OB =rgb.raw\n").encode())
n += 1
write("rgb_planar.dump", (image_header(n, 32, 32, 3, "RGB", 8, 8, False, planar=1) +
      "(7fe0,0010) OB =rgb_planar.raw\n").encode())

# YBR_FULL_422 native: Y0 Y1 Cb Cr per two pixels
ybr = bytearray()
for y in range(16):
    for x in range(0, 16, 2):
        ybr += bytes([x * 16, x * 16 + 8, 128 + y * 4, 128 - y * 4])
write("ybr422.raw", bytes(ybr))
n += 1
write("ybr422.dump", (image_header(n, 16, 16, 3, "YBR_FULL_422", 8, 8, False, planar=0) +
      "(7fe0,0010) OB =ybr422.raw\n").encode())

# PALETTE COLOR 8-bit with 16-bit LUT entries
px = bytes((x + y * 8) & 0xFF for y in range(32) for x in range(32))
write("palette.raw", px)
def lut(fn):
    return "\\".join("%04x" % fn(i) for i in range(256))  # dump2dcm reads OW values as hex
n += 1
write("palette.dump", (image_header(n, 32, 32, 1, "PALETTE COLOR", 8, 8, False) +
      "(0028,1101) US 256\\0\\16\n(0028,1102) US 256\\0\\16\n(0028,1103) US 256\\0\\16\n"
      f"(0028,1201) OW {lut(lambda i: i * 257)}\n"
      f"(0028,1202) OW {lut(lambda i: (255 - i) * 257)}\n"
      f"(0028,1203) OW {lut(lambda i: (i * 2 % 256) * 257)}\n"
      "(7fe0,0010) OB =palette.raw\n").encode())
print(n)
