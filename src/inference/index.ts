/** @module inference */
export {};
