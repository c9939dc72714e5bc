import type {
  Video,
  VideoCreateCharacterResponse,
  VideoDeleteResponse,
  VideoGetCharacterResponse,
} from 'openai/resources/videos';
import { describe, expectTypeOf, it } from 'vitest';
import type { CharacterObject, VideoDeleted, VideoObject } from '../src/index';

// Compile-time guard (checked by `tsc`, i.e. the package typecheck): what the simulator serves is what the SDK types.
describe('wire types', () => {
  it('match the openai SDK', () => {
    expectTypeOf<VideoObject>().toExtend<Video>();
    expectTypeOf<VideoDeleted>().toExtend<VideoDeleteResponse>();
    expectTypeOf<Video['status']>().toEqualTypeOf<VideoObject['status']>();
    expectTypeOf<CharacterObject>().toExtend<VideoCreateCharacterResponse>();
    expectTypeOf<CharacterObject>().toExtend<VideoGetCharacterResponse>();
  });
});
