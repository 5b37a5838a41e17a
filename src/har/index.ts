// The HAR layer's public surface: import (whole file or streamed), export, and the browser a HAR came from. Code
// outside src/har imports from here, never a file inside.
export * from './types';
export { importHar, describeJsonError, sniffNonJson } from './import';
export {
  HarScanner,
  HarStreamImport,
  importHarStream,
  parseScanEvent,
  scanHar,
  scanHarChunks,
  wireEvents,
} from './stream';
export type { HarScanEvent, ScanOptions, StreamImportOptions } from './stream';
export { exportHar, type ExportItem, type ExportOptions, type HarEntry, type HarExport } from './export';
export { browserOfHar } from './browser-of';
