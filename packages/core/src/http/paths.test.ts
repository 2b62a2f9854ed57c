import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors.js'
import { classifyPath, compilePaths, normalisedPathname } from './paths.js'
import { requestPathname } from './request-target.js'

const exempt = compilePaths('exemptPaths', ['/login', '/docs/*'])
const optional = compilePaths('optionalPaths', ['/public/*', '/'])
/** What withJwtAuth makes of a request for `path`: refused (400) or a kind, read from the WHATWG path. */
const kind = (path: string) => {
  const pathname = requestPathname(`https://api.test${path}`, 'api.test')
  return pathname === undefined ? 'refused' : classifyPath(pathname, exempt, optional)
}

function configError(patterns: string[]): string {
  try {
    compilePaths('exemptPaths', patterns)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).message
  }
  throw new Error('expected a ConfigError')
}

describe('compilePaths', () => {
  it('matches exact paths exactly', () => {
    expect(exempt.matches('/login')).toBe(true)
    expect(exempt.matches('/login/')).toBe(false)
    expect(exempt.matches('/login/x')).toBe(false)
    expect(exempt.matches('/loginx')).toBe(false)
  })

  it('matches a /* pattern on the prefix itself and everything under it, not on a longer name', () => {
    expect(exempt.matches('/docs')).toBe(true)
    expect(exempt.matches('/docs/')).toBe(true)
    expect(exempt.matches('/docs/a/b')).toBe(true)
    expect(exempt.matches('/docsx')).toBe(false)
  })

  it('matches every path with /*', () => {
    expect(compilePaths('exemptPaths', ['/*']).matches('/anything/at/all')).toBe(true)
  })

  it('refuses invalid patterns, naming the field and index', () => {
    expect(configError(['/ok', 'login'])).toBe('exemptPaths[1]: a path pattern must start with "/"')
    expect(configError(['/a/*/b'])).toBe('exemptPaths[0]: "*" is only allowed as a final "/*"')
    expect(configError(['/a*'])).toBe('exemptPaths[0]: "*" is only allowed as a final "/*"')
    expect(configError(['/a?b'])).toBe('exemptPaths[0]: a path pattern cannot contain "?", "#", "%" or "\\"')
    expect(configError(['/a%2fb'])).toBe(
      'exemptPaths[0]: a path pattern cannot contain "?", "#", "%" or "\\"',
    )
    expect(configError(['/a/../b'])).toBe(
      'exemptPaths[0]: a path pattern must be normalised (no "//", "." or ".." segments)',
    )
    expect(configError(['//a'])).toBe(
      'exemptPaths[0]: a path pattern must be normalised (no "//", "." or ".." segments)',
    )
  })
})

describe('normalisedPathname', () => {
  it('decodes percent-encoded characters', () => {
    expect(normalisedPathname('/docs/caf%C3%A9')).toBe('/docs/café')
  })

  it('refuses bad percent-encoding', () => {
    expect(normalisedPathname('/docs/%E0%A4%A')).toBeUndefined()
  })
})

describe('classifyPath', () => {
  it('classifies exempt, optional and protected paths', () => {
    expect(kind('/login')).toBe('exempt')
    expect(kind('/docs/intro')).toBe('exempt')
    expect(kind('/public/feed')).toBe('optional')
    expect(kind('/')).toBe('optional')
    expect(kind('/admin')).toBe('protected')
  })

  it('ignores the query string', () => {
    expect(kind('/admin?path=/login')).toBe('protected')
    expect(kind('/login?next=/admin')).toBe('exempt')
    expect(kind('/admin?/docs/')).toBe('protected')
  })

  it('matches the decoded path', () => {
    expect(kind('/%6cogin')).toBe('exempt')
    expect(kind('/docs/%41')).toBe('exempt')
  })

  it('never exempts a path spelled with dot segments, encoded separators, backslashes or //', () => {
    const spellings = [
      '/docs/../admin',
      '/docs/./x',
      '/docs/..',
      '/docs/%2e%2e/admin',
      '/docs/%2E%2E/admin',
      '/docs/.%2e/admin',
      '/docs/%2e/x',
      '/docs/..;/admin',
      '/docs%2fx',
      '/docs%2Fx',
      '/docs/..%2fadmin',
      '/docs/..%2Fadmin',
      '/docs%5cx',
      '/docs%5Cx',
      '/docs/..%5cadmin',
      '/docs\\..\\admin',
      '/docs\\x',
      '/docs//x',
      '//docs/x',
      '/login/..',
      '/docs/%252e%252e/admin',
      '/docs/%252fadmin',
      '/public/../admin',
      '/public/%2e%2e/admin',
      '/public//x',
    ]
    for (const path of spellings)
      expect([path, ['protected', 'refused'].includes(kind(path))]).toEqual([path, true])
  })
})
