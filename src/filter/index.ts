/** @module filter */
export {};
