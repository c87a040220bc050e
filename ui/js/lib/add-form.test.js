import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkManual, checkUri, parseWholeNumber } from './add-form.js';

const form = (overrides = {}) => ({
  issuer: 'MyKerio',
  name: 'jane@example.com',
  secret: 'jbsw y3dp ehpk 3pxp',
  kind: 'totp',
  algorithm: 'sha1',
  digits: '6',
  period: '30',
  counter: '',
  ...overrides,
});

test('a filled form becomes the backend input, key left as typed', () => {
  assert.deepEqual(checkManual(form()), {
    input: {
      issuer: 'MyKerio',
      name: 'jane@example.com',
      secret: 'jbsw y3dp ehpk 3pxp',
      kind: 'totp',
      algorithm: 'sha1',
      digits: 6,
      period: 30,
      counter: null,
    },
  });
});

test('labels are trimmed', () => {
  const { input } = checkManual(form({ issuer: '  Kayako ', name: ' ops ' }));
  assert.equal(input.issuer, 'Kayako');
  assert.equal(input.name, 'ops');
});

test('an empty key is refused, also when it is only spaces and dashes', () => {
  for (const secret of ['', '   ', ' - - ']) {
    assert.equal(checkManual(form({ secret })).field, 'secret');
  }
});

test('either the issuer or the account name is enough, but not neither', () => {
  assert.ok(checkManual(form({ issuer: '' })).input);
  assert.ok(checkManual(form({ name: '' })).input);
  const result = checkManual(form({ issuer: ' ', name: '' }));
  assert.equal(result.field, 'issuer');
  assert.match(result.error, /service/);
});

test('empty advanced fields are left to the backend defaults', () => {
  const { input } = checkManual(form({ digits: '', period: ' ' }));
  assert.equal(input.digits, null);
  assert.equal(input.period, null);
});

test('numbers that are not whole numbers are caught', () => {
  assert.equal(checkManual(form({ digits: 'six' })).field, 'digits');
  assert.equal(checkManual(form({ digits: '0' })).field, 'digits');
  assert.equal(checkManual(form({ period: '-30' })).field, 'period');
  assert.equal(checkManual(form({ period: '0' })).field, 'period');
  assert.equal(checkManual(form({ kind: 'hotp', counter: '1.5' })).field, 'counter');
  assert.equal(checkManual(form({ kind: 'hotp', counter: '99999999999999999999' })).field, 'counter');
});

test('each kind sends only the fields it uses', () => {
  const hotp = checkManual(form({ kind: 'hotp', counter: '7', period: 'ignored' })).input;
  assert.equal(hotp.counter, 7);
  assert.equal(hotp.period, null);
  const steam = checkManual(form({ kind: 'steam', digits: 'ignored', counter: '3' })).input;
  assert.equal(steam.digits, null);
  assert.equal(steam.counter, null);
  assert.equal(steam.period, 30);
});

test('unknown choices fall back to the defaults', () => {
  const { input } = checkManual(form({ kind: 'yubikey', algorithm: 'md5' }));
  assert.equal(input.kind, 'totp');
  assert.equal(input.algorithm, 'sha1');
});

test('parseWholeNumber', () => {
  assert.equal(parseWholeNumber(''), null);
  assert.equal(parseWholeNumber(' 8 '), 8);
  assert.ok(Number.isNaN(parseWholeNumber('8x')));
  assert.ok(Number.isNaN(parseWholeNumber('1e3')));
});

test('checkUri wants something pasted and trims it', () => {
  assert.match(checkUri('  ').error, /otpauth/);
  assert.deepEqual(checkUri(' otpauth://totp/A:b?secret=JBSWY3DP \n'), { uri: 'otpauth://totp/A:b?secret=JBSWY3DP' });
});
