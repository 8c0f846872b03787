// Input files: the paths given (a directory stands for the files in it, in name order), read line by line
// with the byte offset after each line, so a checkpoint can say exactly where to go on. A plain file is
// resumed by seeking to that offset, so nothing before it is read again; a gzip file cannot be entered in
// the middle, so it is decompressed from its start and the lines before the offset are skipped unparsed.
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { backfillError } from '@warnline/contracts';

export interface InputFile {
  /** Absolute path. */
  path: string;
  /** Bytes on disk (compressed bytes for a gzip file). */
  size: number;
  gzip: boolean;
  /** `csv` by its name (`.csv`, `.csv.gz`), else JSON Lines. */
  format: 'csv' | 'jsonl';
}

const INPUT_NAME = /\.(jsonl|ndjson|json|csv)(\.gz)?$/i;

/** The files of the given paths, each once, directories expanded (files with a known extension only). */
export async function expandInputs(paths: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const path = resolve(given);
    const info = await stat(path).catch(() => {
      throw backfillError('INPUT_UNREADABLE', { message: `cannot read ${given}` });
    });
    const files = info.isDirectory()
      ? (await readdir(path))
          .filter((name) => INPUT_NAME.test(name))
          .sort()
          .map((name) => join(path, name))
      : [path];
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      out.push(await describe(file));
    }
  }
  if (out.length === 0) throw backfillError('INPUT_UNREADABLE', { message: 'no input files' });
  return out;
}

async function describe(path: string): Promise<InputFile> {
  const info = await stat(path);
  const head = Buffer.alloc(2);
  const handle = await open(path, 'r');
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  // By content, not name: an export called .csv may well be gzip.
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const format = /\.csv(\.gz)?$/i.test(path) ? 'csv' : 'jsonl';
  return { path, size: info.size, gzip, format };
}

export interface Line {
  /** 1-based line number in the (decompressed) file. */
  number: number;
  text: string;
  /** Byte offset just after this line's newline, in the decompressed content. */
  end: number;
}

export interface LineReader {
  lines: AsyncGenerator<Line>;
  /** Bytes read from disk so far (compressed bytes of a gzip file): the progress bar's measure. */
  diskBytes(): number;
  /** Stops reading and releases the file. */
  close(): void;
}

/**
 * Lines from `from` (a byte offset after a line, with `fromLine` lines before it) to the end. Empty lines
 * are skipped but counted; a trailing `\r` is dropped.
 */
export function readLines(file: InputFile, from = 0, fromLine = 0): LineReader {
  let disk = file.gzip ? 0 : from;
  const raw = createReadStream(file.path, { start: file.gzip ? 0 : from, highWaterMark: 1 << 20 });
  raw.on('data', (chunk: Buffer | string) => (disk += chunk.length));
  const content: Readable = file.gzip ? raw.pipe(createGunzip()) : raw;
  if (file.gzip) raw.on('error', (err) => content.destroy(err));
  return {
    diskBytes: () => disk,
    close: () => {
      raw.destroy();
      content.destroy();
    },
    lines: (async function* () {
      // Offsets of gzip content count from 0; the lines before `from` are passed over without a look.
      let offset = file.gzip ? 0 : from;
      let number = fromLine;
      let rest: Buffer = Buffer.alloc(0);
      for await (const chunk of content as AsyncIterable<Buffer>) {
        let buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
        let start = 0;
        for (let nl = buffer.indexOf(10, start); nl >= 0; nl = buffer.indexOf(10, start)) {
          const lineEnd = offset + (nl + 1 - start);
          if (lineEnd > from) {
            number++;
            const text = trimLine(buffer.toString('utf8', start, nl));
            if (text !== '') yield { number, text, end: lineEnd };
          }
          offset = lineEnd;
          start = nl + 1;
        }
        rest = buffer.subarray(start);
        buffer = rest;
      }
      if (rest.length > 0 && offset + rest.length > from) {
        number++;
        const text = trimLine(rest.toString('utf8'));
        if (text !== '') yield { number, text, end: offset + rest.length };
      }
    })(),
  };
}

function trimLine(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** The first line of a file (a CSV header), whatever the offset a resumed read starts at. */
export async function firstLine(file: InputFile): Promise<string> {
  const reader = readLines(file);
  try {
    for await (const line of reader.lines) return line.text;
    return '';
  } finally {
    reader.close();
  }
}
