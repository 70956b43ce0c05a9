/**
 * Messages between eval and the thread that runs its temporary task app.
 * @module
 */

/** What the thread is started with. */
export interface TaskAppThreadData {
  appId: string;
  /** Absolute paths of user modules to register first (apps registered with --module). */
  modules: string[];
  apiKey: string;
}

/** Eval → thread. */
export type ToTaskAppThread =
  | {
      type: 'request';
      id: number;
      method: string;
      url: string;
      headers: Record<string, string>;
      body?: string;
    }
  | { type: 'abort'; id: number }
  | { type: 'close' };

/** Thread → eval. */
export type FromTaskAppThread =
  | { type: 'ready'; url: string; port: number }
  | { type: 'log'; line: string }
  | { type: 'failed'; message: string; hint?: string }
  | { type: 'response'; id: number; status: number; headers: Record<string, string>; text: string }
  | { type: 'request-failed'; id: number; message: string }
  | { type: 'closed' };
