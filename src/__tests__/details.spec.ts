import { notebookHint } from '../hints/hint';
import { INotebookInfo } from '../hints/notebook';
import { formatClock } from '../words/time';
import { aSnapshot, CANNOT_START, ORPHANED, RECORDED_NOW } from './fixtures';

const ETL: INotebookInfo = {
  kernelId: '0c6f1d2e-8b4a-4f4e-9d57-3a1e2b9c7f10',
  kernelName: 'pysparkkernel',
  path: 'etl.ipynb'
};

function lines(title: string): string[] {
  return title.split('\n');
}

describe('the tooltip of a notebook whose session cannot start', () => {
  const title = notebookHint(
    { snapshot: CANNOT_START },
    ETL,
    RECORDED_NOW
  ).title;

  it('gives the reason, since when, what it asks for and YARN’s words', () => {
    const since = formatClock('2026-11-24T09:58:00Z', RECORDED_NOW);
    expect(lines(title).slice(0, 5)).toEqual([
      'livy-session-1 (etl.ipynb): starving for 1 min',
      `Cannot start: no room for its driver, for 2 min (since ${since}).`,
      "YARN has no container for its driver (the application master): the cluster is full. It starts when the sessions above their fair share release executors; Livy says 'starting' meanwhile.",
      'Livy says starting; its driver asks YARN for 1 core · 1 GiB in queue default.',
      expect.stringMatching(
        /^YARN: \[Sun Dec 06 01:25:50 \+0000 2026\] Application is Activated, waiting for resources to be assigned for AM\. .*…$/
      )
    ]);
    // YARN's words are cut for a tooltip.
    const yarn = lines(title)[4];
    expect(yarn.length).toBeLessThanOrEqual('YARN: '.length + 300);
  });

  it('names who holds the cluster', () => {
    expect(lines(title)).toContain('Starved by: livy-session-0 holds 5 of 5');
    // Not the generic help of a starving session.
    expect(title).not.toContain('Has held fewer executors');
  });

  it('names the drivers in its queue at the AM-resource limit', () => {
    const limited = aSnapshot({
      cluster: { max_executors: 6 },
      sessions: [
        { id: 0, owner: 'alice', executors: 2, status: 'ok' },
        {
          id: 1,
          status: 'waiting',
          state: 'starting',
          cannot_start: 'am-limit',
          culprits: [0],
          outside_culprits: ['application_1_0009'],
          notebook: { kernel_id: ETL.kernelId },
          mine: true,
          diagnostics: "Queue's AM resource limit exceeded."
        }
      ],
      outside_livy: [{ app_id: 'application_1_0009', name: 'batch' }]
    });
    const t = lines(
      notebookHint({ snapshot: limited }, ETL, RECORDED_NOW).title
    );
    expect(t).toContain(
      'Drivers in its queue: livy-session-0 (alice) and application_1_0009 (batch) outside Livy'
    );
    expect(t).toContain("YARN: Queue's AM resource limit exceeded.");
    expect(t).toContain(
      'Livy says starting; its driver asks YARN for a container.'
    );
  });
});

describe('the tooltip of an orphaned session', () => {
  it('says nobody uses it, what it holds, and when Livy ends it', () => {
    const forecast: INotebookInfo = {
      kernelId: 'a-new-kernel',
      kernelName: 'pysparkkernel',
      path: 'work/forecast.ipynb'
    };
    const at = formatClock('2026-11-24T10:48:00Z', RECORDED_NOW);
    const t = lines(
      notebookHint({ snapshot: ORPHANED }, forecast, RECORDED_NOW).title
    );
    expect(t).toContain(
      'Nobody uses it: the notebook kernel of this server that created it no longer runs it. It holds 1 executor and its driver: stop it from Spark executor sharing.'
    );
    expect(t).toContain(`Idle 12 min · Livy ends it in 47 min (at ${at})`);
    expect(t).toContain('Starving: livy-session-5 (dana, report.ipynb)');
  });
});

describe('the tooltip names capacity held outside Livy', () => {
  it('with what it holds', () => {
    const report: INotebookInfo = {
      kernelId: '4f2b8d6a-1c3e-4a5b-9e7f-0d8c6b4a2e15',
      kernelName: 'pysparkkernel'
    };
    const t = lines(
      notebookHint({ snapshot: ORPHANED }, report, RECORDED_NOW).title
    );
    expect(t).toContain(
      'Starved by: livy-session-4 (dana) holds 1 of 5 and application_1796520293603_0003 (nightly etl, user etl) outside Livy holds 4 of 5'
    );
  });
});
