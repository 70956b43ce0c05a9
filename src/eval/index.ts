/** @module eval */
export {};
