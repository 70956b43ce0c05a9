/** @module rl */
export {};
