export * from './random.ts';
export * from './feed.ts';
export * from './totals.ts';
export * from './triggers.ts';
export * from './order.ts';
