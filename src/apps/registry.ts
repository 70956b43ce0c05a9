/**
 * The task app registry: the built-in apps plus apps a user registers, from code or from a module path.
 * Lookups accept an app's id or any of its aliases.
 * @module
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.ts';
import { isTaskApp, type TaskApp } from '../task-app/define.ts';
import { banking77App } from './banking77/app.ts';
import { grpoCrafterApp } from './grpo-crafter.ts';

const BUILT_IN: readonly TaskApp[] = [banking77App, grpoCrafterApp];

const registered = new Map<string, TaskApp>();

function names(app: TaskApp): string[] {
  return [app.id, ...(app.aliases ?? [])].map((name) => name.toLowerCase());
}

function findApp(id: string): TaskApp | undefined {
  const wanted = id.trim().toLowerCase();
  for (const app of [...registered.values(), ...BUILT_IN]) if (names(app).includes(wanted)) return app;
  return undefined;
}

/** Every known app: user-registered first, then the built-in ones. */
export function listTaskApps(): TaskApp[] {
  const seen = new Set<string>();
  const apps: TaskApp[] = [];
  for (const app of [...registered.values(), ...BUILT_IN]) {
    if (seen.has(app.id)) continue;
    seen.add(app.id);
    apps.push(app);
  }
  return apps;
}

/** `id (alias, alias)` for every known app, for error messages and `--help`. */
export function describeKnownApps(): string {
  return listTaskApps()
    .map((app) => (app.aliases?.length ? `${app.id} (${app.aliases.join(', ')})` : app.id))
    .join(', ');
}

/**
 * Finds an app by id or alias (case-insensitive).
 * @throws UsageError naming the known apps when there is no such app.
 */
export function getTaskApp(id: string): TaskApp {
  const app = findApp(id);
  if (app) return app;
  throw new UsageError(`unknown task app "${id}"; known apps: ${describeKnownApps()}`, {
    hint: 'pick one of them, or register yours with --module PATH',
  });
}

/**
 * Registers an app made by `defineTaskApp`. A user app may replace a built-in one with the same id;
 * two user apps may not claim the same name.
 */
export function registerTaskApp(app: TaskApp): void {
  if (!isTaskApp(app)) {
    throw new UsageError('registerTaskApp() takes an app made by defineTaskApp()', {
      hint: 'wrap it in defineTaskApp({...})',
    });
  }
  for (const name of names(app)) {
    for (const other of registered.values()) {
      if (other.id !== app.id && names(other).includes(name)) {
        throw new UsageError(`task app name "${name}" is already taken by "${other.id}"`, {
          hint: 'give the app another id or alias',
        });
      }
    }
  }
  registered.set(app.id, app);
}

/**
 * Imports a module (a path relative to the working directory, `.ts` or `.js`) and registers every task
 * app it exports (default or named). Returns the apps it registered.
 */
export async function registerTaskAppModule(path: string, cwd: string = process.cwd()): Promise<TaskApp[]> {
  const url = pathToFileURL(resolve(cwd, path)).href;
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (cause) {
    throw new UsageError(`cannot load task app module ${path}: ${(cause as Error).message}`, {
      hint: 'check the --module path and that the module runs',
      cause,
    });
  }
  const apps = [...new Set(Object.values(module).filter(isTaskApp))];
  if (apps.length === 0) {
    throw new UsageError(`module ${path} exports no task app`, {
      hint: 'export default defineTaskApp({...}) from it',
    });
  }
  for (const app of apps) registerTaskApp(app);
  return apps;
}

/** Forgets user-registered apps (for tests). */
export function clearRegisteredTaskApps(): void {
  registered.clear();
}
