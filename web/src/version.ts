/** The package version, put in by the build (vite.config.ts) so map labels and reports match the CLI's. */
declare const __OCCUPY_VERSION__: string;

export const VERSION: string = __OCCUPY_VERSION__;
