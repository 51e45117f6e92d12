import { sortSessions, statusOf, statusSeverity } from '../status';
import { aSession } from './fixtures';

describe('sorting by status severity', () => {
  const s = (id: number, status: string | null, executors?: number) =>
    aSession({ id, status, executors });

  it('orders statuses from the most urgent', () => {
    expect(statusSeverity('starving')).toBeLessThan(statusSeverity('hogging'));
    expect(statusSeverity('hogging')).toBeLessThan(
      statusSeverity('idle-hoarding')
    );
    expect(statusSeverity('waiting')).toBeLessThan(statusSeverity('ok'));
    expect(statusSeverity('ok')).toBeLessThan(statusSeverity('idle'));
    expect(statusSeverity('idle')).toBeLessThan(statusSeverity('gone'));
    expect(statusSeverity('gone')).toBeLessThan(statusSeverity('whatever'));
  });

  it('sorts sessions by severity, then id (not by executors held)', () => {
    const sorted = sortSessions([
      s(5, 'idle', 0),
      s(4, 'ok', 6),
      s(3, 'ok', 2),
      s(2, 'hogging', 9),
      s(1, 'starving', 0),
      s(0, null),
      s(6, 'ok', 2)
    ]);
    expect(sorted.map(x => x.id)).toEqual([1, 2, 3, 4, 6, 5, 0]);
  });

  it('does not modify its input', () => {
    const input = [s(1, 'ok'), s(0, 'starving')];
    sortSessions(input);
    expect(input.map(x => x.id)).toEqual([1, 0]);
  });

  it('treats unknown statuses as unknown', () => {
    expect(statusOf(aSession({ status: 'hogging' }))).toBe('hogging');
    expect(statusOf(aSession({ status: '<b>bad</b>' }))).toBe('unknown');
    expect(statusOf(aSession({ status: null }))).toBe('unknown');
  });
});
