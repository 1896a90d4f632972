// Writes MCAP files in every layout with the official TypeScript writer (@mcap/core), plus a JSON sidecar per
// file with what a reader must find: channels, and every message in log-time order with its payload (base64).
// McapFixturesTest reads each file with depthstream's McapReader and compares. Run: npm ci && npm run generate
import { McapWriter } from "@mcap/core";
import { FileHandleWritable } from "@mcap/nodejs";
import zstd from "@foxglove/wasm-zstd";
import lz4js from "lz4js";
import { open, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";

await zstd.isLoaded;


const outDir = process.argv[2] ?? "../resources/mcap";
await mkdir(outDir, { recursive: true });

const zstdChunk = (data) => ({ compression: "zstd", compressedData: zstd.compress(data, 3) });
const lz4Chunk = (data) => ({ compression: "lz4", compressedData: lz4js.compress(data) });

// Each layout: writer options (see McapWriterOptions). chunkSize small enough for several chunks per file.
const layouts = {
  "unchunked": { useChunks: false, useChunkIndex: false, useMessageIndex: false },
  "unchunked-no-summary": {
    useChunks: false, useChunkIndex: false, useMessageIndex: false, useStatistics: false,
    useSummaryOffsets: false, repeatSchemas: false, repeatChannels: false, useAttachmentIndex: false,
    useMetadataIndex: false,
  },
  "chunked-uncompressed": { chunkSize: 300 },
  "chunked-zstd": { chunkSize: 300, compressChunk: zstdChunk },
  "chunked-lz4": { chunkSize: 300, compressChunk: lz4Chunk },
  "chunked-zstd-no-index": { chunkSize: 300, compressChunk: zstdChunk, useMessageIndex: false, useChunkIndex: false },
  "chunked-lz4-no-summary": {
    chunkSize: 300, compressChunk: lz4Chunk, useMessageIndex: false, useChunkIndex: false, useStatistics: false,
    useSummaryOffsets: false, repeatSchemas: false, repeatChannels: false, useAttachmentIndex: false,
    useMetadataIndex: false,
  },
  "chunked-zstd-big-chunks": { chunkSize: 1 << 20, compressChunk: zstdChunk },
};

// Deterministic payloads (a linear congruential generator), sizes 0..~200 bytes.
let seed = 12345;
const nextByte = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
const payload = (n) => Uint8Array.from({ length: n }, nextByte);

// Log times deliberately not in write order across channels (chunks overlap in time), all distinct.
const plan = [];
for (let i = 0; i < 24; i++) {
  const ch = i % 3;
  const t = 1_700_000_000_000_000_000n + BigInt(ch === 2 ? 5_000 + i * 1_000 : i * 1_000 + ch * 7);
  plan.push({ ch, t, size: ch === 1 && i % 6 === 1 ? 0 : 20 + ((i * 37) % 180) });
}
const payloads = plan.map((p) => payload(p.size));

for (const [name, options] of Object.entries(layouts)) {
  const file = join(outDir, `${name}.mcap`);
  const handle = await open(file, "w");
  const writer = new McapWriter({ writable: new FileHandleWritable(handle), ...options });
  await writer.start({ profile: "", library: "@mcap/core fixture generator" });
  const schemaId = await writer.registerSchema({
    name: "fixture.Depth", encoding: "protobuf", data: new Uint8Array([10, 3, 1, 2, 3]),
  });
  const channels = [
    { schemaId, topic: "/camera/depth", messageEncoding: "protobuf", metadata: new Map([["frame_id", "cam"]]) },
    { schemaId: 0, topic: "/raw/bytes", messageEncoding: "application/octet-stream", metadata: new Map() },
    { schemaId, topic: "/lidar/depth", messageEncoding: "protobuf", metadata: new Map() },
  ];
  const ids = [];
  for (const c of channels) {
    ids.push(await writer.registerChannel(c));
  }
  if (name === "unchunked" || name === "chunked-zstd") {
    // Records a reader must step over: metadata and an attachment in the data section.
    await writer.addMetadata({ name: "drive", metadata: new Map([["robot", "r1"]]) });
    await writer.addAttachment({
      name: "calib.txt", mediaType: "text/plain", logTime: 1n, createTime: 2n, data: new TextEncoder().encode("fx 500"),
    });
  }
  const sequences = [0, 0, 0];
  const expected = [];
  for (let i = 0; i < plan.length; i++) {
    const { ch, t } = plan[i];
    const sequence = sequences[ch]++;
    await writer.addMessage({ channelId: ids[ch], sequence, logTime: t, publishTime: t + 1n, data: payloads[i] });
    expected.push({
      topic: channels[ch].topic, channelId: ids[ch], sequence, logTime: t.toString(), order: i,
      data: Buffer.from(payloads[i]).toString("base64"),
    });
  }
  await writer.end();
  await handle.close();
  expected.sort((a, b) => (BigInt(a.logTime) < BigInt(b.logTime) ? -1 : BigInt(a.logTime) > BigInt(b.logTime) ? 1 : a.order - b.order));
  const sidecar = {
    file: `${name}.mcap`,
    layout: options.compressChunk ? { ...options, compressChunk: options.compressChunk(new Uint8Array(1)).compression } : options,
    messageCount: expected.length,
    channels: channels.map((c, k) => ({
      id: ids[k], topic: c.topic, messageEncoding: c.messageEncoding, schemaName: c.schemaId ? "fixture.Depth" : "",
    })),
    messages: expected.map(({ order, ...m }) => m),
  };
  await writeFile(join(outDir, `${name}.json`), JSON.stringify(sidecar, null, 1) + "\n");
  console.log(`${name}.mcap: ${expected.length} messages`);
}
