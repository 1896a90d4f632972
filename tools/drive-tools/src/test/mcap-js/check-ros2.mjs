// Checks a ROS 2 recording (record --profile ros2) with independent implementations: @mcap/core's indexed reader
// (CRCs validated), @foxglove/rosmsg parsing each channel's ros2msg schema text, and
// @foxglove/rosmsg2-serialization (on @foxglove/cdr) deserializing every CDR message with it.
// Prints one JSON report on stdout: header profile, channels (topic, encodings, schema name, metadata) and the
// first and last message of each topic with its fields (typed arrays as plain arrays; NaN and +/-Infinity as strings);
// exits 1 if anything fails. Usage: node check-ros2.mjs file.mcap
import { McapIndexedReader } from "@mcap/core";
import { FileHandleReadable } from "@mcap/nodejs";
import { loadDecompressHandlers } from "@mcap/support";
import { parse } from "@foxglove/rosmsg";
import { MessageReader } from "@foxglove/rosmsg2-serialization";
import { open } from "node:fs/promises";

const plain = (v) => {
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "bigint") return v.toString();
  if (ArrayBuffer.isView(v)) return Array.from(v, plain);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
};

const path = process.argv[2];
const report = { file: path, problems: [], channels: [], first: {}, last: {}, counts: {} };
const handle = await open(path, "r");
try {
  const reader = await McapIndexedReader.Initialize({
    readable: new FileHandleReadable(handle), decompressHandlers: await loadDecompressHandlers(),
  });
  report.profile = reader.header.profile;
  const readers = new Map();
  for (const channel of reader.channelsById.values()) {
    const schema = reader.schemasById.get(channel.schemaId);
    report.channels.push({
      topic: channel.topic, messageEncoding: channel.messageEncoding, schemaEncoding: schema?.encoding,
      schemaName: schema?.name, metadata: Object.fromEntries(channel.metadata),
    });
    try {
      const definition = parse(new TextDecoder().decode(schema.data), { ros2: true });
      readers.set(channel.id, new MessageReader(definition));
    } catch (e) {
      report.problems.push(`${channel.topic}: schema ${schema?.name} does not parse: ${e.message}`);
    }
  }
  for await (const m of reader.readMessages({ validateCrcs: true })) {
    const topic = reader.channelsById.get(m.channelId).topic;
    report.counts[topic] = (report.counts[topic] ?? 0) + 1;
    try {
      const message = readers.get(m.channelId).readMessage(m.data);
      const seen = { logTime: m.logTime.toString(), publishTime: m.publishTime.toString(), message: plain(message) };
      report.first[topic] ??= seen;
      report.last[topic] = seen;
    } catch (e) {
      report.problems.push(`${topic}: message at ${m.logTime} does not deserialize: ${e.message}`);
    }
  }
} catch (e) {
  report.problems.push(`the indexed reader fails: ${e.message}`);
} finally {
  await handle.close();
}
console.log(JSON.stringify(report));
process.exit(report.problems.length === 0 ? 0 : 1);
