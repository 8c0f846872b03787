// Composition root of the `warnline` CLI: the real process's I/O, then run().
import { readFile } from 'node:fs/promises';
import { nodeDataDirIo } from './data-dir.ts';
import { run } from './run.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

process.exitCode = await run(process.argv.slice(2), {
  readStdin,
  readFile: (path) => readFile(path, 'utf8'),
  readDir: nodeDataDirIo.readDir,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
