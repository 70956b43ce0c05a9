import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupAdvantages } from '../../src/rl/advantages.ts';
import type { ToolDefinition } from '../../src/tracing/types.ts';
import {
  actionSpaceFromTools,
  labelsOfToolCall,
  toolCallForLabel,
} from '../../src/train/local/action-space.ts';
import { featurize } from '../../src/train/local/featurize.ts';
import { createLocalPolicy } from '../../src/train/local/local-policy.ts';
import { policyGradientUpdate } from '../../src/train/local/policy-gradient.ts';
import { type SftExample, trainSft } from '../../src/train/local/sft.ts';
import { SoftmaxModel } from '../../src/train/local/softmax-model.ts';

const ACTIONS = ['noop', 'move_left', 'do'];
const TOOLS: ToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: 'interact_many',
      parameters: {
        type: 'object',
        properties: { actions: { type: 'array', items: { type: 'string', enum: ACTIONS } } },
        required: ['actions'],
      },
    },
  },
];
const space = actionSpaceFromTools(TOOLS)!;

function example(observation: string, action: string): SftExample {
  return {
    messages: [
      { role: 'user', content: observation },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'interact_many', arguments: JSON.stringify({ actions: [action] }) },
          },
        ],
      },
    ],
  };
}

describe('local trainer', () => {
  it('reads the action space from a tool schema and round-trips tool calls', () => {
    assert.deepEqual(space, {
      toolName: 'interact_many',
      argument: 'actions',
      isList: true,
      labels: ACTIONS,
    });
    const call = toolCallForLabel(space, 2, 'x');
    assert.deepEqual(labelsOfToolCall(space, call), [2]);
    const bad = { ...call, function: { ...call.function, arguments: '{not json' } };
    assert.deepEqual(labelsOfToolCall(space, bad), []);
  });

  it('SFT learns which action follows which observation', () => {
    const examples = [];
    for (let i = 0; i < 30; i++) {
      examples.push(example(`Facing: tree\nHealth: ${i % 9}`, 'do'));
      examples.push(example(`Facing: water\nHealth: ${i % 9}`, 'move_left'));
    }
    const result = trainSft(examples, { space, dims: 1024, epochs: 4 });
    assert.equal(result.samples, 60);
    assert.ok(result.losses.at(-1)! < result.losses[0]!, `loss should fall: ${result.losses.join(', ')}`);
    const tree = result.model.probabilities(featurize('Facing: tree\nHealth: 3', 1024));
    const water = result.model.probabilities(featurize('Facing: water\nHealth: 3', 1024));
    assert.ok(tree[2]! > 0.8, `P(do | tree) = ${tree[2]}`);
    assert.ok(water[1]! > 0.8, `P(move_left | water) = ${water[1]}`);
  });

  it('a checkpoint survives JSON and refuses mismatched weights', () => {
    const model = trainSft([example('Facing: tree', 'do')], { space, dims: 256, epochs: 2 }).model;
    const copy = SoftmaxModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    assert.deepEqual(Array.from(copy.weights), Array.from(model.weights));
    assert.throws(() => SoftmaxModel.fromJSON({ ...model.toJSON(), dims: 512 }), /do not match/);
  });

  it('the local policy answers with the tool call and the chat messages of the turn', async () => {
    const model = trainSft([example('Facing: tree', 'do')], { space, dims: 256, epochs: 20 }).model;
    const policy = createLocalPolicy({ model, seed: 1, temperature: 0 });
    const decision = await policy.decide({
      observation: { text: 'Facing: tree', data: {} },
      tools: TOOLS,
      history: [],
      turn: 0,
      seed: 1,
    });
    assert.equal(decision.toolCalls[0]!.function.arguments, '{"actions":["do"]}');
    assert.equal(decision.messages[0]!.role, 'user');
    assert.deepEqual(decision.messages[1]!.tool_calls, decision.toolCalls);
  });

  for (const variety of ['grpo', 'gspo'] as const) {
    it(`${variety}: a positive advantage raises the chosen action's probability, a negative one lowers it`, () => {
      const model = new SoftmaxModel(ACTIONS, 256);
      const features = featurize('Facing: tree', 256);
      const before = model.probabilities(features);
      const advantages = groupAdvantages([1, 0]);
      policyGradientUpdate(
        model,
        [
          { decisions: [{ features, action: 2, oldProbability: before[2]! }], advantage: advantages[0]! },
          { decisions: [{ features, action: 0, oldProbability: before[0]! }], advantage: advantages[1]! },
        ],
        { variety, learningRate: 0.5, epochs: 1 },
      );
      const after = model.probabilities(features);
      assert.ok(after[2]! > before[2]!);
      assert.ok(after[0]! < before[0]!);
    });
  }

  it('a decision with its own advantage (step rewards) learns even when its sequence advantage is 0', () => {
    const model = new SoftmaxModel(ACTIONS, 256);
    const features = featurize('Facing: tree', 256);
    const before = model.probabilities(features);
    policyGradientUpdate(
      model,
      [{ decisions: [{ features, action: 2, oldProbability: before[2]!, advantage: 1 }], advantage: 0 }],
      { variety: 'grpo', learningRate: 0.5, epochs: 1 },
    );
    assert.ok(model.probabilities(features)[2]! > before[2]!);
  });

  it('clipping stops an update once the ratio leaves [1-ε, 1+ε]', () => {
    const model = new SoftmaxModel(ACTIONS, 256);
    const features = featurize('Facing: tree', 256);
    const old = model.probabilities(features)[2]!;
    const batch = [{ decisions: [{ features, action: 2, oldProbability: old }], advantage: 1 }];
    const { clippedFraction } = policyGradientUpdate(model, batch, {
      variety: 'grpo',
      learningRate: 5,
      epochs: 3,
      clip: 0.2,
    });
    assert.equal(clippedFraction, 1);
  });
});

describe('groupAdvantages', () => {
  it('centres and scales within the group, skipping unusable rewards', () => {
    const a = groupAdvantages([1, 0, null, 1, 0]);
    assert.equal(a[2], null);
    assert.ok(Math.abs(a[0]! - 1) < 1e-4 && Math.abs(a[1]! + 1) < 1e-4);
    assert.deepEqual(groupAdvantages([2, 2, 2]), [0, 0, 0]);
    assert.deepEqual(groupAdvantages([null, null]), [null, null]);
  });
});
