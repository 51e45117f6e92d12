/**
 * Configuration for Playwright using default from @jupyterlab/galata.
 *
 * - Runs on Debian's chromium (no browser download here): CHROMIUM_PATH or
 *   GALATA_CHROMIUM overrides /usr/bin/chromium.
 * - Starts the endpoint emulator (recorded real Livy/YARN/Spark responses, seed
 *   scenario) and a JupyterLab configured by jupyter_server_test_config.py.
 * - No video: Playwright's ffmpeg is a download too.
 */
const path = require('path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const port = process.env.GLUE_SESSIONS_UI_PORT || '18888';
const emulatorPort = process.env.GLUE_SESSIONS_EMULATOR_PORT || '18998';
const python = process.env.PYTHON || 'python';

module.exports = {
  ...baseConfig,
  // One JupyterLab for all tests: run them one after the other.
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    video: 'off',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath:
        process.env.CHROMIUM_PATH ||
        process.env.GALATA_CHROMIUM ||
        '/usr/bin/chromium'
    }
  },
  expect: {
    // Reference images are made on this machine image (Debian chromium, its fonts).
    toMatchSnapshot: { maxDiffPixelRatio: 0.002 },
    toHaveScreenshot: { maxDiffPixelRatio: 0.002 }
  },
  webServer: [
    {
      // The emulator is not installed (emulator/ at the root): run from there.
      command: `${python} -m emulator --scenario seed --port ${emulatorPort}`,
      cwd: path.resolve(__dirname, '..'),
      url: `http://127.0.0.1:${emulatorPort}/sessions`,
      timeout: 60 * 1000,
      reuseExistingServer: !process.env.CI
    },
    {
      command: 'jlpm start',
      url: `http://localhost:${port}/lab`,
      timeout: 120 * 1000,
      reuseExistingServer: !process.env.CI
    }
  ]
};
