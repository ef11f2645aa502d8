/** Dollar exposure: the price table, its resolver, request rates and the 24-hour estimate. */
export * from './prices.js';
export * from './rates.js';
export * from './estimate.js';
