/** @module judge */
export {};
