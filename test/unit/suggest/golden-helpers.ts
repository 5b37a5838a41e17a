// Shared by the golden and syntax tests: file extension per config language, and the scenarios rendered.
import type { ConfigLanguage } from '../../../src/suggest/index';

export const EXT: Record<ConfigLanguage, string> = {
  python: 'py',
  javascript: 'js',
  typescript: 'ts',
  nginx: 'nginx.conf',
  apache: 'apache.conf',
  caddyfile: 'Caddyfile',
  go: 'go',
  java: 'java',
  csharp: 'cs',
  ruby: 'rb',
  php: 'php',
  json: 'json',
  http: 'http',
};

/** `golden/<framework>.<ext>` for the multi-origin credentialed scenario, `<framework>.simple.<ext>` for the simple one. */
export function goldenName(framework: string, language: ConfigLanguage, scenario: 'simple' | 'multi'): string {
  return scenario === 'multi' ? `${framework}.${EXT[language]}` : `${framework}.simple.${EXT[language]}`;
}
