/** @module train */
export {};
