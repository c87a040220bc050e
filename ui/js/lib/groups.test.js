import assert from 'node:assert/strict';
import test from 'node:test';
import { groupsOf, inGroup } from './groups.js';

const accounts = [
  { id: '1', issuer: 'MyKerio', group: 'Work' },
  { id: '2', issuer: 'Kayako', group: ' work ' },
  { id: '3', issuer: 'Steam', group: '' },
  { id: '4', issuer: 'MyGlue', group: 'Clients  A' },
  { id: '5', issuer: 'Kaspersky', group: 'clients a' },
  { id: '6', issuer: 'Bank', group: 'Ärzte' },
];

test('groups are listed once each, alphabetically, with their sizes', () => {
  assert.deepEqual(
    groupsOf(accounts).map(({ name, count }) => [name, count]),
    [['Ärzte', 1], ['Clients  A', 2], ['Work', 2]],
  );
});

test('case, outer spaces and inner runs of spaces do not split a group', () => {
  const [, clients, work] = groupsOf(accounts);
  assert.deepEqual(inGroup(accounts, work.key).map((a) => a.id), ['1', '2']);
  assert.deepEqual(inGroup(accounts, clients.key).map((a) => a.id), ['4', '5']);
});

test('no group chosen keeps every account, in order', () => {
  assert.deepEqual(inGroup(accounts, ''), accounts);
});

test('accounts without a group make no group', () => {
  assert.deepEqual(groupsOf([{ group: '' }, { group: '   ' }, {}]), []);
});
