// Launcher for `npm run oracle:record`: registers tsx's ESM loader, then runs the TypeScript recorder.
await (await import('tsx/esm/api')).register();
await (await import('./record.ts')).main(process.argv.slice(2));
