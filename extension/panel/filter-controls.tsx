// The filter controls the live list and the HAR tab share: problems only, the Network-style text filter
// (src/report/filter.ts), the target origin and the request-type chips.
import { useId } from 'react';
import type { Filters } from './filtering';
import { TypeChips } from './type-chips';

interface Props {
  filters: Filters;
  onFilters(f: Filters): void;
  origins: string[];
  textTestId?: string;
}

export function FilterControls({ filters, onFilters, origins, textTestId }: Props) {
  const id = useId();
  return (
    <>
      <label>
        <input
          type="checkbox"
          checked={filters.blockedOnly}
          onChange={(e) => onFilters({ ...filters, blockedOnly: e.target.checked })}
        />{' '}
        Problems only
      </label>
      <label htmlFor={`${id}-q`} className="sr-only">
        Filter by URL, header name, status, reason words; domain:, status-code:, method:, -term excludes
      </label>
      <input
        id={`${id}-q`}
        type="search"
        placeholder="Filter: x-api-key, 401, domain:, -word"
        value={filters.text}
        data-testid={textTestId}
        onChange={(e) => onFilters({ ...filters, text: e.target.value })}
      />
      <label htmlFor={`${id}-o`} className="sr-only">
        Target origin
      </label>
      <select id={`${id}-o`} value={filters.origin} onChange={(e) => onFilters({ ...filters, origin: e.target.value })}>
        <option value="">All origins</option>
        {origins.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      <TypeChips value={filters.types} onChange={(types) => onFilters({ ...filters, types })} />
    </>
  );
}
