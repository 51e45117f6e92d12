import hintsSchema from '../../schema/hints.json';
import { DEFAULT_HINT_SETTINGS, readHintSettings } from '../hints/settings';

describe('readHintSettings', () => {
  it('reads the settings with defaults', () => {
    expect(readHintSettings(null)).toEqual(DEFAULT_HINT_SETTINGS);
    expect(
      readHintSettings({ showInToolbar: false, notifyStarvation: 'no' })
    ).toEqual({ showInToolbar: false, notifyStarvation: true });
  });

  it('has the same defaults as the schema', () => {
    const defaults: { [key: string]: unknown } = {};
    for (const [key, value] of Object.entries(hintsSchema.properties)) {
      defaults[key] = (value as { default: unknown }).default;
    }
    expect(defaults).toEqual(DEFAULT_HINT_SETTINGS);
  });
});
