'use strict';
// ClickHouse "native" HTTP compression (URL params compress=1 / decompress=1).
//
// The body is a sequence of blocks:
//   16 bytes  CityHash128 (ClickHouse's v1.0.2 variant) of the rest of the block
//    1 byte   method: 0x82 = LZ4, 0x02 = none (0x90 = ZSTD is not supported here)
//    4 bytes  block size including these 9 header bytes (LE)
//    4 bytes  uncompressed size (LE)
//    n bytes  payload
// client-v2 verifies the checksum and only accepts 0x82 blocks, so responses are
// written as LZ4 blocks holding a single literal run (valid LZ4, no actual
// compression: this is a loopback stand-in, CPU matters more than bytes).

const M64 = (1n << 64n) - 1n;
const k0 = 0xc3a5c85c97cb3127n;
const k1 = 0xb492b66fbe98f273n;
const k2 = 0x9ae16a3b2f90404fn;
const k3 = 0xc949d7c7509e6557n;
const kMul = 0x9ddfea08eb382d69n;

const mul = (a, b) => (a * b) & M64;
const add = (...xs) => xs.reduce((s, x) => s + x, 0n) & M64;
const rot = (v, s) => (s === 0 ? v : ((v >> BigInt(s)) | (v << BigInt(64 - s))) & M64);
const shiftMix = (v) => v ^ (v >> 47n);
const f64 = (b, i) => b.readBigUInt64LE(i);
const f32 = (b, i) => BigInt(b.readUInt32LE(i));

function hash16(u, v) {
  let a = mul(u ^ v, kMul);
  a ^= a >> 47n;
  let b = mul(v ^ a, kMul);
  b ^= b >> 47n;
  return mul(b, kMul);
}

function hashLen0to16(s, pos, len) {
  const L = BigInt(len);
  if (len > 8) {
    const a = f64(s, pos);
    const b = f64(s, pos + len - 8);
    return hash16(a, rot(add(b, L), len)) ^ b;
  }
  if (len >= 4) {
    return hash16(add(f32(s, pos) << 3n, L), f32(s, pos + len - 4));
  }
  if (len > 0) {
    const y = BigInt(s[pos] + (s[pos + (len >>> 1)] << 8));
    const z = BigInt(len + (s[pos + len - 1] << 2));
    return mul(shiftMix(mul(y, k2) ^ mul(z, k3)), k2);
  }
  return k2;
}

function weak32(s, pos, a, b) {
  const w = f64(s, pos), x = f64(s, pos + 8), y = f64(s, pos + 16), z = f64(s, pos + 24);
  a = add(a, w);
  b = rot(add(b, a, z), 21);
  const c = a;
  a = add(a, x, y);
  b = add(b, rot(a, 44));
  return [add(a, z), add(b, c)];
}

function cityMurmur(s, pos, len, a, b) {
  let c, d;
  let l = len - 16;
  if (l <= 0) {
    a = mul(shiftMix(mul(a, k1)), k1);
    c = add(mul(b, k1), hashLen0to16(s, pos, len));
    d = shiftMix(add(a, len >= 8 ? f64(s, pos) : c));
  } else {
    c = hash16(add(f64(s, pos + len - 8), k1), a);
    d = hash16(add(b, BigInt(len)), add(c, f64(s, pos + len - 16)));
    a = add(a, d);
    do {
      a ^= mul(shiftMix(mul(f64(s, pos), k1)), k1);
      a = mul(a, k1);
      b ^= a;
      c ^= mul(shiftMix(mul(f64(s, pos + 8), k1)), k1);
      c = mul(c, k1);
      d ^= c;
      pos += 16;
      l -= 16;
    } while (l > 0);
  }
  a = hash16(a, c);
  b = hash16(d, b);
  return [a ^ b, hash16(b, a)];
}

function city128WithSeed(s, pos, len, x, y) {
  if (len < 128) return cityMurmur(s, pos, len, x, y);
  let z = mul(k1, BigInt(len));
  let v = [0n, 0n], w = [0n, 0n];
  v[0] = add(mul(rot(y ^ k1, 49), k1), f64(s, pos));
  v[1] = add(mul(rot(v[0], 42), k1), f64(s, pos + 8));
  w[0] = add(mul(rot(add(y, z), 35), k1), x);
  w[1] = mul(rot(add(x, f64(s, pos + 88)), 53), k1);
  do {
    for (let half = 0; half < 2; half++) {
      x = mul(rot(add(x, y, v[0], f64(s, pos + 16)), 37), k1);
      y = mul(rot(add(y, v[1], f64(s, pos + 48)), 42), k1);
      x ^= w[1];
      y ^= v[0];
      z = rot(z ^ w[0], 33);
      v = weak32(s, pos, mul(v[1], k1), add(x, w[0]));
      w = weak32(s, pos + 32, add(z, w[1]), y);
      [z, x] = [x, z];
      pos += 64;
    }
    len -= 128;
  } while (len >= 128);
  y = add(y, mul(rot(w[0], 37), k0), z);
  x = add(x, mul(rot(add(v[0], z), 49), k0));
  for (let done = 0; done < len;) {
    done += 32;
    y = add(mul(rot((y - x) & M64, 42), k0), v[1]);
    w[0] = add(w[0], f64(s, pos + len - done + 16));
    x = add(mul(rot(x, 49), k0), w[0]);
    w[0] = add(w[0], v[0]);
    v = weak32(s, pos + len - done, v[0], v[1]);
  }
  x = hash16(x, v[0]);
  y = hash16(y, w[0]);
  return [add(hash16(add(x, v[1]), w[1]), y), hash16(add(x, w[1]), add(y, v[1]))];
}

/** ClickHouse CityHash128 of s[pos, pos+len) as [low64, high64] BigInts. */
function cityHash128(s, pos = 0, len = s.length) {
  if (len >= 16) return city128WithSeed(s, pos + 16, len - 16, f64(s, pos) ^ k3, f64(s, pos + 8));
  if (len >= 8) {
    return city128WithSeed(Buffer.alloc(0), 0, 0, f64(s, pos) ^ mul(BigInt(len), k0), f64(s, pos + len - 8) ^ k1);
  }
  return city128WithSeed(s, pos, len, k0, k1);
}

const BLOCK = 1 << 20; // ClickHouse's max_compress_block_size default

/** Frame `data` as ClickHouse compressed blocks (LZ4 method, literal-only). */
function compressNative(data) {
  const out = [];
  for (let off = 0; off < data.length || off === 0; off += BLOCK) {
    const chunk = data.subarray(off, Math.min(off + BLOCK, data.length));
    const n = chunk.length;
    // LZ4 block with one "last literals" sequence: token, length bytes, literals.
    const lenBytes = n >= 15 ? Math.floor((n - 15) / 255) + 1 : 0;
    const payload = 1 + lenBytes + n;
    const blk = Buffer.allocUnsafe(16 + 9 + payload);
    blk[16] = 0x82;
    blk.writeUInt32LE(9 + payload, 17);
    blk.writeUInt32LE(n, 21);
    let p = 25;
    blk[p++] = Math.min(n, 15) << 4;
    if (n >= 15) {
      let rest = n - 15;
      while (rest >= 255) { blk[p++] = 255; rest -= 255; }
      blk[p++] = rest;
    }
    chunk.copy(blk, p);
    const [lo, hi] = cityHash128(blk, 16, 9 + payload);
    blk.writeBigUInt64LE(lo, 0);
    blk.writeBigUInt64LE(hi, 8);
    out.push(blk);
    if (n === 0) break;
  }
  return Buffer.concat(out);
}

/** Decode one LZ4 block from src into dst at offset d; returns the new offset.
 *  Matches may reach back before d (linked blocks of an LZ4 frame). */
function lz4DecodeInto(src, dst, d) {
  let s = 0;
  while (s < src.length) {
    const token = src[s++];
    let lit = token >> 4;
    if (lit === 15) { let b; do { b = src[s++]; lit += b; } while (b === 255); }
    src.copy(dst, d, s, s + lit);
    s += lit; d += lit;
    if (s >= src.length) break; // the last sequence has literals only
    const offset = src[s] | (src[s + 1] << 8);
    s += 2;
    let mlen = (token & 15) + 4;
    if ((token & 15) === 15) { let b; do { b = src[s++]; mlen += b; } while (b === 255); }
    if (offset === 0 || offset > d) throw new Error('corrupt LZ4 data');
    for (let i = 0; i < mlen; i++, d++) dst[d] = dst[d - offset]; // may overlap
  }
  return d;
}

function lz4DecodeBlock(src, dstLen) {
  const dst = Buffer.alloc(dstLen);
  const d = lz4DecodeInto(src, dst, 0);
  if (d !== dstLen) throw new Error(`LZ4 block decoded to ${d} bytes, expected ${dstLen}`);
  return dst;
}

/** Decode an LZ4 *frame* (HTTP Content-Encoding: lz4, as client-v2 sends it with
 *  use_http_compression). Checksums are not verified. */
function lz4FrameDecode(buf) {
  const parts = [];
  let off = 0;
  while (off < buf.length) {
    const magic = buf.readUInt32LE(off);
    if (magic >= 0x184d2a50 && magic <= 0x184d2a5f) { off += 8 + buf.readUInt32LE(off + 4); continue; } // skippable
    if (magic !== 0x184d2204) throw new Error('not an LZ4 frame');
    const flg = buf[off + 4], bd = buf[off + 5];
    const blockMax = 1 << (8 + 2 * ((bd >> 4) & 7));
    off += 6 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0) + 1; // descriptor (+content size, +dict id) + HC
    const blocks = [];
    for (;;) {
      const word = buf.readUInt32LE(off); off += 4;
      if (word === 0) break;
      const size = word & 0x7fffffff;
      blocks.push({ raw: (word & 0x80000000) !== 0, data: buf.subarray(off, off + size) });
      off += size + (flg & 0x10 ? 4 : 0);
    }
    if (flg & 0x04) off += 4; // content checksum
    const dst = Buffer.alloc(blocks.length * blockMax);
    let d = 0;
    for (const b of blocks) {
      if (b.raw) { b.data.copy(dst, d); d += b.data.length; } else d = lz4DecodeInto(b.data, dst, d);
    }
    parts.push(dst.subarray(0, d));
  }
  return Buffer.concat(parts);
}

/** Decode a ClickHouse compressed-block stream (decompress=1 request bodies). */
function decompressNative(buf) {
  const out = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < 25) throw new Error('truncated compressed block header');
    const method = buf[off + 16];
    const size = buf.readUInt32LE(off + 17);
    const raw = buf.readUInt32LE(off + 21);
    if (off + 16 + size > buf.length) throw new Error('truncated compressed block');
    const [lo, hi] = cityHash128(buf, off + 16, size);
    if (lo !== buf.readBigUInt64LE(off) || hi !== buf.readBigUInt64LE(off + 8)) {
      throw new Error('checksum mismatch in compressed block');
    }
    const payload = buf.subarray(off + 25, off + 16 + size);
    if (method === 0x82) out.push(lz4DecodeBlock(payload, raw));
    else if (method === 0x02) out.push(payload);
    else throw new Error(`unsupported compression method byte 0x${method.toString(16)} (only LZ4 and NONE)`);
    off += 16 + size;
  }
  return Buffer.concat(out);
}

// Frame header: magic, FLG 0x60 (v1, independent blocks, no checksums), BD 0x70
// (4 MiB blocks), HC 0x73 = second byte of xxh32([0x60, 0x70]), a constant.
const FRAME_HEADER = Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x60, 0x70, 0x73]);
const FRAME_BLOCK = 4 << 20;

/** Wrap data in an LZ4 frame of stored (uncompressed) blocks: a valid lz4
 *  Content-Encoding that costs no CPU. */
function lz4FrameEncode(data) {
  const parts = [FRAME_HEADER];
  for (let off = 0; off < data.length; off += FRAME_BLOCK) {
    const chunk = data.subarray(off, Math.min(off + FRAME_BLOCK, data.length));
    const size = Buffer.alloc(4);
    size.writeUInt32LE((chunk.length | 0x80000000) >>> 0);
    parts.push(size, chunk);
  }
  parts.push(Buffer.alloc(4)); // end mark
  return Buffer.concat(parts);
}

module.exports = { lz4FrameEncode,  cityHash128, compressNative, decompressNative, lz4FrameDecode };
