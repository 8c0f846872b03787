export * from './random.ts';
export * from './feed.ts';
