import {
  formatDuration,
  formatMemory,
  formatNumber,
  formatPercent,
  formatResources,
  joinWords,
  notebookName,
  safeHttpUrl,
  truncate
} from '../text';

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

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [0.9, '0 s'],
    [45, '45 s'],
    [59.9, '59 s'],
    [60, '1 min'],
    [180, '3 min'],
    [199, '3 min'],
    [3600, '1 h'],
    [3900, '1 h 5 min'],
    [86400, '1 d'],
    [86400 + 3 * 3600 + 59, '1 d 3 h'],
    [-5, '0 s']
  ])('%p s reads %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('shows unknown values as a dash', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(undefined)).toBe('–');
    expect(formatDuration(NaN)).toBe('–');
  });
});

describe('formatMemory', () => {
  it.each([
    [0, '0 MiB'],
    [512, '512 MiB'],
    [1024, '1 GiB'],
    [10240, '10 GiB'],
    [92160, '90 GiB'],
    [1536, '1.5 GiB'],
    [1024 * 1024 * 1.5, '1.5 TiB']
  ])('%p MiB reads %p', (mb, text) => {
    expect(formatMemory(mb)).toBe(text);
  });

  it('shows unknown values as a dash', () => {
    expect(formatMemory(null)).toBe('–');
  });
});

describe('formatNumber and formatPercent', () => {
  it('keeps at most one decimal', () => {
    expect(formatNumber(4.5)).toBe('4.5');
    expect(formatNumber(4)).toBe('4');
    expect(formatNumber(4.25)).toBe('4.3');
    expect(formatNumber(-0.01)).toBe('0');
    expect(formatNumber(undefined)).toBe('–');
  });

  it('reads shares in percent', () => {
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.123)).toBe('12%');
    expect(formatPercent(0.004)).toBe('0.4%');
    expect(formatPercent(null)).toBe('–');
  });
});

describe('words', () => {
  it('takes the file name of a notebook', () => {
    expect(notebookName('work/etl.ipynb')).toBe('etl.ipynb');
    expect(notebookName('etl.ipynb')).toBe('etl.ipynb');
    expect(notebookName('')).toBeNull();
    expect(notebookName(null)).toBeNull();
  });

  it('joins words', () => {
    expect(joinWords([])).toBe('');
    expect(joinWords(['a'])).toBe('a');
    expect(joinWords(['a', 'b'])).toBe('a and b');
    expect(joinWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
});

describe('safeHttpUrl', () => {
  it('keeps absolute http and https URLs', () => {
    expect(safeHttpUrl('http://ip-172-32-1-1:20888/proxy/app/')).toBe(
      'http://ip-172-32-1-1:20888/proxy/app/'
    );
    expect(safeHttpUrl(' https://example.org/x ')).toBe(
      'https://example.org/x'
    );
  });

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    '/relative/path',
    '//evil.example/x',
    '',
    null,
    undefined,
    42,
    { href: 'http://x' }
  ])('drops %p', url => {
    expect(safeHttpUrl(url)).toBeNull();
  });
});

describe('formatResources', () => {
  it.each([
    [8, 10240, '8 cores · 10 GiB'],
    [1, 1024, '1 core · 1 GiB'],
    [2, null, '2 cores'],
    [null, 512, '512 MiB'],
    [0, 0, '0 cores · 0 MiB'],
    [null, null, null],
    [-1, NaN, null]
  ])('%p cores, %p MiB -> %p', (cores, mb, expected) => {
    expect(formatResources(cores, mb)).toBe(expected);
  });
});
