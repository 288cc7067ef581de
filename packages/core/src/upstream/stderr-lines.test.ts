import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readStderrLines } from "./stderr-lines";

async function linesOf(chunks: (string | Buffer)[], maxLine = 10): Promise<string[]> {
  const stream = new PassThrough();
  const lines: string[] = [];
  readStderrLines(stream, (l) => lines.push(l), maxLine);
  for (const c of chunks) stream.write(c);
  stream.end();
  await new Promise((resolve) => stream.on("end", resolve));
  return lines;
}

describe("readStderrLines", () => {
  it("joins lines split across chunks and drops blank ones", async () => {
    expect(await linesOf(["he", "llo\nwor", "ld\r\n\n  \nlast"])).toEqual(["hello", "world", "last"]);
  });

  it("cuts an overlong line and skips its rest up to the next newline", async () => {
    expect(await linesOf(["0123456789abc", "defgh", "ij\nnext\n"])).toEqual(["0123456789…", "next"]);
    expect(await linesOf(["0123456789abcdef\nok\n"])).toEqual(["0123456789…", "ok"]);
  });

  it("keeps multi-byte characters split across chunks intact", async () => {
    const bytes = Buffer.from("héllo\n");
    expect(await linesOf([bytes.subarray(0, 2), bytes.subarray(2)])).toEqual(["héllo"]);
  });
});
