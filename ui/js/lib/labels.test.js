import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountLabel, asSentence, avatarHue, avatarLetter, rowTitles } from './labels.js';

test('accountLabel matches the backend wording', () => {
  assert.equal(accountLabel({ issuer: 'MyKerio', name: 'jane@example.com' }), 'MyKerio (jane@example.com)');
  assert.equal(accountLabel({ issuer: 'MyGlue', name: '' }), 'MyGlue');
  assert.equal(accountLabel({ issuer: '', name: 'jane' }), 'jane');
  assert.equal(accountLabel({ issuer: '', name: '' }), 'unnamed account');
});

test('rowTitles puts the name on top when there is no issuer', () => {
  assert.deepEqual(rowTitles({ issuer: 'Kayako', name: 'ops' }), { title: 'Kayako', subtitle: 'ops' });
  assert.deepEqual(rowTitles({ issuer: '', name: 'ops' }), { title: 'ops', subtitle: '' });
  assert.deepEqual(rowTitles({}), { title: 'Unnamed account', subtitle: '' });
});

test('avatarLetter takes the first character, whole, upper-cased', () => {
  assert.equal(avatarLetter({ issuer: 'kaspersky', name: 'x' }), 'K');
  assert.equal(avatarLetter({ issuer: '', name: 'jane' }), 'J');
  assert.equal(avatarLetter({ issuer: '  ', name: '' }), '?');
  assert.equal(avatarLetter({ issuer: 'émile' }), 'É');
  // A flag is two code points but one character on screen.
  assert.equal(avatarLetter({ issuer: '🇫🇷 Bank' }), '🇫🇷');
});

test('avatarHue is stable, in range, and ignores case and outer spaces', () => {
  const hue = avatarHue('MyKerio');
  assert.ok(Number.isInteger(hue) && hue >= 0 && hue < 360);
  assert.equal(avatarHue('MyKerio'), hue);
  assert.equal(avatarHue(' mykerio '), hue);
});

test('avatarHue spreads common issuers over the wheel', () => {
  const issuers = ['MyKerio', 'Kaspersky Business Hub', 'MyGlue', 'Kayako', 'GitHub', 'Google', 'Steam', 'Microsoft'];
  const hues = new Set(issuers.map((issuer) => Math.floor(avatarHue(issuer) / 30)));
  assert.ok(hues.size >= 5, `only ${hues.size} distinct sectors`);
});

test('asSentence capitalises and ends backend messages', () => {
  assert.equal(asSentence('wrong password or damaged vault file'), 'Wrong password or damaged vault file.');
  assert.equal(asSentence('OS keyring unavailable: no D-Bus session.'), 'OS keyring unavailable: no D-Bus session.');
  assert.equal(asSentence('  '), '');
  assert.equal(asSentence(undefined), '');
});
