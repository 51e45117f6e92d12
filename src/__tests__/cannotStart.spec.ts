import {
  CANNOT_START_WORDS,
  cannotStartOf,
  cannotStartPhrase,
  cannotStartWords,
  diagnosticsSummary,
  diagnosticsText
} from '../words/cannotStart';
import { findSession } from '../queries/sessions';
import { CannotStart } from '../types';
import { aSession, CANNOT_START } from './fixtures';

const blocked = findSession(CANNOT_START.sessions, 1)!;

describe('cannotStartOf', () => {
  it('is the reason the server gives, from the recorded real YARN', () => {
    expect(cannotStartOf(blocked)).toBe('cluster-full');
    expect(cannotStartOf(findSession(CANNOT_START.sessions, 0))).toBeNull();
  });

  it('knows each reason of the server, and nothing else', () => {
    const reasons: CannotStart[] = ['cluster-full', 'am-limit'];
    expect(Object.keys(CANNOT_START_WORDS).sort()).toEqual(reasons.sort());
    for (const reason of reasons) {
      expect(cannotStartOf(aSession({ cannot_start: reason }))).toBe(reason);
    }
    expect(cannotStartOf(aSession({ cannot_start: 'disk-full' }))).toBeNull();
    expect(cannotStartOf(aSession({ cannot_start: 'toString' }))).toBeNull();
    expect(cannotStartOf(aSession({ cannot_start: '' }))).toBeNull();
    expect(cannotStartOf(aSession({ cannot_start: 3 as any }))).toBeNull();
    expect(cannotStartOf(null)).toBeNull();
  });
});

describe('the words for each reason', () => {
  it('say why in plain words', () => {
    expect(cannotStartPhrase(blocked)).toBe(
      'cannot start: no room for its driver'
    );
    expect(cannotStartPhrase(aSession({ cannot_start: 'am-limit' }))).toBe(
      "cannot start: the queue's AM-resource limit is reached"
    );
    expect(cannotStartPhrase(aSession({}))).toBeNull();
    expect(cannotStartWords(aSession({}))).toBeUndefined();
  });

  it('give the toolbar words, naming the holders when the cluster is full', () => {
    const full = CANNOT_START_WORDS['cluster-full'];
    expect(full.hint('livy-session-0 holds 5 of 5')).toBe(
      'Spark: cannot start - livy-session-0 holds 5 of 5'
    );
    expect(full.hint(null)).toBe(
      'Spark: cannot start - no room for its driver'
    );
    // At the AM-resource limit free executors do not help: the limit is the news.
    expect(CANNOT_START_WORDS['am-limit'].hint('x holds 5 of 5')).toBe(
      "Spark: cannot start - queue's AM limit"
    );
  });

  it('name the holders: what they hold, or the drivers at the limit', () => {
    expect(
      CANNOT_START_WORDS['cluster-full'].holders([
        'livy-session-0 (alice) holds 3 of 5',
        'livy-session-2 holds 2 of 5'
      ])
    ).toBe(
      'livy-session-0 (alice) holds 3 of 5 and livy-session-2 holds 2 of 5'
    );
    expect(
      CANNOT_START_WORDS['am-limit'].holders([
        'livy-session-0 (alice)',
        'livy-session-2'
      ])
    ).toBe('the drivers of livy-session-0 (alice) and livy-session-2 take it');
  });

  it('explain each reason and what helps', () => {
    expect(CANNOT_START_WORDS['cluster-full'].help).toMatch(
      /the cluster is full/
    );
    expect(CANNOT_START_WORDS['am-limit'].help).toMatch(
      /maximum-am-resource-percent/
    );
    expect(CANNOT_START_WORDS['am-limit'].help).toMatch(
      /Free executors do not help/
    );
  });
});

describe("YARN's diagnostics", () => {
  const real = blocked.diagnostics;

  it('keep the first sentence, without the time stamp', () => {
    expect(real).toMatch(/^\[Sun Dec 06 01:25:50 \+0000 2026\] Application/);
    expect(diagnosticsSummary(real)).toBe(
      'Application is Activated, waiting for resources to be assigned for AM.'
    );
    expect(
      diagnosticsSummary(
        "[Sat Dec 05 10:00:00 +0000 2026] Application is added to the scheduler and is not yet activated. Queue's AM resource limit exceeded.  Details : AM Partition = <DEFAULT_PARTITION>;"
      )
    ).toBe('Application is added to the scheduler and is not yet activated.');
  });

  it('are cut to fit, at a word', () => {
    const long = `[t] ${'word '.repeat(60)}`;
    const cut = diagnosticsSummary(long, 40)!;
    expect(cut.length).toBeLessThanOrEqual(40);
    expect(cut).toMatch(/^word( word)+…$/);
    expect(diagnosticsSummary('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('read in full, whitespace collapsed', () => {
    const all = diagnosticsText(real)!;
    expect(all).toContain(
      "Queue's used capacity (absolute resource) = <memory:6144, vCores:6>"
    );
    expect(all).not.toMatch(/\s\s/);
    expect(all).toBe(all.trim());
    expect(diagnosticsText('  a\n\n b  ')).toBe('a b');
  });

  it('are nothing when YARN said nothing', () => {
    for (const none of [null, undefined, '', '   \n']) {
      expect(diagnosticsText(none)).toBeNull();
      expect(diagnosticsSummary(none)).toBeNull();
    }
    // Only a time stamp: the stamp itself is all there is.
    expect(diagnosticsSummary('[Sun Dec 06]')).toBe('[Sun Dec 06]');
  });
});
