// The coloured verdict badge used by the list, the detail view and the popup.
import type { VerdictKind } from '../../src/engine/types';

const LABEL: Record<VerdictKind, string> = {
  allowed: 'allowed',
  'allowed-hidden-headers': 'hidden headers',
  blocked: 'blocked',
  'not-cors': 'not CORS',
  unknown: 'unknown',
};

export function VerdictBadge({ kind }: { kind: VerdictKind }) {
  return <span className={`badge ${kind}`}>{LABEL[kind]}</span>;
}
