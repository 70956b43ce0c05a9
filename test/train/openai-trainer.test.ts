import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SynthError } from '../../src/errors.ts';
import { createOpenAiTrainer } from '../../src/train/openai/openai-trainer.ts';
import type { TrainerEvent } from '../../src/train/trainer.ts';
import { startMockFineTuningServer } from '../support/mock-fine-tuning-server.ts';

const KEY = 'sk-test-fine-tuning-key-0123456789';

describe('openai trainer against a local fine-tuning API', () => {
  let server: Awaited<ReturnType<typeof startMockFineTuningServer>>;
  const dir = mkdtempSync(join(tmpdir(), 'synth-ft-'));
  const good = join(dir, 'good.jsonl');
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(
    good,
    `${JSON.stringify({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ],
    })}\n`,
  );
  writeFileSync(bad, 'not json\n');

  before(async () => {
    server = await startMockFineTuningServer({ apiKey: KEY });
  });
  after(() => server.close());

  it('uploads the dataset, creates the job and polls it to success, printing its events', async () => {
    const events: TrainerEvent[] = [];
    const trainer = createOpenAiTrainer({ apiKey: KEY, baseURL: server.baseURL, pollIntervalS: 0.01 });
    const outcome = await trainer.sft(
      { datasetPath: good, model: 'gpt-4o-mini-2024-07-18', hyperparameters: { epochs: 2 } },
      { wait: true, onEvent: (e) => events.push(e) },
    );
    assert.equal(outcome.status, 'succeeded');
    assert.match(outcome.model ?? '', /^ft:gpt-4o-mini-2024-07-18:synth:/);
    const uploaded = [...server.files.values()][0]!;
    assert.match(uploaded.text, /"assistant"/);
    const job = server.jobs.get(outcome.jobId)!;
    assert.deepEqual(job.method, { type: 'supervised', supervised: { hyperparameters: { n_epochs: 2 } } });
    assert.ok(events.some((e) => e.message === 'status running'));
    assert.ok(events.some((e) => e.message === 'status succeeded'));
  });

  it('reports a job that fails validation as failed, with the reason', async () => {
    const trainer = createOpenAiTrainer({ apiKey: KEY, baseURL: server.baseURL, pollIntervalS: 0.01 });
    const outcome = await trainer.sft({ datasetPath: bad, model: 'gpt-4o-mini' }, { wait: true });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.error ?? '', /not a chat example/);
  });

  it('returns at once without --poll', async () => {
    const trainer = createOpenAiTrainer({ apiKey: KEY, baseURL: server.baseURL });
    const outcome = await trainer.sft({ datasetPath: good, model: 'gpt-4o-mini' });
    assert.equal(outcome.status, 'running');
    assert.match(outcome.jobId, /^ftjob-/);
  });

  it('a bad key is one clear error that never shows the key', async () => {
    const wrong = 'sk-wrong-key-abcdefghijklmnop';
    const trainer = createOpenAiTrainer({ apiKey: wrong, baseURL: server.baseURL });
    await assert.rejects(trainer.sft({ datasetPath: good, model: 'gpt-4o-mini' }), (error: unknown) => {
      assert.ok(SynthError.isInstance(error));
      assert.match(error.oneLine(), /answered 401/);
      assert.match(error.oneLine(), /api_key_env/);
      assert.doesNotMatch(error.oneLine(), /abcdefghijklmnop/);
      return true;
    });
  });

  it('a missing dataset is a usage error', async () => {
    const trainer = createOpenAiTrainer({ apiKey: KEY, baseURL: server.baseURL });
    await assert.rejects(trainer.sft({ datasetPath: join(dir, 'nope.jsonl'), model: 'm' }), /does not exist/);
  });
});
