import { randomBytes } from 'node:crypto';
import type { CharacterObject } from './wire';

/** Characters made with POST /videos/characters, in memory, by public id. */
export class CharacterStore {
  readonly #characters = new Map<string, CharacterObject>();

  constructor(
    private readonly now: () => number,
    private readonly publicId: (rawId: string) => string,
  ) {}

  create(name: string): CharacterObject {
    const character: CharacterObject = {
      id: this.publicId(`char_${randomBytes(16).toString('hex')}`),
      created_at: Math.floor(this.now() / 1000),
      name,
    };
    this.#characters.set(character.id, character);
    return character;
  }

  find(id: string): CharacterObject | undefined {
    return this.#characters.get(id);
  }
}
