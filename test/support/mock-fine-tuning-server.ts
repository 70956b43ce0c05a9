import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

interface Job {
  id: string;
  model: string;
  training_file: string;
  status: string;
  fine_tuned_model: string | null;
  polls: number;
  events: { id: string; created_at: number; level: string; message: string; object: string; type: string }[];
  error: { code: string; message: string; param: null } | null;
  method: unknown;
}

/**
 * A local server speaking the OpenAI files + fine-tuning jobs wire format: uploads are multipart, jobs move
 * validating_files → queued → running → succeeded one step per status poll, and a file whose lines are not
 * chat examples fails its job the way the real API reports it.
 */
export async function startMockFineTuningServer(options: { apiKey: string }) {
  const files = new Map<string, { filename: string; text: string }>();
  const jobs = new Map<string, Job>();
  const app = new Hono();
  let counter = 0;
  const now = () => Math.floor(Date.now() / 1000);

  app.use('*', async (c, next) => {
    if (c.req.header('authorization') !== `Bearer ${options.apiKey}`) {
      return c.json({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }, 401);
    }
    await next();
  });
  app.post('/v1/files', async (c) => {
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || body.purpose !== 'fine-tune') {
      return c.json({ error: { message: 'file and purpose=fine-tune are required' } }, 400);
    }
    const id = `file-${++counter}`;
    const text = await file.text();
    files.set(id, { filename: file.name, text });
    return c.json({
      id,
      object: 'file',
      bytes: text.length,
      created_at: now(),
      filename: file.name,
      purpose: 'fine-tune',
      status: 'processed',
    });
  });
  app.post('/v1/fine_tuning/jobs', async (c) => {
    const body = (await c.req.json()) as { model: string; training_file: string; method?: unknown };
    const file = files.get(body.training_file);
    if (!file) return c.json({ error: { message: `file ${body.training_file} not found` } }, 400);
    const id = `ftjob-${++counter}`;
    const valid = file.text
      .split('\n')
      .filter((l) => l.trim())
      .every((line) => {
        try {
          return Array.isArray(JSON.parse(line).messages);
        } catch {
          return false;
        }
      });
    const job: Job = {
      id,
      model: body.model,
      training_file: body.training_file,
      status: 'validating_files',
      fine_tuned_model: null,
      polls: 0,
      events: [],
      error: valid
        ? null
        : { code: 'invalid_training_file', message: 'line 1 is not a chat example', param: null },
      method: body.method,
    };
    jobs.set(id, job);
    return c.json(view(job));
  });
  app.get('/v1/fine_tuning/jobs/:id', (c) => {
    const job = jobs.get(c.req.param('id'));
    if (!job) return c.json({ error: { message: 'not found' } }, 404);
    advance(job);
    return c.json(view(job));
  });
  app.get('/v1/fine_tuning/jobs/:id/events', (c) => {
    const job = jobs.get(c.req.param('id'));
    if (!job) return c.json({ error: { message: 'not found' } }, 404);
    return c.json({ object: 'list', data: [...job.events].reverse(), has_more: false });
  });

  function advance(job: Job) {
    const next: Record<string, string> = {
      validating_files: 'queued',
      queued: 'running',
      running: 'succeeded',
    };
    if (job.error) job.status = 'failed';
    else if (next[job.status]) job.status = next[job.status]!;
    if (job.status === 'succeeded') job.fine_tuned_model = `ft:${job.model}:synth:${job.id}`;
    job.events.push({
      id: `ftevent-${++counter}`,
      created_at: now(),
      level: job.error ? 'error' : 'info',
      message: job.error ? job.error.message : `status ${job.status}`,
      object: 'fine_tuning.job.event',
      type: 'message',
    });
  }
  function view(job: Job) {
    return {
      id: job.id,
      object: 'fine_tuning.job',
      model: job.model,
      created_at: now(),
      status: job.status,
      fine_tuned_model: job.fine_tuned_model,
      training_file: job.training_file,
      validation_file: null,
      error: job.status === 'failed' ? job.error : null,
      finished_at: null,
      hyperparameters: {},
      organization_id: 'org-test',
      result_files: [],
      seed: 0,
      trained_tokens: null,
      method: job.method,
    };
  }

  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    files,
    jobs,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
