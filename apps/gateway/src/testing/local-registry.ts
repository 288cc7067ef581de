/**
 * A loopback npm registry serving one package packed from test fixtures, so that `npx -y <package>`
 * with a cold cache really downloads and installs, without ever touching the network.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface LocalRegistry {
  url: string;
  /** Every path asked for, in order (a cold start asks for the tarball). */
  requests: string[];
  close: () => Promise<void>;
}

export async function startLocalRegistry(packageDir: string): Promise<LocalRegistry> {
  const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { name: string; version: string; bin?: Record<string, string> };
  const packDir = await mkdtemp(join(tmpdir(), "sy-registry-"));
  const [packed] = JSON.parse(execFileSync("npm", ["pack", packageDir, "--pack-destination", packDir, "--json"], { encoding: "utf8" })) as { filename: string }[];
  const tarball = readFileSync(join(packDir, packed?.filename ?? ""));
  const tarballPath = `/${pkg.name}/-/${pkg.name}-${pkg.version}.tgz`;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(req.url ?? "/");
    requests.push(path);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (path === `/${pkg.name}`) {
      const dist = {
        tarball: `${base}${tarballPath}`,
        shasum: createHash("sha1").update(tarball).digest("hex"),
        integrity: `sha512-${createHash("sha512").update(tarball).digest("base64")}`,
      };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ name: pkg.name, "dist-tags": { latest: pkg.version }, versions: { [pkg.version]: { name: pkg.name, version: pkg.version, bin: pkg.bin, dist } } }));
    } else if (path === tarballPath) {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(tarball);
    } else {
      res.writeHead(404, { "content-type": "application/json" });
      res.end('{"error":"not found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(packDir, { recursive: true, force: true });
    },
  };
}
