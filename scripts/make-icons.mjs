// Draws the toolbar icons (a white key on a blue rounded square) into public/icons as PNG.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

/** Coverage of one pixel by the icon shape, 0..1, sampled 4×4 for anti-aliasing. */
function paint(size, x, y) {
  let bg = 0, fg = 0;
  for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) {
    const u = (x + (sx + 0.5) / 4) / size, v = (y + (sy + 0.5) / 4) / size;
    const r = 0.2, dx = Math.max(r - u, 0, u - (1 - r)), dy = Math.max(r - v, 0, v - (1 - r));
    if (dx * dx + dy * dy > r * r) continue;
    bg++;
    const ring = Math.hypot(u - 0.34, v - 0.5);
    const inKey = (ring < 0.2 && ring > 0.09) || (u > 0.5 && u < 0.86 && Math.abs(v - 0.5) < 0.055) ||
      (u > 0.7 && u < 0.77 && v > 0.5 && v < 0.68) || (u > 0.8 && u < 0.86 && v > 0.5 && v < 0.64);
    if (inKey) fg++;
  }
  return [bg / 16, fg / 16];
}

for (const size of [16, 32, 48, 128]) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const [bg, fg] = paint(size, x, y);
      const mix = (a, b) => Math.round(a * (1 - fg / Math.max(bg, 1e-9)) + b * (fg / Math.max(bg, 1e-9)));
      row.set([mix(0x1d, 0xff), mix(0x4e, 0xff), mix(0xd8, 0xff), Math.round(bg * 255)], 1 + x * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 6;
  const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
  writeFileSync(`public/icons/icon-${size}.png`, png);
}
