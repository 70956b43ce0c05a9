import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { I, M } from '../../../src/apps/crafter/constants.ts';
import { createCrafterEnvironment } from '../../../src/apps/crafter/environment.ts';
import { crc32 } from '../../../src/apps/crafter/png.ts';
import { crafterTaskInfo, crafterTaskset } from '../../../src/apps/crafter/task-info.ts';
import { INTERACT_MANY_TOOL } from '../../../src/apps/crafter/tool.ts';
import { SynthError } from '../../../src/errors.ts';
import type { ChatToolCall } from '../../../src/tracing/types.ts';

const call = (args: string, name = 'interact_many'): ChatToolCall => ({
  id: 'c',
  type: 'function',
  function: { name, arguments: args },
});
const actions = (...names: unknown[]) => call(JSON.stringify({ actions: names }));
const env = (config = {}) => createCrafterEnvironment({ seed: 3, split: 'train', config });

describe('interact_many', () => {
  test('the tool schema: 17-name enum, 1..8 items, no extra properties', () => {
    // biome-ignore lint/suspicious/noExplicitAny: reading a JSON schema
    const params = INTERACT_MANY_TOOL.function.parameters as Record<string, any>;
    assert.equal(params['additionalProperties'], false);
    assert.deepEqual(params['required'], ['actions']);
    assert.equal(params['properties'].actions.items.enum.length, 17);
    assert.equal(params['properties'].actions.minItems, 1);
    assert.equal(params['properties'].actions.maxItems, 8);
  });

  test('runs actions in order and reports sub-step rewards', () => {
    const e = env();
    e.reset();
    const r = e.step(actions('move_left', 'noop', 'move_up'));
    assert.deepEqual(r.info['actions_executed'], ['move_left', 'noop', 'move_up']);
    assert.equal((r.info['sub_rewards'] as number[]).length, 3);
    assert.equal(r.observation.data['step'], 3);
    assert.deepEqual(r.observation.data['facing'], [0, -1]);
  });

  test('unknown names are skipped and reported; aliases are accepted', () => {
    const e = env();
    e.reset();
    const r = e.step(actions('left', 'fly', 42, 'Move North', 'interact'));
    assert.deepEqual(r.info['actions_executed'], ['move_left', 'move_up', 'do']);
    const rejected = r.info['rejected'] as { value: unknown; reason: string }[];
    assert.deepEqual(
      rejected.map((x) => x.value),
      ['fly', 42],
    );
    assert.match(r.toolResult, /Skipped action 2 \("fly"\): unknown action/);
  });

  test('bad JSON, wrong tool, missing list and empty list each run one noop and say why', () => {
    for (const [c, pattern] of [
      [call('{not json'), /not valid JSON/],
      [call('{"actions": []}', 'interact_many'), /No valid action/],
      [call('{"moves": ["do"]}'), /"actions" array/],
      [call('{"actions": ["do"]}', 'attack'), /unknown tool "attack"/],
      [call('null'), /"actions" array/],
    ] as const) {
      const e = env();
      e.reset();
      const r = e.step(c);
      assert.match(r.toolResult, pattern);
      assert.deepEqual(r.info['actions_executed'], ['noop']);
      assert.equal(r.observation.data['step'], 1);
    }
  });

  test('more than 8 actions: the first 8 run, the rest are reported', () => {
    const e = env();
    e.reset();
    const r = e.step(actions(...Array(10).fill('noop')));
    assert.equal((r.info['actions_executed'] as string[]).length, 8);
    assert.equal((r.info['rejected'] as unknown[]).length, 2);
  });

  test('stops at death and refuses to step a finished episode', () => {
    const e = env();
    e.reset();
    const { x, y } = e.engine.player;
    e.engine.world.setMaterial(x - 1, y, M.lava);
    const r = e.step(actions('move_left', 'noop', 'noop'));
    assert.deepEqual(r.info['actions_executed'], ['move_left']);
    assert.equal(r.terminated, true);
    assert.match(r.toolResult, /You died/);
    const again = e.step(actions('noop'));
    assert.match(again.toolResult, /episode is over/);
    assert.equal(again.observation.data['step'], 1);
    const s = e.summary();
    assert.equal(s.total_steps, 1);
    assert.equal(s.metadata['end'], 'death');
  });

  test('new achievements and the summary', () => {
    const e = env();
    e.reset();
    const { x, y } = e.engine.player;
    e.engine.world.setMaterial(x, y + 1, M.tree);
    const r = e.step(actions('do'));
    assert.deepEqual(r.info['new_achievements'], ['collect_wood']);
    assert.equal(r.reward, 1);
    assert.match(r.toolResult, /New achievements: collect_wood/);
    assert.equal(e.engine.inventory[I.wood], 1);
    const s = e.summary();
    assert.deepEqual([s.total_reward, s.achievements_count, s.total_steps], [1, 1, 1]);
    assert.deepEqual(s.metadata['achievements'], ['collect_wood']);
  });
});

describe('observation', () => {
  test('text shows map, facing, vitals, inventory and step; data carries the state', () => {
    const obs = env().reset();
    assert.match(obs.text, /step 0\/10000/);
    assert.match(obs.text, /Health 9\/9, Food 9\/9, Drink 9\/9, Energy 9\/9/);
    assert.match(obs.text, /facing down \(south\): grass/);
    const rows = obs.text.split('\n').filter((l) => /^([^ ] ){8}[^ ]$/.test(l));
    assert.equal(rows.length, 7);
    assert.equal(rows[3]![8], '@');
    assert.deepEqual(obs.data['position'], [32, 32]);
    assert.equal((obs.data['local_view'] as number[][]).length, 7);
    assert.equal(obs.image, undefined, 'no image unless asked');
  });

  test('render_image gives a valid PNG data URL, identical for identical states', () => {
    const a = env({ render_image: true }).reset();
    const b = env({ render_image: true }).reset();
    assert.equal(a.image, b.image);
    const png = Buffer.from(a.image!.replace('data:image/png;base64,', ''), 'base64');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    assert.deepEqual([width, height], [144, 128]);
    assert.equal(png.readUInt32BE(29), crc32(png.subarray(12, 29)), 'IHDR CRC');
    const idatLength = png.readUInt32BE(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    assert.equal(raw.length, (width * 3 + 1) * height);
  });

  test('bad config and bad seeds are usage errors', () => {
    assert.throws(
      () => env({ render_image: 'yes' }),
      (e: unknown) => SynthError.isInstance(e) && /render_image/.test((e as Error).message),
    );
    assert.throws(() => env({ episode_length: 0 }), /episode_length/);
    assert.throws(() => createCrafterEnvironment({ seed: -1, split: 'train', config: {} }), /seed/);
    assert.throws(() => createCrafterEnvironment({ seed: 1.5, split: 'train', config: {} }), /seed/);
  });
});

describe('task info', () => {
  test('traits near spawn and a difficulty label, deterministic per seed', () => {
    const info = crafterTaskInfo(5, 'test');
    const meta = info['task_metadata'] as {
      split: string;
      difficulty: string;
      traits: Record<string, unknown>;
    };
    assert.equal(meta['split'], 'test');
    assert.ok(['easy', 'medium', 'hard'].includes(meta['difficulty']));
    for (const k of ['trees', 'cows', 'hostiles']) assert.equal(typeof meta['traits'][k], 'number');
    assert.deepEqual(crafterTaskInfo(5, 'test'), info);
    const labels = new Set(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(
        (s) => (crafterTaskInfo(s)['task_metadata'] as { difficulty: string }).difficulty,
      ),
    );
    assert.ok(labels.size >= 2, 'labels vary across seeds');
    assert.equal((crafterTaskset()['achievements'] as string[]).length, 22);
  });
});
