import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { serve } from '@covet/adapters/node'
import { createJwtAuth } from '@covet/core'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from './app.js'
import { freePort } from './test-support/process.js'

/** Where the screenshots go (gitignored), to look at after a run. */
const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url))

/** Debian's Chromium (`apt-get install -y chromium`), driven without a browser download. */
const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
}

describe('a real browser signs in through the demo single-page app (Chromium)', () => {
  let browser: Browser
  let base: string
  let close: () => Promise<void>

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    const auth = await createJwtAuth({ issuer: base, audience: 'covet-demo', warn: () => {} })
    const server = await serve(await createApp({ auth, issuer: base }), { port, hostname: '127.0.0.1' })
    close = () => server.close()
    browser = await chromium.launch(LAUNCH)
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await close?.()
  })

  it('logs alice in with Log in, Sign in and Allow, and shows her /me', async () => {
    const page = await browser.newPage()
    const failures: string[] = []
    page.on('pageerror', (error) => failures.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') failures.push(message.text())
    })
    await page.goto(`${base}/app/`)
    expect(await page.getByRole('status').textContent()).toBe('You are not signed in.')
    await page.getByRole('button', { name: 'Log in' }).click()

    await page.getByLabel('Username').waitFor()
    expect(new URL(page.url()).pathname).toBe('/oauth/authorize')
    await page.getByLabel('Username').fill('alice')
    await page.getByLabel('Password').fill('alice-password')
    await page.screenshot({ path: `${SCREENSHOTS}login.png` })
    await page.getByRole('button', { name: 'Sign in' }).click()

    await page.getByRole('button', { name: 'Allow' }).waitFor()
    await expect(page.getByRole('listitem').allTextContents()).resolves.toEqual([
      'See your profile: your username and roles',
      'Read posts',
      'Write posts in your name',
    ])
    await page.screenshot({ path: `${SCREENSHOTS}consent.png` })
    await page.getByRole('button', { name: 'Allow' }).click()

    await page.getByText('Signed in as alice.').waitFor()
    // The code left the address bar at once.
    expect(page.url()).toBe(`${base}/app/`)
    expect(JSON.parse((await page.locator('#me').textContent()) ?? '')).toEqual({
      sub: 'alice',
      roles: ['admin'],
      permissions: ['posts:delete', 'posts:edit', 'posts:read', 'users:manage'],
      scope: 'profile posts:read posts:write',
    })
    await page.screenshot({ path: `${SCREENSHOTS}signed-in.png` })
    expect(failures).toEqual([])
    await page.close()
  }, 60_000)

  it('refuses to show the login page inside a frame of another page (frame-ancestors none)', async () => {
    const page = await browser.newPage()
    const login = new URL('/oauth/authorize', base)
    login.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'demo-spa',
      redirect_uri: `${base}/app/callback`,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString()
    const refused = page.waitForEvent('console', (message) =>
      message.text().includes("frame-ancestors 'none'"),
    )
    await page.setContent(`<iframe src="${login.href}"></iframe>`)
    expect((await refused).text()).toMatch(/violates the following Content Security Policy directive/)
    const frame = page.frames().find((f) => f !== page.mainFrame())
    expect(await frame?.getByRole('button', { name: 'Sign in' }).count()).toBe(0)
    // The same address, opened as a page of its own, is the login page.
    await page.goto(login.href)
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(1)
    await page.close()
  })
})
