// Checks MCAP files with the official TypeScript library (@mcap/core): the indexed reader (footer, summary,
// chunk and message indexes) and the streaming reader, both validating CRCs, plus the data section CRC.
// Prints one JSON report for all files on stdout; exits 1 if any file fails.
// Usage: node check-files.mjs [--summary] a.mcap ...   (--summary: leave the message lists out of the report)
import { McapIndexedReader, McapStreamReader } from "@mcap/core";
import { FileHandleReadable } from "@mcap/nodejs";
import { loadDecompressHandlers, protobufFromBinaryDescriptor } from "@mcap/support";
import { crc32 } from "@foxglove/crc";
import { open, readFile } from "node:fs/promises";

const decompressHandlers = await loadDecompressHandlers();

async function check(path) {
  const report = { file: path, problems: [] };
  const bytes = await readFile(path);

  // 1. Indexed reader: what Foxglove uses to open a file at any time without reading all of it.
  const handle = await open(path, "r");
  try {
    const reader = await McapIndexedReader.Initialize({ readable: new FileHandleReadable(handle), decompressHandlers });
    const messages = [];
    const decoders = new Map();
    const decoded = {};
    const foxglove = {};
    const decode = (m) => {
      const channel = reader.channelsById.get(m.channelId);
      const schema = reader.schemasById.get(channel.schemaId);
      if (channel.messageEncoding === "json") {
        JSON.parse(new TextDecoder().decode(m.data));
      } else if (channel.messageEncoding === "protobuf" && schema?.encoding === "protobuf") {
        if (!decoders.has(schema.id)) {
          decoders.set(schema.id, protobufFromBinaryDescriptor(schema.data).lookupType(schema.name));
        }
        const message = decoders.get(schema.id).decode(m.data);
        if (schema.name.startsWith("foxglove.") && !foxglove[schema.name]) {
          const o = message.toJSON();
          if (o.data) o.data = `${message.data.length} bytes`;
          if (o.ranges) o.ranges = `${o.ranges.length} ranges`;
          foxglove[schema.name] = { topic: channel.topic, ...o };
        }
      } else {
        return;
      }
      const name = schema?.name ?? channel.messageEncoding;
      decoded[name] = (decoded[name] ?? 0) + 1;
    };
    for await (const m of reader.readMessages({ validateCrcs: true })) {
      try {
        decode(m);
      } catch (e) {
        report.problems.push(`message on channel ${m.channelId} at ${m.logTime} does not decode: ${e.message}`);
      }
      messages.push({
        topic: reader.channelsById.get(m.channelId).topic, channelId: m.channelId, sequence: m.sequence,
        logTime: m.logTime.toString(), data: Buffer.from(m.data).toString("base64"),
      });
    }
    const stats = reader.statistics;
    report.indexed = {
      messageCount: messages.length,
      chunkCount: reader.chunkIndexes.length,
      compressions: [...new Set(reader.chunkIndexes.map((c) => c.compression))],
      channels: [...reader.channelsById.values()].map((c) => ({
        id: c.id, topic: c.topic, messageEncoding: c.messageEncoding,
        schemaName: reader.schemasById.get(c.schemaId)?.name ?? "", metadata: Object.fromEntries(c.metadata),
      })),
      decoded,
      foxglove,
      messages,
    };
    report.statistics = stats && {
      messageCount: Number(stats.messageCount), chunkCount: stats.chunkCount, channelCount: stats.channelCount,
      schemaCount: stats.schemaCount, messageStartTime: stats.messageStartTime.toString(),
      messageEndTime: stats.messageEndTime.toString(),
      channelMessageCounts: Object.fromEntries([...stats.channelMessageCounts].map(([k, v]) => [k, Number(v)])),
    };
    if (!stats) {
      report.problems.push("no Statistics record");
    } else {
      if (Number(stats.messageCount) !== messages.length) {
        report.problems.push(`indexed reader saw ${messages.length} messages, Statistics says ${stats.messageCount}`);
      }
      if (stats.chunkCount !== reader.chunkIndexes.length) {
        report.problems.push(`${reader.chunkIndexes.length} chunk indexes, Statistics says ${stats.chunkCount}`);
      }
      const perChannel = new Map();
      for (const m of messages) perChannel.set(m.channelId, (perChannel.get(m.channelId) ?? 0) + 1);
      for (const [id, n] of stats.channelMessageCounts) {
        if ((perChannel.get(id) ?? 0) !== Number(n)) {
          report.problems.push(`channel ${id}: ${perChannel.get(id) ?? 0} messages, Statistics says ${n}`);
        }
      }
    }
    for (let i = 1; i < messages.length; i++) {
      if (BigInt(messages[i].logTime) < BigInt(messages[i - 1].logTime)) {
        report.problems.push(`indexed reader: message ${i} is earlier than message ${i - 1}`);
        break;
      }
    }
    report.summaryOffsetGroups = [...reader.summaryOffsetsByOpcode.keys()];
    if (reader.summaryOffsetsByOpcode.size === 0) report.problems.push("no Summary Offset records");
    // 2. Data section CRC (the indexed reader reads it but does not check it): every byte before Data End.
    const dataEndAt = Number(reader.dataEndOffset);
    if (bytes[dataEndAt] !== 0x0f) {
      report.problems.push(`no Data End record at offset ${dataEndAt}`);
    } else {
      const actual = crc32(bytes.subarray(0, dataEndAt));
      report.dataSectionCrc = { declared: reader.dataSectionCrc ?? 0, actual };
      if (reader.dataSectionCrc === undefined || reader.dataSectionCrc === 0) {
        report.problems.push("data section CRC not written");
      } else if (actual !== reader.dataSectionCrc) {
        report.problems.push(`data section CRC ${actual}, Data End says ${reader.dataSectionCrc}`);
      }
    }
    report.summaryCrc = reader.footer.summaryCrc;
    if (reader.footer.summaryCrc === 0) report.problems.push("summary CRC not written");
  } catch (e) {
    report.problems.push(`indexed reader: ${e.message}`);
  } finally {
    await handle.close();
  }

  // 3. Streaming reader: every record from start to end, chunk CRCs validated.
  try {
    const stream = new McapStreamReader({ decompressHandlers, validateCrcs: true });
    stream.append(bytes);
    const counts = {};
    let record;
    while ((record = stream.nextRecord())) {
      counts[record.type] = (counts[record.type] ?? 0) + 1;
    }
    if (!stream.done()) report.problems.push("streaming reader did not reach the end magic");
    report.stream = { recordCounts: counts, messageCount: counts.Message ?? 0 };
    if (report.statistics && report.stream.messageCount !== report.statistics.messageCount) {
      report.problems.push(`streaming reader saw ${report.stream.messageCount} messages, Statistics says ${report.statistics.messageCount}`);
    }
  } catch (e) {
    report.problems.push(`streaming reader: ${e.message}`);
  }
  return report;
}

const reports = [];
const summaryOnly = process.argv.includes("--summary");
for (const path of process.argv.slice(2).filter((a) => a !== "--summary")) {
  const report = await check(path);
  if (summaryOnly && report.indexed) delete report.indexed.messages;
  reports.push(report);
}
console.log(JSON.stringify(reports, null, 1));
// exitCode, not exit(): exit() can cut a large report short when stdout is a pipe
process.exitCode = reports.every((r) => r.problems.length === 0) ? 0 : 1;
