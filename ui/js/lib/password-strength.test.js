import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MIN_LENGTH,
  characterClasses,
  checkNewPassword,
  isCommon,
  isRepetition,
  isSequence,
  passwordStrength,
} from './password-strength.js';

const level = (password) => passwordStrength(password).level;

test('short and empty passwords are weak, with how many characters are missing', () => {
  assert.equal(level(''), 'weak');
  assert.match(passwordStrength('').advice, /at least 8/);
  assert.equal(level('Xy7#'), 'weak');
  assert.match(passwordStrength('Xy7#kQ2').advice, /1 more character\b/);
  assert.match(passwordStrength('ab').advice, /6 more characters/);
});

test('common passwords and their decorated forms are weak', () => {
  for (const pw of ['password', 'Password1!', 'P@ssw0rd', 'qwertyuiop', '12345678', 'letmein2024', 'iloveyou!!', 'Tessera123']) {
    assert.equal(level(pw), 'weak', pw);
    assert.match(passwordStrength(pw).advice, /first passwords/, pw);
  }
});

test('sequences and repetitions are spotted', () => {
  assert.ok(isSequence('abcd'));
  assert.ok(isSequence('DCBA'));
  assert.ok(isSequence('7654'));
  assert.ok(isSequence('asdfgh'));
  assert.ok(!isSequence('abd'));
  assert.ok(!isSequence('azbq'));
  assert.ok(isRepetition('aaaaaaaa'));
  assert.ok(isRepetition('abababab'));
  assert.ok(isRepetition('xyzxyzxyz'));
  assert.ok(!isRepetition('abcabcab'));
  assert.equal(level('zzzzzzzzzz'), 'weak');
  assert.equal(level('k9k9k9k9k9'), 'weak');
});

test('character classes include symbols, spaces and non-Latin letters', () => {
  assert.deepEqual(characterClasses('aB3 '), { lower: true, upper: true, digit: true, symbol: true });
  assert.deepEqual(characterClasses('élan'), { lower: true, upper: false, digit: false, symbol: false });
  assert.deepEqual(characterClasses(''), { lower: false, upper: false, digit: false, symbol: false });
});

test('levels rise with length and variety', () => {
  assert.equal(level('sunflowr'), 'weak');
  assert.match(passwordStrength('sunflowr').advice, /^Easy to guess/);
  assert.equal(level('Sunfl0wer'), 'weak');
  assert.equal(level('Sunfl0wer#Kit'), 'fair');
  assert.equal(level('Tr0ub4dor&3x'), 'good');
  assert.equal(level('Tr0ub4dor&3x-Rain'), 'strong');
  assert.equal(level('correct horse battery staple'), 'strong');
  assert.equal(level('glimmer-otter-7-Basalt'), 'strong');
});

test('a run inside a longer password costs strength', () => {
  const withRun = passwordStrength('mango1234zz').score;
  const withoutRun = passwordStrength('mango1739zz').score;
  assert.ok(withRun <= withoutRun);
});

test('single-class passphrases grow strong with length', () => {
  assert.equal(level('lantern orchard'), 'fair');
  assert.equal(level('lantern orchard pebble'), 'strong');
});

test('every level has a sentence of advice', () => {
  for (const pw of ['', 'sunflowr', 'Sunfl0wer', 'Tr0ub4dor&3x', 'Tr0ub4dor&3x-Rain']) {
    const { advice } = passwordStrength(pw);
    assert.ok(advice.length > 20 && advice.endsWith('.'), pw);
  }
});

test('isCommon ignores case', () => {
  assert.ok(isCommon('DRAGON'));
  assert.ok(!isCommon('basalt-otter'));
});

test('checkNewPassword needs the minimum length and a matching confirmation', () => {
  assert.deepEqual(checkNewPassword('short', 'short'), { ok: false, field: 'password', reason: `Use at least ${MIN_LENGTH} characters.` });
  assert.deepEqual(checkNewPassword('long enough', ''), { ok: false, field: 'confirm', reason: null });
  assert.deepEqual(checkNewPassword('long enough', 'long enougH'), { ok: false, field: 'confirm', reason: 'The two passwords do not match.' });
  assert.deepEqual(checkNewPassword('long enough', 'long enough'), { ok: true });
  // Length counts characters, not UTF-16 units.
  assert.equal(checkNewPassword('🔑🔑🔑🔑🔑🔑🔑', '🔑🔑🔑🔑🔑🔑🔑').ok, false);
});
