/** What a failed file operation means, in words, with its errno code: `no such file (ENOENT)`. */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === undefined) return (error as Error | undefined)?.message ?? 'unknown error'
  const meaning = MEANINGS[code]
  return meaning === undefined ? code : `${meaning} (${code})`
}

const MEANINGS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'it already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
}
