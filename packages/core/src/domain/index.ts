// The pure domain of Sora Monitor: no I/O, no Node APIs, no SDK; safe to import from the browser.
export * from './backoff';
export * from './cost';
export * from './errors';
export * from './estimate';
export * from './events';
export * from './failures';
export * from './messages';
export * from './observation';
export * from './options';
export * from './progress';
export * from './reset';
export * from './start';
export * from './state';
export * from './status';
export * from './steps';
export * from './stuck';
export * from './transition';
