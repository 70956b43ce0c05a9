/** @module task-app */
export {};
