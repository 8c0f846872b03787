// Where a CPU profile's time went, by package or file and by function: the evidence for "what bounds it".
//
//   npx tsx bench/profile-summary.ts bench-results/profiles-<run>/*.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, inclusive: { type: 'string', default: '' } },
});
const top = Number(values.top);
/** Function names whose inclusive time (themselves and all they call) to report: --inclusive evaluateHousehold,decodeClaim */
const inclusiveNames = values.inclusive.split(',').filter(Boolean);

const shortUrl = (url: string) =>
  url.replace(/.*node_modules\//, 'nm/').replace(/^file:\/\/.*?\/(packages|services|bench|infra|test)\//, '$1/');
/** nm/@scope/name or nm/name for dependencies, the file for our own code, the frame name for V8's own ((gc), (idle)). */
function owner(url: string, fn: string): string {
  const u = shortUrl(url);
  if (u.startsWith('nm/')) {
    const parts = u.split('/');
    return parts.slice(0, parts[1]?.startsWith('@') ? 3 : 2).join('/');
  }
  return u || fn || '(native)';
}

for (const file of positionals) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    const cf = nodes.get(id)?.callFrame;
    if (!cf) return;
    total += dt;
    const o = owner(cf.url, cf.functionName);
    byOwner.set(o, (byOwner.get(o) ?? 0) + dt);
    const f = `${cf.functionName || '(anonymous)'} ${shortUrl(cf.url)}:${cf.lineNumber + 1}`;
    byFunction.set(f, (byFunction.get(f) ?? 0) + dt);
  });
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, t]) =>
          `  ${((100 * t) / total).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(0).padStart(7)} ms  ${name}`,
      )
      .join('\n');
  // Inclusive time: a sample counts for a name when that name is on its stack (once, however deep the recursion).
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>(inclusiveNames.map((n) => [n, 0]));
  if (inclusiveNames.length > 0) {
    p.samples.forEach((id, i) => {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const name = nodes.get(at)?.callFrame.functionName ?? '';
        if (inclusive.has(name) && !seen.has(name)) {
          seen.add(name);
          inclusive.set(name, inclusive.get(name)! + (p.timeDeltas[i] ?? 0));
        }
      }
    });
  }
  const inc = inclusiveNames.length > 0 ? `-- inclusive time\n${list(inclusive)}\n` : '';
  process.stdout.write(
    `${file}: ${(total / 1e6).toFixed(1)} s sampled\n-- self time by package/file\n${list(byOwner)}\n-- self time by function\n${list(byFunction)}\n${inc}\n`,
  );
}
