// Golden files: the config each framework renderer produces for two representative policies.
// Regenerate with `UPDATE_GOLDEN=1 npx vitest run --project unit test/unit/suggest/golden.test.ts` and review the diff.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFrameworks, suggestFix } from '../../../src/suggest/index';
import { goldenScenarios } from './fixtures';
import { goldenName } from './golden-helpers';

const DIR = join(__dirname, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe('golden configs', () => {
  const scenarios = goldenScenarios();
  for (const fw of listFrameworks()) {
    for (const scenario of ['simple', 'multi'] as const) {
      it(`${fw.id}: ${scenario === 'multi' ? 'two origins, credentialed, PATCH+DELETE, Authorization, exposed headers, a 500' : 'one origin, PUT with JSON'} matches golden/${goldenName(fw.id, fw.language, scenario)}`, () => {
        const fixes = suggestFix(scenarios[scenario], fw.id);
        expect(fixes.perOrigin).toHaveLength(1);
        const code = fixes.perOrigin[0].config.code;
        const file = join(DIR, goldenName(fw.id, fw.language, scenario));
        if (UPDATE) {
          mkdirSync(DIR, { recursive: true });
          writeFileSync(file, code);
        }
        expect(existsSync(file), `missing ${file}: run with UPDATE_GOLDEN=1`).toBe(true);
        expect(code).toBe(readFileSync(file, 'utf8'));
      });
    }
  }

  it('every framework renders the origins of the multi scenario and never a wildcard origin', () => {
    for (const fw of listFrameworks()) {
      const code = suggestFix(scenarios.multi, fw.id).perOrigin[0].config.code;
      expect(code, fw.id).toContain('http://localhost:5173');
      // Apache/Caddy write origins as escaped regexes.
      expect(code.includes('https://admin.example.com') || code.includes('https://admin\\.example\\.com'), fw.id).toBe(
        true,
      );
      expect(code, fw.id).not.toMatch(/Allow-Origin["']?\s*[:=]?\s*["']?\*|origins?\s*[=:]\s*\[?["']\*["']/i);
    }
  });

  it('every framework carries at least one framework-specific warning (raw headers excepted)', () => {
    for (const fw of listFrameworks()) {
      if (fw.id === 'raw-headers') continue;
      expect(suggestFix(scenarios.multi, fw.id).perOrigin[0].config.warnings.length, fw.id).toBeGreaterThan(0);
    }
  });
});
