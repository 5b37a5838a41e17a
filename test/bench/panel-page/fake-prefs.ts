// Stand-in for extension/platform/prefs.ts in the panel bench page (no extension APIs outside an extension).
export async function loadFramework(): Promise<string | null> {
  return null;
}

export function saveFramework(_id: string): void {}
