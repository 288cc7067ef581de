/** Shared start of the fault scenarios: the cluster, a key, server-everything, and a load on both transports. */
import { startCluster, everything, type Cluster, type ClusterOptions } from "../cluster/cluster";
import { connectClient, startLoad, type Load, type LoadOptions } from "../cluster/load";
import { INSTANCES } from "./settings";

export interface Scenario {
  cluster: Cluster;
  key: string;
  load: (over?: Partial<LoadOptions>) => Load;
}

export async function startScenario(options: ClusterOptions = {}): Promise<Scenario> {
  const cluster = await startCluster({ instances: INSTANCES, ...options });
  const { key } = await cluster.newKey();
  await cluster.addServer(everything());
  // Every instance learns the key, the project and its catalogue before anything breaks.
  await warm(cluster, key, "everything__echo");
  return {
    cluster,
    key,
    load: (over = {}) => startLoad({ endpoints: { http: cluster.endpoint("http"), sse: cluster.endpoint("sse") }, key, perTransport: 3, pauseMs: 20, ...over }),
  };
}

/** Calls `tool` on every instance directly (not through the balancer), on both transports. */
export async function warm(cluster: Cluster, key: string, tool: string): Promise<void> {
  for (const gateway of cluster.gateways)
    for (const transport of ["http", "sse"] as const) {
      const client = await connectClient(cluster.instanceEndpoint(gateway, transport), transport, key);
      await client.callTool({ name: tool, arguments: { message: "warm" } });
      await client.close();
    }
}
