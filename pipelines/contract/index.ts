/**
 * The contract between the server and the dashboard: the shape of every API answer the web reads,
 * and the pure helpers both sides use (months, sort keys, vocabularies, header matching).
 * Pure TypeScript: nothing here imports outside this folder or from node:, so the browser bundle
 * can take it (the web imports it as `$contract`).
 */
export * from './months.ts';
export * from './vocabulary.ts';
export * from './header.ts';
export * from './kpi.ts';
export * from './breakdown.ts';
export * from './meta.ts';
export * from './trend-teams.ts';
export * from './lists.ts';
export * from './ingestion.ts';
export * from './spotcheck.ts';
export * from './assessment.ts';
export * from './policy.ts';
export * from './calendar.ts';
export * from './audit.ts';
export * from './users.ts';
export * from './errors.ts';
export * from './money.ts';
export * from './fraud.ts';
