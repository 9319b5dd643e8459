// Draws the extension's icon (images/icon.png, 128×128): two files joined by a link, and a check —
// a deploy and the code it ships, agreeing. Pure Node (zlib for the PNG stream), no downloads.
//   node scripts/make-icon.mjs [out.png]
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const SIZE = 128;
const SS = 4; // supersampling per axis, for smooth edges

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const BG = hex('#1f2a44');
const PAPER = hex('#e8edf6');
const INK = hex('#9aa8c2');
const LINK = hex('#f4b400');
const OK = hex('#34a853');
const WHITE = hex('#ffffff');

// Signed distances (negative inside).
const roundRect = (x, y, x0, y0, x1, y1, r) => {
  const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
  const inside = Math.min(Math.max(x0 + r - x, x - (x1 - r)), Math.max(y0 + r - y, y - (y1 - r)));
  return dx > 0 || dy > 0 ? Math.hypot(dx, dy) - r : Math.max(inside, -r) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const segment = (x, y, ax, ay, bx, by, w) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) - w / 2;
};

/** The colour at a point, painted back to front; undefined outside the icon (transparent). */
function paint(x, y) {
  if (roundRect(x, y, 0, 0, SIZE, SIZE, 26) > 0) return undefined;
  let c = BG;
  const doc = (x0, y0) => {
    if (roundRect(x, y, x0, y0, x0 + 38, y0 + 50, 5) <= 0) {
      c = PAPER;
      for (let i = 0; i < 4; i++) if (segment(x, y, x0 + 8, y0 + 12 + i * 9, x0 + (i === 3 ? 22 : 30), y0 + 12 + i * 9, 3.2) <= 0) c = INK;
    }
  };
  doc(16, 22);
  doc(62, 40);
  if (segment(x, y, 44, 60, 70, 60, 6) <= 0) c = LINK;
  if (circle(x, y, 44, 60, 5.5) <= 0 || circle(x, y, 70, 60, 5.5) <= 0) c = LINK;
  if (circle(x, y, 96, 98, 22) <= 0) {
    c = OK;
    if (segment(x, y, 85, 98, 93, 106, 6) <= 0 || segment(x, y, 93, 106, 108, 89, 6) <= 0) c = WHITE;
  }
  return c;
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let py = 0; py < SIZE; py++) {
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = paint(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a += 1;
      }
    }
    const o = (py * SIZE + px) * 4;
    if (a) { rgba[o] = Math.round(r / a); rgba[o + 1] = Math.round(g / a); rgba[o + 2] = Math.round(b / a); }
    rgba[o + 3] = Math.round((a / (SS * SS)) * 255);
  }
}

const CRC = new Uint32Array(256).map((_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc32 = (buf) => { let c = 0xffffffff; for (const byte of buf) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0); ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // 8-bit RGBA, no interlace
const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) rgba.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4); // filter 0 per row
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
]);
const out = process.argv[2] ?? 'images/icon.png';
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`${out}: ${SIZE}×${SIZE}, ${png.length} bytes`);
