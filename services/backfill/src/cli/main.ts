// Composition root of `warnline backfill`: options and settings, then the files, Kafka and the checkpoint,
// then the load. Exit 0 when every file is loaded, 130 when stopped by a signal (run the same command to
// resume), 2 for a usage or input error (`warnline: <CODE>: <message>`), 1 when Kafka failed (resume later).
import { readFile } from 'node:fs/promises';
import { backfillError, isCodedError } from '@warnline/contracts';
import { createPublisher } from '@warnline/ingest/publisher';
import { createKafka, createLogger, ensureTopics, SessionProducer, topicNames, topicSpecs } from '@warnline/runtime';
import { parseBackfillArgs, USAGE } from '../args.ts';
import { runBackfill } from '../backfill.ts';
import { freshCheckpoint, loadCheckpoint, saveCheckpoint } from '../checkpoint.ts';
import { loadConfig } from '../config.ts';
import { parseCsvMapping } from '../csv.ts';
import { expandInputs } from '../files.ts';
import { createBackfillIntake } from '../intake.ts';
import { createProgress } from '../progress.ts';
import { RejectsFile } from '../rejects.ts';

// kafkajs 2.2.4 schedules a timer with a negative delay on Node 24 (Node clamps it to 1 ms); the services
// silence that one warning with a flag, a command run by hand silences it here. Other warnings still print.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const argv = process.argv.slice(2);
// Called as `warnline backfill …` the first word is the subcommand.
if (argv[0] === 'backfill') argv.shift();

async function main(): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options = parseBackfillArgs(argv);
  const config = loadConfig();
  const logger = createLogger('backfill', config.LOG_LEVEL);
  const files = await expandInputs(options.paths);
  const mapping = options.mapping
    ? parseCsvMapping(
        await readFile(options.mapping, 'utf8').catch(() => {
          throw backfillError('INPUT_UNREADABLE', { message: `cannot read ${options.mapping}` });
        }),
      )
    : null;
  if (!mapping && files.some((f) => f.format === 'csv'))
    throw backfillError('BACKFILL_USAGE', { message: 'CSV files need --mapping' });

  const saved = options.dryRun || options.fresh ? null : await loadCheckpoint(options.checkpoint, options.kind, files);
  const checkpoint = saved ?? freshCheckpoint(options.kind, files);
  const rejects = await RejectsFile.open(options.rejects, checkpoint.rejectsBytes);

  let producer: SessionProducer | null = null;
  let stop = false;
  const onSignal = () => {
    if (stop) process.exit(130);
    stop = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = performance.now();
  try {
    const topics = topicNames(config.TOPIC_NAMESPACE);
    let publisher = null;
    if (!options.dryRun) {
      if (!config.KAFKA_BROKERS) {
        process.stderr.write('configuration error:\n  KAFKA_BROKERS: required unless --dry-run\n');
        return 78;
      }
      const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'warnline-backfill', logger });
      await ensureTopics(kafka, topicSpecs(topics, config.TOPIC_PARTITIONS));
      producer = new SessionProducer(kafka, { sendTimeoutMs: config.BACKFILL_PUBLISH_TIMEOUT_MS, logger });
      await producer.connect();
      publisher = createPublisher(producer, topics);
    }
    const progress = createProgress({
      enabled: options.progress && process.stderr.isTTY === true,
      totalBytes: files.reduce((sum, f) => sum + f.size, 0),
      write: (text) => process.stderr.write(text),
    });
    if (saved) process.stderr.write(`resuming from ${options.checkpoint}: ${saved.counts.read} records done\n`);
    const result = await runBackfill({
      files,
      intake: createBackfillIntake({
        kind: options.kind,
        pseudonymKey: config.PSEUDONYM_KEY,
        retentionMonths: config.RETENTION_MONTHS,
        institutionLevels: config.INGEST_INSTITUTION_LEVELS,
        onError: (err) => logger.error({ err: { name: (err as Error).name } }, 'unexpected failure on one record'),
      }),
      publisher,
      rejects,
      checkpoint,
      saveCheckpoint: options.dryRun ? async () => {} : (cp) => saveCheckpoint(options.checkpoint, cp),
      mapping,
      batchSize: options.batchSize,
      progress,
      kindOfRecords: options.kind === 'households' ? 'household' : 'claim',
      stopRequested: () => stop,
    });
    progress.finish();
    const seconds = (performance.now() - started) / 1000;
    const summary = {
      kind: options.kind,
      dryRun: options.dryRun,
      complete: result.complete,
      files: files.length,
      ...result.counts,
      rejectsFile: options.rejects,
      seconds: Number(seconds.toFixed(3)),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    const codes = Object.entries(result.counts.byCode).sort(([, a], [, b]) => b - a);
    process.stderr.write(
      `${result.complete ? 'done' : 'stopped (run the same command to resume)'}: ${result.counts.read} read, ` +
        `${result.counts.accepted} accepted, ${result.counts.rejected} rejected` +
        (codes.length > 0 ? `\n${codes.map(([code, n]) => `  ${code}: ${n}`).join('\n')}` : '') +
        '\n',
    );
    return result.complete ? 0 : 130;
  } finally {
    await rejects.close();
    await producer?.disconnect();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  if (isCodedError(err)) {
    process.stderr.write(`warnline: ${err.code}: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(
      `warnline: backfill failed (${(err as Error).name}: ${(err as Error).message}); run the same command to resume\n`,
    );
    process.exitCode = 1;
  }
}
// Open handles (a Kafka reconnect timer) must not keep a finished load alive.
process.exit(process.exitCode);
