/** @module policies */
export {};
