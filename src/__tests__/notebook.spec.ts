import {
  findNotebookEndpoint,
  findNotebookSession,
  isSparkmagicKernel
} from '../hints/notebook';
import {
  aSnapshot,
  BOB_KERNEL,
  BOB_NOTEBOOK,
  elsewhere,
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

describe('findNotebookEndpoint', () => {
  it('finds the session in whichever endpoint has it', () => {
    const a = { name: 'a', snapshot: aSnapshot(elsewhere()) };
    const b = { name: 'b', snapshot: aSnapshot(exampleAnswer()) };
    const found = findNotebookEndpoint([a, b], { kernelId: BOB_KERNEL });
    expect(found?.endpoint.name).toBe('b');
    expect(found?.session.id).toBe(1);
    expect(
      findNotebookEndpoint([a, b], { path: '/work/etl.ipynb' })?.endpoint.name
    ).toBe('b');
    expect(findNotebookEndpoint([a, b], { kernelId: 'nobody' })).toBeNull();
    expect(findNotebookEndpoint([], { kernelId: BOB_KERNEL })).toBeNull();
  });

  it('prefers the kernel id over the path, then the most urgent', () => {
    const byPath = exampleAnswer();
    byPath.sessions![1].notebook!.kernel_id = 'old-kernel';
    const a = { name: 'a', snapshot: aSnapshot(byPath) };
    const b = { name: 'b', snapshot: aSnapshot(exampleAnswer()) };
    expect(
      findNotebookEndpoint([a, b], {
        kernelId: BOB_KERNEL,
        path: 'work/etl.ipynb'
      })?.endpoint.name
    ).toBe('b');

    const calm = exampleAnswer();
    calm.sessions![1].status = 'ok';
    const c = { name: 'c', snapshot: aSnapshot(calm) };
    expect(
      findNotebookEndpoint([c, b], { kernelId: BOB_KERNEL })?.endpoint.name
    ).toBe('b');
    // A tie: the first endpoint's.
    expect(
      findNotebookEndpoint([b, { ...b, name: 'b2' }], { kernelId: BOB_KERNEL })
        ?.endpoint.name
    ).toBe('b');
  });
});
