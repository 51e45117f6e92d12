import { truncate } from '../text';

describe('truncate', () => {
  it('keeps what fits', () => {
    expect(truncate('nightly etl', 11)).toBe('nightly etl');
    expect(truncate('', 3)).toBe('');
  });

  it('cuts at a word near the end, with an ellipsis, within max', () => {
    expect(truncate('the nightly etl of the data team', 20)).toBe(
      'the nightly etl of…'
    );
    expect(truncate('the nightly etl of the data team', 22)).toBe(
      'the nightly etl of…'
    );
    expect(truncate('abcdefghijklmnop', 8)).toBe('abcdefg…');
    // A space too early is not worth it: cut in the word.
    expect(truncate('a bcdefghijklmnop', 8)).toBe('a bcdef…');
    for (const max of [1, 2, 5, 13]) {
      expect(truncate('x y z w v u t s r q', max).length).toBeLessThanOrEqual(
        Math.max(2, max)
      );
    }
  });
});
