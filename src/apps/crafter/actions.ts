/**
 * Action names as models write them: the 17 canonical names, plus text aliases (`left`, `interact`,
 * `craft_wood_pickaxe`, "Move West"...) and numeric ids, mapped to an action id or a reason for refusal.
 * @module
 */
import { A, ACTIONS, type ActionName } from './constants.ts';

const ALIASES: Record<string, ActionName> = {
  left: 'move_left',
  west: 'move_left',
  move_west: 'move_left',
  right: 'move_right',
  east: 'move_right',
  move_east: 'move_right',
  up: 'move_up',
  north: 'move_up',
  move_north: 'move_up',
  down: 'move_down',
  south: 'move_down',
  move_south: 'move_down',
  interact: 'do',
  use: 'do',
  attack: 'do',
  collect: 'do',
  mine: 'do',
  wait: 'noop',
  no_op: 'noop',
  none: 'noop',
  rest: 'sleep',
  place_sapling: 'place_plant',
};

/** A parsed action: its id and canonical name, or why it was refused. */
export type ParsedAction = { ok: true; id: number; name: ActionName } | { ok: false; reason: string };

/** Maps one action value (name, alias or id) to an action id. */
export function parseAction(value: unknown): ParsedAction {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value < ACTIONS.length) {
      return { ok: true, id: value, name: ACTIONS[value]! };
    }
    return { ok: false, reason: `action id ${value} is outside 0..${ACTIONS.length - 1}` };
  }
  if (typeof value !== 'string') return { ok: false, reason: `action must be a string, got ${typeof value}` };
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (/^\d+$/.test(key)) return parseAction(Number(key));
  if (key in A) return { ok: true, id: A[key as ActionName], name: key as ActionName };
  const alias =
    ALIASES[key] ?? (key.startsWith('craft_') ? (`make_${key.slice(6)}` as ActionName) : undefined);
  if (alias !== undefined && alias in A) return { ok: true, id: A[alias], name: alias };
  return { ok: false, reason: `unknown action ${JSON.stringify(value).slice(0, 60)}` };
}
