// Composition root of the console: config, then Redis (sessions), then the HTTP server; SIGTERM closes.
import { checkRedisSettings, closeOnSignals, createLogger, createRedisClient } from '@warnline/runtime';
import { loadConfig } from './config.ts';
import { buildConsole } from './server.ts';
import { SessionStore } from './sessions.ts';

const config = loadConfig();
checkRedisSettings(config);
const logger = createLogger('console', config.LOG_LEVEL);
const redis = createRedisClient(config, { maxRetriesPerRequest: 2 });
const sessions = new SessionStore(redis, config.REDIS_PREFIX, config.CONSOLE_IDLE_MINUTES * 60);
const app = buildConsole({
  logger,
  sessions,
  alerter: { baseUrl: config.ALERTER_URL, timeoutMs: config.CONSOLE_ALERTER_TIMEOUT_MS },
  secureCookies: config.CONSOLE_SECURE_COOKIES,
});
await app.listen({ port: config.CONSOLE_PORT, host: config.CONSOLE_HOST });
logger.info({ url: `http://${config.CONSOLE_HOST}:${config.CONSOLE_PORT}/` }, 'console listening');

closeOnSignals(logger, [
  { name: 'http', close: () => app.close() },
  { name: 'redis', close: () => redis.quit() },
]);
