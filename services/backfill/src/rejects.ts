// The rejects file: one JSON line per refused record, with the file and line it came from, its codes and the
// record as a dead letter keeps it (contract fields only, identity numbers pseudonymised or masked), so an
// operator can find and fix the source row without the file ever holding an identity number.
import { open, type FileHandle } from 'node:fs/promises';
import type { DeadLetter } from '@warnline/contracts';

export interface RejectLine {
  file: string;
  line: number;
  kind: DeadLetter['kind'];
  code: string;
  field: string;
  message: string;
  rejections: DeadLetter['rejections'];
  input: DeadLetter['input'];
}

export function rejectLine(file: string, line: number, letter: DeadLetter): RejectLine {
  return {
    file,
    line,
    kind: letter.kind,
    code: letter.code,
    field: letter.field,
    message: letter.message,
    rejections: letter.rejections,
    input: letter.input,
  };
}

export class RejectsFile {
  private constructor(
    private readonly handle: FileHandle,
    private length: number,
  ) {}

  /** Opens the file and cuts it back to `length` (what the checkpoint counted), dropping lines written after it. */
  static async open(path: string, length: number): Promise<RejectsFile> {
    const handle = await open(path, 'a+');
    await handle.truncate(length);
    return new RejectsFile(handle, length);
  }

  /** Appends the lines and flushes them to disk; returns the file's length after them. */
  async append(lines: readonly RejectLine[]): Promise<number> {
    if (lines.length === 0) return this.length;
    const text = Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    await this.handle.appendFile(text);
    await this.handle.datasync();
    this.length += text.length;
    return this.length;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
