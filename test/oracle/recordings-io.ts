// Reads the committed oracle recordings (test/oracle/recordings/<browser>/*.har) for the oracle and coverage tests.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserName } from '../../src/engine/types';
import type { ExpectedVerdict } from './har-writer';

export const RECORDINGS = join(dirname(fileURLToPath(import.meta.url)), 'recordings');

export interface Recording {
  browser: BrowserName;
  scenario: string;
  file: string;
  text: string;
  expected: ExpectedVerdict[];
  description: string;
}

export function loadRecordings(browser: BrowserName): Recording[] {
  const dir = join(RECORDINGS, browser);
  let files: string[] = [];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.har'))
      .sort();
  } catch {
    return [];
  }
  return files.map((f) => {
    const text = readFileSync(join(dir, f), 'utf8');
    const lens = JSON.parse(text).log._corsLens;
    return {
      browser,
      scenario: lens.scenario,
      file: join(dir, f),
      text,
      expected: lens.expected,
      description: lens.description,
    };
  });
}
