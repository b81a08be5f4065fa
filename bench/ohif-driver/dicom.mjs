// Synthetic CT instances (no patient data) as DICOM Part 10, explicit VR little endian: the same 512x512 16-bit
// series bench/dicomweb stores, written here so the OHIF bench needs nothing but node.
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function element(group, elem, vr, value) {
  let bytes;
  if (Buffer.isBuffer(value)) {
    bytes = value;
  } else if (vr === 'US') {
    bytes = Buffer.alloc(2); bytes.writeUInt16LE(value);
  } else if (vr === 'UL') {
    bytes = Buffer.alloc(4); bytes.writeUInt32LE(value);
  } else {
    let text = String(value);
    if (text.length % 2) text += vr === 'UI' ? '\0' : ' ';
    bytes = Buffer.from(text, 'latin1');
  }
  const long = LONG_VRS.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0); head.writeUInt16LE(elem, 2); head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(bytes.length, 8); else head.writeUInt16LE(bytes.length, 6);
  return Buffer.concat([head, bytes]);
}

export function ctPixels(size) {
  const pixels = Buffer.alloc(size * size * 2);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - size / 2, dy = y - size / 2;
      const value = dx * dx + dy * dy < size * size / 9 ? 1000 + ((x ^ y) % 200) : 24 + ((x * 7 + y * 3) % 50);
      pixels.writeUInt16LE(value, (y * size + x) * 2);
    }
  }
  return pixels;
}

export function ctInstance({ study, series, sop, number, pixels, size = 512 }) {
  const ts = '1.2.840.10008.1.2.1';
  const sopClass = '1.2.840.10008.5.1.4.1.1.2';
  const meta = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', sopClass),
    element(0x0002, 0x0003, 'UI', sop),
    element(0x0002, 0x0010, 'UI', ts),
    element(0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.10.99.1'),
  ]);
  const body = Buffer.concat([
    element(0x0008, 0x0005, 'CS', 'ISO_IR 100'),
    element(0x0008, 0x0016, 'UI', sopClass),
    element(0x0008, 0x0018, 'UI', sop),
    element(0x0008, 0x0020, 'DA', '20260301'),
    element(0x0008, 0x0030, 'TM', '120000'),
    element(0x0008, 0x0050, 'SH', 'APBENCH'),
    element(0x0008, 0x0060, 'CS', 'CT'),
    element(0x0008, 0x1030, 'LO', 'Bench'),
    element(0x0010, 0x0010, 'PN', 'BENCH^CT'),
    element(0x0010, 0x0020, 'LO', 'PBENCH'),
    element(0x0020, 0x000D, 'UI', study),
    element(0x0020, 0x000E, 'UI', series),
    element(0x0020, 0x0011, 'IS', '1'),
    element(0x0020, 0x0013, 'IS', String(number)),
    element(0x0020, 0x0032, 'DS', `0\\0\\${number}`),
    element(0x0020, 0x0037, 'DS', '1\\0\\0\\0\\1\\0'),
    element(0x0028, 0x0002, 'US', 1),
    element(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
    element(0x0028, 0x0010, 'US', size),
    element(0x0028, 0x0011, 'US', size),
    element(0x0028, 0x0030, 'DS', '0.7\\0.7'),
    element(0x0028, 0x0100, 'US', 16),
    element(0x0028, 0x0101, 'US', 12),
    element(0x0028, 0x0102, 'US', 11),
    element(0x0028, 0x0103, 'US', 0),
    element(0x0028, 0x1050, 'DS', '40'),
    element(0x0028, 0x1051, 'DS', '400'),
    element(0x0028, 0x1052, 'DS', '-1024'),
    element(0x0028, 0x1053, 'DS', '1'),
    element(0x7FE0, 0x0010, 'OW', pixels),
  ]);
  const groupLength = element(0x0002, 0x0000, 'UL', meta.length);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), groupLength, meta, body]);
}
