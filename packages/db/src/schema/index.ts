export * from './enums';
export * from './auth';
export * from './videos';
export * from './generations';
export * from './events';
export * from './webhooks';
export * from './user-webhooks';
export * from './usage-rollups';
