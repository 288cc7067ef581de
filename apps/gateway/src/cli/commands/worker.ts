import { InvalidArgumentError, type Command } from "commander";
import { resolveConfig } from "../../config";
import { loadEnv } from "../../env";
import { exitWithParent, onShutdown } from "../../shutdown";
import { startWorker } from "../../worker/start-worker";
import { action } from "../output";

function positiveInt(max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return n;
  };
}

interface WorkerCommandOptions {
  concurrency?: number;
  remoteConcurrency?: number;
  connectTimeout?: number;
  callTimeout?: number;
}

export function registerWorkerCommand(command: Command): void {
  command
    .option("--concurrency <n>", "stdio servers probed at once, each a spawned process (default 8)", positiveInt(256))
    .option("--remote-concurrency <n>", "remote (HTTP) servers probed at once (default 32)", positiveInt(1024))
    .option("--connect-timeout <ms>", "spawn/connect + initialize timeout per server (default 10000)", positiveInt(600_000))
    .option("--call-timeout <ms>", "tools/list timeout per server (default 10000)", positiveInt(600_000))
    .action(
      action(async (opts: WorkerCommandOptions) => {
        const config = await resolveConfig(loadEnv());
        if (!config.databaseUrl) throw new Error("DATABASE_URL is required for `switchyard worker` (use `switchyard start` for zero-setup)");
        // First: a `switchyard start` that dies while this one is still starting (its database may go with it)
        // ends this one too; until onShutdown below is installed, the SIGTERM simply exits.
        exitWithParent();
        const worker = await startWorker(
          { ...config, databaseUrl: config.databaseUrl },
          {
            ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
            ...(opts.remoteConcurrency ? { remoteConcurrency: opts.remoteConcurrency } : {}),
            ...(opts.connectTimeout ? { connectTimeoutMs: opts.connectTimeout } : {}),
            ...(opts.callTimeout ? { callTimeoutMs: opts.callTimeout } : {}),
          },
        );
        onShutdown(() => worker.close());
      }, { exit: true }),
    );
}
