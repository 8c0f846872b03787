export * from './logger.ts';
export * from './kafka.ts';
export * from './shutdown.ts';
export * from './env.ts';
export * from './session-producer.ts';
export * from './tokens.ts';
export * from './bearer.ts';
export * from './queues.ts';
