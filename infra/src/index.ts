export * from './environment.ts';
export * from './processes.ts';
export * from './wait.ts';
export * from './cluster.ts';
