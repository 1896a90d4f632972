// Rebuilds a few of the MCAP project's conformance inputs (foxglove/mcap, tests/conformance/data: the JSON files
// of expected records are public, the .mcap files are Git LFS objects we cannot fetch) with the same steps as its
// scripts/generate-inputs.ts (MIT licence, copied beside the data), using @mcap/core's record and chunk builders,
// and proves each rebuilt file identical to the official one: its SHA-256 and size must match the Git LFS pointer
// (<name>.mcap.lfs-pointer). McapConformanceTest then reads every file with McapReader and compares its messages
// with the JSON. Run: node generate-conformance.mjs ../resources/mcap-conformance
import { McapRecordBuilder, McapChunkBuilder, Opcode } from "@mcap/core";
import { crc32, crc32Init, crc32Update, crc32Final } from "@foxglove/crc";
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const dir = process.argv[2] ?? "../resources/mcap-conformance";

// Variant flags in the file name (tests/conformance/variants/types.ts).
const FEATURES = ["ch", "mx", "st", "rsh", "rch", "ax", "mdx", "chx", "sum", "pad"];

const fields = (r) => Object.fromEntries(r.fields);
const bytes = (a) => Uint8Array.from(a.map(Number));
const map = (o, key = (k) => k, value = (v) => v) => new Map(Object.entries(o).map(([k, v]) => [key(k), value(v)]));

/** The input records of a case: its data-section records as the JSON lists them, before Data End. */
function inputs(json) {
  const out = [];
  for (const r of json.records) {
    const f = fields(r);
    switch (r.type) {
      case "Schema":
        out.push({ type: "Schema", id: Number(f.id), name: f.name, encoding: f.encoding, data: bytes(f.data) });
        break;
      case "Channel":
        out.push({ type: "Channel", id: Number(f.id), schemaId: Number(f.schema_id), topic: f.topic,
          messageEncoding: f.message_encoding, metadata: map(f.metadata) });
        break;
      case "Message":
        out.push({ type: "Message", channelId: Number(f.channel_id), sequence: Number(f.sequence),
          logTime: BigInt(f.log_time), publishTime: BigInt(f.publish_time), data: bytes(f.data) });
        break;
      case "Attachment":
        out.push({ type: "Attachment", name: f.name, mediaType: f.media_type, logTime: BigInt(f.log_time),
          createTime: BigInt(f.create_time), data: bytes(f.data) });
        break;
      case "Metadata":
        out.push({ type: "Metadata", name: f.name, metadata: map(f.metadata) });
        break;
      case "DataEnd":
        return out;
    }
  }
  return out;
}

/** generate-inputs.ts's generateFile, step for step. */
function generateFile(features, records) {
  const builder = new McapRecordBuilder({ padRecords: features.has("pad") });
  builder.writeMagic();
  builder.writeHeader({ profile: "", library: "" });
  const chunk = features.has("ch") ? new McapChunkBuilder({ useMessageIndex: features.has("mx") }) : undefined;
  const metadataIndexes = [];
  const attachmentIndexes = [];
  const chunkIndexes = [];
  let messageCount = 0n;
  let channelCount = 0;
  let schemaCount = 0;
  let attachmentCount = 0;
  let metadataCount = 0;
  let messageStartTime;
  let messageEndTime;
  const channelMessageCounts = new Map();
  for (const record of records) {
    switch (record.type) {
      case "Schema":
        schemaCount++;
        chunk ? chunk.addSchema(record) : builder.writeSchema(record);
        break;
      case "Channel":
        channelCount++;
        chunk ? chunk.addChannel(record) : builder.writeChannel(record);
        break;
      case "Message":
        messageCount++;
        channelMessageCounts.set(record.channelId, (channelMessageCounts.get(record.channelId) ?? 0n) + 1n);
        chunk ? chunk.addMessage(record) : builder.writeMessage(record);
        if (messageStartTime === undefined || record.logTime < messageStartTime) messageStartTime = record.logTime;
        if (messageEndTime === undefined || record.logTime > messageEndTime) messageEndTime = record.logTime;
        break;
      case "Attachment": {
        attachmentCount++;
        const offset = BigInt(builder.length);
        const length = builder.writeAttachment(record);
        if (features.has("ax")) {
          attachmentIndexes.push({ name: record.name, length, offset, dataSize: BigInt(record.data.byteLength),
            mediaType: record.mediaType, logTime: record.logTime, createTime: record.createTime });
        }
        break;
      }
      case "Metadata": {
        metadataCount++;
        const offset = BigInt(builder.length);
        const length = builder.writeMetadata(record);
        if (features.has("mdx")) metadataIndexes.push({ name: record.name, length, offset });
        break;
      }
    }
  }
  if (chunk) {
    const chunkStartOffset = BigInt(builder.length);
    const chunkLength = builder.writeChunk({ compression: "", messageStartTime: chunk.messageStartTime,
      messageEndTime: chunk.messageEndTime, uncompressedCrc: crc32(chunk.buffer),
      uncompressedSize: BigInt(chunk.buffer.byteLength), records: chunk.buffer });
    const messageIndexOffsets = new Map();
    let messageIndexLength = 0n;
    for (const index of chunk.indices) {
      messageIndexOffsets.set(index.channelId, BigInt(builder.length));
      messageIndexLength += builder.writeMessageIndex(index);
    }
    if (features.has("chx")) {
      chunkIndexes.push({ compression: "", messageStartTime: chunk.messageStartTime,
        messageEndTime: chunk.messageEndTime, uncompressedSize: BigInt(chunk.buffer.byteLength),
        compressedSize: BigInt(chunk.buffer.byteLength), chunkStartOffset, chunkLength, messageIndexLength,
        messageIndexOffsets });
    }
  }
  builder.writeDataEnd({ dataSectionCrc: crc32(builder.buffer) });
  const summaryStart = BigInt(builder.length);
  const group = (write) => {
    const start = BigInt(builder.length);
    write();
    return [start, BigInt(builder.length) - start];
  };
  const schemas = group(() => features.has("rsh") && records.filter((r) => r.type === "Schema")
    .forEach((r) => builder.writeSchema(r)));
  const channels = group(() => features.has("rch") && records.filter((r) => r.type === "Channel")
    .forEach((r) => builder.writeChannel(r)));
  const statistics = group(() => features.has("st") && builder.writeStatistics({ messageCount, channelCount,
    schemaCount, attachmentCount, metadataCount, chunkCount: chunk ? 1 : 0, messageStartTime: messageStartTime ?? 0n,
    messageEndTime: messageEndTime ?? 0n, channelMessageCounts }));
  const metadataIdx = group(() => metadataIndexes.forEach((r) => builder.writeMetadataIndex(r)));
  const attachmentIdx = group(() => attachmentIndexes.forEach((r) => builder.writeAttachmentIndex(r)));
  const chunkIdx = group(() => chunkIndexes.forEach((r) => builder.writeChunkIndex(r)));
  const hasSummary = BigInt(builder.length) !== summaryStart;
  let summaryOffsetStart = 0n;
  if (features.has("sum")) {
    summaryOffsetStart = BigInt(builder.length);
    for (const [opcode, [groupStart, groupLength]] of [[Opcode.SCHEMA, schemas], [Opcode.CHANNEL, channels],
      [Opcode.STATISTICS, statistics], [Opcode.METADATA_INDEX, metadataIdx],
      [Opcode.ATTACHMENT_INDEX, attachmentIdx], [Opcode.CHUNK_INDEX, chunkIdx]]) {
      if (groupLength !== 0n) builder.writeSummaryOffset({ groupOpcode: opcode, groupStart, groupLength });
    }
  }
  let summaryCrc = crc32Init();
  const buffer = builder.buffer;
  summaryCrc = crc32Update(summaryCrc, new Uint8Array(buffer.buffer, buffer.byteOffset + Number(summaryStart),
    buffer.byteLength - Number(summaryStart)));
  const footerPrefix = new DataView(new ArrayBuffer(1 + 8 + 8 + 8));
  footerPrefix.setUint8(0, Opcode.FOOTER);
  footerPrefix.setBigUint64(1, 8n + 8n + 4n, true);
  footerPrefix.setBigUint64(1 + 8, hasSummary ? summaryStart : 0n, true);
  footerPrefix.setBigUint64(1 + 8 + 8, summaryOffsetStart, true);
  summaryCrc = crc32Final(crc32Update(summaryCrc, footerPrefix));
  builder.writeFooter({ summaryStart: hasSummary ? summaryStart : 0n, summaryOffsetStart, summaryCrc });
  builder.writeMagic();
  return builder.buffer;
}

let failed = false;
for (const name of (await readdir(dir)).filter((n) => n.endsWith(".json")).sort()) {
  const base = name.slice(0, -".json".length);
  const features = new Set(base.split("-").slice(1).filter((f) => FEATURES.includes(f)));
  const data = generateFile(features, inputs(JSON.parse(await readFile(join(dir, name), "utf8"))));
  const pointer = await readFile(join(dir, `${base}.mcap.lfs-pointer`), "utf8");
  const sha = createHash("sha256").update(data).digest("hex");
  const same = pointer.includes(`oid sha256:${sha}`) && pointer.includes(`size ${data.byteLength}\n`);
  console.log(`${same ? "identical to the official file" : "DIFFERS from the official file"}: ${base}.mcap (${data.byteLength} bytes)`);
  failed ||= !same;
  await writeFile(join(dir, `${base}.mcap`), data);
}
process.exitCode = failed ? 1 : 0;
