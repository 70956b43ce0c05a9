/** @module apps */
export {};
