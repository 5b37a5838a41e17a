// A copy button that says whether it worked (announced to screen readers).
import { useState } from 'react';
import { copyText } from './copy';

export function CopyButton({ text, label, testId }: { text: () => string; label: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      data-testid={testId}
      onClick={async () => {
        const ok = await copyText(text());
        setState(ok ? 'copied' : 'failed');
        setTimeout(() => setState('idle'), 2000);
      }}>
      {label}
      <span aria-live="polite" className="copy-state">
        {state === 'copied' ? ' ✓ copied' : state === 'failed' ? ' ✗ copy failed' : ''}
      </span>
    </button>
  );
}
