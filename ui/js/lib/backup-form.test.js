import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBackupInput, isEncrypted, isShown, lastBackupText, reminderLabel } from './backup-form.js';

test('encrypted formats need a long enough password, typed twice', () => {
  assert.equal(isEncrypted('tessera'), true);
  assert.equal(isEncrypted('html'), false);
  assert.equal(isEncrypted('nonsense'), false);
  assert.equal(checkBackupInput({ format: 'tessera', password: 'short', confirm: 'short' }).field, 'password');
  assert.equal(checkBackupInput({ format: 'aegis', password: 'long enough', confirm: 'long enougH' }).field, 'confirm');
  assert.deepEqual(checkBackupInput({ format: 'tessera', password: 'long enough', confirm: 'long enough' }), {
    request: { format: 'tessera', password: 'long enough', acceptPlain: false },
  });
});

test('plain formats need the user to accept a file in clear', () => {
  assert.equal(checkBackupInput({ format: 'otpauth' }).field, 'accept');
  assert.deepEqual(checkBackupInput({ format: 'html', password: 'ignored', acceptPlain: true }), {
    request: { format: 'html', password: null, acceptPlain: true },
  });
  assert.equal(checkBackupInput({ format: 'zip' }).field, 'format');
});

test('the last backup reads in days', () => {
  const day = 86_400_000;
  assert.equal(lastBackupText(null, 5 * day), 'Never backed up.');
  assert.equal(lastBackupText(5 * day, 5 * day + 1000), 'Last backup: today.');
  assert.equal(lastBackupText(4 * day, 5 * day + 1000), 'Last backup: yesterday.');
  assert.equal(lastBackupText(0, 40 * day), 'Last backup: 40 days ago.');
});

test('reminder choices read as people say them', () => {
  assert.equal(reminderLabel(0), 'Never');
  assert.equal(reminderLabel(7), 'After a week');
  assert.equal(reminderLabel(14), 'After 2 weeks');
  assert.equal(reminderLabel(30), 'After 30 days');
});

test('transfer codes are shown, not saved, so they need no consent for a file', () => {
  assert.equal(isShown('google'), true);
  assert.equal(isShown('otpauth'), false);
  assert.deepEqual(checkBackupInput({ format: 'google' }), { show: true });
});
