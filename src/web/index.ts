/** @module web */
export {};
