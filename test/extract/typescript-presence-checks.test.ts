/**
 * Functions that say whether variables are set (presence-checks.ts), and reads guarded by a call
 * of one: in the same file the read gets the variables as `onlyWhen` switches; across files it
 * records the call (`onlyWhenChecked`) and the callee's file records what it tests
 * (`presenceChecks`), joined by the model (test/rules/env-unset-switches.test.ts).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extract, only } from './ts-facts';

before(ready);

test('exported functions that return a conjunction of presence tests are presence checks; others are not', () => {
  const f = extract([
    'export function smtpConfigured(env: NodeJS.ProcessEnv = process.env): boolean {',
    '  return Boolean(env.SMTP_HOST && env.SMTP_USER && env["SMTP_PASS"]);',
    '}',
    'export const hasStripe = () => !!process.env.STRIPE_SECRET_KEY;',
    "export const hasSentry = () => 'SENTRY_DSN' in process.env && process.env.SENTRY_ENV !== undefined;",
    // Look-alikes: either variable will do, a required argument, more than a return.
    'export const hasAnyLlm = () => !!(process.env.OPENAI_KEY || process.env.ANTHROPIC_KEY);',
    'export function configured(env: NodeJS.ProcessEnv): boolean { return !!env.X_KEY; }',
    'export function logged(): boolean { console.log("checking"); return !!process.env.Y_KEY; }',
    'function notExported() { return !!process.env.Z_KEY; }',
  ].join('\n'));
  assert.deepEqual(f.presenceChecks, [
    { name: 'smtpConfigured', tests: ['SMTP_HOST', 'SMTP_USER', 'SMTP_PASS'] },
    { name: 'hasStripe', tests: ['STRIPE_SECRET_KEY'] },
    { name: 'hasSentry', tests: ['SENTRY_DSN', 'SENTRY_ENV'] },
  ]);
});

test('a read after `if (!check()) return;`: a check of this file adds its variables as switches; an imported one is recorded', () => {
  const f = extract([
    "import { smtpConfigured } from './invoice';",
    "import { isBeta } from 'feature-flags';",
    'function stripeReady() { return Boolean(process.env.STRIPE_KEY && process.env.STRIPE_WEBHOOK); }',
    'export async function sendInvoice() {',
    '  if (!smtpConfigured()) return;',
    '  return String(process.env.SMTP_HOST);',
    '}',
    'export function charge() {',
    '  if (!stripeReady()) return undefined;',
    '  return String(process.env.STRIPE_PRICE_ID);',
    '}',
    'export function beta() {',
    '  if (!isBeta()) return;',
    '  return String(process.env.BETA_URL);',
    '}',
    'export const mode = smtpConfigured() ? process.env.SMTP_MODE : "off";',
  ].join('\n'));
  const host = f.reads.find((r) => r.name === 'SMTP_HOST' && r.onlyWhenChecked);
  assert.deepEqual(host?.onlyWhenChecked, [{ module: './invoice', name: 'smtpConfigured' }]);
  assert.deepEqual(only(f, 'STRIPE_PRICE_ID').onlyWhen, [{ name: 'STRIPE_KEY', set: true }, { name: 'STRIPE_WEBHOOK', set: true }]);
  // A package's function is not followed.
  assert.equal(only(f, 'BETA_URL').onlyWhenChecked, undefined);
  assert.deepEqual(only(f, 'SMTP_MODE').onlyWhenChecked, [{ module: './invoice', name: 'smtpConfigured' }]);
});
