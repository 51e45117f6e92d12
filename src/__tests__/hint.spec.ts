import { notebookHint } from '../hints/hint';
import { INotebookInfo } from '../hints/notebook';
import { aSnapshot, CANNOT_START, ORPHANED, RECORDED_NOW } from './fixtures';

/** The notebook of livy-session-1 in the cannot-start recording. */
const ETL: INotebookInfo = {
  kernelId: '0c6f1d2e-8b4a-4f4e-9d57-3a1e2b9c7f10',
  kernelName: 'pysparkkernel',
  kernelDisplayName: 'PySpark',
  path: 'etl.ipynb'
};

/** dana's report.ipynb, starving in the orphaned recording. */
const REPORT: INotebookInfo = {
  kernelId: '4f2b8d6a-1c3e-4a5b-9e7f-0d8c6b4a2e15',
  kernelName: 'pysparkkernel',
  path: 'work/report.ipynb'
};

describe('the hint of a notebook whose session cannot start', () => {
  it('says it cannot start and who holds the cluster (real YARN)', () => {
    const h = notebookHint({ snapshot: CANNOT_START }, ETL, RECORDED_NOW);
    expect(h.state).toBe('starving');
    expect(h.sessionId).toBe(1);
    expect(h.text).toBe('Spark: cannot start - livy-session-0 holds 5 of 5');
  });

  it('while only waiting, too', () => {
    const waiting = aSnapshot({
      cluster: { max_executors: 5, executors_in_use: 5 },
      sessions: [
        { id: 0, executors: 5, status: 'hogging' },
        {
          id: 1,
          status: 'waiting',
          state: 'starting',
          cannot_start: 'cluster-full',
          culprits: [0],
          notebook: { kernel_id: ETL.kernelId, path: 'etl.ipynb' },
          mine: true
        }
      ]
    });
    expect(notebookHint({ snapshot: waiting }, ETL, RECORDED_NOW).text).toBe(
      'Spark: cannot start - livy-session-0 holds 5 of 5'
    );
  });

  it("names the queue's AM limit, not executors", () => {
    const limited = aSnapshot({
      cluster: { max_executors: 6, executors_in_use: 0 },
      sessions: [
        { id: 0, executors: 0, status: 'idle' },
        {
          id: 1,
          status: 'starving',
          state: 'starting',
          cannot_start: 'am-limit',
          culprits: [0],
          starved_by: [0],
          notebook: { kernel_id: ETL.kernelId },
          mine: true
        }
      ]
    });
    expect(notebookHint({ snapshot: limited }, ETL, RECORDED_NOW).text).toBe(
      "Spark: cannot start - queue's AM limit"
    );
  });

  it('says what its status says once it is no longer short', () => {
    const started = JSON.parse(JSON.stringify(CANNOT_START));
    started.sessions[1].status = 'starting';
    expect(
      notebookHint({ snapshot: aSnapshot(started) }, ETL, RECORDED_NOW).text
    ).toBe('Spark: starting livy-session-1');
  });
});

describe('the hint names capacity held outside Livy', () => {
  it('with the sessions, the one holding the most first', () => {
    const h = notebookHint({ snapshot: ORPHANED }, REPORT, RECORDED_NOW);
    expect(h.state).toBe('starving');
    expect(h.text).toBe(
      'Spark: starving 2 min - nightly etl (outside Livy) and 1 other hold 5 of 5'
    );
  });

  it('alone', () => {
    const alone = JSON.parse(JSON.stringify(ORPHANED));
    for (const s of alone.sessions) {
      s.culprits = [];
      s.starved_by = [];
    }
    expect(
      notebookHint({ snapshot: aSnapshot(alone) }, REPORT, RECORDED_NOW).text
    ).toBe('Spark: starving 2 min - nightly etl (outside Livy) holds 4 of 5');
  });
});

describe('the hint of an orphaned session', () => {
  it('is found by its notebook path when the notebook is opened again', () => {
    const reopened: INotebookInfo = {
      kernelId: 'a-new-kernel',
      kernelName: 'pysparkkernel',
      path: 'work/forecast.ipynb'
    };
    const h = notebookHint({ snapshot: ORPHANED }, reopened, RECORDED_NOW);
    expect(h.state).toBe('orphaned');
    expect(h.text).toBe('Spark: livy-session-4 orphaned');
  });
});
