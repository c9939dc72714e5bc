import { writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makePng } from '@sora-monitor/core/testing/images';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealServer, type RealServer } from '../../../packages/core/test/client/real-server';
import { freshHome, parseJson, runCli } from './run-cli';

let server: RealServer;
let signedIn: Record<string, string>;
const dir = mkdtempSync(path.join(tmpdir(), 'sora-cli-image-'));

beforeAll(async () => {
  server = await startRealServer();
  signedIn = { ...freshHome(), SORA_MONITOR_URL: server.url, SORA_MONITOR_TOKEN: server.token };
});
afterAll(() => server?.stop());

interface VideoJson {
  id: string;
  lineage: { operation: string; sourceVideoId: string | null; extensionSeconds: number | null; referenceImageUrl: string | null };
  generation: { status: string };
}

// Sequential: each run is a whole Node process.
describe('new --image, remix, extend and edit from the CLI', () => {
  it('new --image sends a checked image; a wrong one is refused before upload, naming the problem (exit 2)', async () => {
    const good = path.join(dir, 'frame.png');
    await writeFile(good, makePng(720, 1280));
    const created = await runCli(['new', 'Animate this frame', '--image', good, '--json'], { env: signedIn });
    expect(created.code, created.stderr).toBe(0);
    const video = parseJson<VideoJson>(created);
    expect(video.lineage.referenceImageUrl).toBe(`/api/videos/${video.id}/content?variant=reference`);

    const wide = path.join(dir, 'wide.png');
    await writeFile(wide, makePng(1280, 720));
    const wrong = await runCli(['new', 'Wrong shape', '--image', wide], { env: signedIn });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`--image ${wide}: The image is 1280x720; a 720x1280 video needs an image of exactly 720x1280 pixels.`);

    const text = path.join(dir, 'notes.png');
    await writeFile(text, 'not really a png');
    const notImage = await runCli(['new', 'Not an image', '--image', text], { env: signedIn });
    expect(notImage.code).toBe(2);
    expect(notImage.stderr).toContain('not a JPEG, PNG or WebP image');
  });

  it('remix and extend a completed video, followed to the end', async () => {
    const sourceId = parseJson<VideoJson>(await runCli(['new', 'A lighthouse', '--seconds', '4', '--json'], { env: signedIn })).id;
    expect((await runCli(['watch', sourceId], { env: signedIn })).code).toBe(0);

    const remix = await runCli(['remix', sourceId, 'The lighthouse in fog', '--watch'], { env: signedIn });
    expect(remix.code, remix.stderr).toBe(0);
    expect(remix.stdout).toContain('Completed: "The lighthouse in fog" is ready');

    const missingSeconds = await runCli(['extend', sourceId, 'Longer'], { env: signedIn });
    expect(missingSeconds.code).toBe(2);
    const extension = await runCli(['extend', sourceId, 'The light turns', '--seconds', '8', '--json'], { env: signedIn });
    expect(extension.code, extension.stderr).toBe(0);
    expect(parseJson<VideoJson>(extension).lineage).toMatchObject({ operation: 'extend', sourceVideoId: sourceId, extensionSeconds: 8 });

    const notMine = await runCli(['edit', '7d1c4c8e-2f4b-4a52-9a57-3f3b7b0c9e11', 'Whose?'], { env: signedIn });
    expect(notMine.code).toBe(4);
  });
});
