export * from './exchange.ts';
export * from './mapping.ts';
