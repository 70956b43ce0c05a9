/** @module backend */
export {};
