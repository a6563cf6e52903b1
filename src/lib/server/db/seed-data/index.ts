export * from './municipalities.js';
export * from './embassies.js';
export * from './names.js';
export * from './generate-voters.js';
export * from './test-identities.js';
export * from './candidate-lists.js';
