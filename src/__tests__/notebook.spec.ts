import { findNotebookSession, isSparkmagicKernel } from '../hints/notebook';
import {
  aSnapshot,
  BOB_KERNEL,
  BOB_NOTEBOOK,
  EXAMPLE_ANSWER,
  exampleAnswer,
  PLAIN_NOTEBOOK
} from './fixtures';

describe('isSparkmagicKernel', () => {
  it.each([
    ['pysparkkernel', null, true],
    ['sparkkernel', null, true],
    ['sparkrkernel', undefined, true],
    ['glue_pyspark', 'Glue PySpark', true],
    ['custom', 'Spark (Scala)', true],
    ['python3', 'Python 3 (ipykernel)', false],
    [null, null, false],
    [undefined, 'spark lowercase', false]
  ])('%s / %s -> %s', (name, display, expected) => {
    expect(isSparkmagicKernel(name, display)).toBe(expected);
  });
});

describe('findNotebookSession', () => {
  it('finds the session by kernel id', () => {
    expect(
      findNotebookSession(aSnapshot(EXAMPLE_ANSWER), BOB_NOTEBOOK)?.id
    ).toBe(1);
  });

  it('falls back to the notebook path', () => {
    expect(
      findNotebookSession(aSnapshot(EXAMPLE_ANSWER), {
        kernelId: 'unknown',
        path: 'work/etl.ipynb'
      })?.id
    ).toBe(1);
    expect(
      findNotebookSession(aSnapshot(EXAMPLE_ANSWER), {
        kernelId: null,
        path: '/work/etl.ipynb'
      })?.id
    ).toBe(1);
  });

  it('finds nothing for other notebooks, or without data', () => {
    expect(
      findNotebookSession(aSnapshot(EXAMPLE_ANSWER), PLAIN_NOTEBOOK)
    ).toBeNull();
    expect(findNotebookSession(null, BOB_NOTEBOOK)).toBeNull();
    expect(
      findNotebookSession(aSnapshot({ sessions: null }), BOB_NOTEBOOK)
    ).toBeNull();
    expect(
      findNotebookSession(
        aSnapshot({ sessions: [null as any, { id: 3 }] }),
        BOB_NOTEBOOK
      )
    ).toBeNull();
  });

  it('prefers the most urgent of several sessions of one kernel', () => {
    const s = exampleAnswer();
    s.sessions!.push({
      id: 7,
      status: 'ok',
      notebook: { path: 'work/etl.ipynb', kernel_id: BOB_KERNEL }
    });
    expect(findNotebookSession(aSnapshot(s), BOB_NOTEBOOK)?.id).toBe(1);
  });
});
