// What tests share, imported by package name (`@warnline/test`): valid inputs, unique names, topics that
// are ready, consumer lag, and (from infra) the process spawner and condition waits.
export * from './cleanup.ts';
export * from './fixtures.ts';
export * from './lag.ts';
export * from './names.ts';
export * from './topics.ts';
export {
  REPO_ROOT,
  SERVICE_NODE_FLAGS,
  startProcess,
  startScript,
  startService,
  runScript,
  waitFor,
  type Finished,
  type RunningProcess,
  type RunningService,
  type ServiceName,
} from '@warnline/infra';
export * from './nhsa.ts';
