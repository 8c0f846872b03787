// Composition root of the alerter: config, then clients, then handlers; SIGTERM drains and closes.
import { Redis } from 'ioredis';
import { createLogger, closeOnSignals } from '@warnline/runtime';
import { loadConfig } from './config.ts';
import { buildHttp } from './http.ts';

const config = loadConfig();
const logger = createLogger('alerter', config.LOG_LEVEL);
const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const app = buildHttp({ logger, connection, prefix: config.QUEUE_PREFIX });
await app.listen({ port: config.ALERTER_PORT, host: config.ALERTER_HOST });
logger.info({ port: config.ALERTER_PORT }, 'alerter listening');

closeOnSignals(logger, [
  { name: 'http', close: () => app.close() },
  { name: 'redis', close: () => connection.quit() },
]);
