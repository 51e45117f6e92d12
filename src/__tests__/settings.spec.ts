import schema from '../../schema/panel.json';
import { DEFAULT_SETTINGS, readSettings } from '../settings';

describe('readSettings', () => {
  it('gives the defaults for nothing', () => {
    expect(readSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(readSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(readSettings({})).toEqual(DEFAULT_SETTINGS);
  });

  it('reads valid values and ignores invalid ones', () => {
    expect(
      readSettings({
        refreshInterval: 0.2,
        showIdleSessions: false,
        compact: 'yes',
        historyMinutes: 30,
        area: 'left'
      })
    ).toEqual({
      ...DEFAULT_SETTINGS,
      refreshInterval: 1,
      showIdleSessions: false,
      historyMinutes: 30,
      area: 'left'
    });
    expect(readSettings({ area: 'top' }).area).toBe('right');
  });

  it('has the same defaults as the schema', () => {
    const defaults: { [key: string]: unknown } = {};
    for (const [key, value] of Object.entries(schema.properties)) {
      defaults[key] = (value as { default: unknown }).default;
    }
    expect(defaults).toEqual(DEFAULT_SETTINGS);
  });
});
