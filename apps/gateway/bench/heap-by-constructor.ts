/**
 * Where the bytes of bench:sessions' open sessions go: reads two heap snapshots (`--snapshot DIR`
 * of bench:sessions writes them) and prints, by node type and constructor (or string / closure
 * name), how many more objects and bytes (self size) the second holds, biggest first.
 *   npx tsx bench/heap-by-constructor.ts before.heapsnapshot open.heapsnapshot [--top 40] [--per N]
 * `--per N` divides by N (the session count) to show bytes per session.
 */
import { readFileSync } from "node:fs";
import { benchArgs, numberOption } from "./options";

const { values: args, positionals } = benchArgs({ allowPositionals: true, options: { top: { type: "string", default: "40" }, per: { type: "string", default: "1" } } });
// Checked before the snapshots are read (which takes a while), not after.
const per = numberOption("per", args.per);
const top = numberOption("top", args.top);
if (positionals.length !== 2) {
  console.error("usage: heap-by-constructor.ts before.heapsnapshot after.heapsnapshot [--top 40] [--per N]");
  process.exit(2);
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: (string | string[])[] } };
  nodes: number[];
  strings: string[];
}

function totals(file: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0] as string[];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [number, number, number];
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt] as number] ?? "?";
    const name = type === "string" || type === "concatenated string" || type === "sliced string" ? "" : (snap.strings[snap.nodes[i + nameAt] as number] ?? "?").slice(0, 60);
    const key = `${type} ${name}`;
    const t = out.get(key) ?? { count: 0, bytes: 0 };
    t.count++;
    t.bytes += snap.nodes[i + sizeAt] as number;
    out.set(key, t);
  }
  return out;
}

const before = totals(positionals[0] as string);
const after = totals(positionals[1] as string);
const rows = [...after].map(([key, t]) => {
  const b = before.get(key) ?? { count: 0, bytes: 0 };
  return { key, count: (t.count - b.count) / per, bytes: (t.bytes - b.bytes) / per };
});
rows.sort((a, b) => b.bytes - a.bytes);
const total = rows.reduce((sum, r) => sum + r.bytes, 0);
console.log(`total self size added: ${total.toFixed(0)} B${per > 1 ? " per session" : ""}`);
for (const r of rows.slice(0, top)) console.log(`${r.bytes.toFixed(0).padStart(10)} B ${r.count.toFixed(2).padStart(9)} × ${r.key}`);
