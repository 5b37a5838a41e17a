// The capture layer's public surface: webRequest-shaped events in, logical requests with verdicts out, per-tab
// bounded logs and the worker's service around them. Code outside src/capture imports from here, never a file inside.
export type { NetEvent, NetEventKind } from './events';
export { CaptureService, FLIGHT_PREFIX, WATCH_KEY } from './capture-service';
export { TabWatch, type TabWatchState } from './tab-watch';
export type { CaptureDeps, CaptureListener, KeyValueStorage } from './capture-service';
export { isPageHint, type PageHint } from './page-hint';
export { Correlator } from './correlator';
export type { CorrelatorOptions, CorrelatorState, Flight } from './correlator';
export { TabStore, DEFAULT_LIMITS, KEY_PREFIX } from './tab-store';
export type { Entry, StoreLimits, TabMeta, Writes } from './tab-store';
export { boundRequest, DEFAULT_BOUNDS, type Bounds } from './bounds';
export { originOf, isExtensionOrigin } from './url-origin';
export { writeSchedule, type WriteScheduleOptions } from './write-schedule';
export { sitePatternOf, siteLabelOf, ALL_SITES } from './site-pattern';
