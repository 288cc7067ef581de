/**
 * CPU time of processes from /proc, so bench:gateway can say where the machine's CPU went per call:
 * in the proxy itself, in the upstream processes it runs, in Postgres, in the load generator.
 * Linux only (the benchmark's machines); elsewhere every figure reads 0.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

interface Stat {
  pid: number;
  ppid: number;
  comm: string;
  /** user + system CPU, in ms */
  cpuMs: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may contain spaces: the fields after the last ")" are fixed.
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    const ppid = Number(fields[1]);
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return { pid, ppid, comm, cpuMs: ((utime + stime) * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

function allStats(): Stat[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  return entries.filter((e) => /^\d+$/.test(e)).flatMap((e) => readStat(Number(e)) ?? []);
}

/** Jiffies of the whole machine from /proc/stat: busy (anything but idle and iowait) and total. */
function machineJiffies(): { busy: number; total: number } {
  try {
    const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

export interface CpuSnapshot {
  /** CPU ms of the root process itself */
  self: number;
  /** CPU ms of the root's descendants alive now */
  children: number;
  /** CPU ms of every process named `postgres`, or of one database's backends (see cpuSnapshot) */
  postgres: number;
  /** this (load generator) process */
  loadGenerator: number;
  /** every core of the machine: jiffies busy and in all */
  machineBusy: number;
  machineTotal: number;
}

/** Whether a `postgres` process is a backend connected to `database` (its title names the database). */
function servesDatabase(pid: number, database: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(` ${database} `);
  } catch {
    return false;
  }
}

/**
 * CPU used so far by `rootPid` and its descendants, by Postgres, and by this process. With
 * `database`, Postgres counts only the backends connected to that database: on a machine where
 * other work uses the same Postgres server, theirs would otherwise be charged to this run.
 */
export function cpuSnapshot(rootPid: number | undefined, { database }: { database?: string } = {}): CpuSnapshot {
  const stats = allStats();
  const byParent = new Map<number, Stat[]>();
  for (const s of stats) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const root = stats.find((s) => s.pid === rootPid);
  let children = 0;
  const queue = [...(rootPid !== undefined ? (byParent.get(rootPid) ?? []) : [])];
  for (let s = queue.shift(); s; s = queue.shift()) {
    children += s.cpuMs;
    queue.push(...(byParent.get(s.pid) ?? []));
  }
  const usage = process.cpuUsage();
  const machine = machineJiffies();
  return {
    machineBusy: machine.busy,
    machineTotal: machine.total,
    self: root?.cpuMs ?? 0,
    children,
    postgres: stats.filter((s) => s.comm === "postgres" && (database === undefined || servesDatabase(s.pid, database))).reduce((sum, s) => sum + s.cpuMs, 0),
    loadGenerator: (usage.user + usage.system) / 1000,
  };
}

/** CPU between two snapshots, in ms per field. Descendants that exited in between are not counted. */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return {
    self: after.self - before.self,
    children: Math.max(0, after.children - before.children),
    postgres: after.postgres - before.postgres,
    loadGenerator: after.loadGenerator - before.loadGenerator,
    machineBusy: after.machineBusy - before.machineBusy,
    machineTotal: after.machineTotal - before.machineTotal,
  };
}
