/**
 * Headless Chromium for the SVG tests (`graph`, `plan`): the system browser (CI installs Debian's chromium), or
 * CHROMIUM_PATH. Tests skip with a visible message when there is none.
 */
import * as fs from 'fs';

/** The browser binary, if any. */
export const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(p => p !== undefined && p !== '' && fs.existsSync(p));

/** Opens `file` in headless Chromium, runs `script` in the page and returns its value and the page errors. */
export async function evaluateInChromium(file: string, script: string): Promise<{ value: unknown; errors: string[] }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', e => errors.push(e.message));
    await page.goto(`file://${file}`);
    return { value: await page.evaluate(script), errors };
  } finally {
    await browser.close();
  }
}
