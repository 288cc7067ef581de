import type { Command } from "commander";
import { resolveConfig } from "../../config";
import { loadEnv } from "../../env";
import { startGateway } from "../../gateway";
import { action } from "../output";
import { exitWithParent, onShutdown } from "../../shutdown";

export function registerGatewayCommand(command: Command): void {
  command
    .action(
      action(async () => {
        const config = await resolveConfig(loadEnv());
        if (!config.databaseUrl) throw new Error("DATABASE_URL is required for `switchyard gateway` (use `switchyard start` for zero-setup)");
        const { env } = config;
        // First: a `switchyard start` that dies while this one is still starting (its database may go with it)
        // ends this one too; until onShutdown below is installed, the SIGTERM simply exits.
        exitWithParent();
        const gateway = await startGateway(
          { ...config, databaseUrl: config.databaseUrl },
          {
            maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
            sessionIdleTtlMs: env.SESSION_IDLE_TTL_SECONDS * 1_000,
            defaultRateLimitPerMinute: env.DEFAULT_KEY_RATE_LIMIT_PER_MINUTE,
            shutdownGraceMs: env.GATEWAY_DRAIN_TIMEOUT_SECONDS * 1_000,
          },
        );
        // The drain, then ending sessions, flushing logs and stopping children.
        onShutdown(() => gateway.close(), { timeoutMs: env.GATEWAY_DRAIN_TIMEOUT_SECONDS * 1_000 + 20_000 });
      }, { exit: true }),
    );
}
