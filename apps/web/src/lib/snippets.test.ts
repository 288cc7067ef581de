import { describe, expect, it } from "vitest";
import { endpointUrl, snippet, KEY_PLACEHOLDER } from "./snippets";

describe("connection snippets", () => {
  const project = "0190b1c2-0000-7000-8000-000000000001";

  it("builds project and per-server URLs for both transports", () => {
    expect(endpointUrl("http://127.0.0.1:8080/", project, "streamable_http")).toBe(`http://127.0.0.1:8080/projects/${project}/mcp`);
    expect(endpointUrl("http://127.0.0.1:8080", project, "sse", "github")).toBe(`http://127.0.0.1:8080/projects/${project}/servers/github/sse`);
  });

  it("writes each client's config shape with the key placeholder", () => {
    const url = endpointUrl("https://gw.example", project, "streamable_http");
    expect(JSON.parse(snippet("cursor", { name: "sy", url, transport: "streamable_http" }))).toEqual({
      mcpServers: { sy: { url, headers: { Authorization: `Bearer ${KEY_PLACEHOLDER}` } } },
    });
    type Doc = Record<string, Record<string, Record<string, string>>>;
    const parse = (text: string) => JSON.parse(text) as Doc;
    expect(parse(snippet("vscode", { name: "sy", url, transport: "streamable_http" })).servers?.sy?.type).toBe("http");
    expect(parse(snippet("vscode", { name: "sy", url, transport: "sse" })).servers?.sy?.type).toBe("sse");
    expect(parse(snippet("cline", { name: "sy", url, transport: "streamable_http" })).mcpServers?.sy?.type).toBe("streamableHttp");
    expect(parse(snippet("windsurf", { name: "sy", url, transport: "streamable_http" })).mcpServers?.sy?.serverUrl).toBe(url);
    expect(snippet("claude_code", { name: "sy", url, transport: "sse", apiKey: "sy_abc" })).toBe(`claude mcp add --transport sse sy ${url} --header "Authorization: Bearer sy_abc"`);
  });
});
