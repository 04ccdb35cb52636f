// The official OpenAI SDK against Modelyard's /openai/v1, as a tenant's existing fine-tuning code would run it with
// only base_url and the API key changed. Run by OpenAiSdkTest (Java) with OPENAI_BASE_URL and OPENAI_API_KEY set;
// prints one JSON line of what it saw last, and exits non-zero on the first failed expectation.
import assert from 'node:assert/strict';
import OpenAI, { toFile } from 'openai';

const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY, maxRetries: 0 });

const intents = [
  ['Where is my parcel? It has not arrived.', 'delivery'],
  ['The courier never came, where is the package?', 'delivery'],
  ['Tracking says delivered but nothing is here', 'delivery'],
  ['I want my money back for this order', 'refund'],
  ['Please refund the broken kettle', 'refund'],
  ['How do I return this and get a refund?', 'refund'],
  ['My password does not work, I cannot log in', 'account'],
  ['How do I change the email on my account?', 'account'],
  ['Locked out of my account after the update', 'account'],
];

function chatExamples(rows) {
  const lines = [];
  for (let i = 0; i < rows; i++) {
    const [text, label] = intents[i % intents.length];
    lines.push(JSON.stringify({ messages: [
      { role: 'system', content: 'Classify the customer message.' },
      { role: 'user', content: `${text} (ticket ${i})` },
      { role: 'assistant', content: label },
    ] }));
  }
  return lines.join('\n') + '\n';
}

async function expectError(promise, status, code, param) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof OpenAI.APIError, `an APIError, not ${e}`);
    assert.equal(e.status, status, `status of ${JSON.stringify(e.error)}`);
    if (code) assert.equal(e.code, code, `code of ${JSON.stringify(e.error)}`);
    if (param !== undefined) assert.equal(e.param, param, `param of ${JSON.stringify(e.error)}`);
    assert.equal(typeof e.error.message, 'string');
    assert.ok('type' in e.error, 'OpenAI errors carry a type');
    return e;
  }
  assert.fail(`expected a ${status} error`);
}

async function waitFor(id, done, seconds = 150) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const job = await client.fineTuning.jobs.retrieve(id);
    if (done(job)) return job;
    if (Date.now() > deadline) assert.fail(`job ${id} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// Files: upload (chat-formatted classification examples), refusals, list, retrieve.
const file = await client.files.create({ file: await toFile(Buffer.from(chatExamples(90)), 'intents.jsonl'),
  purpose: 'fine-tune' });
assert.equal(file.object, 'file');
assert.equal(file.purpose, 'fine-tune');
assert.equal(file.filename, 'intents.jsonl');
assert.equal(file.status, 'processed');
assert.ok(file.bytes > 0 && Number.isInteger(file.created_at) && file.created_at < 1e11, 'Unix seconds');

await expectError(client.files.create({ file: await toFile(Buffer.from(chatExamples(9)), 'x.jsonl'),
  purpose: 'assistants' }), 400, 'invalid_purpose', 'purpose');
const bad = await expectError(client.files.create({ file: await toFile(Buffer.from('{"messages":[]}\n{"oops":1}\n'),
  'bad.jsonl'), purpose: 'fine-tune' }), 400, 'invalid_file_format', 'file');
assert.match(bad.message, /Line 1/);

const files = await client.files.list();
assert.ok(files.data.some((f) => f.id === file.id), 'the upload is listed');
assert.equal((await client.files.retrieve(file.id)).id, file.id);
await expectError(client.files.retrieve('ds_01missingmissingmissingmiss'), 404);

// Jobs: refusals first (nothing is created), then a real one.
await expectError(client.fineTuning.jobs.create({ model: 'bag_of_embeddings', training_file: 'ds_01nosuchfile000000000000' }),
  400, 'invalid_file', 'training_file');
await expectError(client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id }),
  400, 'model_not_available', 'model');
await expectError(client.fineTuning.jobs.create({ model: 'bag_of_embeddings', training_file: file.id,
  hyperparameters: { n_epochs: 0 } }), 400, undefined, 'hyperparameters.n_epochs');

const job = await client.fineTuning.jobs.create({ model: 'bag_of_embeddings', training_file: file.id,
  hyperparameters: { n_epochs: 3, batch_size: 16, learning_rate_multiplier: 2 }, suffix: 'Support Bot', seed: 7,
  metadata: { team: 'support' } });
assert.equal(job.object, 'fine_tuning.job');
assert.ok(['queued', 'running'].includes(job.status), job.status);
assert.equal(job.model, 'bag_of_embeddings');
assert.equal(job.training_file, file.id);
assert.equal(job.hyperparameters.n_epochs, 3);
assert.equal(job.hyperparameters.batch_size, 16);
assert.equal(job.hyperparameters.learning_rate_multiplier, 2);
assert.equal(job.seed, 7);
assert.deepEqual(job.metadata, { team: 'support' });
assert.equal(job.user_provided_suffix, 'Support Bot');
assert.equal(job.fine_tuned_model, null);

const finished = await waitFor(job.id, (j) => ['succeeded', 'failed', 'cancelled'].includes(j.status));
assert.equal(finished.status, 'succeeded', JSON.stringify(finished.error));
assert.match(finished.fine_tuned_model, /^mdl_/);
assert.ok(finished.finished_at >= finished.created_at);

const events = await client.fineTuning.jobs.listEvents(job.id, { limit: 100 });
assert.equal(events.data[0].message, 'The job has successfully completed', 'newest first');
const metrics = events.data.filter((e) => e.type === 'metrics');
assert.equal(metrics.length, 3, 'one metrics event per epoch');
assert.ok(typeof metrics[0].data.train_loss === 'number' && typeof metrics[0].data.step === 'number');
assert.ok(events.data.every((e) => e.object === 'fine_tuning.job.event' && ['info', 'warn', 'error'].includes(e.level)));
const older = await client.fineTuning.jobs.listEvents(job.id, { limit: 2, after: events.data[1].id });
assert.equal(older.data[0].id, events.data[2].id, 'after continues with older events');

const afterSuccess = await client.fineTuning.jobs.checkpoints.list(job.id);
assert.ok(Array.isArray(afterSuccess.data));

const models = await client.models.list();
const ids = [];
for await (const m of models) ids.push(m.id);
assert.ok(ids.includes(finished.fine_tuned_model) && ids.includes('text_cnn'), ids.join(','));
const model = await client.models.retrieve(finished.fine_tuned_model);
assert.equal(model.object, 'model');
assert.equal(model.owned_by, finished.organization_id);

// A second job from the first one's model (a new run of its architecture), cancelled while it runs.
const second = await client.fineTuning.jobs.create({ model: finished.fine_tuned_model, training_file: file.id,
  hyperparameters: { n_epochs: 200 } });
assert.equal(second.model, finished.fine_tuned_model);
// Its checkpoints while it runs: one per epoch, newest first.
let checkpoints;
for (let deadline = Date.now() + 90_000; ;) {
  checkpoints = await client.fineTuning.jobs.checkpoints.list(second.id);
  if (checkpoints.data.length >= 1) break;
  if (Date.now() > deadline) assert.fail('no checkpoint while the job ran');
  await new Promise((r) => setTimeout(r, 300));
}
assert.equal(checkpoints.data[0].object, 'fine_tuning.job.checkpoint');
assert.equal(checkpoints.data[0].fine_tuning_job_id, second.id);
assert.ok(checkpoints.data[0].step_number > 0 && typeof checkpoints.data[0].metrics.step === 'number');
const cancelling = await client.fineTuning.jobs.cancel(second.id);
assert.ok(['cancelled', 'running'].includes(cancelling.status), cancelling.status);
const cancelled = await waitFor(second.id, (j) => j.status === 'cancelled');
await expectError(client.fineTuning.jobs.cancel(job.id), 409);
await expectError(client.fineTuning.jobs.retrieve('job_01nosuchjob0000000000000000'), 404);

// Paging with after and limit, through the SDK's own pager.
const listed = [];
for await (const j of client.fineTuning.jobs.list({ limit: 1 })) listed.push(j.id);
assert.deepEqual(listed.slice(0, 2), [second.id, job.id], 'newest first, one page at a time');

// Deleting the file; then it is gone.
const deleted = await client.files.delete(file.id);
assert.deepEqual(deleted, { id: file.id, object: 'file', deleted: true });
await expectError(client.files.retrieve(file.id), 404);

const stranger = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: 'myd_live_notakey', maxRetries: 0 });
await expectError(stranger.files.list(), 401, 'invalid_api_key');

console.log(JSON.stringify({ file: file.id, job: job.id, model: finished.fine_tuned_model, cancelled: cancelled.id,
  events: events.data.length, checkpoints: checkpoints.data.length }));
