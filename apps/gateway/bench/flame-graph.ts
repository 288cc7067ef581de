/**
 * A flame graph as a standalone SVG (bench/cpu-profile.ts): the root at the bottom, each frame as
 * wide as its share of the samples, callers below callees; hovering a frame shows its name,
 * samples and share. Frames narrower than MIN_WIDTH px are left out, which keeps the file small.
 */
export interface FlameNode {
  name: string;
  /** samples in this frame itself */
  self: number;
  /** samples in this frame and everything it called */
  total: number;
  children: Map<string, FlameNode>;
}

const WIDTH = 1200;
const FRAME = 16;
const TOP = 36;
const MIN_WIDTH = 1;
const CHAR = 6.5;

const escape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** Warm colours by where the frame's code lives, so the repo's own code stands out. */
function colour(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  const jitter = Math.abs(hash) % 40;
  if (/^\([^)]*\)$/.test(name)) return `rgb(200,${80 + jitter},${80 + jitter})`;
  if (/ (apps|packages)\//.test(name)) return `rgb(240,${120 + jitter},40)`;
  if (name.includes("node_modules/")) return `rgb(220,${180 + jitter},60)`;
  return `rgb(${150 + jitter},${170 + jitter},200)`;
}

function depthOf(n: FlameNode, scale: number): number {
  let deepest = 0;
  for (const c of n.children.values()) if (c.total * scale >= MIN_WIDTH) deepest = Math.max(deepest, depthOf(c, scale));
  return deepest + 1;
}

export function flameGraphSvg(root: FlameNode, title: string): string {
  const scale = WIDTH / Math.max(1, root.total);
  const height = TOP + depthOf(root, scale) * FRAME + 4;
  const rects: string[] = [];
  const draw = (n: FlameNode, x: number, depth: number) => {
    const w = n.total * scale;
    if (w < MIN_WIDTH) return;
    const y = height - 4 - (depth + 1) * FRAME;
    const share = `${((100 * n.total) / Math.max(1, root.total)).toFixed(2)} %`;
    const fits = Math.floor((w - 6) / CHAR);
    const label = fits >= 3 ? (n.name.length <= fits ? n.name : `${n.name.slice(0, fits - 2)}..`) : "";
    rects.push(
      `<g><title>${escape(n.name)} (${n.total} samples, ${share})</title><rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${FRAME - 1}" rx="2" fill="${colour(n.name)}"/>${label ? `<text x="${(x + 3).toFixed(1)}" y="${y + 11.5}">${escape(label)}</text>` : ""}</g>`,
    );
    let childX = x;
    for (const c of [...n.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      draw(c, childX, depth + 1);
      childX += c.total * scale;
    }
  };
  draw(root, 0, 0);
  return [
    `<?xml version="1.0" standalone="no"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Verdana, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fafafa"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escape(title)}</text>`,
    ...rects,
    `</svg>`,
    "",
  ].join("\n");
}
