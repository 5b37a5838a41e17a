// Types of src/cli/bundle.mjs (the prebuilt-CLI builder, plain JS so bin.mjs can load it without tsx).
export declare const BUNDLE: string;
export declare const WORKER_BUNDLE: string;
export declare function buildBundle(): Promise<string>;
export declare function freshBundle(): Promise<string | null>;
