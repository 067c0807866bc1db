/** Checks on a picked file before it is sent (the server checks again, and says why it refuses). */

/** Files bigger than this are refused before upload (the server has its own limit, and says so too). */
export const MAX_UPLOAD_BYTES = 1024 ** 3;

/** Why a picked file is not sent, or null when it may be. */
export function fileProblem(file: File): string | null {
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MAX_UPLOAD_BYTES) return `${file.name} is larger than 1 GB.`;
  if (!/\.(csv|txt)$/i.test(file.name) && file.type !== 'text/csv') return `${file.name} is not a CSV file.`;
  return null;
}

/** The error file of an import: one row per bad row, with its column and the reason. */
export function errorFileHref(id: number): string {
  return `/api/imports/${String(id)}/errors.csv`;
}
