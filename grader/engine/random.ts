// Random test data that can be replayed. Specs randomise what a hard-coded
// answer could fake (paths, names, values); every value comes from one seed
// per run, printed with each failure, and `ROUNDTRIP_SEED=<seed>` replays it.
// Each behaviour draws from its own stream (the seed and its name), so
// replaying one lesson gives the same values whatever ran before it.
import { createHash, randomBytes } from 'node:crypto';

/** This run's seed: the one asked for, or a new one (shared by every spec in a process). */
export const runSeed: string = (process.env.ROUNDTRIP_SEED ||= randomBytes(4).toString('hex'));

/** A small, fast, seeded generator (sfc32), seeded from a hash of `seed` and `stream`. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string, stream = '') {
    const h = createHash('sha256').update(`${seed}\0${stream}`).digest();
    [this.a, this.b, this.c, this.d] = [h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)];
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** `bytes` random bytes as lower-case hex: `hex(4)` -> "9f03a1c2". */
  hex(bytes = 4): string {
    let out = '';
    for (let i = 0; i < bytes; i++) out += this.int(0, 255).toString(16).padStart(2, '0');
    return out;
  }

  /** One item of a list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** A shuffled copy of a list. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }

  /** `length` random bytes. */
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
    return out;
  }
}
