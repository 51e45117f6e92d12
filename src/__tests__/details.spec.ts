import { notebookHint } from '../hints/hint';
import { INotebookInfo } from '../hints/notebook';
import { Snapshot } from '../snapshot';
import { formatClock } from '../words/time';
import {
  aSnapshot,
  CANNOT_START,
  ETL_NOTEBOOK,
  FORECAST_REOPENED,
  ORPHANED,
  RECORDED_NOW,
  REPORT_NOTEBOOK
} from './fixtures';

/** The lines of `notebook`'s tooltip at the recordings' clock. */
function tooltipLines(snapshot: Snapshot, notebook: INotebookInfo): string[] {
  return notebookHint({ snapshot }, notebook, RECORDED_NOW).title.split('\n');
}

describe('the tooltip of a notebook whose session cannot start', () => {
  const tooltip = tooltipLines(CANNOT_START, ETL_NOTEBOOK);

  it('gives the reason, since when, what it asks for and YARN’s words', () => {
    const since = formatClock('2026-11-24T09:58:00Z', RECORDED_NOW);
    expect(tooltip.slice(0, 5)).toEqual([
      'livy-session-1 (etl.ipynb): starving for 1 min',
      `Cannot start: no room for its driver, for 2 min (since ${since}).`,
      "YARN has no container for its driver (the application master): the cluster is full. It starts when the sessions above their fair share release executors; Livy says 'starting' meanwhile.",
      'Livy says starting; its driver asks YARN for 1 core · 1 GiB in queue default.',
      expect.stringMatching(
        /^YARN: \[Sun Dec 06 01:25:50 \+0000 2026\] Application is Activated, waiting for resources to be assigned for AM\. .*…$/
      )
    ]);
    // YARN's words are cut for a tooltip.
    const yarn = tooltip[4];
    expect(yarn.length).toBeLessThanOrEqual('YARN: '.length + 300);
  });

  it('names who holds the cluster', () => {
    expect(tooltip).toContain('Starved by: livy-session-0 holds 5 of 5');
    // Not the generic help of a starving session.
    expect(tooltip.join('\n')).not.toContain('Has held fewer executors');
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
          notebook: { kernel_id: ETL_NOTEBOOK.kernelId },
          mine: true,
          diagnostics: "Queue's AM resource limit exceeded."
        }
      ],
      outside_livy: [{ app_id: 'application_1_0009', name: 'batch' }]
    });
    const t = tooltipLines(limited, ETL_NOTEBOOK);
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
    const at = formatClock('2026-11-24T10:48:00Z', RECORDED_NOW);
    const t = tooltipLines(ORPHANED, FORECAST_REOPENED);
    expect(t).toContain(
      'Nobody uses it: the notebook kernel of this server that created it no longer runs it. It holds 1 executor and its driver: stop it from Spark executor sharing.'
    );
    expect(t).toContain(`Idle 12 min · Livy ends it in 47 min (at ${at})`);
    expect(t).toContain('Starving: livy-session-5 (dana, report.ipynb)');
  });
});

describe('the tooltip names capacity held outside Livy', () => {
  it('with what it holds', () => {
    const t = tooltipLines(ORPHANED, REPORT_NOTEBOOK);
    expect(t).toContain(
      'Starved by: livy-session-4 (dana) holds 1 of 5 and application_1796520293603_0003 (nightly etl, user etl) outside Livy holds 4 of 5'
    );
  });
});
