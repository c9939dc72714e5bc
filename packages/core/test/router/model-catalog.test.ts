import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelCatalog, quickCatalogModel, type CatalogModel } from '../../src/domain';
import { expectTRPCError, pollStatus, startHarness, type Harness, type TestUser } from './harness';

/*
 * A server configured with its own catalog (as VIDEO_MODELS / MODEL_CATALOG build it): videos.create accepts exactly
 * those models, each with its own sizes and durations; system.models tells clients what they are; a model is sent
 * upstream under its own name; an unknown price stays unknown and the spend cap counts it as documented.
 */

const veo: CatalogModel = {
  name: 'veo-3',
  label: 'Veo 3',
  description: 'Through the gateway.',
  sizes: ['1280x720'],
  seconds: [8],
  centsPerSecond: null,
  operations: { remix: false, extend: false, edit: false },
};
const catalog = createModelCatalog([quickCatalogModel('sora-2-2025-10-06'), veo]);

let h: Harness;
let ada: TestUser;

beforeAll(async () => {
  // $0.50/s for an unknown price: an 8 s veo-3 counts as $4.00, past the $3 cap; a 4 s sora-2 snapshot is $0.40.
  h = await startHarness({ settings: { catalog, dailySpendCapUsd: 3, unknownPriceUsdPerSecond: 0.5 } });
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

describe('a configured model catalog', () => {
  it('is what system.models returns, with the spend cap and how it counts unknown prices', async () => {
    const answer = await ada.caller.system.models();
    expect(answer.models.map((model) => [model.name, model.label, model.centsPerSecond])).toEqual([
      ['sora-2-2025-10-06', 'sora-2-2025-10-06', { '720x1280': 10, '1280x720': 10 }],
      ['veo-3', 'Veo 3', null],
    ]);
    expect(answer.models[1]).toMatchObject({ sizes: ['1280x720'], seconds: [8], description: 'Through the gateway.' });
    expect(answer.spendCap).toEqual({ dailyUsd: 3, unknownUsdPerSecond: 0.5 });
  });

  it('videos.create refuses a model the catalog does not list, naming the configured ones, and sends nothing', async () => {
    const before = h.sim.requests().length;
    const { error, shape } = await expectTRPCError(() => ada.caller.videos.create({ prompt: 'A fox', model: 'sora-2' }));
    expect(error.code).toBe('BAD_REQUEST');
    const zodError = (shape.data as { zodError: { fieldErrors: Record<string, string[]> } }).zodError;
    expect(zodError.fieldErrors.model).toEqual(['model must be one of sora-2-2025-10-06, veo-3 (the models this server offers)']);
    expect(h.sim.requests()).toHaveLength(before);
  });

  it("fills the defaults from the chosen model and refuses another model's durations", async () => {
    const first = await ada.caller.videos.create({ prompt: 'A default video' });
    expect([first.model, first.size, first.seconds]).toEqual(['sora-2-2025-10-06', '720x1280', 4]);
    const gateway = await ada.caller.videos.create({ prompt: 'A gateway video', model: 'veo-3' });
    expect([gateway.model, gateway.size, gateway.seconds]).toEqual(['veo-3', '1280x720', 8]);
    const { shape } = await expectTRPCError(() => ada.caller.videos.create({ prompt: 'x', model: 'veo-3', seconds: 4 }));
    expect((shape.data as { zodError: { fieldErrors: Record<string, string[]> } }).zodError.fieldErrors.seconds).toEqual([
      'seconds must be one of 8 for veo-3',
    ]);
  });

  it('sends the model upstream under its own name and prices a dated snapshot as its base', async () => {
    const video = await ada.caller.videos.create({ prompt: 'A snapshot video', model: 'sora-2-2025-10-06', seconds: 4 });
    await ada.caller.sora.generate({ videoId: video.id });
    const done = await pollStatus(ada.caller, video.id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.cost).toBe(0.4);
    const client = new OpenAI({ apiKey: h.sim.apiKey, baseURL: h.sim.url, maxRetries: 0 });
    expect((await client.videos.retrieve(done.jobId!)).model).toBe('sora-2-2025-10-06');
  });

  it('counts an unknown price toward the daily cap at the configured rate, saying so, and sends nothing', async () => {
    const video = await ada.caller.videos.create({ prompt: 'An expensive unknown', model: 'veo-3' });
    const creates = h.sim.requests().filter((entry) => entry.method === 'POST').length;
    const { error } = await expectTRPCError(() => ada.caller.sora.generate({ videoId: video.id }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toBe(
      'Daily spending limit reached: you have used $0.40 of your $3.00 limit today and this video would cost $4.00. ' +
        'Videos whose price is unknown count as $0.50 per second. The limit resets at 00:00 UTC.',
    );
    expect(h.sim.requests().filter((entry) => entry.method === 'POST')).toHaveLength(creates);
  });
});
