/** Files larger than this are not parsed: generated bundles, fixtures, data. */
export const MAX_FILE_BYTES = 1_000_000;
