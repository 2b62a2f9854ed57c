import { describe, expect, it } from 'vitest'
import { matchesRedirectUri, redirectUriProblem } from './redirect-uri.js'

describe('redirect URI matching (RFC 9700 §4.1.3, RFC 8252 §7.3)', () => {
  const registered = [
    'https://app.example/cb',
    'http://127.0.0.1/callback',
    'http://[::1]/cb?x=1',
    'com.example.app:/oauth',
  ]

  it('matches registered URIs exactly', () => {
    for (const uri of registered) expect(matchesRedirectUri(uri, registered)).toBe(true)
  })

  it('lets only the port of an http loopback IP redirect differ', () => {
    expect(matchesRedirectUri('http://127.0.0.1:51234/callback', registered)).toBe(true)
    expect(matchesRedirectUri('http://127.0.0.1:1/callback', registered)).toBe(true)
    expect(matchesRedirectUri('http://[::1]:8080/cb?x=1', registered)).toBe(true)
  })

  it('refuses everything else', () => {
    for (const uri of [
      'https://app.example:8443/cb',
      'https://app.example/cb/',
      'https://app.example/cb?x=1',
      'https://APP.example/cb',
      'http://127.0.0.1:51234/callback/',
      'http://127.0.0.1:51234/callback?x=1',
      'http://127.0.0.2:51234/callback',
      'http://127.0.0.1:65536/callback',
      'http://127.0.0.1:51234@evil.example/callback',
      'http://127.0.0.1.evil.example/callback',
      'http://localhost:51234/callback',
      'http://[::1]:8080/cb',
      'https://127.0.0.1:51234/callback',
      'com.example.app:/oauth/x',
    ]) {
      expect(matchesRedirectUri(uri, registered), uri).toBe(false)
    }
  })
})

describe('redirect URI registration (RFC 6749 §3.1.2, RFC 9700 §2.1, RFC 8252 §7.1)', () => {
  it('names what is wrong with a URI that may not be registered', () => {
    expect(redirectUriProblem('/cb')).toBe('must be an absolute URL')
    expect(redirectUriProblem('https://a.example/cb#f')).toBe('must not have a fragment (RFC 6749 §3.1.2)')
    expect(redirectUriProblem('http://a.example/cb')).toBe(
      'may use http only on a loopback host (RFC 9700 §2.1)',
    )
    expect(redirectUriProblem('javascript:alert(1)')).toMatch(/^must use https/)
    expect(redirectUriProblem('myapp:/cb')).toMatch(/^must use https/)
  })

  it('accepts https, http on loopback and private-use schemes', () => {
    for (const uri of [
      'https://a.example/cb',
      'http://127.0.0.1/cb',
      'http://localhost/cb',
      'com.example.app:/cb',
    ]) {
      expect(redirectUriProblem(uri)).toBeUndefined()
    }
  })
})
