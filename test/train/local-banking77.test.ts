import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BANKING77_TOOL } from '../../src/apps/banking77/environment.ts';
import { banking77App, builtinSplit } from '../../src/apps/banking77/index.ts';
import { actionSpaceFromTools } from '../../src/train/local/action-space.ts';
import { evaluateLocalModel } from '../../src/train/local/evaluate-local.ts';
import { trainSft } from '../../src/train/local/sft.ts';
import { SoftmaxModel } from '../../src/train/local/softmax-model.ts';

describe('local trainer on Banking77, through the task app over HTTP', () => {
  it('SFT on the train split classifies held-out test queries far above chance', async () => {
    const space = actionSpaceFromTools([BANKING77_TOOL])!;
    const examples = builtinSplit('train').map((example) => ({
      messages: [
        { role: 'user' as const, content: `Customer query: ${example.text}` },
        {
          role: 'assistant' as const,
          content: null,
          tool_calls: [
            {
              id: 'c',
              type: 'function' as const,
              function: { name: 'banking77_classify', arguments: JSON.stringify({ intent: example.label }) },
            },
          ],
        },
      ],
    }));
    const { model } = trainSft(examples, { space, dims: 4096, epochs: 8 });
    const testSeeds = builtinSplit('test').map((_, i) => i);
    const untrained = await evaluateLocalModel({
      app: banking77App,
      model: new SoftmaxModel(space.labels, 4096),
      seeds: testSeeds,
      maxTurns: 1,
      envConfig: { split: 'test' },
    });
    const trained = await evaluateLocalModel({
      app: banking77App,
      model,
      seeds: testSeeds,
      maxTurns: 1,
      envConfig: { split: 'test' },
    });
    assert.equal(trained.returns.length, 77);
    assert.ok(untrained.meanReturn <= 2 / 77, `an untrained model is at chance: ${untrained.meanReturn}`);
    assert.ok(trained.meanReturn > 0.2, `accuracy after SFT: ${trained.meanReturn}`);
  });
});
