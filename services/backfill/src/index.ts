// The backfill's pieces for other programs (the benchmark): the load itself and its inputs.
export { runBackfill, type BackfillDeps, type BackfillResult } from './backfill.ts';
export { freshCheckpoint, loadCheckpoint, saveCheckpoint, type Checkpoint, type Counts } from './checkpoint.ts';
export { csvRowMapper, parseCsvLine, parseCsvMapping, type CsvMapping } from './csv.ts';
export { expandInputs, readLines, type InputFile } from './files.ts';
export { createBackfillIntake, RECORD_KINDS, type RecordKind } from './intake.ts';
export { createProgress } from './progress.ts';
export { RejectsFile } from './rejects.ts';
