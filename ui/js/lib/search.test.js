import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterAccounts, fold, matchScore } from './search.js';

const accounts = [
  { id: 1, issuer: 'MyKerio', name: 'jane@example.com' },
  { id: 2, issuer: 'Kaspersky Business Hub', name: 'admin@northwind.example' },
  { id: 3, issuer: 'MyGlue', name: 'j.doe' },
  { id: 4, issuer: 'Kayako', name: 'support@northwind.example' },
  { id: 5, issuer: 'Zürich Bank', name: 'kerio-admin' },
];
const ids = (list) => list.map((a) => a.id);

test('an empty query keeps every account in order', () => {
  assert.equal(filterAccounts(accounts, '  '), accounts);
});

test('case and accents do not matter', () => {
  assert.equal(fold('ZÜRICH Bänk'), 'zurich bank');
  assert.deepEqual(ids(filterAccounts(accounts, 'zurich')), [5]);
});

test('word starts rank before inner matches, which rank before gapped letters', () => {
  // "Kerio" starts a word of "MyKerio" (the capital), and the issuer weighs more than the name.
  assert.deepEqual(ids(filterAccounts(accounts, 'kerio')), [1, 5]);
  assert.deepEqual(ids(filterAccounts(accounts, 'ka')), [2, 4]);
  assert.deepEqual(ids(filterAccounts(accounts, 'mkr')), [1]);
});

test('every word must match, in the issuer or the name', () => {
  assert.equal(filterAccounts(accounts, 'northwind kay')[0].id, 4);
  assert.deepEqual(ids(filterAccounts(accounts, 'northwind kayako')), [4]);
  assert.deepEqual(ids(filterAccounts(accounts, 'myglue xyz')), []);
  assert.equal(matchScore(accounts[0], 'nothing'), 0);
});

test('the group is searched too, below the issuer and the name', () => {
  const filed = [
    { id: 1, issuer: 'Kayako', name: 'ops', group: 'Work' },
    { id: 2, issuer: 'Workday', name: 'jane', group: '' },
    { id: 3, issuer: 'Steam', name: 'gamer', group: 'Home' },
  ];
  assert.deepEqual(ids(filterAccounts(filed, 'work')), [2, 1]);
  assert.deepEqual(ids(filterAccounts(filed, 'home steam')), [3]);
});
