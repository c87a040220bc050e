import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addLabel, defaultChoice, kindText, transferText } from './review.js';

test('new accounts start ticked, duplicates do not', () => {
  const items = [
    { index: 0, duplicateOf: null },
    { index: 1, duplicateOf: 'MyKerio (jane)' },
    { index: 2 },
  ];
  assert.deepEqual(defaultChoice(items), [0, 2]);
  assert.deepEqual(defaultChoice(), []);
});

test('the add button counts', () => {
  assert.equal(addLabel(0), 'Add accounts');
  assert.equal(addLabel(1), 'Add 1 account');
  assert.equal(addLabel(7), 'Add 7 accounts');
});

test('kinds read as people know them', () => {
  assert.equal(kindText({ kind: 'totp', digits: 6 }), 'Time-based, 6 digits');
  assert.equal(kindText({ kind: 'hotp', digits: 8 }), 'Counter-based, 8 digits');
  assert.equal(kindText({ kind: 'steam', digits: 5 }), 'Steam Guard');
});

test('a transfer missing parts says which', () => {
  assert.equal(transferText([]), null);
  assert.deepEqual(transferText([{ of: 2, missing: [2] }]), {
    title: '1 of 2 parts scanned',
    description: 'Scan part 2 of the transfer too; the accounts found so far are listed below.',
  });
  assert.equal(transferText([{ of: 4, missing: [2, 4] }]).description.startsWith('Scan parts 2, 4'), true);
});
